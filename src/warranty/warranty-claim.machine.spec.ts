import {
  CLAIM_STATUSES,
  CLAIM_TRANSITIONS,
  canMove,
  LIVE_CLAIM_STATUSES,
  type ClaimStatus,
} from './warranty-claim.machine.js';

/** docs/rules.md's claim states, written out independently of the table under test. */
const ALLOWED: [ClaimStatus, ClaimStatus][] = [
  ['SUBMITTED', 'IN_REVIEW'],
  ['SUBMITTED', 'CANCELLED'],
  ['IN_REVIEW', 'APPROVED'],
  ['IN_REVIEW', 'PARTIALLY_APPROVED'],
  ['IN_REVIEW', 'REJECTED'],
  ['IN_REVIEW', 'NEEDS_INFO'],
  ['IN_REVIEW', 'CANCELLED'],
  ['NEEDS_INFO', 'IN_REVIEW'],
  ['NEEDS_INFO', 'CANCELLED'],
  ['APPROVED', 'PAID'],
  ['PARTIALLY_APPROVED', 'PAID'],
];

describe('the warranty-claim state machine', () => {
  const everyPair = CLAIM_STATUSES.flatMap((from) =>
    CLAIM_STATUSES.map((to) => [from, to] as [ClaimStatus, ClaimStatus]),
  );

  it.each(everyPair)('%s -> %s is allowed exactly when docs/rules.md allows it', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canMove(from, to)).toBe(expected);
  });

  it('PAID, REJECTED and CANCELLED are final', () => {
    for (const status of ['PAID', 'REJECTED', 'CANCELLED'] as const) expect(CLAIM_TRANSITIONS[status]).toEqual([]);
  });

  it('every target in the table is a known status, and every status has an entry', () => {
    expect(Object.keys(CLAIM_TRANSITIONS).sort()).toEqual([...CLAIM_STATUSES].sort());
    for (const targets of Object.values(CLAIM_TRANSITIONS))
      for (const to of targets) expect(CLAIM_STATUSES).toContain(to);
  });

  it('claims that count against limits and for duplicates are all but REJECTED and CANCELLED', () => {
    expect([...LIVE_CLAIM_STATUSES].sort()).toEqual([
      'APPROVED',
      'IN_REVIEW',
      'NEEDS_INFO',
      'PAID',
      'PARTIALLY_APPROVED',
      'SUBMITTED',
    ]);
  });
});
