import { nextStep, type DeliveryFacts } from './delivery-outcome.js';

const now = new Date('2026-12-02T10:00:00Z');
const facts = (over: Partial<DeliveryFacts> & { status?: number | null; retryAfter?: string }): DeliveryFacts => ({
  outcome: {
    responseStatus: over.status === undefined ? 500 : over.status,
    durationMs: 5,
    error: 'x',
    retryAfter: over.retryAfter,
  },
  scheduledRetries: 0,
  schedule: [1000, 60_000],
  now,
  failingSince: null,
  disableAfterMs: 120 * 3_600_000,
  random: 0.5,
  ...over,
});
const at = (ms: number) => new Date(now.getTime() + ms);

describe('what an attempt does to its delivery', () => {
  it('succeeds on any 2xx and ends the failing streak', () => {
    for (const status of [200, 202, 204, 299]) {
      expect(nextStep(facts({ status }))).toMatchObject({
        status: 'SUCCEEDED',
        nextAttemptAt: null,
        endpointSucceeded: true,
      });
    }
  });

  it('retries a 500, a 3xx, a timeout on the schedule, then fails', () => {
    expect(nextStep(facts({ status: 500 }))).toMatchObject({
      status: 'PENDING',
      nextAttemptAt: at(1000),
      scheduledRetries: 1,
    });
    expect(nextStep(facts({ status: 302, scheduledRetries: 1 }))).toMatchObject({
      status: 'PENDING',
      nextAttemptAt: at(60_000),
      scheduledRetries: 2,
    });
    expect(nextStep(facts({ status: null, scheduledRetries: 2 }))).toMatchObject({
      status: 'FAILED',
      disableEndpoint: null,
    });
  });

  it('disables the endpoint at once on 410', () => {
    expect(nextStep(facts({ status: 410 }))).toMatchObject({
      status: 'FAILED',
      disableEndpoint: 'The endpoint answered 410 Gone.',
    });
  });

  it('waits at least the Retry-After of a 429 or a 503, never less than the schedule', () => {
    expect(nextStep(facts({ status: 429, retryAfter: '30' })).nextAttemptAt).toEqual(at(30_000));
    expect(nextStep(facts({ status: 503, retryAfter: '30' })).nextAttemptAt).toEqual(at(30_000));
    expect(nextStep(facts({ status: 429 })).nextAttemptAt).toEqual(at(1000));
    expect(nextStep(facts({ status: 500, retryAfter: '30' })).nextAttemptAt).toEqual(at(1000));
  });

  it('fails the delivery when a Retry-After asks for more than a day (a date far away, a huge number)', () => {
    for (const retryAfter of ['Mon, 01 Jan 10000 00:00:00 GMT', '999999999', String(24 * 3600 + 1)]) {
      expect(nextStep(facts({ status: 503, retryAfter }))).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
    }
    expect(nextStep(facts({ status: 429, retryAfter: String(24 * 3600) })).nextAttemptAt).toEqual(at(24 * 3_600_000));
  });

  it('disables an endpoint that has failed without a success for WEBHOOK_DISABLE_AFTER_HOURS', () => {
    const failingSince = new Date(now.getTime() - 120 * 3_600_000);
    expect(nextStep(facts({ status: 500, failingSince }))).toMatchObject({
      status: 'FAILED',
      disableEndpoint: 'Every delivery failed for 120 hours.',
    });
    const notYet = new Date(now.getTime() - 119 * 3_600_000);
    expect(nextStep(facts({ status: 500, failingSince: notYet })).status).toBe('PENDING');
  });
});
