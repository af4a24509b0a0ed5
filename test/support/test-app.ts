import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.setup.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { startMemoryDatabasesFrom } from '../../src/database/pglite-pool.js';
import { migratedSnapshot } from './pglite-snapshot.js';
import { createPostgresDatabase } from './postgres-database.js';

export const PLATFORM_KEY = 'ac_test_platform_operator_key_0123456789';

/** A fresh database for one test file: a new PostgreSQL database, or an in-memory PGlite. */
export async function freshDatabase(): Promise<{ url?: string; dataDir: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    // from the migrated snapshot: no initdb, no migrations to apply at start
    startMemoryDatabasesFrom(await migratedSnapshot());
    return { dataDir: `memory://${randomBytes(6).toString('hex')}`, drop: async () => {} };
  }
  const database = await createPostgresDatabase(base, 'aftercare_test');
  return { url: database.url, dataDir: './data-unused', drop: database.drop };
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** Every app this test file started: close() is idempotent, so the safety net below may call it again. */
const started = new Set<Promise<TestApp>>();

// A file whose hook timed out while its app was still starting never closes that app, and its
// timers and database would keep the jest worker from exiting: whatever is left is closed here,
// after the file's tests.
afterAll(async () => {
  for (const starting of started) await (await starting.catch(() => undefined))?.close();
});

/** `databaseUrl` rewrites the fresh database's URL the server uses (fault tests put a proxy in between). */
export function startTestApp(
  env: Record<string, string> = {},
  options: { databaseUrl?: (url: string) => string } = {},
): Promise<TestApp> {
  const starting = openTestApp(env, options);
  started.add(starting);
  return starting;
}

async function openTestApp(
  env: Record<string, string>,
  options: { databaseUrl?: (url: string) => string },
): Promise<TestApp> {
  const db = await freshDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AFTERCARE_ADMIN_KEY: PLATFORM_KEY,
    // suites make thousands of calls with a few keys; the rate-limit suite turns the limit on
    RATE_LIMIT_PER_MINUTE: '0',
    DATA_DIR: db.dataDir,
    ...(db.url ? { DATABASE_URL: options.databaseUrl?.(db.url) ?? db.url } : {}),
    ...env,
  });
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await db.drop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    close: () => (closing ??= app.close().then(() => db.drop())),
  };
}
