import { RateLimiter } from '../src/common/http/rate-limit.js';
import { createTenant, gql, rest, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('rate limiting per API key', () => {
  let t: TestApp;
  let first: Tenant;
  let second: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '20' });
    first = await createTenant(t, 'RETAILER');
    second = await createTenant(t, 'RETAILER');
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
      expect(gqlRefused.status).toBe(429);
      expect(gqlRefused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } else {
      // a new minute began during the loop: the key was counted afresh, which is the other half of the rule
      expect(restRefused.status).toBe(200);
    }
    expect((await rest(t, second.readonly).get('/me')).status).toBe(200);
    expect((await t.http.get('/health/live')).status).toBe(200);
  });
});
