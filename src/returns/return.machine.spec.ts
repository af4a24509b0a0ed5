import {
  canMoveReturn,
  MOVES_BY_OWN_OPERATION,
  OPEN_RETURN_STATUSES,
  RETURN_STATUSES,
  RETURN_TRANSITIONS,
  type ReturnStatus,
} from './return.machine.js';

/**
 * The return (RMA) state machine against docs/rules.md ("Returns"). The statuses and the allowed
 * moves are written out by hand from docs/rules.md, independently of the table under test:
 *   REQUESTED → AUTHORIZED | REJECTED (decided at once by the policy);
 *   AUTHORIZED → IN_TRANSIT (tracking number) | RECEIVED (in store);
 *   IN_TRANSIT → RECEIVED; RECEIVED → INSPECTED;
 *   INSPECTED → RESOLVED when every line is resolved; RESOLVED → CLOSED.
 *   REQUESTED, AUTHORIZED and IN_TRANSIT → CANCELLED.
 *   AUTHORIZED → EXPIRED when not shipped within shipWithinDays.
 * Nothing leaves REJECTED, CLOSED, CANCELLED or EXPIRED: they are final.
 */
const STATUSES: ReturnStatus[] = [
  'REQUESTED',
  'AUTHORIZED',
  'REJECTED',
  'IN_TRANSIT',
  'RECEIVED',
  'INSPECTED',
  'RESOLVED',
  'CLOSED',
  'CANCELLED',
  'EXPIRED',
];

const ALLOWED: [ReturnStatus, ReturnStatus][] = [
  ['REQUESTED', 'AUTHORIZED'],
  ['REQUESTED', 'REJECTED'],
  ['REQUESTED', 'CANCELLED'],
  ['AUTHORIZED', 'IN_TRANSIT'],
  ['AUTHORIZED', 'RECEIVED'],
  ['AUTHORIZED', 'CANCELLED'],
  ['AUTHORIZED', 'EXPIRED'],
  ['IN_TRANSIT', 'RECEIVED'],
  ['IN_TRANSIT', 'CANCELLED'],
  ['RECEIVED', 'INSPECTED'],
  ['INSPECTED', 'RESOLVED'],
  ['RESOLVED', 'CLOSED'],
];

const FINAL: ReturnStatus[] = ['REJECTED', 'CLOSED', 'CANCELLED', 'EXPIRED'];

/** A unit is on one open return at a time: every status that is not final holds its units. */
const OPEN: ReturnStatus[] = ['REQUESTED', 'AUTHORIZED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED', 'RESOLVED'];

/**
 * Targets reached by an operation of their own, never by the plain transition: the policy's
 * decision at request time (AUTHORIZED, REJECTED), the inspection (INSPECTED), the resolution of
 * every line (RESOLVED) and the expiry of unshipped returns (EXPIRED).
 */
const BY_OWN_OPERATION: ReturnStatus[] = ['AUTHORIZED', 'REJECTED', 'INSPECTED', 'RESOLVED', 'EXPIRED'];

/** Targets the retailer sets by hand: shipping (tracking number), receiving in store, closing, cancelling. */
const BY_HAND: ReturnStatus[] = ['IN_TRANSIT', 'RECEIVED', 'CLOSED', 'CANCELLED'];

const sorted = <T>(values: readonly T[]): T[] => [...values].sort();

/** The targets docs/rules.md allows from a status, from the hand-written table. */
const allowedFrom = (from: ReturnStatus): ReturnStatus[] => ALLOWED.filter(([f]) => f === from).map(([, to]) => to);

