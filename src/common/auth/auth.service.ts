import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { unauthenticated } from '../errors/domain-error.js';
import { hashApiKey, hashesEqual } from './api-key-secret.js';
import type { Caller } from './caller.js';

interface KeyRow {
  id: string;
  secret_hash: string;
  organization_id: string;
  kind: Caller['organizationKind'];
  role: Caller['role'];
  technician_id: string | null;
  technician_active: boolean | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * Resolves `Authorization: Bearer <key>` to a caller with one indexed query. The answer is kept
 * for AUTH_CACHE_SECONDS (default 5) by hash, so a busy integration does not pay that query on
 * every call: a revocation takes effect at once on the replica that revoked the key and within
 * that many seconds on the others. Expiry is checked on every use.
 */
@Injectable()
export class AuthService {
  private readonly cache = new Map<string, { row: KeyRow | null; until: number }>();

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Forgets a key at once on this replica (revocation). */
  forget(apiKeyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.row?.id === apiKeyId) this.cache.delete(hash);
  }

  async authenticate(authorization: string | undefined): Promise<Caller | null> {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <API key>".');
    const hash = hashApiKey(match[1]);
    const row = await this.lookup(hash);
    if (!row || !hashesEqual(row.secret_hash, hash)) throw unauthenticated('The API key is not valid.');
    if (row.revoked_at) throw unauthenticated('The API key has been revoked.');
    if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())
      throw unauthenticated('The API key has expired.');
    if (row.technician_id && row.technician_active === false)
      throw unauthenticated('The technician of this API key is no longer active.');
    return {
      apiKeyId: row.id,
      organizationId: row.organization_id,
      organizationKind: row.kind,
      role: row.role,
      technicianId: row.technician_id,
    };
  }

  private async lookup(hash: string): Promise<KeyRow | null> {
    const ttlMs = this.config.authCacheSeconds * 1000;
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.row;
    const rows: KeyRow[] = await this.db.query(
      `SELECT k.id, k.secret_hash, k.organization_id, o.kind, k.role, k.technician_id, t.active AS technician_active,
              k.expires_at, k.revoked_at
         FROM api_keys k
         JOIN organizations o ON o.id = k.organization_id
         LEFT JOIN technicians t ON t.id = k.technician_id
        WHERE k.secret_hash = $1`,
      [hash],
    );
    const row = rows[0] ?? null;
    if (ttlMs > 0) {
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
      this.cache.set(hash, { row, until: Date.now() + ttlMs });
    }
    return row;
  }
}
