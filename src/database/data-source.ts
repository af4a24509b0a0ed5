import path from 'node:path';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { OutboxCommitSignal } from '../common/events/outbox-signals.js';
import { IdempotencyCommitFence } from '../common/idempotency/commit-fence.js';
import type { AppConfig } from '../config/config.js';
import { MIGRATIONS } from './migrations/index.js';
import { FailFastClient } from './fail-fast-client.js';
import { pglitePoolDriver } from './pglite-pool.js';
import { ENTITIES } from './entities.js';
import { ReadYourWrites } from './read-routing.js';

// Calendar dates stay ISO strings ("2026-11-22"): no time zone can shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** What every PostgreSQL connection pool of the process (the primary's, each replica's) is given beyond its address. */
export function pgPoolOptions(config: AppConfig) {
  return {
    Client: FailFastClient,
    statement_timeout: config.db.statementTimeoutMs,
    query_timeout: config.db.queryTimeoutMs,
    idle_in_transaction_session_timeout: config.db.statementTimeoutMs * 2,
    idleTimeoutMillis: 30_000,
  };
}

/** The data source: PostgreSQL when DATABASE_URL is set, else the embedded PGlite in DATA_DIR. */
export function createDataSource(config: AppConfig): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // every transaction a request with an Idempotency-Key commits marks the key, fenced (see commit-fence.ts)
    // ReadYourWrites: a request's commit keeps its caller's reads on the primary (read-routing.ts)
    // OutboxCommitSignal: a commit that wrote outbox events wakes the relay (outbox-signals.ts)
    subscribers: [IdempotencyCommitFence, ReadYourWrites, OutboxCommitSignal],
    // TypeORM would print failed queries with their parameters (owner data) to the console;
    // failures reach our logs through the error filter, with the request's correlation id
    logging: false,
  };
  if (config.databaseUrl) {
    return new DataSource({
      ...common,
      url: config.databaseUrl,
      poolSize: config.db.poolMax,
      // pg-pool applies this both to opening a connection and to waiting for a free one
      connectTimeoutMS: config.db.connectTimeoutMs,
      applicationName: 'aftercare',
      extra: pgPoolOptions(config),
    } as DataSourceOptions);
  }
  // memory://name keeps the embedded database in memory (tests); anything else is a folder
  const dataDir = config.dataDir.startsWith('memory://') ? config.dataDir : path.resolve(config.dataDir);
  return new DataSource({ ...common, driver: pglitePoolDriver(dataDir) } as DataSourceOptions);
}
