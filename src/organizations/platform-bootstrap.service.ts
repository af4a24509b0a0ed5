import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { displayPrefix, generateApiKeySecret, hashApiKey } from '../common/auth/api-key-secret.js';
import { newId } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import {
  findPlatformOrganizationId,
  hasUsableKey,
  insertGeneratedOperatorKey,
  insertPlatformOrganization,
  lockPlatformBootstrap,
  revokeEnvironmentKeysBut,
  upsertEnvironmentKey,
} from './platform-bootstrap.queries.js';

/**
 * Makes sure the platform operator can get in. The operator's keys belong to one PLATFORM
 * organization. AFTERCARE_ADMIN_KEY, when set, is that key (a changed value revokes the old one);
 * when it is not set, the first start generates a key, stores only its hash and prints it once.
 */
@Injectable()
export class PlatformBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Platform');

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureOperatorKey();
  }

  /** The generated key's secret when one was generated, otherwise null. */
  private async ensureOperatorKey(): Promise<string | null> {
    return this.db.transaction(async (em) => {
      await lockPlatformBootstrap(em);
      const platformId = await platformOrganization(em);
      if (this.config.adminKey) {
        await keepEnvironmentKey(em, platformId, this.config.adminKey);
        return null;
      }
      if (await hasUsableKey(em, platformId)) return null;
      return this.generateOperatorKey(em, platformId);
    });
  }

  private async generateOperatorKey(em: EntityManager, platformId: string): Promise<string> {
    const { secret, prefix, hash } = generateApiKeySecret();
    await insertGeneratedOperatorKey(em, { id: newId(), organizationId: platformId, prefix, secretHash: hash });
    // printed once, on purpose outside the JSON log: the log pipeline must never see key material
    process.stdout.write(
      `\nAftercare generated the platform operator key (shown once, store it safely):\n\n  ${secret}\n\n`,
    );
    this.logger.warn(
      `Generated a platform operator key with prefix ${prefix}; set AFTERCARE_ADMIN_KEY to choose your own.`,
    );
    return secret;
  }
}

/** The PLATFORM organization's id, the organization made on the first start. */
async function platformOrganization(em: EntityManager): Promise<string> {
  const existing = await findPlatformOrganizationId(em);
  if (existing) return existing;
  const id = newId();
  await insertPlatformOrganization(em, id);
  return id;
}

/** AFTERCARE_ADMIN_KEY is the operator's key: valid, and the only key from the environment that is. */
async function keepEnvironmentKey(em: EntityManager, platformId: string, adminKey: string): Promise<void> {
  const hash = hashApiKey(adminKey);
  await revokeEnvironmentKeysBut(em, hash);
  await upsertEnvironmentKey(em, {
    id: newId(),
    organizationId: platformId,
    prefix: displayPrefix(adminKey),
    secretHash: hash,
  });
}
