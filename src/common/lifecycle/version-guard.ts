import type { EntityManager } from 'typeorm';
import { RollbackWithResult, VersionConflictError } from '../errors/error-results.js';

/** Tables whose rows carry a version column. A fixed list, so the name is never user input. */
export type VersionedTable =
  | 'units'
  | 'warranty_claims'
  | 'repair_tickets'
  | 'return_authorizations'
  | 'upgrade_requests'
  | 'webhook_endpoints'
  | 'outreach_journeys';

/**
 * Optimistic concurrency done right: TypeORM's @VersionColumn does not guard updates, so this
 * increments the version only where it still is the expected one. The row stays locked until
 * the transaction ends, so a concurrent writer with the same version waits, then finds it stale.
 * With no expected version the bump still serializes writers. Returns the new version.
 */
export async function bumpVersion(
  em: EntityManager,
  table: VersionedTable,
  id: string,
  expectedVersion?: number | null,
): Promise<number> {
  const [rows] = await em.query(
    `UPDATE ${table} SET version = version + 1, updated_at = now()
      WHERE id = $1 AND ($2::int IS NULL OR version = $2::int)
      RETURNING version`,
    [id, expectedVersion ?? null],
  );
  if (rows.length === 1) return rows[0].version;
  const current: { version: number }[] = await em.query(`SELECT version FROM ${table} WHERE id = $1`, [id]);
  throw new RollbackWithResult(new VersionConflictError(current[0]?.version ?? 0));
}
