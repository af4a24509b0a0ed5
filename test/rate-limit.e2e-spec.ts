import { RateLimiter, rateLimitField, rateLimitPolicyField } from '../src/common/http/rate-limit.js';
import { createTenant, gql, rest, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('rate limiting per API key', () => {
  let t: TestApp;
  let first: Tenant;
  let second: Tenant;
  let third: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '20' });
    first = await createTenant(t, 'RETAILER');
    second = await createTenant(t, 'RETAILER');
    third = await createTenant(t, 'RETAILER');
  });
  afterAll(async () => {
    await t.close();
  });

  it('the limiter refuses the request after the limit in one minute, and counts again in the next minute', () => {
    let now = 120_000;
    const limiter = new RateLimiter(3, () => now);
    expect([limiter.take('k'), limiter.take('k'), limiter.take('k')]).toEqual([0, 0, 0]);
    expect(limiter.take('k')).toBe(60);
    now += 30_000;
    expect(limiter.take('k')).toBe(30);
    expect(limiter.take('other')).toBe(0);
    now += 30_000;
    expect(limiter.take('k')).toBe(0);
    limiter.sweep();
    expect(limiter.take('other')).toBe(0);
  });

  it('consume says how many requests are left in the window and when it ends', () => {
    let now = 120_000 + 18_000;
    const limiter = new RateLimiter(2, () => now);
    expect(limiter.consume('k')).toEqual({ remaining: 1, resetSeconds: 42, retryAfter: 0 });
    now += 500;
    expect(limiter.consume('k')).toEqual({ remaining: 0, resetSeconds: 42, retryAfter: 0 });
    expect(limiter.consume('k')).toEqual({ remaining: 0, resetSeconds: 42, retryAfter: 42 });
    now = 180_000;
    expect(limiter.consume('k')).toEqual({ remaining: 1, resetSeconds: 60, retryAfter: 0 });
  });

  it('the fields follow the IETF draft: a policy of 20 requests in 60 s, and what is left of it', () => {
    expect(rateLimitPolicyField(20)).toBe('"default";q=20;w=60');
    expect(rateLimitField(7, 42)).toBe('"default";r=7;t=42');
  });

  it('every counted answer carries RateLimit-Policy and RateLimit, over REST and GraphQL, successes and refusals alike', async () => {
    const key = third.readonly;
    const answers = [
      await rest(t, key).get('/me'),
      await rest(t, key).get('/units/not-a-uuid'),
      await rest(t, key).get('/no-such-route'),
      await t.http
        .post('/api/v1/products')
        .set('authorization', `Bearer ${key}`)
        .set('content-type', 'text/plain')
        .send('x'),
      await gql(t, key, '{ me { role } }'),
      await gql(t, key, '{ unit(id: "01a20276-bf94-7380-82ea-d9d4c6aa887b") { id } }'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 400, 404, 415, 200, 200]);
    const left: number[] = [];
    for (const answer of answers) {
      expect(answer.headers['ratelimit-policy']).toBe('"default";q=20;w=60');
      const [, r, seconds] = /^"default";r=(\d+);t=(\d+)$/.exec(answer.headers.ratelimit) ?? [];
      expect(Number(seconds)).toBeGreaterThanOrEqual(1);
      expect(Number(seconds)).toBeLessThanOrEqual(60);
      left.push(Number(r));
    }
    // one fewer left per call, unless a new minute began in between (at most once in a few quick calls)
    const steps = left.slice(1).map((r, i) => left[i] - r);
    expect(steps.filter((step) => step !== 1).length).toBeLessThanOrEqual(1);
    // a caller without a key is counted (and told) by its address
    const anonymous = await rest(t, null).get('/me');
    expect(anonymous.headers.ratelimit).toMatch(/^"default";r=\d+;t=\d+$/);
  });

  it('over the limit a key gets 429 RATE_LIMITED with Retry-After over REST and GraphQL, while another key and the health checks go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await rest(t, first.readonly).get('/me')).status);
    // the window may roll over mid-loop; at most one roll-over can happen within 20 quick calls
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    const restRefused = await rest(t, first.readonly).get('/me');
    const gqlRefused = await gql(t, first.readonly, '{ me { role } }');
    if (restRefused.status === 429) {
      expect(restRefused.body).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(Number(restRefused.headers['retry-after'])).toBeGreaterThan(0);
      expect(restRefused.headers['x-request-id']).toBe(restRefused.body.correlationId);
      // nothing left, for as long as Retry-After says
      expect(restRefused.headers.ratelimit).toBe(`"default";r=0;t=${restRefused.headers['retry-after']}`);
      expect(gqlRefused.headers.ratelimit).toMatch(/^"default";r=0;t=\d+$/);
      expect(gqlRefused.status).toBe(429);
      expect(gqlRefused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } else {
      // a new minute began during the loop: the key was counted afresh, which is the other half of the rule
      expect(restRefused.status).toBe(200);
    }
    expect((await rest(t, second.readonly).get('/me')).status).toBe(200);
    const health = await t.http.get('/health/live');
    expect(health.status).toBe(200);
    // the health checks are not counted, so they carry no RateLimit fields
    expect(health.headers.ratelimit).toBeUndefined();
    expect(health.headers['ratelimit-policy']).toBeUndefined();
  });
});

describe('rate limiting turned off (RATE_LIMIT_PER_MINUTE=0)', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTenant(t, 'RETAILER');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers carry no RateLimit fields', async () => {
    for (const answer of [
      await rest(t, tenant.readonly).get('/me'),
      await gql(t, tenant.readonly, '{ me { role } }'),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.ratelimit).toBeUndefined();
      expect(answer.headers['ratelimit-policy']).toBeUndefined();
    }
  });
});
