/**
 * The warranty-claim states (docs/rules.md, "Warranty claims"). The moves between them are declared
 * once, in warranty-claim.machine.ts, and checked when the application starts.
 */
export const CLAIM_STATUSES = [
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INFO',
  'APPROVED',
  'PARTIALLY_APPROVED',
  'REJECTED',
  'PAID',
  'CANCELLED',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Claims that count against a coverage's claim limit and for duplicates: all but REJECTED and CANCELLED. */
export const LIVE_CLAIM_STATUSES: readonly ClaimStatus[] = CLAIM_STATUSES.filter(
  (s) => s !== 'REJECTED' && s !== 'CANCELLED',
);
