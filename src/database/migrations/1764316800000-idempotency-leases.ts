import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys as leases: a claim holds a token and a lease its request renews; the change's
 * own transaction marks the key committed (fenced by the token); answers that carry a secret are
 * kept as "withheld", never with their body.
 */
export class IdempotencyLeases1764316800000 implements MigrationInterface {
  name = 'IdempotencyLeases1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE idempotency_keys
        ADD COLUMN claim_token uuid,
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN committed_at timestamptz,
        ADD COLUMN answer_withheld boolean NOT NULL DEFAULT false;
      -- claims made before leases existed: a request still running gets a minute, then the key frees
      UPDATE idempotency_keys SET lease_expires_at = now() + interval '1 minute' WHERE status_code IS NULL;
      -- API key secrets stored by earlier versions for replay are erased
      UPDATE idempotency_keys SET response_body = NULL, answer_withheld = true WHERE response_body LIKE '%"secret":"%';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE idempotency_keys DROP COLUMN answer_withheld, DROP COLUMN committed_at, DROP COLUMN lease_expires_at, DROP COLUMN claim_token;
    `);
  }
}
