import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import type { KeyClaim } from './request-scope.js';

type ClaimOutcome =
  | { kind: 'claimed'; claim: KeyClaim }
  | { kind: 'replay'; statusCode: number; body: string; contentType: string | null };

interface StoredResponse {
  statusCode: number;
  /** null: the answer carried a secret and is not kept (see markAnswerCarriesSecret). */
  body: string | null;
  contentType: string | null;
}

interface KeyRow {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  response_content_type: string | null;
  committed: boolean;
  lease_live: boolean;
  answer_withheld: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Hash of what makes two requests "the same": method, path and the body's JSON. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url.split('?')[0]}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Idempotency keys, scoped per API key and kept at least IDEMPOTENCY_TTL_HOURS, in PostgreSQL so
 * every replica sees them.
 *
 * A request claims its key with a fresh token and a lease of IDEMPOTENCY_LEASE_SECONDS, renewed
 * while it runs. Each transaction it commits marks the key committed, fenced by the token (see
 * commit-fence.ts); its answer is stored when it is sent. The same key and body then:
 * - replay the stored answer;
 * - are told the first answer carried a secret, shown once and never stored (409);
 * - are told the change was made but its answer was lost (409), when the request committed and
 *   then died before its answer was stored: running it again would do it twice;
 * - are told it is still running (409) while the lease is live;
 * - run again once a request that committed nothing failed (its key is released) or died (its
 *   lease ran out): a late commit of the dead request is then refused by the fence.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: JobRunner,
  ) {}

  /** Expired keys are purged hourly by the job runner, on one replica at a time. */
  onModuleInit() {
    this.runner.every({
      name: 'idempotency-purge',
      everyMs: 3_600_000,
      run: async (em) => {
        await this.purgeExpired(em);
      },
    });
  }

  /** How often a running request renews its lease: three times a lease. */
  get renewEveryMs(): number {
    return (this.config.idempotencyLeaseSeconds * 1000) / 3;
  }

  validateKey(key: string): void {
    if (!KEY_PATTERN.test(key)) {
      throw new DomainError('BAD_USER_INPUT', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
        field: 'Idempotency-Key',
      });
    }
  }

  async claim(apiKeyId: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
    const token = randomUUID();
    // a new key, or one whose row expired, or one whose request ended (or died) without committing
    const claimed = await this.db.query(
      `INSERT INTO idempotency_keys (api_key_id, key, request_hash, claim_token, lease_expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int))
       ON CONFLICT (api_key_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, lease_expires_at = EXCLUDED.lease_expires_at,
              created_at = now(), status_code = NULL, response_body = NULL, response_content_type = NULL,
              completed_at = NULL, committed_at = NULL, answer_withheld = false
        WHERE idempotency_keys.created_at < now() - make_interval(hours => $6::int)
           OR (idempotency_keys.status_code IS NULL AND idempotency_keys.committed_at IS NULL AND idempotency_keys.lease_expires_at < now())
       RETURNING claim_token`,
      [apiKeyId, key, fingerprint, token, this.config.idempotencyLeaseSeconds, this.config.idempotencyTtlHours],
    );
    if (claimed.length === 1) return { kind: 'claimed', claim: { apiKeyId, key, token } };
    const [row]: KeyRow[] = await this.db.query(
      `SELECT request_hash, status_code, response_body, response_content_type, answer_withheld,
              committed_at IS NOT NULL AS committed, coalesce(lease_expires_at > now(), false) AS lease_live
         FROM idempotency_keys WHERE api_key_id = $1 AND key = $2`,
      [apiKeyId, key],
    );
    if (!row) return this.claim(apiKeyId, key, fingerprint); // freed between our two statements
    return this.existing(row, fingerprint);
  }

  /** What a request finds when its key is taken. */
  private existing(row: KeyRow, fingerprint: string): ClaimOutcome {
    if (row.request_hash !== fingerprint) {
      throw new DomainError(
        'CONFLICT',
        'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
        {
          field: 'Idempotency-Key',
          status: 422,
        },
      );
    }
    if (row.answer_withheld && (row.status_code !== null || (row.committed && !row.lease_live))) {
      throw new DomainError(
        'CONFLICT',
        'The request with this Idempotency-Key was carried out. Its answer held a secret, which is shown only once and never stored: ' +
          'if it was lost, revoke what was created and create it again (for an API key: revokeApiKey, then createApiKey).',
        {
          field: 'Idempotency-Key',
          errorCode: 'IDEMPOTENT_SECRET_NOT_REPLAYED',
        },
      );
    }
    if (row.status_code !== null && row.response_body !== null) {
      return {
        kind: 'replay',
        statusCode: row.status_code,
        body: row.response_body,
        contentType: row.response_content_type,
      };
    }
    if (row.committed && !row.lease_live) {
      throw new DomainError(
        'CONFLICT',
        'The request with this Idempotency-Key was carried out, but its answer was lost on the way; ' +
          'it is not run again. Read the result back (the list or the resource it changed) instead.',
        {
          field: 'Idempotency-Key',
          errorCode: 'IDEMPOTENT_ANSWER_LOST',
        },
      );
    }
    throw new DomainError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry later.', {
      field: 'Idempotency-Key',
      errorCode: 'IDEMPOTENT_REQUEST_IN_PROGRESS',
    });
  }

  /** Keeps a running request's claim; false when it is no longer this request's. */
  async renew(claim: KeyClaim): Promise<boolean> {
    const [, count] = await this.db.query(
      `UPDATE idempotency_keys SET lease_expires_at = now() + make_interval(secs => $4::int)
        WHERE api_key_id = $1 AND key = $2 AND claim_token = $3 AND status_code IS NULL`,
      [claim.apiKeyId, claim.key, claim.token, this.config.idempotencyLeaseSeconds],
    );
    return count === 1;
  }

  /** Stores the answer for replays (its body only when it carries no secret), if the key is still this request's. */
  async complete(claim: KeyClaim, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys
          SET status_code = $4, response_body = $5, response_content_type = $6, answer_withheld = answer_withheld OR $5::text IS NULL,
              completed_at = now(), lease_expires_at = NULL
        WHERE api_key_id = $1 AND key = $2 AND claim_token = $3`,
      [claim.apiKeyId, claim.key, claim.token, response.statusCode, response.body, response.contentType],
    );
  }

  /**
   * Frees the key after a failure on our side, so that the client's retry runs again; a change
   * that did commit (the COMMIT went through but its answer was lost) keeps the key, and ends the
   * lease so the retry hears that at once.
   */
  async release(claim: KeyClaim): Promise<void> {
    const params = [claim.apiKeyId, claim.key, claim.token];
    await this.db.query(
      `DELETE FROM idempotency_keys WHERE api_key_id = $1 AND key = $2 AND claim_token = $3 AND status_code IS NULL AND committed_at IS NULL`,
      params,
    );
    await this.db.query(
      `UPDATE idempotency_keys SET lease_expires_at = now() WHERE api_key_id = $1 AND key = $2 AND claim_token = $3 AND status_code IS NULL`,
      params,
    );
  }

  async purgeExpired(em: EntityManager = this.db.manager): Promise<number> {
    const [, count] = await em.query(`DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, [
      `${this.config.idempotencyTtlHours} hours`,
    ]);
    return count ?? 0;
  }
}
