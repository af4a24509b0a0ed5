/**
 * When a failed delivery is tried again (docs/webhooks.md, "Delivery"): the n-th retry waits the
 * n-th step of WEBHOOK_RETRY_SCHEDULE, give or take 10 % so that deliveries failed together do not
 * come back together; a Retry-After the receiver sent (429, 503) is a floor, never shortened.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `5s,5m,30m,2h`: each step a whole number and a unit (ms, s, m, h, d). */
export function parseRetrySchedule(value: string): number[] {
  return value.split(',').map((raw) => {
    const step = raw.trim();
    const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(step);
    if (!match) throw new Error(`"${step}" is not a duration such as 30s, 5m or 2h`);
    return Number(match[1]) * UNIT_MS[match[2]];
  });
}

/**
 * The delay before retry number `retry` (1 for the first retry), or null when the schedule is
 * spent. `random` is in [0, 1); jitter is ±10 % of the step.
 */
export function retryDelayMs(
  schedule: readonly number[],
  retry: number,
  random: number = Math.random(),
): number | null {
  const step = schedule[retry - 1];
  if (step === undefined) return null;
  return Math.round(step * (0.9 + 0.2 * random));
}

/** Retry-After in milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d{1,9}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
