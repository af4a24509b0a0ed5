/**
 * The repair-ticket state machine (DOMAIN.md, "Repairs") as plain data: from each status, the
 * statuses it may move to. CLOSED, UNREPAIRABLE and CANCELLED are final.
 */
export const REPAIR_STATUSES = [
  'RECEIVED', 'DIAGNOSING', 'AWAITING_APPROVAL', 'AWAITING_PARTS', 'IN_REPAIR', 'QUALITY_CHECK', 'READY', 'CLOSED', 'UNREPAIRABLE', 'CANCELLED',
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

export const REPAIR_TRANSITIONS: Record<RepairStatus, readonly RepairStatus[]> = {
  RECEIVED: ['DIAGNOSING', 'CANCELLED'],
  DIAGNOSING: ['AWAITING_APPROVAL', 'AWAITING_PARTS', 'IN_REPAIR', 'UNREPAIRABLE', 'CANCELLED'],
  AWAITING_APPROVAL: ['AWAITING_PARTS', 'IN_REPAIR', 'CANCELLED'],
  AWAITING_PARTS: ['IN_REPAIR'],
  IN_REPAIR: ['QUALITY_CHECK', 'AWAITING_PARTS', 'UNREPAIRABLE'],
  QUALITY_CHECK: ['READY', 'IN_REPAIR'],
  READY: ['CLOSED'],
  CLOSED: [],
  UNREPAIRABLE: [],
  CANCELLED: [],
};

export const FINAL_REPAIR_STATUSES: readonly RepairStatus[] = ['CLOSED', 'UNREPAIRABLE', 'CANCELLED'];

/** Open tickets: one per unit at a time. */
export const OPEN_REPAIR_STATUSES: readonly RepairStatus[] = REPAIR_STATUSES.filter((s) => !FINAL_REPAIR_STATUSES.includes(s));

/** Work on the unit: with anything for the customer to pay, these need an approved estimate first. */
export const WORK_STATUSES: readonly RepairStatus[] = ['IN_REPAIR', 'AWAITING_PARTS'];

/** Not overdue once the unit is ready for pick-up or the ticket is finished. */
export const DONE_STATUSES: readonly RepairStatus[] = ['READY', ...FINAL_REPAIR_STATUSES];

export function canMoveRepair(from: RepairStatus, to: RepairStatus): boolean {
  return REPAIR_TRANSITIONS[from].includes(to);
}

/**
 * The moves open to a caller now: none for a caller who may not work the ticket; without an
 * approved estimate, no work that the customer would pay for.
 */
export function nextRepairStates(status: RepairStatus, options: { mayWork: boolean; needsApproval: boolean }): RepairStatus[] {
  if (!options.mayWork) return [];
  return REPAIR_TRANSITIONS[status].filter((to) => !(options.needsApproval && WORK_STATUSES.includes(to)));
}
