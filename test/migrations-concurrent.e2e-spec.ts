import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app.setup.js';
import { loadConfig } from '../src/config/config.js';
import { createDataSource } from '../src/database/data-source.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { MIGRATIONS_LOCK_KEY, runPendingMigrations } from '../src/database/run-migrations.js';
import { PLATFORM_KEY } from './support/test-app.js';
import { createPostgresDatabase } from './support/postgres-database.js';

const base = process.env.TEST_DATABASE_URL;
const names = MIGRATIONS.map((M) => new M().name ?? M.name);

/** An empty PostgreSQL database of its own, dropped by `drop`. */
function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  return createPostgresDatabase(base!, 'aftercare_conc');
}

const configFor = (url: string) =>
  loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AFTERCARE_ADMIN_KEY: PLATFORM_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    JOBS_POLL_MS: '0',
    DATABASE_URL: url,
  });

async function executedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`)).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

// the embedded database has one process at a time (the DATA_DIR lock): replicas need PostgreSQL
(base ? describe : describe.skip)(
  'replicas starting together on an empty PostgreSQL database (issue 11, item 5)',
  () => {
    it('three app instances created at once all start; each migration is applied once; all answer', async () => {
      const db = await emptyDatabase();
      const apps: NestFastifyApplication[] = [];
      try {
        const started = await Promise.allSettled([1, 2, 3].map(() => createApp(configFor(db.url))));
        for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
        expect(started.filter((result) => result.status === 'rejected')).toEqual([]);

        expect(await executedMigrations(db.url)).toEqual(names);
        for (const app of apps) {
          await app.getHttpAdapter().getInstance().ready();
          const ready = await request(app.getHttpServer()).get('/health/ready');
          expect(ready.status).toBe(200);
          const me = await request(app.getHttpServer())
            .post('/graphql')
            .set('authorization', `Bearer ${PLATFORM_KEY}`)
            .send({ query: '{ __typename }' });
          expect(me.body).toEqual({ data: { __typename: 'Query' } });
        }
      } finally {
        await Promise.all(apps.map((app) => app.close()));
        await db.drop();
      }
    }, 180_000);

    it('the migrations wait while another session holds the migrations lock, then find nothing left to do', async () => {
      const db = await emptyDatabase();
      const holder = new pg.Client({ connectionString: db.url });
      let dataSource: DataSource | undefined;
      try {
        const config = configFor(db.url);
        dataSource = createDataSource(config);
        await dataSource.initialize();
        await holder.connect();
        await holder.query('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);

        let finished = false;
        const running = runPendingMigrations(dataSource, config).finally(() => (finished = true));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(finished).toBe(false);
        const tables = await holder.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`);
        expect(tables.rowCount).toBe(0);

        // meanwhile "another replica" migrates, under the lock it holds
        const other = createDataSource(config);
        await other.initialize();
        await other.runMigrations({ transaction: 'each' });
        await other.destroy();
        await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);

        expect(await running).toEqual([]);
        expect(await executedMigrations(db.url)).toEqual(names);
      } finally {
        if (dataSource?.isInitialized) await dataSource.destroy();
        await holder.end().catch(() => undefined);
        await db.drop();
      }
    }, 120_000);
  },
);
