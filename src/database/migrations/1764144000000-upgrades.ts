import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Upgrade and trade-in programs, and upgrade requests with their history. */
export class Upgrades1764144000000 implements MigrationInterface {
  name = 'Upgrades1764144000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE upgrade_programs (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL,
        eligible_categories text[] NOT NULL,
        target_product_ids uuid[] NOT NULL,
        min_months_owned integer NOT NULL CHECK (min_months_owned >= 0),
        max_unit_age_months integer CHECK (max_unit_age_months >= 0),
        requires_active_coverage boolean NOT NULL,
        trade_in_values jsonb NOT NULL,
        currency char(3) NOT NULL,
        valid_from date NOT NULL,
        valid_until date,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX upgrade_programs_owner_idx ON upgrade_programs (owner_id, id);
      CREATE TABLE upgrade_requests (
        id uuid PRIMARY KEY,
        unit_id uuid NOT NULL REFERENCES units (id),
        program_id uuid NOT NULL REFERENCES upgrade_programs (id),
        program_owner_id uuid NOT NULL REFERENCES organizations (id),
        requested_by_id uuid NOT NULL REFERENCES organizations (id),
        target_product_id uuid NOT NULL REFERENCES products (id),
        status text NOT NULL CHECK (status IN ('REQUESTED', 'TRADE_IN_RECEIVED', 'COMPLETED', 'CANCELLED')),
        grade text,
        trade_in_value numeric(19, 4),
        currency char(3) NOT NULL,
        new_unit_id uuid REFERENCES units (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- one open upgrade request per unit
      CREATE UNIQUE INDEX upgrade_requests_open_unit_key ON upgrade_requests (unit_id) WHERE status IN ('REQUESTED', 'TRADE_IN_RECEIVED');
      CREATE INDEX upgrade_requests_requested_by_idx ON upgrade_requests (requested_by_id, id);
      CREATE INDEX upgrade_requests_program_owner_idx ON upgrade_requests (program_owner_id, id);
      CREATE TABLE upgrade_history (
        id uuid PRIMARY KEY,
        upgrade_id uuid NOT NULL REFERENCES upgrade_requests (id),
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_organization_id uuid NOT NULL REFERENCES organizations (id),
        note text
      );
      CREATE INDEX upgrade_history_upgrade_idx ON upgrade_history (upgrade_id, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE upgrade_history; DROP TABLE upgrade_requests; DROP TABLE upgrade_programs;`);
  }
}