describe('the return (RMA) state machine (docs/rules.md "Returns")', () => {
  it('has exactly the ten statuses docs/rules.md names', () => {
    expect(sorted(RETURN_STATUSES)).toEqual(sorted(STATUSES));
    expect(RETURN_STATUSES).toHaveLength(10);
  });

  it('every status has an entry in the table, and every target is a known status', () => {
    expect(sorted(Object.keys(RETURN_TRANSITIONS))).toEqual(sorted(STATUSES));
    for (const targets of Object.values(RETURN_TRANSITIONS)) for (const to of targets) expect(STATUSES).toContain(to);
  });

  const everyPair = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as [ReturnStatus, ReturnStatus]));

  it('the exhaustive table covers all 100 (from, to) pairs, 12 of them allowed', () => {
    expect(everyPair).toHaveLength(100);
    expect(ALLOWED).toHaveLength(12);
  });

  it.each(everyPair)('%s -> %s is allowed exactly when docs/rules.md allows it', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canMoveReturn(from, to)).toBe(expected);
  });

  it.each(STATUSES.map((s) => [s]))('the table lists exactly the moves docs/rules.md allows from %s', (status) => {
    expect(sorted(RETURN_TRANSITIONS[status])).toEqual(sorted(allowedFrom(status)));
  });

  it.each(STATUSES.map((s) => [s]))('no status moves to itself: %s is refused', (status) => {
    expect(canMoveReturn(status, status)).toBe(false);
  });

  it('nothing moves back to REQUESTED: a request is made once', () => {
    for (const from of STATUSES) expect(canMoveReturn(from, 'REQUESTED')).toBe(false);
  });

  it.each<[name: string, from: ReturnStatus, to: ReturnStatus]>([
    ['cancelling once the goods are RECEIVED is refused', 'RECEIVED', 'CANCELLED'],
    ['cancelling once INSPECTED is refused', 'INSPECTED', 'CANCELLED'],
    ['cancelling once RESOLVED is refused', 'RESOLVED', 'CANCELLED'],
    ['a shipped return (IN_TRANSIT) no longer expires', 'IN_TRANSIT', 'EXPIRED'],
    ['a REQUESTED return does not expire: only AUTHORIZED ones do', 'REQUESTED', 'EXPIRED'],
    ['inspection needs the goods: AUTHORIZED cannot skip to INSPECTED', 'AUTHORIZED', 'INSPECTED'],
    ['inspection needs the goods: IN_TRANSIT cannot skip to INSPECTED', 'IN_TRANSIT', 'INSPECTED'],
    ['resolving needs the inspection: RECEIVED cannot skip to RESOLVED', 'RECEIVED', 'RESOLVED'],
    ['closing needs the resolution: INSPECTED cannot skip to CLOSED', 'INSPECTED', 'CLOSED'],
    ['no going back: RECEIVED cannot return to IN_TRANSIT', 'RECEIVED', 'IN_TRANSIT'],
    ['a REQUESTED return is decided first: it cannot ship before AUTHORIZED', 'REQUESTED', 'IN_TRANSIT'],
    ['a REQUESTED return cannot be received before AUTHORIZED', 'REQUESTED', 'RECEIVED'],
    ['an AUTHORIZED return is not rejected afterwards', 'AUTHORIZED', 'REJECTED'],
  ])('refused: %s', (_name, from, to) => {
    expect(canMoveReturn(from, to)).toBe(false);
  });

  it.each(FINAL.map((s) => [s]))('final: %s has no moves at all', (status) => {
    expect(RETURN_TRANSITIONS[status]).toEqual([]);
    for (const to of STATUSES) expect(canMoveReturn(status, to)).toBe(false);
  });

  it.each(STATUSES.filter((s) => !FINAL.includes(s)).map((s) => [s]))('open: %s has at least one move', (status) => {
    expect(RETURN_TRANSITIONS[status].length).toBeGreaterThan(0);
  });
});

describe('OPEN_RETURN_STATUSES: a unit is on one open return at a time', () => {
  it('OPEN: every status that is not final (six of them), RESOLVED included until CLOSED', () => {
    expect(sorted(OPEN_RETURN_STATUSES)).toEqual(sorted(OPEN));
    expect(OPEN_RETURN_STATUSES).toHaveLength(6);
  });

  it.each(FINAL.map((s) => [s]))('a %s return holds no units: it is not open', (status) => {
    expect(OPEN_RETURN_STATUSES).not.toContain(status);
  });

  it('OPEN and FINAL split the ten statuses with no overlap', () => {
    for (const s of OPEN_RETURN_STATUSES) expect(FINAL).not.toContain(s);
    expect(sorted([...OPEN_RETURN_STATUSES, ...FINAL])).toEqual(sorted(STATUSES));
  });
});

describe('MOVES_BY_OWN_OPERATION: targets the plain transition may not set', () => {
  it('names exactly AUTHORIZED, REJECTED (the policy), INSPECTED, RESOLVED and EXPIRED', () => {
    expect(sorted(Object.keys(MOVES_BY_OWN_OPERATION))).toEqual(sorted(BY_OWN_OPERATION));
  });

  it.each(BY_OWN_OPERATION.map((s) => [s]))('%s says which operation sets it', (status) => {
    const operation = MOVES_BY_OWN_OPERATION[status];
    expect(typeof operation).toBe('string');
    expect(operation!.trim().length).toBeGreaterThan(0);
  });

  it.each(BY_HAND.map((s) => [s]))('%s is set by hand: no operation of its own', (status) => {
    expect(MOVES_BY_OWN_OPERATION[status]).toBeUndefined();
  });

  it('every allowed move is either by hand or by an operation of its own, never both', () => {
    for (const [, to] of ALLOWED) {
      expect({ to, byHand: BY_HAND.includes(to), own: MOVES_BY_OWN_OPERATION[to] !== undefined }).toEqual({
        to,
        byHand: !BY_OWN_OPERATION.includes(to),
        own: BY_OWN_OPERATION.includes(to),
      });
    }
  });

  it('every status that can be reached is in exactly one of the two lists; REQUESTED is never a target', () => {
    const reachable = [...new Set(ALLOWED.map(([, to]) => to))];
    expect(sorted(reachable)).toEqual(sorted([...BY_HAND, ...BY_OWN_OPERATION]));
    expect(reachable).not.toContain('REQUESTED');
    expect(MOVES_BY_OWN_OPERATION.REQUESTED).toBeUndefined();
  });

  it('every by-hand target is reached by at least one allowed move', () => {
    for (const to of BY_HAND) expect(STATUSES.some((from) => canMoveReturn(from, to))).toBe(true);
  });
});
