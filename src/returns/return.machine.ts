import { canWork, type Caller } from '../common/auth/caller.js';
import { Machine } from '../common/lifecycle/machine.js';
import type { ReturnEntity } from './return.entity.js';

/**
 * The return (RMA) state machine (docs/rules.md, "Returns"), as data. REJECTED, CLOSED, CANCELLED
 * and EXPIRED are final.
 */
export const RETURN_STATUSES = [
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
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Moves with an operation of their own: the decision at request time, inspection, resolution, expiry. */
export const MOVES_BY_OWN_OPERATION: Partial<Record<ReturnStatus, string>> = {
  AUTHORIZED: 'the policy decides at request time',
  REJECTED: 'the policy decides at request time',
  INSPECTED: 'inspectReturn',
  RESOLVED: 'resolveReturn',
  EXPIRED: 'the expiry job',
};

/** Returns that hold their units: a unit is on one open return at a time. */
export const OPEN_RETURN_STATUSES: readonly ReturnStatus[] = [
  'REQUESTED',
  'AUTHORIZED',
  'IN_TRANSIT',
  'RECEIVED',
  'INSPECTED',
  'RESOLVED',
];

/** The retailer works its own returns with a key that does its work (STAFF, ADMIN). */
const retailerWorks = (caller: Caller, rma: Pick<ReturnEntity, 'retailerId'>) =>
  canWork(caller) && caller.organizationId === rma.retailerId;

export const RETURN_MACHINE = Machine.declare<ReturnStatus, ReturnEntity>({
  name: 'ReturnAuthorization',
  states: RETURN_STATUSES,
  initial: 'REQUESTED',
  initialEvent: 'ReturnRequested',
  finals: ['REJECTED', 'CLOSED', 'CANCELLED', 'EXPIRED'],
  transitions: [
    { from: ['REQUESTED'], to: 'AUTHORIZED', event: 'ReturnAuthorized', may: retailerWorks },
    { from: ['REQUESTED'], to: 'REJECTED', event: 'ReturnRejected', may: retailerWorks },
    { from: ['AUTHORIZED'], to: 'IN_TRANSIT', event: 'ReturnInTransit', may: retailerWorks },
    { from: ['AUTHORIZED', 'IN_TRANSIT'], to: 'RECEIVED', event: 'ReturnReceived', may: retailerWorks },
    { from: ['REQUESTED', 'AUTHORIZED', 'IN_TRANSIT'], to: 'CANCELLED', event: 'ReturnCancelled', may: retailerWorks },
    // the expiry job's, when not shipped by the ship-by date
    { from: ['AUTHORIZED'], to: 'EXPIRED', event: 'ReturnExpired', may: retailerWorks },
    { from: ['RECEIVED'], to: 'INSPECTED', event: 'ReturnInspected', may: retailerWorks },
    { from: ['INSPECTED'], to: 'RESOLVED', event: 'ReturnResolved', may: retailerWorks },
    { from: ['RESOLVED'], to: 'CLOSED', event: 'ReturnClosed', may: retailerWorks },
  ],
});

export const RETURN_TRANSITIONS: Record<ReturnStatus, readonly ReturnStatus[]> = RETURN_MACHINE.table();

export function canMoveReturn(from: ReturnStatus, to: ReturnStatus): boolean {
  return RETURN_MACHINE.canMove(from, to);
}
