import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError } from '../common/errors/error-results.js';
import { Machine, type Guard } from '../common/lifecycle/machine.js';
import type { RepairTicketEntity } from './repair-ticket.entity.js';
import { mayWorkTicket } from './repair-ticket.access.js';
import { needsApproval, ticketEstimate } from './repair-estimate.js';

/**
 * The repair-ticket state machine (docs/rules.md, "Repairs"), as data. CLOSED, UNREPAIRABLE and
 * CANCELLED are final.
 */
export const REPAIR_STATUSES = [
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
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

export const FINAL_REPAIR_STATUSES: readonly RepairStatus[] = ['CLOSED', 'UNREPAIRABLE', 'CANCELLED'];

/** Open tickets: one per unit at a time. */
export const OPEN_REPAIR_STATUSES: readonly RepairStatus[] = REPAIR_STATUSES.filter(
  (s) => !FINAL_REPAIR_STATUSES.includes(s),
);

/** Work on the unit: with anything for the customer to pay, these need an approved estimate first. */
export const WORK_STATUSES: readonly RepairStatus[] = ['IN_REPAIR', 'AWAITING_PARTS'];

/** Not overdue once the unit is ready for pick-up or the ticket is finished. */
export const DONE_STATUSES: readonly RepairStatus[] = ['READY', ...FINAL_REPAIR_STATUSES];

/** Work the customer pays for waits for the approved estimate. */
const estimateApproved: Guard<RepairStatus, RepairTicketEntity> = (ticket, to) => {
  const estimate = ticketEstimate(ticket);
  if (!needsApproval(ticket, estimate)) return undefined;
  const pays = estimate!.customerPays;
  return new GenericError(
    ErrorCode.ESTIMATE_NOT_APPROVED,
    `The customer pays ${pays.amount} ${pays.currency}: the estimate needs approval before ${to}.`,
    'status',
  );
};

/** Every move is the bench's: the center's STAFF and ADMIN keys, or the assigned technician. */
const bench = { event: 'RepairTicketStatusChanged', may: mayWorkTicket } as const;
const work = { ...bench, guards: [estimateApproved] };

export const REPAIR_TICKET_MACHINE = Machine.declare<RepairStatus, RepairTicketEntity>({
  name: 'RepairTicket',
  states: REPAIR_STATUSES,
  initial: 'RECEIVED',
  initialEvent: 'RepairTicketOpened',
  finals: FINAL_REPAIR_STATUSES,
  refusalListsCallersMoves: true,
  transitions: [
    { from: ['RECEIVED'], to: 'DIAGNOSING', ...bench },
    { from: ['DIAGNOSING'], to: 'AWAITING_APPROVAL', ...bench },
    { from: ['DIAGNOSING', 'AWAITING_APPROVAL', 'IN_REPAIR'], to: 'AWAITING_PARTS', ...work },
    { from: ['DIAGNOSING', 'AWAITING_APPROVAL', 'AWAITING_PARTS', 'QUALITY_CHECK'], to: 'IN_REPAIR', ...work },
    { from: ['DIAGNOSING', 'IN_REPAIR'], to: 'UNREPAIRABLE', ...bench },
    { from: ['RECEIVED', 'DIAGNOSING', 'AWAITING_APPROVAL'], to: 'CANCELLED', ...bench },
    { from: ['IN_REPAIR'], to: 'QUALITY_CHECK', ...bench },
    { from: ['QUALITY_CHECK'], to: 'READY', ...bench },
    { from: ['READY'], to: 'CLOSED', ...bench },
  ],
});

/** From each status, the statuses it may move to. */
export const REPAIR_TRANSITIONS: Record<RepairStatus, readonly RepairStatus[]> = REPAIR_TICKET_MACHINE.table();

export function canMoveRepair(from: RepairStatus, to: RepairStatus): boolean {
  return REPAIR_TICKET_MACHINE.canMove(from, to);
}

/**
 * The moves open to a caller now, from the machine's table: none for a caller who may not work
 * the ticket; without an approved estimate, no work that the customer would pay for (the guard
 * on WORK_STATUSES).
 */
export function nextRepairStates(
  status: RepairStatus,
  options: { mayWork: boolean; needsApproval: boolean },
): RepairStatus[] {
  if (!options.mayWork) return [];
  return REPAIR_TRANSITIONS[status].filter(
    (to) =>
      !(options.needsApproval && REPAIR_TICKET_MACHINE.transition(status, to)?.guards?.includes(estimateApproved)),
  );
}
