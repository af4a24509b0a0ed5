import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries are due in the order of when they may be taken: the later of their next
 * attempt and the end of their lease. The due index was on the next attempt alone, so every look
 * for due deliveries read past every leased one (those handed straight to a dispatcher, thousands
 * in a burst) to find none.
 */
export class WebhookDueAfterLease1764748800000 implements MigrationInterface {
  name = 'WebhookDueAfterLease1764748800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX webhook_deliveries_due_idx;
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries ((greatest(next_attempt_at, lease_until)))
        WHERE status = 'PENDING';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX webhook_deliveries_due_idx;
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
    `);
  }
}
