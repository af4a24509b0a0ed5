import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a customer's units (issue 11): indexes on the owner's normalized email and phone, and a
 * prefix-capable one on the lower-cased name, so the owner filters of `units` stay index look-ups
 * at a million units. The expressions are those of src/units/unit-owner-search.ts, character for
 * character (PostgreSQL uses an expression index only for the same expression).
 */
export class OwnerSearchIndexes1764489600000 implements MigrationInterface {
  name = 'OwnerSearchIndexes1764489600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX units_owner_email_idx ON units ((lower(owner ->> 'email')));
      CREATE INDEX units_owner_phone_idx ON units ((regexp_replace(owner ->> 'phone', '[^0-9]', '', 'g')));
      CREATE INDEX units_owner_name_idx ON units ((lower(owner ->> 'name')) text_pattern_ops);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX units_owner_name_idx;
      DROP INDEX units_owner_phone_idx;
      DROP INDEX units_owner_email_idx;
    `);
  }
}
