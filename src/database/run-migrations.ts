import pg from 'pg';
import type { DataSource, Migration } from 'typeorm';
import type { AppConfig } from '../config/config.js';

/**
 * The advisory lock key migrations hold: distinct from the platform bootstrap's (7240001).
 * Advisory locks belong to one database, so databases on one server do not wait for each other.
 */
export const MIGRATIONS_LOCK_KEY = 7240002;

/**
 * Applies pending migrations, one transaction each. On PostgreSQL the whole run holds an
 * advisory lock on a connection of its own, in a transaction left open until the run ends (a
 * transaction, not the session, holds it, so PgBouncer in transaction mode keeps it on one
 * server connection and it cannot outlive the run there): replicas starting together on an empty
 * database take turns (without it, two create the migrations table at once and one fails on
 * pg_type's unique index), and the later ones find nothing left to apply. The lock's connection is
 * outside the pool, so a pool of one connection still has that one for the migrations; if this
 * process dies, PostgreSQL ends the session and frees the lock. The embedded database needs no
 * lock: only one process opens it (the DATA_DIR lock file).
 */
export async function runPendingMigrations(
  dataSource: DataSource,
  config: Pick<AppConfig, 'databaseUrl' | 'db'>,
): Promise<Migration[]> {
  if (!config.databaseUrl) return dataSource.runMigrations({ transaction: 'each' });
  const lockClient = new pg.Client({
    connectionString: config.databaseUrl,
    connectionTimeoutMillis: config.db.connectTimeoutMs,
    application_name: 'aftercare-migrations',
  });
  // a lost connection frees the lock; the migrations themselves run on the pool and report their own errors
  lockClient.on('error', () => undefined);
  await lockClient.connect();
  try {
    await lockClient.query('BEGIN');
    await lockClient.query('SELECT pg_advisory_xact_lock($1)', [MIGRATIONS_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    // closing the session releases the lock too; ending the transaction first frees the next replica at once
    await lockClient.query('COMMIT').catch(() => undefined);
    await lockClient.end().catch(() => undefined);
  }
}
