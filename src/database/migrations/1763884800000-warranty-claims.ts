import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Warranty claims and their status history. */
export class WarrantyClaims1763884800000 implements MigrationInterface {
  name = 'WarrantyClaims1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE SEQUENCE warranty_claim_number_seq;
      CREATE TABLE warranty_claims (
        id uuid PRIMARY KEY,
        number text NOT NULL UNIQUE,
        unit_id uuid NOT NULL REFERENCES units (id),
        claimant_id uuid NOT NULL REFERENCES organizations (id),
        manufacturer_id uuid NOT NULL REFERENCES organizations (id),
        status text NOT NULL CHECK (status IN ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'PAID', 'CANCELLED')),
        failure_category text NOT NULL,
        failure_date date NOT NULL,
        description text NOT NULL,
        lines jsonb NOT NULL,
        currency char(3) NOT NULL,
        requested_total numeric(19, 4) NOT NULL,
        approved_total numeric(19, 4),
        coverage jsonb,
        coverage_key text,
        flags text[] NOT NULL DEFAULT '{}',
        repair_ticket_id uuid,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX warranty_claims_manufacturer_idx ON warranty_claims (manufacturer_id, id);
      CREATE INDEX warranty_claims_claimant_idx ON warranty_claims (claimant_id, id);
      CREATE INDEX warranty_claims_unit_idx ON warranty_claims (unit_id, failure_category);
      CREATE TABLE warranty_claim_history (
        id uuid PRIMARY KEY,
        claim_id uuid NOT NULL REFERENCES warranty_claims (id),
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_organization_id uuid NOT NULL REFERENCES organizations (id),
        reason_code text,
        note text,
        data jsonb
      );
      CREATE INDEX warranty_claim_history_claim_idx ON warranty_claim_history (claim_id, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE warranty_claim_history; DROP TABLE warranty_claims; DROP SEQUENCE warranty_claim_number_seq;`,
    );
  }
}
