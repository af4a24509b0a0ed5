import {
  canMoveRepair,
  DONE_STATUSES,
  FINAL_REPAIR_STATUSES,
  nextRepairStates,
  OPEN_REPAIR_STATUSES,
  REPAIR_STATUSES,
  REPAIR_TRANSITIONS,
  WORK_STATUSES,
  type RepairStatus,
} from './repair-ticket.machine.js';

/**
 * The repair-ticket state machine against docs/rules.md ("Repairs"). The statuses and the allowed
 * moves are written out by hand from docs/rules.md, independently of the table under test:
 *   RECEIVED → DIAGNOSING | CANCELLED;
 *   DIAGNOSING → AWAITING_APPROVAL | AWAITING_PARTS | IN_REPAIR | UNREPAIRABLE | CANCELLED;
 *   AWAITING_APPROVAL → AWAITING_PARTS | IN_REPAIR | CANCELLED;
 *   AWAITING_PARTS → IN_REPAIR;
 *   IN_REPAIR → QUALITY_CHECK | AWAITING_PARTS | UNREPAIRABLE;
 *   QUALITY_CHECK → READY | IN_REPAIR;
 *   READY → CLOSED.
 *   CLOSED, UNREPAIRABLE and CANCELLED are final.
 */
const STATUSES: RepairStatus[] = [
  'RECEIVED',
  'DIAGNOSING',
  'AWAITING_APPROVAL',
  'AWAITING_PARTS',
  'IN_REPAIR',
  'QUALITY_CHECK',
  'READY',
  'CLOSED',
  'UNREPAIRABLE',
  'CANCELLED',
];

const ALLOWED: [RepairStatus, RepairStatus][] = [
  ['RECEIVED', 'DIAGNOSING'],
  ['RECEIVED', 'CANCELLED'],
  ['DIAGNOSING', 'AWAITING_APPROVAL'],
  ['DIAGNOSING', 'AWAITING_PARTS'],
  ['DIAGNOSING', 'IN_REPAIR'],
  ['DIAGNOSING', 'UNREPAIRABLE'],
  ['DIAGNOSING', 'CANCELLED'],
  ['AWAITING_APPROVAL', 'AWAITING_PARTS'],
  ['AWAITING_APPROVAL', 'IN_REPAIR'],
  ['AWAITING_APPROVAL', 'CANCELLED'],
  ['AWAITING_PARTS', 'IN_REPAIR'],
  ['IN_REPAIR', 'QUALITY_CHECK'],
  ['IN_REPAIR', 'AWAITING_PARTS'],
  ['IN_REPAIR', 'UNREPAIRABLE'],
  ['QUALITY_CHECK', 'READY'],
  ['QUALITY_CHECK', 'IN_REPAIR'],
  ['READY', 'CLOSED'],
];

const FINAL: RepairStatus[] = ['CLOSED', 'UNREPAIRABLE', 'CANCELLED'];

/** Work on the unit that needs an approved estimate when the customer pays anything. */
const WORK: RepairStatus[] = ['IN_REPAIR', 'AWAITING_PARTS'];

const sorted = <T>(values: readonly T[]): T[] => [...values].sort();

/** The targets docs/rules.md allows from a status, from the hand-written table. */
const allowedFrom = (from: RepairStatus): RepairStatus[] => ALLOWED.filter(([f]) => f === from).map(([, to]) => to);

describe('the repair-ticket state machine (docs/rules.md "Repairs")', () => {
  it('has exactly the ten statuses docs/rules.md names', () => {
    expect(sorted(REPAIR_STATUSES)).toEqual(sorted(STATUSES));
    expect(REPAIR_STATUSES).toHaveLength(10);
  });

  it('every status has an entry in the table, and every target is a known status', () => {
    expect(sorted(Object.keys(REPAIR_TRANSITIONS))).toEqual(sorted(STATUSES));
    for (const targets of Object.values(REPAIR_TRANSITIONS)) for (const to of targets) expect(STATUSES).toContain(to);
  });

  const everyPair = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as [RepairStatus, RepairStatus]));

  it('the exhaustive table covers all 100 (from, to) pairs, 17 of them allowed', () => {
    expect(everyPair).toHaveLength(100);
    expect(ALLOWED).toHaveLength(17);
  });

  it.each(everyPair)('%s -> %s is allowed exactly when docs/rules.md allows it', (from, to) => {
    const expected = ALLOWED.some(([f, t]) => f === from && t === to);
    expect(canMoveRepair(from, to)).toBe(expected);
  });

  it.each(STATUSES.map((s) => [s]))('no status moves to itself: %s is refused', (status) => {
    expect(canMoveRepair(status, status)).toBe(false);
  });

  it.each(FINAL.map((s) => [s]))('final: %s has no moves at all', (status) => {
    expect(REPAIR_TRANSITIONS[status]).toEqual([]);
    for (const to of STATUSES) expect(canMoveRepair(status, to)).toBe(false);
    expect(nextRepairStates(status, { mayWork: true, needsApproval: false })).toEqual([]);
    expect(nextRepairStates(status, { mayWork: true, needsApproval: true })).toEqual([]);
  });

  it.each(STATUSES.filter((s) => !FINAL.includes(s)).map((s) => [s]))('open: %s has at least one move', (status) => {
    expect(REPAIR_TRANSITIONS[status].length).toBeGreaterThan(0);
  });
});

