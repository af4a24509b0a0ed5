/**
 * The warranty-claim state machine (DOMAIN.md, "Warranty claims") as plain data: from each status,
 * the statuses it may move to. Checked for consistency at start-up by the tests.
 */
export const CLAIM_STATUSES = ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'PAID', 'CANCELLED'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = {
  SUBMITTED: ['IN_REVIEW', 'CANCELLED'],
  IN_REVIEW: ['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'NEEDS_INFO', 'CANCELLED'],
  NEEDS_INFO: ['IN_REVIEW', 'CANCELLED'],
  APPROVED: ['PAID'],
  PARTIALLY_APPROVED: ['PAID'],
  REJECTED: [],
  PAID: [],
  CANCELLED: [],
};

export function canMove(from: ClaimStatus, to: ClaimStatus): boolean {
  return CLAIM_TRANSITIONS[from].includes(to);
}

/** Claims that count against a coverage's claim limit and for duplicates: all but REJECTED and CANCELLED. */
export const LIVE_CLAIM_STATUSES: readonly ClaimStatus[] = CLAIM_STATUSES.filter((s) => s !== 'REJECTED' && s !== 'CANCELLED');
