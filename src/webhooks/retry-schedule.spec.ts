import { parseRetrySchedule, retryAfterMs, retryDelayMs } from './retry-schedule.js';

describe('webhook retry schedule', () => {
  it('reads the default schedule', () => {
    expect(parseRetrySchedule('5s,5m,30m,2h,5h,10h,14h,20h,24h')).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ]);
    expect(parseRetrySchedule(' 100ms , 1d')).toEqual([100, 86_400_000]);
  });

  it('refuses a step that is not a duration, naming it', () => {
    expect(() => parseRetrySchedule('5s,soon')).toThrow('"soon" is not a duration');
    expect(() => parseRetrySchedule('5s,,5m')).toThrow('"" is not a duration');
    expect(() => parseRetrySchedule('-5s')).toThrow('"-5s"');
  });

  it('waits the n-th step for the n-th retry, within 10 % either way, and stops after the last', () => {
    const schedule = [1000, 60_000];
    expect(retryDelayMs(schedule, 1, 0)).toBe(900);
    expect(retryDelayMs(schedule, 1, 0.5)).toBe(1000);
    expect(retryDelayMs(schedule, 1, 0.9999999)).toBe(1100);
    expect(retryDelayMs(schedule, 2, 0.25)).toBe(57_000);
    expect(retryDelayMs(schedule, 3, 0.5)).toBeNull();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Wed, 02 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});
