import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.setup.js';
import { loadConfig } from '../src/config/config.js';
import { markReadScope, readQuery } from '../src/database/read-routing.js';
import { UnitEntity } from '../src/units/unit.entity.js';
import {
  assertSuccess,
  createProduct,
  createTenant,
  gql,
  registerUnit,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { createPostgresDatabase } from './support/postgres-database.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { PLATFORM_KEY, type TestApp } from './support/test-app.js';

/**
 * Reads against a real streaming replica (.ci/replica.sh makes one beside the local PostgreSQL and
 * .ci/run exports TEST_REPLICA_URL). Routing is proven by pausing the replica's replay: a read that
 * does not see a committed write came from the replica; one that sees it came from the primary.
 */
const PRIMARY_URL = process.env.TEST_DATABASE_URL;
const REPLICA_URL = process.env.TEST_REPLICA_URL;
const withReplica = PRIMARY_URL && REPLICA_URL ? describe : describe.skip;
if (!PRIMARY_URL || !REPLICA_URL) {
  console.warn(
    'read-replicas.e2e-spec: skipped, TEST_DATABASE_URL and TEST_REPLICA_URL are needed (see .ci/replica.sh)',
  );
}

/** The bound of the app that shows the lag rule; the others' bound is long, so a loaded machine never trips it. */
const MAX_LAG_MS = 3000;
const ROUTING_MAX_LAG_MS = 60_000;
const COVERAGE = `query($query: CoverageQuery!) { warrantyCoverage(query: $query) { serialNumber covered reasons } }`;

/** The same database name on another server. */
function onServer(serverUrl: string, databaseUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startApp(databaseUrl: string, replicaUrls: string, maxLagMs = ROUTING_MAX_LAG_MS): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AFTERCARE_ADMIN_KEY: PLATFORM_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    JOBS_POLL_MS: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_REPLICA_URLS: replicaUrls,
    REPLICA_MAX_LAG_MS: String(maxLagMs),
  });
  const app = await createApp(config);
  await app.getHttpAdapter().getInstance().ready();
  return { app, config, http: request(app.getHttpServer()), close: () => app.close() };
}

interface ReplicaState {
  state: string;
  lagMs: number | null;
  reads: number;
}

async function replicaState(t: TestApp): Promise<ReplicaState & { primaryFallbacks: number }> {
  const res = await t.http.get('/health/ready');
  expect(res.status).toBe(200);
  return { ...res.body.replicas[0], primaryFallbacks: res.body.primaryFallbacks };
}