describe('status lists', () => {
  it('FINAL: CLOSED, UNREPAIRABLE and CANCELLED are final', () => {
    expect(sorted(FINAL_REPAIR_STATUSES)).toEqual(['CANCELLED', 'CLOSED', 'UNREPAIRABLE']);
  });

  it('OPEN: one open ticket per unit means every status that is not final (seven of them)', () => {
    expect(sorted(OPEN_REPAIR_STATUSES)).toEqual([
      'AWAITING_APPROVAL',
      'AWAITING_PARTS',
      'DIAGNOSING',
      'IN_REPAIR',
      'QUALITY_CHECK',
      'READY',
      'RECEIVED',
    ]);
  });

  it('OPEN and FINAL split the ten statuses with no overlap', () => {
    for (const s of OPEN_REPAIR_STATUSES) expect(FINAL_REPAIR_STATUSES).not.toContain(s);
    expect(sorted([...OPEN_REPAIR_STATUSES, ...FINAL_REPAIR_STATUSES])).toEqual(sorted(STATUSES));
  });

  it('WORK: work that needs an approved estimate is IN_REPAIR and AWAITING_PARTS', () => {
    expect(sorted(WORK_STATUSES)).toEqual(['AWAITING_PARTS', 'IN_REPAIR']);
  });

  it('DONE: not overdue once READY or finished (READY, CLOSED, UNREPAIRABLE, CANCELLED)', () => {
    expect(sorted(DONE_STATUSES)).toEqual(['CANCELLED', 'CLOSED', 'READY', 'UNREPAIRABLE']);
  });
});

describe('nextRepairStates: what the caller may do now', () => {
  const bothApprovals = STATUSES.flatMap(
    (s) =>
      [
        [s, false],
        [s, true],
      ] as [RepairStatus, boolean][],
  );

  it.each(bothApprovals)(
    'a caller who may not work the ticket gets no moves: %s (needsApproval %s)',
    (status, needsApproval) => {
      expect(nextRepairStates(status, { mayWork: false, needsApproval })).toEqual([]);
    },
  );

  it.each(STATUSES.map((s) => [s]))(
    'without approval needed, a caller who may work gets every move docs/rules.md allows from %s',
    (status) => {
      expect(sorted(nextRepairStates(status, { mayWork: true, needsApproval: false }))).toEqual(
        sorted(allowedFrom(status)),
      );
    },
  );

  it.each(STATUSES.map((s) => [s]))(
    'needsApproval removes IN_REPAIR and AWAITING_PARTS, and nothing else, from %s',
    (status) => {
      const expected = allowedFrom(status).filter((to) => !WORK.includes(to));
      const actual = nextRepairStates(status, { mayWork: true, needsApproval: true });
      expect(sorted(actual)).toEqual(sorted(expected));
      for (const to of WORK) expect(actual).not.toContain(to);
    },
  );

  it.each<[name: string, status: RepairStatus, needsApproval: boolean, expected: RepairStatus[]]>([
    [
      'DIAGNOSING with a customer to pay may only ask for approval, give up or cancel',
      'DIAGNOSING',
      true,
      ['AWAITING_APPROVAL', 'CANCELLED', 'UNREPAIRABLE'],
    ],
    [
      'DIAGNOSING with nothing to pay may start work or order parts',
      'DIAGNOSING',
      false,
      ['AWAITING_APPROVAL', 'AWAITING_PARTS', 'CANCELLED', 'IN_REPAIR', 'UNREPAIRABLE'],
    ],
    ['AWAITING_APPROVAL without the approval may only cancel', 'AWAITING_APPROVAL', true, ['CANCELLED']],
    [
      'AWAITING_APPROVAL once approved may order parts, start work or cancel',
      'AWAITING_APPROVAL',
      false,
      ['AWAITING_PARTS', 'CANCELLED', 'IN_REPAIR'],
    ],
    ['AWAITING_PARTS without the approval may not start work: no moves', 'AWAITING_PARTS', true, []],
    [
      'IN_REPAIR without the approval may still go to QUALITY_CHECK or UNREPAIRABLE',
      'IN_REPAIR',
      true,
      ['QUALITY_CHECK', 'UNREPAIRABLE'],
    ],
    ['QUALITY_CHECK without the approval may not send back to IN_REPAIR', 'QUALITY_CHECK', true, ['READY']],
    ['READY may close whatever the approval', 'READY', true, ['CLOSED']],
    ['RECEIVED is not work: approval changes nothing', 'RECEIVED', true, ['CANCELLED', 'DIAGNOSING']],
  ])('%s', (_name, status, needsApproval, expected) => {
    expect(sorted(nextRepairStates(status, { mayWork: true, needsApproval }))).toEqual(expected);
  });
});
