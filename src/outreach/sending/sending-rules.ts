import type { OutreachPurpose, SuppressionReason } from '../outreach.rules.js';

/**
 * The sender's rules (docs/outreach.md): whether a message may go out at the moment it is sent,
 * and when a temporary failure is tried again. Pure functions; the sender loads the facts.
 */

/** What the sender knows when it decides, for one message. */
export interface SuppressionFacts {
  purpose: OutreachPurpose;
  unitActive: boolean;
  /** The owner's address now (after a transfer, the new owner's); null or blank: none. */
  email: string | null;
  marketingConsent: boolean;
  /** What the sender knows of the address. */
  unsubscribed: boolean;
  bounced: boolean;
  /** A MARKETING message from this sender went to this address within OUTREACH_MARKETING_MIN_DAYS. */
  recentMarketing: boolean;
}

/** Why the message may not go out, the first reason that applies; null: send it. SERVICE messages are never capped. */
export function suppressionReason(f: SuppressionFacts): SuppressionReason | null {
  if (!f.unitActive) return 'UNIT_NOT_ACTIVE';
  if (!f.email?.trim()) return 'NO_EMAIL';
  if (f.unsubscribed) return 'UNSUBSCRIBED';
  if (f.bounced) return 'BOUNCED';
  if (f.purpose === 'MARKETING' && !f.marketingConsent) return 'NO_MARKETING_CONSENT';
  if (f.purpose === 'MARKETING' && f.recentMarketing) return 'FREQUENCY_CAP';
  return null;
}

const MINUTE = 60_000;
/** The wait after the 1st, 2nd, ... temporary failure; hourly after the last. */
const BACKOFF_MS = [1 * MINUTE, 5 * MINUTE, 15 * MINUTE, 60 * MINUTE];

/** When to try again after the `failures`-th temporary failure, or null: past the retry period, the message FAILED. */
export function retryAt(failures: number, now: Date, createdAt: Date, retryHours: number): Date | null {
  const giveUpAt = createdAt.getTime() + retryHours * 3600_000;
  if (now.getTime() >= giveUpAt) return null;
  const wait = BACKOFF_MS[Math.min(Math.max(failures, 1), BACKOFF_MS.length) - 1];
  return new Date(Math.min(now.getTime() + wait, giveUpAt));
}
