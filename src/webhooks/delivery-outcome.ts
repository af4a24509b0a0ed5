import type { WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { retryAfterMs, retryDelayMs } from './retry-schedule.js';
import type { AttemptOutcome } from './webhook-sender.js';

/**
 * What an attempt's outcome does to its delivery and endpoint (docs/webhooks.md, "Delivery"), as
 * a plain function of the facts: 2xx succeeds; 410 fails the delivery and disables the endpoint;
 * anything else is retried on the schedule (no earlier than a 429's or 503's Retry-After; one of
 * more than a day fails the delivery) until
 * the schedule is spent, and an endpoint that has failed without a success for long enough is
 * disabled.
 */
/** The longest a Retry-After may hold a delivery back; asking for more fails it. */
const RETRY_AFTER_CAP_MS = 24 * 3_600_000;

export interface DeliveryNext {
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  scheduledRetries: number;
  /** Set when the endpoint stops receiving: why, in words. */
  disableEndpoint: string | null;
  /** Whether this attempt ends or starts the endpoint's failing streak. */
  endpointSucceeded: boolean;
}

export interface DeliveryFacts {
  outcome: AttemptOutcome;
  scheduledRetries: number;
  schedule: readonly number[];
  now: Date;
  /** When the endpoint's current failing streak began (this attempt's time if it is the first failure). */
  failingSince: Date | null;
  disableAfterMs: number;
  random?: number;
}

export function nextStep(facts: DeliveryFacts): DeliveryNext {
  const { outcome, now } = facts;
  const status = outcome.responseStatus;
  if (status !== null && status >= 200 && status < 300) {
    return {
      status: 'SUCCEEDED',
      nextAttemptAt: null,
      scheduledRetries: facts.scheduledRetries,
      disableEndpoint: null,
      endpointSucceeded: true,
    };
  }
  const failed = (disableEndpoint: string | null): DeliveryNext => ({
    status: 'FAILED',
    nextAttemptAt: null,
    scheduledRetries: facts.scheduledRetries,
    disableEndpoint,
    endpointSucceeded: false,
  });
  if (status === 410) return failed('The endpoint answered 410 Gone.');
  const streakStart = facts.failingSince ?? now;
  if (now.getTime() - streakStart.getTime() >= facts.disableAfterMs) {
    const hours = Math.round(facts.disableAfterMs / 3_600_000);
    return failed(`Every delivery failed for ${hours} hours.`);
  }
  const retry = facts.scheduledRetries + 1;
  const delay = retryDelayMs(facts.schedule, retry, facts.random);
  if (delay === null) return failed(null);
  // a receiver's Retry-After is a floor, never shortened; one asking for more than a day fails the
  // delivery now (recoverable) rather than parking it for as long as the receiver likes
  const floor = status === 429 || status === 503 ? (retryAfterMs(outcome.retryAfter, now.getTime()) ?? 0) : 0;
  if (floor > RETRY_AFTER_CAP_MS) return failed(null);
  return {
    status: 'PENDING',
    nextAttemptAt: new Date(now.getTime() + Math.max(delay, floor)),
    scheduledRetries: retry,
    disableEndpoint: null,
    endpointSucceeded: false,
  };
}
