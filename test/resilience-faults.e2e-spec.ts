import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  assertSuccess,
  createProduct,
  createTenant,
  registerUnit,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TcpProxy } from './support/tcp-proxy.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const describeWithPostgres = pgUrl ? describe : describe.skip;
if (!pgUrl) process.stdout.write('resilience-faults: skipped, these tests need PostgreSQL (TEST_DATABASE_URL)\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Tight timeouts for the test: the pool wait and the query timeout bound every answer.
const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 1500;
const QUERY_TIMEOUT_MS = 2000;
/** The longest a request may take while the database is frozen: a pool wait, one unanswered query, and slack. */
const FROZEN_ANSWER_BOUND_MS = CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 1500;
const WORKERS = 6;

type Phase = 'normal' | 'killed' | 'frozen' | 'recovering';

interface Outcome {
  phase: Phase;
  what: 'register' | 'read' | 'graphql';
  startedAt: number;
  ms: number;
  status: number;
  retryAfter?: string;
  key?: string;
  serialNumber?: string;
  unitId?: string;
}

/**
 * Finding 5: a database that drops its connections or stops answering is failed fast. Under a
 * bounded concurrent load through a TCP proxy, the connections are killed and then frozen: no
 * answer is a 500, failures are 503 with Retry-After within the timeouts, the server recovers
 * within 2 s of the database answering again, and nothing is half-written.
 */
describeWithPostgres('a database that drops connections, then freezes', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let direct: pg.Client;
  let maker: Tenant;
  let productId: string;
  let knownUnitId: string;

  beforeAll(async () => {
    const target = new URL(pgUrl!);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    let databaseUrl = '';
    t = await startTestApp(
      {
        DB_POOL_MAX: '4',
        DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
        IDEMPOTENCY_LEASE_SECONDS: '3',
        JOBS_POLL_MS: '0',
      },
      {
        databaseUrl: (url) => {
          databaseUrl = url;
          return proxy.urlFor(url);
        },
      },
    );
    // the checks at the end read the database directly, not through the proxy
    direct = new pg.Client({ connectionString: databaseUrl });
    await direct.connect();
    maker = await createTenant(t, 'MANUFACTURER');
    productId = (await createProduct(t, maker.staff)).id;
    knownUnitId = assertSuccess(
      await registerUnit(t, maker.staff, { productId, serialNumber: uniqueSerial(), purchaseDate: '2026-02-01' }),
      'Unit',
    ).id;
  });
  afterAll(async () => {
    await direct?.end();
    await t?.close();
    await proxy?.close();
  });

  let phase: Phase = 'normal';
  let running = true;
  const outcomes: Outcome[] = [];

  async function measure(
    what: Outcome['what'],
    send: () => Promise<{ status: number; headers: Record<string, string>; body: any }>,
    extra: Partial<Outcome> = {},
  ) {
    const startedAt = Date.now();
    const startPhase = phase;
    const res = await send();
    outcomes.push({
      phase: startPhase,
      what,
      startedAt,
      ms: Date.now() - startedAt,
      status: res.status,
      retryAfter: res.headers['retry-after'],
      unitId: res.body?.id,
      ...extra,
    });
  }

  async function worker(n: number) {
    for (let i = 0; running; i++) {
      const kind = (i + n) % 3;
      if (kind === 0) {
        const key = `load-${randomUUID()}`;
        const serialNumber = uniqueSerial();
        await measure(
          'register',
          () =>
            rest(t, maker.staff)
              .post('/units', { productId, serialNumber, purchaseDate: '2026-02-01' })
              .set('Idempotency-Key', key),
          { key, serialNumber },
        );
      } else if (kind === 1) {
        await measure('read', () => rest(t, maker.staff).get(`/units/${knownUnitId}`));
      } else {
        await measure('graphql', () =>
          t.http.post('/graphql').set('authorization', `Bearer ${maker.readonly}`).send({ query: '{ me { role } }' }),
        );
      }
    }
  }

  it('answers 503 with Retry-After within the timeouts, never 500, recovers within 2 s, and writes nothing by halves', async () => {
    const load = Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
    await sleep(700);

    phase = 'killed';
    for (let i = 0; i < 4; i++) {
      proxy.killConnections();
      await sleep(400);
    }

    phase = 'frozen';
    proxy.freeze();
    const readiness: { ms: number; status: number }[] = [];
    const frozenUntil = Date.now() + 4500;
    while (Date.now() < frozenUntil) {
      const started = Date.now();
      const res = await t.http.get('/health/ready');
      readiness.push({ ms: Date.now() - started, status: res.status });
      await sleep(300);
    }

    phase = 'recovering';
    proxy.thaw();
    const thawedAt = Date.now();
    await sleep(3000);
    running = false;
    await load;

    const bad = outcomes.filter((o) => !(o.status >= 200 && o.status < 300) && !(o.status === 503 && o.retryAfter));
    expect(bad).toEqual([]);
    const frozen = outcomes.filter((o) => o.phase === 'frozen');
    expect(frozen.length).toBeGreaterThan(WORKERS);
    expect(frozen.filter((o) => o.status === 503).length).toBeGreaterThan(0);
    expect(frozen.filter((o) => o.ms > FROZEN_ANSWER_BOUND_MS)).toEqual([]);
    expect(readiness.length).toBeGreaterThan(3);
    expect(readiness.filter((r) => r.ms >= 2000)).toEqual([]);
    expect(readiness.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    // every request started from 2 s after the database came back succeeded, and there were some
    const recovered = outcomes.filter((o) => o.startedAt >= thawedAt + 2000);
    expect(recovered.length).toBeGreaterThan(WORKERS);
    expect(recovered.filter((o) => o.status !== 200 && o.status !== 201)).toEqual([]);
    expect((await t.http.get('/health/ready')).status).toBe(200);

    // nothing half-written: every unit has its history entry and its event, every 2xx is stored
    const [{ orphans }] = (
      await direct.query(
        `SELECT count(*)::int AS orphans FROM units u WHERE u.manufacturer_id = $1 AND (
         NOT EXISTS (SELECT 1 FROM unit_events e WHERE e.unit_id = u.id AND e.type = 'REGISTERED')
         OR NOT EXISTS (SELECT 1 FROM outbox_events o WHERE o.aggregate_id = u.id AND o.event_type = 'UnitRegistered'))`,
        [maker.id],
      )
    ).rows;
    expect(orphans).toBe(0);
    const acknowledged = outcomes.filter((o) => o.what === 'register' && o.status === 201).map((o) => o.unitId!);
    const stored = (
      await direct.query(`SELECT count(*)::int AS n FROM units WHERE id = ANY($1::uuid[])`, [acknowledged])
    ).rows[0].n;
    expect(stored).toBe(acknowledged.length);

    // every registration refused with a 503, sent again with its key, ends with its unit stored exactly once
    const refused = outcomes.filter((o) => o.what === 'register' && o.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      let res;
      for (let attempt = 0; attempt < 40; attempt++) {
        res = await rest(t, maker.staff)
          .post('/units', { productId, serialNumber: o.serialNumber, purchaseDate: '2026-02-01' })
          .set('Idempotency-Key', o.key!);
        if (res.body?.errorCode !== 'IDEMPOTENT_REQUEST_IN_PROGRESS') break;
        await sleep(250);
      }
      expect([201, 409]).toContain(res!.status);
      if (res!.status === 409) expect(res!.body.errorCode).toBe('IDEMPOTENT_ANSWER_LOST');
    }
    const serials = outcomes.filter((o) => o.what === 'register').map((o) => o.serialNumber!);
    const counts = (
      await direct.query(
        `SELECT s.serial, count(u.id)::int AS n FROM unnest($1::text[]) AS s(serial) LEFT JOIN units u ON u.serial_number = s.serial AND u.manufacturer_id = $2 GROUP BY s.serial`,
        [serials, maker.id],
      )
    ).rows;
    expect(counts.filter((c: { n: number }) => c.n !== 1)).toEqual([]);
    // the GraphQL clients got the same 503s
    expect(outcomes.some((o) => o.what === 'graphql' && o.status === 503)).toBe(true);
  });
});
