import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks (issue 13, docs/webhooks.md): an organization's endpoints, one delivery per
 * event and subscribed endpoint (unique, so an event is never fanned out twice to an endpoint),
 * and the fan-out's place in the published outbox feed.
 */
export class Webhooks1764576000000 implements MigrationInterface {
  name = 'Webhooks1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations (id),
        url text NOT NULL,
        description text,
        event_types text[] NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        secret text NOT NULL,
        secret_prefix text NOT NULL,
        previous_secret text,
        previous_secret_until timestamptz,
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      );
      CREATE INDEX webhook_endpoints_organization_idx ON webhook_endpoints (organization_id, id);

      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        event_id bigint,
        message_id text NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts jsonb NOT NULL DEFAULT '[]',
        scheduled_retries integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        lease_token uuid,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE UNIQUE INDEX webhook_deliveries_event_endpoint_key ON webhook_deliveries (event_id, endpoint_id);
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX webhook_deliveries_organization_idx ON webhook_deliveries (organization_id, id);
      CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id);

      CREATE TABLE webhook_fanout_position (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        last_publish_seq bigint NOT NULL,
        lease_token uuid,
        lease_until timestamptz
      );
      INSERT INTO webhook_fanout_position (last_publish_seq) SELECT coalesce(max(publish_seq), 0) FROM outbox_events;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE webhook_fanout_position;
      DROP TABLE webhook_deliveries;
      DROP TABLE webhook_endpoints;
    `);
  }
}
