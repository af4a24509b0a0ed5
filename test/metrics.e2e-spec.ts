import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthService } from '../src/common/auth/auth.service.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { DATABASE_READ_TIMEOUT_MS } from '../src/common/metrics/database-metrics.js';
import { gql, rest } from './support/api.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = 'metrics-scraper-token-0123456789abcdef';

/** The sample lines of the exposition whose name and labels start with `prefix`. */
function samples(text: string, prefix: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(prefix));
}

/** The value of the one sample named exactly `series` (name plus labels as printed). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // no background rounds: the jobs and outbox rows this suite writes stay due and unpublished
    t = await startTestApp({ JOBS_POLL_MS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the text format with the process metrics, the pool, the job lag and the outbox backlog', async () => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(samples(res.text, name).length).toBeGreaterThan(0);
    }
    expect(value(res.text, 'aftercare_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(value(res.text, 'aftercare_db_pool_max_connections')).toBe(t.config.databaseUrl ? t.config.db.poolMax : 1);
    expect(value(res.text, 'aftercare_db_pool_waiting_clients')).toBe(0);
    expect(value(res.text, 'aftercare_database_metrics_up')).toBe(1);
    expect(value(res.text, 'aftercare_jobs_due')).toBe(0);
    expect(value(res.text, 'aftercare_jobs_lag_seconds')).toBe(0);
    expect(value(res.text, 'aftercare_outbox_unpublished_events')).toBe(0);
  });

  it('reports due jobs, how long the oldest has waited, and unpublished outbox events', async () => {
    const db = t.app.get(DataSource);
    await db.query(
      `INSERT INTO jobs (id, name, payload, run_at) VALUES ($1, 'metrics-test', '{}', now() - interval '90 seconds'), ($2, 'metrics-test', '{}', now() + interval '1 hour')`,
      [randomUUID(), randomUUID()],
    );
    await db.query(
      `INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, payload, occurred_at) VALUES ('test.happened', 'Test', $1, '{}', now() - interval '40 seconds'), ('test.happened', 'Test', $1, '{}', now())`,
      [randomUUID()],
    );
    const text = (await t.http.get('/metrics')).text;
    expect(value(text, 'aftercare_jobs_due')).toBe(1); // the job due in an hour is not behind
    expect(value(text, 'aftercare_jobs_lag_seconds')).toBeGreaterThanOrEqual(90);
    expect(value(text, 'aftercare_jobs_lag_seconds')).toBeLessThan(200);
    expect(value(text, 'aftercare_outbox_unpublished_events')).toBe(2);
    expect(value(text, 'aftercare_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(40);
    await db.query(`DELETE FROM jobs WHERE name = 'metrics-test'`);
    await db.query(`UPDATE outbox_events SET published_at = now() WHERE event_type = 'test.happened'`);
  });

  it('labels REST requests with the route pattern and status class, never the URL with its ids or the client text', async () => {
    const unitId = randomUUID();
    expect((await rest(t, PLATFORM_KEY).get(`/units/${unitId}`)).status).toBe(404);
    const probe = `no-such-page-${randomUUID()}`;
    expect((await t.http.get(`/${probe}?q=${probe}`)).status).toBe(404);
    const text = (await t.http.get('/metrics')).text;
    expect(
      value(
        text,
        'aftercare_http_request_duration_seconds_count{method="GET",route="/api/v1/units/:id",status_class="4xx"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value(text, 'aftercare_http_request_duration_seconds_count{method="GET",route="(unmatched)",status_class="4xx"}'),
    ).toBeGreaterThanOrEqual(1);
    // a latency histogram: 12 buckets and +Inf
    const buckets = samples(text, 'aftercare_http_request_duration_seconds_bucket{').filter(
      (l) => l.includes('route="/api/v1/units/:id"') && l.includes('status_class="4xx"'),
    );
    expect(buckets).toHaveLength(13);
    expect(text).not.toContain(unitId);
    expect(text).not.toContain(probe);
  });

  it('labels GraphQL operations with their type and root field from the schema, never the operation name the client chose', async () => {
    const secretName = `Client_${randomUUID().replace(/-/g, '')}`;
    expect((await gql(t, PLATFORM_KEY, `query ${secretName} { me { role } }`)).errors).toBeUndefined();
    expect(
      (await gql(t, PLATFORM_KEY, `query { me { role } ...Extra } fragment Extra on Query { upgradePrograms { id } }`))
        .status,
    ).toBe(200);
    await gql(t, PLATFORM_KEY, `mutation { createOrganization(input: { name: "", kind: RETAILER }) { id } }`);
    await gql(t, PLATFORM_KEY, `{ ${secretName} }`); // refused by validation: no such field
    await gql(t, PLATFORM_KEY, `query { me { `); // a syntax error
    const text = (await t.http.get('/metrics')).text;
    expect(
      value(
        text,
        'aftercare_graphql_operation_duration_seconds_count{operation_type="query",root_field="me",outcome="ok"}',
      ),
    ).toBe(1);
    expect(
      samples(text, 'aftercare_graphql_operation_duration_seconds_count{operation_type="query",root_field="multiple"'),
    ).toHaveLength(1);
    expect(
      samples(
        text,
        'aftercare_graphql_operation_duration_seconds_count{operation_type="mutation",root_field="createOrganization"',
      ),
    ).toHaveLength(1);
    expect(
      value(
        text,
        'aftercare_graphql_operation_duration_seconds_count{operation_type="none",root_field="none",outcome="error"}',
      ),
    ).toBe(2);
    expect(
      samples(text, 'aftercare_http_request_duration_seconds_count{method="POST",route="/graphql"'),
    ).not.toHaveLength(0);
    expect(text).not.toContain(secretName);
  });

  it('needs no API key and checks none (a bogus one is not refused), and is not in the OpenAPI document', async () => {
    const auth = t.app.get(AuthService);
    const authenticate = auth.authenticate;
    const looked: unknown[] = [];
    auth.authenticate = (authorization) => {
      looked.push(authorization);
      return authenticate.call(auth, authorization);
    };
    try {
      expect((await t.http.get('/metrics').set('authorization', 'Bearer not-an-api-key')).status).toBe(200);
      expect(looked).toEqual([]);
      await rest(t, PLATFORM_KEY).get('/me'); // the API does look the key up
      expect(looked).toEqual([`Bearer ${PLATFORM_KEY}`]);
    } finally {
      auth.authenticate = authenticate;
    }
    const document = await t.http.get('/api/v1/openapi.json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths).filter((path) => path.includes('metrics'))).toEqual([]);
  });

  it('answers within the timeout with the backlog unknown (NaN) and up 0 while the database does not answer, and recovers', async () => {
    const db = t.app.get(DataSource);
    const blocker = db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    try {
      await blocker.query('LOCK TABLE outbox_events IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await t.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(DATABASE_READ_TIMEOUT_MS + 1000);
      expect(value(res.text, 'aftercare_database_metrics_up')).toBe(0);
      expect(value(res.text, 'aftercare_outbox_unpublished_events')).toBeNaN();
      expect(value(res.text, 'aftercare_jobs_lag_seconds')).toBeNaN();
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
    const after = await t.http.get('/metrics');
    expect(value(after.text, 'aftercare_database_metrics_up')).toBe(1);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a scrape without the token or with another one (401 naming the header), and serves the right one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdefgh', PLATFORM_KEY, TOKEN]) {
      const req = t.http.get('/metrics');
      const res = await (authorization ? req.set('authorization', authorization) : req);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', field: 'authorization' });
    }
    const ok = await t.http.get('/metrics').set('authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('aftercare_http_request_duration_seconds');
  });

  it('is not rate limited: the API refuses the fourth call of the minute (limit 3), the scraper is never refused', async () => {
    const scrapes = await Promise.all(
      Array.from({ length: 6 }, () => t.http.get('/metrics').set('authorization', `Bearer ${TOKEN}`)),
    );
    expect(scrapes.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const api = await Promise.all(Array.from({ length: 4 }, () => t.http.get('/api/v1/openapi.json')));
    expect(api.map((r) => r.status)).toContain(429);
  });
});

describe('METRICS_ENABLED and METRICS_TOKEN in the configuration', () => {
  it('serves /metrics by default outside production, in production only with a token or METRICS_ENABLED=true', () => {
    const base = { AFTERCARE_ADMIN_KEY: PLATFORM_KEY };
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).metrics.enabled).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', METRICS_TOKEN: TOKEN }).metrics).toEqual({
      enabled: true,
      token: TOKEN,
    });
    expect(loadConfig({ ...base, NODE_ENV: 'production', METRICS_ENABLED: 'true' }).metrics.enabled).toBe(true);
    expect(
      loadConfig({ ...base, NODE_ENV: 'development', METRICS_ENABLED: 'false', METRICS_TOKEN: TOKEN }).metrics.enabled,
    ).toBe(false);
  });

  it('refuses a short token and a flag that is not true or false, naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      new ConfigError('METRICS_TOKEN must be at least 24 characters long'),
    );
    expect(() => loadConfig({ METRICS_ENABLED: 'yes' })).toThrow(
      new ConfigError('METRICS_ENABLED must be true or false, got "yes"'),
    );
  });

  it('turned off, /metrics is not served (404) and nothing is measured', async () => {
    const t = await startTestApp({ METRICS_ENABLED: 'false' });
    try {
      expect((await t.http.get('/metrics')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
