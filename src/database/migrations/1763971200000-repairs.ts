import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Repair tickets and their history; the units an organization may see through its repair
 * tickets; the outbox's publication order; and the job queue the background runner works.
 */
export class Repairs1763971200000 implements MigrationInterface {
  name = 'Repairs1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE SEQUENCE repair_ticket_number_seq;
      CREATE TABLE repair_tickets (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        unit_id uuid NOT NULL REFERENCES units (id),
        manufacturer_id uuid NOT NULL REFERENCES organizations (id),
        service_center_id uuid NOT NULL REFERENCES organizations (id),
        opened_by_id uuid NOT NULL REFERENCES organizations (id),
        technician_id uuid REFERENCES technicians (id),
        status text NOT NULL CHECK (status IN ('RECEIVED', 'DIAGNOSING', 'AWAITING_APPROVAL', 'AWAITING_PARTS', 'IN_REPAIR',
                                               'QUALITY_CHECK', 'READY', 'CLOSED', 'UNREPAIRABLE', 'CANCELLED')),
        reported_issue text NOT NULL,
        failure_category text NOT NULL,
        coverage_at_intake jsonb NOT NULL,
        diagnosis text,
        parts jsonb NOT NULL DEFAULT '[]',
        labor_minutes integer NOT NULL DEFAULT 0 CHECK (labor_minutes >= 0),
        labor_rate_amount numeric(19, 4),
        currency char(3),
        estimate_approved_at timestamptz,
        estimate_approved_amount numeric(19, 4),
        warranty_claim_id uuid REFERENCES warranty_claims (id),
        due_at timestamptz NOT NULL,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- one open ticket per unit
      CREATE UNIQUE INDEX repair_tickets_open_unit_key ON repair_tickets (unit_id)
        WHERE status NOT IN ('CLOSED', 'UNREPAIRABLE', 'CANCELLED');
      CREATE INDEX repair_tickets_unit_idx ON repair_tickets (unit_id, id);
      CREATE INDEX repair_tickets_center_idx ON repair_tickets (service_center_id, id);
      CREATE INDEX repair_tickets_manufacturer_idx ON repair_tickets (manufacturer_id, id);
      CREATE INDEX repair_tickets_opened_by_idx ON repair_tickets (opened_by_id, id);
      CREATE INDEX repair_tickets_technician_idx ON repair_tickets (technician_id, id);
      CREATE TABLE repair_ticket_history (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES repair_tickets (id),
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_organization_id uuid NOT NULL REFERENCES organizations (id),
        technician_id uuid REFERENCES technicians (id),
        note text
      );
      CREATE INDEX repair_ticket_history_ticket_idx ON repair_ticket_history (ticket_id, id);
      ALTER TABLE warranty_claims ADD CONSTRAINT warranty_claims_repair_ticket_fk FOREIGN KEY (repair_ticket_id) REFERENCES repair_tickets (id);

      -- the organizations with a repair ticket for the unit (its centers and openers): they may see it
      ALTER TABLE units ADD COLUMN repair_org_ids uuid[] NOT NULL DEFAULT '{}';
      CREATE INDEX units_repair_orgs_idx ON units USING gin (repair_org_ids);

      -- the order in which the relay published events: replicas read them in this order
      CREATE SEQUENCE outbox_publish_seq;
      ALTER TABLE outbox_events ADD COLUMN publish_seq bigint;
      CREATE UNIQUE INDEX outbox_events_publish_seq_key ON outbox_events (publish_seq);

      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        run_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        done_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE done_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE jobs;
      DROP INDEX outbox_events_publish_seq_key;
      ALTER TABLE outbox_events DROP COLUMN publish_seq;
      DROP SEQUENCE outbox_publish_seq;
      DROP INDEX units_repair_orgs_idx;
      ALTER TABLE units DROP COLUMN repair_org_ids;
      ALTER TABLE warranty_claims DROP CONSTRAINT warranty_claims_repair_ticket_fk;
      DROP TABLE repair_ticket_history;
      DROP TABLE repair_tickets;
      DROP SEQUENCE repair_ticket_number_seq;
    `);
  }
}
