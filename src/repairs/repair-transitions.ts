/**
 * The repair-ticket states and moves now live in repair-ticket.machine.ts; these names stay for
 * the transports, inputs and views that import them from here.
 */
export {
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
