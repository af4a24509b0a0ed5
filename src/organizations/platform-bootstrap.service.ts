import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { displayPrefix, generateApiKeySecret, hashApiKey } from '../common/auth/api-key-secret.js';
import { newId } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

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

  async ensureOperatorKey(): Promise<string | null> {
    return this.db.transaction(async (em) => {
      // one bootstrap at a time, even with several replicas starting together
      await em.query(`SELECT pg_advisory_xact_lock(7240001)`);
      let [platform] = await em.query(`SELECT id FROM organizations WHERE kind = 'PLATFORM' LIMIT 1`);
      if (!platform) {
        platform = { id: newId() };
        await em.query(`INSERT INTO organizations (id, name, kind) VALUES ($1, 'Platform operator', 'PLATFORM')`, [
          platform.id,
        ]);
      }
      if (this.config.adminKey) {
        const hash = hashApiKey(this.config.adminKey);
        await em.query(
          `UPDATE api_keys SET revoked_at = now() WHERE from_env AND secret_hash <> $1 AND revoked_at IS NULL`,
          [hash],
        );
        await em.query(
          `INSERT INTO api_keys (id, organization_id, name, role, prefix, secret_hash, from_env)
           VALUES ($1, $2, 'Platform operator (AFTERCARE_ADMIN_KEY)', 'ADMIN', $3, $4, true)
           ON CONFLICT (secret_hash) DO UPDATE SET revoked_at = NULL`,
          [newId(), platform.id, displayPrefix(this.config.adminKey), hash],
        );
        return null;
      }
      const [active] = await em.query(
        `SELECT 1 FROM api_keys WHERE organization_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
        [platform.id],
      );
      if (active) return null;
      const { secret, prefix, hash } = generateApiKeySecret();
      await em.query(
        `INSERT INTO api_keys (id, organization_id, name, role, prefix, secret_hash) VALUES ($1, $2, 'Platform operator (generated)', 'ADMIN', $3, $4)`,
        [newId(), platform.id, prefix, hash],
      );
      // printed once, on purpose outside the JSON log: the log pipeline must never see key material
      process.stdout.write(
        `\nAftercare generated the platform operator key (shown once, store it safely):\n\n  ${secret}\n\n`,
      );
      this.logger.warn(
        `Generated a platform operator key with prefix ${prefix}; set AFTERCARE_ADMIN_KEY to choose your own.`,
      );
      return secret;
    });
  }
}
