import type { DataSource, EntityManager } from 'typeorm';
import { RollbackWithResult, type ErrorResult } from '../errors/error-results.js';

/**
 * Runs one mutation's writes in one transaction. A business failure found half-way is thrown as
 * RollbackWithResult: everything is rolled back and the ErrorResult is returned to the caller.
 */
export async function inTransaction<T>(
  db: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T | ErrorResult> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (error instanceof RollbackWithResult) return error.result;
    throw error;
  }
}

/** PostgreSQL's unique_violation, with the constraint that was hit. */
export function uniqueViolation(error: unknown): string | null {
  const driverError =
    (error as { driverError?: { code?: string; constraint?: string } })?.driverError ??
    (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' ? (driverError.constraint ?? '') : null;
}
