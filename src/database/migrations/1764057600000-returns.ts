import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Retailers' return policies, return authorizations (RMAs) with their lines and history. */
export class Returns1764057600000 implements MigrationInterface {
  name = 'Returns1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE return_policies (
        id uuid PRIMARY KEY,
        retailer_id uuid NOT NULL REFERENCES organizations (id),
        name text NOT NULL,
        categories text[] NOT NULL DEFAULT '{}',
        window_days integer NOT NULL CHECK (window_days >= 0),
        unopened_window_days integer CHECK (unopened_window_days >= 0),
        window_starts_from text NOT NULL,
        holiday_purchase_start date,
        holiday_purchase_end date,
        holiday_return_until date,
        restocking_fee_percent numeric(7, 4) NOT NULL CHECK (restocking_fee_percent BETWEEN 0 AND 100),
        waive_fee_when_retailer_at_fault boolean NOT NULL,
        allowed_resolutions text[] NOT NULL,
        ship_within_days integer NOT NULL CHECK (ship_within_days > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX return_policies_retailer_idx ON return_policies (retailer_id, id);

      CREATE SEQUENCE return_number_seq;
      CREATE TABLE return_authorizations (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        retailer_id uuid NOT NULL REFERENCES organizations (id),
        policy_id uuid REFERENCES return_policies (id),
        status text NOT NULL CHECK (status IN ('REQUESTED', 'AUTHORIZED', 'REJECTED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED', 'RESOLVED', 'CLOSED', 'CANCELLED', 'EXPIRED')),
        requested_on date NOT NULL,
        rejection_reason text,
        rejection_message text,
        rejected_line integer,
        warranty_alternative jsonb,
        tracking_number text,
        carrier text,
        ship_by date,
        created_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX return_authorizations_retailer_idx ON return_authorizations (retailer_id, id);
      -- the expiry job looks for authorized returns past their ship-by date
      CREATE INDEX return_authorizations_ship_by_idx ON return_authorizations (ship_by) WHERE status = 'AUTHORIZED';
      CREATE TABLE return_lines (
        id uuid PRIMARY KEY,
        return_id uuid NOT NULL REFERENCES return_authorizations (id),
        position integer NOT NULL,
        unit_id uuid NOT NULL REFERENCES units (id),
        -- the policy that decided the line: a policy made later does not change it
        policy_id uuid REFERENCES return_policies (id),
        reason text NOT NULL,
        condition text NOT NULL,
        requested_resolution text NOT NULL,
        resolution text,
        currency char(3),
        expected_refund numeric(19, 4),
        restocking_fee numeric(19, 4),
        refunded_amount numeric(19, 4),
        inspection_grade text,
        inspected_condition text,
        inspection_note text,
        replacement_unit_id uuid REFERENCES units (id),
        repair_ticket_id uuid REFERENCES repair_tickets (id),
        UNIQUE (return_id, position)
      );
      CREATE INDEX return_lines_unit_idx ON return_lines (unit_id);
      CREATE TABLE return_history (
        id uuid PRIMARY KEY,
        return_id uuid NOT NULL REFERENCES return_authorizations (id),
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_organization_id uuid REFERENCES organizations (id),
        note text
      );
      CREATE INDEX return_history_return_idx ON return_history (return_id, id);

      -- a repair opened by a return knows its return line
      ALTER TABLE repair_tickets ADD COLUMN return_line_id uuid REFERENCES return_lines (id);
      -- an exchange for another reason than DEFECTIVE links the units without carrying coverage over
      ALTER TABLE units ADD COLUMN carry_over boolean NOT NULL DEFAULT true;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE units DROP COLUMN carry_over;
      ALTER TABLE repair_tickets DROP COLUMN return_line_id;
      DROP TABLE return_history;
      DROP TABLE return_lines;
      DROP TABLE return_authorizations;
      DROP SEQUENCE return_number_seq;
      DROP TABLE return_policies;
    `);
  }
}