/** Waits until the app's replica has replayed everything committed before this call. */
async function caughtUp(t: TestApp): Promise<void> {
  const since = Date.now();
  await waitFor('the replica to catch up', async () => {
    const { state, lagMs } = await replicaState(t);
    return state === 'ok' && lagMs !== null && lagMs < Date.now() - since ? true : undefined;
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `work` as the reads of a REST GET under /api/v1 would run (see markReadScope). */
function asReadOnlyRequest<T>(work: () => Promise<T>): Promise<T> {
  const req = { method: 'GET', url: '/api/v1/units', caller: null } as unknown as FastifyRequest;
  return new Promise<T>((resolve, reject) => {
    markReadScope(req, { raw: new EventEmitter() } as unknown as FastifyReply, () => void work().then(resolve, reject));
  });
}

withReplica('read replicas (DATABASE_REPLICA_URLS) against a streaming replica', () => {
  let replica: pg.Client;
  let database: { url: string; drop: () => Promise<void> };
  let replicaUrl: string;
  let t: TestApp;
  const others: TestApp[] = [];
  let maker: Tenant;
  let seller: Tenant;
  let stranger: Tenant;
  let product: { id: string };

  const pauseReplay = async () => {
    await replica.query('SELECT pg_wal_replay_pause()');
    await waitFor('replay to pause', async () => {
      const { rows } = await replica.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state');
      return rows[0].state === 'paused' ? true : undefined;
    });
  };
  const resumeReplay = () => replica.query('SELECT pg_wal_replay_resume()');

  const register = async (key: string) => {
    const serialNumber = uniqueSerial();
    const unit = assertSuccess(
      await registerUnit(t, key, { productId: product.id, serialNumber, purchaseDate: '2026-01-15' }),
      'Unit',
    );
    return { serialNumber, id: unit.id as string };
  };
  /** Whether a coverage check finds the unit (an unknown serial number is UNIT_NOT_FOUND, not a 404). */
  const finds = async (key: string, serial: string, app = t) => {
    const res = await rest(app, key).get(`/coverage?serialNumber=${serial}`);
    expect(res.status).toBe(200);
    return !res.body.reasons.includes('UNIT_NOT_FOUND');
  };
  const findsOverGraphql = async (key: string, serialNumber: string, app = t) => {
    const res = await gql(app, key, COVERAGE, { query: { serialNumber } });
    expect(res.errors).toBeUndefined();
    return !res.data.warrantyCoverage.reasons.includes('UNIT_NOT_FOUND');
  };
  /** Whether the units list, filtered by serial number, shows the unit. */
  const listed = async (key: string, serialNumber: string) => {
    const res = await rest(t, key).get(`/units?serialNumber=${serialNumber}`);
    expect(res.status).toBe(200);
    return res.body.totalCount === 1;
  };
  const productCount = async (key: string) => {
    const res = await rest(t, key).get('/products');
    expect(res.status).toBe(200);
    return res.body.totalCount as number;
  };

  beforeAll(async () => {
    replica = new pg.Client({ connectionString: REPLICA_URL });
    await replica.connect();
    await resumeReplay(); // an earlier run that died may have left it paused
    database = await createPostgresDatabase(PRIMARY_URL!, 'aftercare_replicas');
    replicaUrl = onServer(REPLICA_URL!, database.url);
    await waitFor('the new database on the replica', async () => {
      const client = new pg.Client({ connectionString: replicaUrl });
      return client.connect().then(
        () => client.end().then(() => true),
        () => undefined,
      );
    });
    t = await startApp(database.url, replicaUrl);
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    stranger = await createTenant(t, 'RETAILER');
    product = await createProduct(t, maker.staff);
    await caughtUp(t);
  });

  afterAll(async () => {
    await replica?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await replica?.end();
    for (const app of [t, ...others]) await app?.close();
    await database?.drop();
  });

  it('reports the replica in the readiness details and the metrics', async () => {
    expect(await replicaState(t)).toMatchObject({ state: 'ok', lagMs: expect.any(Number) });
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toContain('aftercare_db_replica_serving{replica="1"} 1');
    expect(metrics.text).toMatch(/aftercare_db_replica_lag_seconds\{replica="1"\} [\d.]+/);
  });

  it('serves another caller from the replica and the writer its own write from the primary', async () => {
    await caughtUp(t);
    const productsBefore = await productCount(stranger.readonly);
    await pauseReplay();
    try {
      const { serialNumber } = await register(seller.staff);
      await createProduct(t, maker.staff);
      // the replica has not replayed the registration: another caller does not see it yet
      expect(await finds(stranger.readonly, serialNumber)).toBe(false);
      expect(await findsOverGraphql(stranger.readonly, serialNumber)).toBe(false);
      const batch = await rest(t, stranger.readonly).post('/coverage:batch', { queries: [{ serialNumber }] });
      expect(batch.body[0].reasons).toContain('UNIT_NOT_FOUND');
      expect(await productCount(stranger.readonly)).toBe(productsBefore);
      // another key of the seller has written nothing: its units list comes from the replica too
      expect(await listed(seller.readonly, serialNumber)).toBe(false);
      // the writer reads its own write, over REST and GraphQL
      expect(await finds(seller.staff, serialNumber)).toBe(true);
      expect(await findsOverGraphql(seller.staff, serialNumber)).toBe(true);
      expect(await productCount(maker.staff)).toBe(productsBefore + 1);
      expect(await listed(seller.staff, serialNumber)).toBe(true);
      expect((await replicaState(t)).reads).toBeGreaterThan(0);
    } finally {
      await resumeReplay();
    }
    await waitFor('the replica to replay the new product', async () =>
      (await productCount(stranger.readonly)) === productsBefore + 1 ? true : undefined,
    );
  });

  it(`skips a replica lagging more than REPLICA_MAX_LAG_MS (${MAX_LAG_MS} ms)`, async () => {
    const strict = await startApp(database.url, replicaUrl, MAX_LAG_MS);
    others.push(strict);
    await caughtUp(strict);
    await pauseReplay();
    try {
      const { serialNumber } = await register(seller.staff);
      await waitFor('the replica to count as lagging', async () =>
        (await replicaState(strict)).state === 'lagging' ? true : undefined,
      );
      const fallbacks = (await replicaState(strict)).primaryFallbacks;
      expect(await finds(stranger.readonly, serialNumber, strict)).toBe(true);
      expect(await findsOverGraphql(stranger.readonly, serialNumber, strict)).toBe(true);
      expect((await replicaState(strict)).primaryFallbacks).toBeGreaterThan(fallbacks);
      // the app with the long bound still reads the paused replica
      expect(await finds(stranger.readonly, serialNumber)).toBe(false);
    } finally {
      await resumeReplay();
    }
    await caughtUp(t);
  });

  it('reads the primary inside a transaction and never writes to the replica, even in a read-only request', async () => {
    await caughtUp(t);
    const db = t.app.get(DataSource);
    await pauseReplay();
    try {
      const { serialNumber, id } = await register(seller.staff);
      const counts = await asReadOnlyRequest(async () => ({
        builder: await db.getRepository(UnitEntity).countBy({ serialNumber }),
        raw: await readQuery<{ n: number }[]>(db.manager, 'SELECT count(*)::int AS n FROM units WHERE id = $1', [id]),
        inTransaction: await db.transaction((em) => em.getRepository(UnitEntity).countBy({ serialNumber })),
        rawInTransaction: await db.transaction((em) =>
          readQuery<{ n: number }[]>(em, 'SELECT count(*)::int AS n FROM units WHERE id = $1', [id]),
        ),
        // a replica refuses any write ("read-only transaction"): this one goes to the primary
        updated: (
          await db
            .createQueryBuilder()
            .update(UnitEntity)
            .set({ version: () => 'version' })
            .where('id = :id', { id })
            .execute()
        ).affected,
      }));
      expect(counts).toEqual({
        builder: 0,
        raw: [{ n: 0 }],
        inTransaction: 1,
        rawInTransaction: [{ n: 1 }],
        updated: 1,
      });
      // another key of the seller (no write of its own) changes the unit: the mutation reads and writes the primary
      const transfer = await gql(
        t,
        seller.admin,
        `mutation($input: TransferOwnershipInput!) { transferOwnership(input: $input) { __typename } }`,
        { input: { unitId: id, newOwner: { name: 'Grace Hopper', email: 'grace@example.com' } } },
      );
      expect(transfer.data?.transferOwnership.__typename).toBe('Unit');
    } finally {
      await resumeReplay();
    }
  });

  it('runs on the primary a write that went down a read path (the replica refuses it): no error to the caller', async () => {
    await caughtUp(t);
    const { id } = await register(seller.staff);
    await caughtUp(t);
    const db = t.app.get(DataSource);
    const updated = await asReadOnlyRequest(() =>
      readQuery<unknown[]>(db.manager, 'UPDATE units SET version = version WHERE id = $1 RETURNING id', [id]),
    );
    expect(updated).toEqual([[{ id }], 1]); // TypeORM answers an UPDATE with its rows and count
    expect((await replicaState(t)).state).toBe('ok'); // a refused write is no sign of a replica down
  });

  it('answers reads in flight from the primary, within seconds, when a serving replica hangs', async () => {
    const { serialNumber } = await register(seller.staff);
    const viaProxy = await TcpProxy.start({
      host: new URL(REPLICA_URL!).hostname,
      port: Number(new URL(REPLICA_URL!).port),
    });
    try {
      const hung = await startApp(database.url, viaProxy.urlFor(onServer(REPLICA_URL!, database.url)));
      others.push(hung);
      await caughtUp(hung);
      // open several replica connections, left idle in its pool
      await Promise.all([1, 2, 3, 4].map(() => finds(stranger.readonly, serialNumber, hung)));
      const readsBefore = (await replicaState(hung)).reads;
      expect(readsBefore).toBeGreaterThan(0);

      viaProxy.freeze(); // the replica accepts connections and never answers again
      const started = Date.now();
      const answers = await Promise.all([
        ...[1, 2, 3].map(() => finds(stranger.readonly, serialNumber, hung)),
        ...[1, 2, 3].map(() => findsOverGraphql(stranger.readonly, serialNumber, hung)),
      ]);
      expect(answers).toEqual([true, true, true, true, true, true]);
      expect(Date.now() - started).toBeLessThan(5000); // not the 16 s of the query timeout
      expect((await replicaState(hung)).state).toBe('down');
    } finally {
      await viaProxy.close();
    }
  });

  it('falls back to the primary, with no error to the caller, when a replica does not answer', async () => {
    const { serialNumber } = await register(seller.staff);
    const closed = await startApp(database.url, `postgres://postgres@127.0.0.1:${await closedPort()}/unused`);
    others.push(closed);
    const viaProxy = await TcpProxy.start({
      host: new URL(REPLICA_URL!).hostname,
      port: Number(new URL(REPLICA_URL!).port),
    });
    const proxied = await startApp(database.url, viaProxy.urlFor(onServer(REPLICA_URL!, database.url)));
    others.push(proxied);
    await caughtUp(proxied);
    expect(await finds(stranger.readonly, serialNumber, proxied)).toBe(true);
    expect((await replicaState(proxied)).reads).toBeGreaterThan(0);

    await viaProxy.close(); // the replica goes away between two samples
    for (const app of [closed, proxied]) {
      for (let i = 0; i < 5; i++) {
        expect(await finds(stranger.readonly, serialNumber, app)).toBe(true);
        expect(await findsOverGraphql(stranger.readonly, serialNumber, app)).toBe(true);
      }
      await waitFor('the replica to count as down', async () =>
        (await replicaState(app)).state === 'down' ? true : undefined,
      );
      expect((await app.http.get('/metrics')).text).toContain('aftercare_db_replica_serving{replica="1"} 0');
    }
  });
});
