import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { JobRunner } from '../jobs/job-runner.service.js';

export type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; statusCode: number; body: string; contentType: string | null };

export interface StoredResponse {
  statusCode: number;
  body: string;
  contentType: string | null;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Hash of what makes two requests "the same": method, path and the body's JSON. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url.split('?')[0]}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/**
 * Idempotency keys, scoped per API key and kept at least IDEMPOTENCY_TTL_HOURS. A request first
 * claims its key (a unique row); the answer is stored when it is sent, and the same key and body
 * then replay it. A concurrent duplicate is told the first is still running; a 5xx frees the key
 * for a retry. The rows live in PostgreSQL, so every replica sees them.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  constructor(private readonly db: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig, private readonly runner: JobRunner) {}

  /** Expired keys are purged hourly by the job runner, on one replica at a time. */
  onModuleInit() {
    this.runner.every({ name: 'idempotency-purge', everyMs: 3_600_000, run: async (em) => { await this.purgeExpired(em); } });
  }

  validateKey(key: string): void {
    if (!KEY_PATTERN.test(key)) {
      throw new DomainError('BAD_USER_INPUT', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', { field: 'Idempotency-Key' });
    }
  }

  async claim(apiKeyId: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
    const ttl = `${this.config.idempotencyTtlHours} hours`;
    // an expired row no longer counts: remove it so the key can be claimed afresh
    await this.db.query(`DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND created_at < now() - $3::interval`, [apiKeyId, key, ttl]);
    const inserted = await this.db.query(
      `INSERT INTO idempotency_keys (api_key_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (api_key_id, key) DO NOTHING RETURNING key`,
      [apiKeyId, key, fingerprint],
    );
    if (inserted.length === 1) return { kind: 'claimed' };
    const [row] = await this.db.query(
      `SELECT request_hash, status_code, response_body, response_content_type FROM idempotency_keys WHERE api_key_id = $1 AND key = $2`,
      [apiKeyId, key],
    );
    if (!row) return this.claim(apiKeyId, key, fingerprint); // freed between our two statements
    if (row.request_hash !== fingerprint) {
      throw new DomainError('CONFLICT', 'This Idempotency-Key was already used with a different request. Use a new key for a new request.', {
        field: 'Idempotency-Key',
        status: 422,
      });
    }
    if (row.status_code === null) {
      throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry later.', { field: 'Idempotency-Key' });
    }
    return { kind: 'replay', statusCode: row.status_code, body: row.response_body, contentType: row.response_content_type };
  }

  async complete(apiKeyId: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET status_code = $3, response_body = $4, response_content_type = $5, completed_at = now()
        WHERE api_key_id = $1 AND key = $2`,
      [apiKeyId, key, response.statusCode, response.body, response.contentType],
    );
  }

  /** Frees the key after a failure on our side, so that the client's retry runs again. */
  async release(apiKeyId: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND status_code IS NULL`, [apiKeyId, key]);
  }

  async purgeExpired(em: EntityManager = this.db.manager): Promise<number> {
    const [, count] = await em.query(`DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, [`${this.config.idempotencyTtlHours} hours`]);
    return count ?? 0;
  }
}
