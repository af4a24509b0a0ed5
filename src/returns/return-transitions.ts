/**
 * The return (RMA) state machine (DOMAIN.md, "Returns") as plain data. REJECTED, CLOSED,
 * CANCELLED and EXPIRED are final.
 */
export const RETURN_STATUSES = ['REQUESTED', 'AUTHORIZED', 'REJECTED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED', 'RESOLVED', 'CLOSED', 'CANCELLED', 'EXPIRED'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_TRANSITIONS: Record<ReturnStatus, readonly ReturnStatus[]> = {
  REQUESTED: ['AUTHORIZED', 'REJECTED', 'CANCELLED'],
  AUTHORIZED: ['IN_TRANSIT', 'RECEIVED', 'CANCELLED', 'EXPIRED'],
  REJECTED: [],
  IN_TRANSIT: ['RECEIVED', 'CANCELLED'],
  RECEIVED: ['INSPECTED'],
  INSPECTED: ['RESOLVED'],
  RESOLVED: ['CLOSED'],
  CLOSED: [],
  CANCELLED: [],
  EXPIRED: [],
};

/** Moves with an operation of their own: the decision at request time, inspection, resolution, expiry. */
export const MOVES_BY_OWN_OPERATION: Partial<Record<ReturnStatus, string>> = {
  AUTHORIZED: 'the policy decides at request time',
  REJECTED: 'the policy decides at request time',
  INSPECTED: 'inspectReturn',
  RESOLVED: 'resolveReturn',
  EXPIRED: 'the expiry job',
};

/** Returns that hold their units: a unit is on one open return at a time. */
export const OPEN_RETURN_STATUSES: readonly ReturnStatus[] = ['REQUESTED', 'AUTHORIZED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED', 'RESOLVED'];

export function canMoveReturn(from: ReturnStatus, to: ReturnStatus): boolean {
  return RETURN_TRANSITIONS[from].includes(to);
}
