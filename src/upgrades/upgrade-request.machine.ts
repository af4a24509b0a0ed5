import { canWork, type Caller } from '../common/auth/caller.js';
import { Machine } from '../common/lifecycle/machine.js';
import type { UpgradeRequestEntity } from './upgrade.entity.js';

/** The upgrade request's states (docs/rules.md, "Upgrades"): COMPLETED and CANCELLED are final. */
export const UPGRADE_STATUSES = ['REQUESTED', 'TRADE_IN_RECEIVED', 'COMPLETED', 'CANCELLED'] as const;
export type UpgradeStatus = (typeof UPGRADE_STATUSES)[number];

export const OPEN_UPGRADE_STATUSES: readonly UpgradeStatus[] = ['REQUESTED', 'TRADE_IN_RECEIVED'];

/** The organization that asked, or the program's owner, moves the request on, with a key that does its work. */
const partyWorks = (caller: Caller, upgrade: Pick<UpgradeRequestEntity, 'requestedById' | 'programOwnerId'>) =>
  canWork(caller) && [upgrade.requestedById, upgrade.programOwnerId].includes(caller.organizationId);

export const UPGRADE_REQUEST_MACHINE = Machine.declare<UpgradeStatus, UpgradeRequestEntity>({
  name: 'UpgradeRequest',
  states: UPGRADE_STATUSES,
  initial: 'REQUESTED',
  initialEvent: 'UpgradeRequested',
  finals: ['COMPLETED', 'CANCELLED'],
  transitions: [
    { from: ['REQUESTED'], to: 'TRADE_IN_RECEIVED', event: 'UpgradeTradeInReceived', may: partyWorks },
    { from: ['REQUESTED', 'TRADE_IN_RECEIVED'], to: 'COMPLETED', event: 'UpgradeCompleted', may: partyWorks },
    { from: ['REQUESTED', 'TRADE_IN_RECEIVED'], to: 'CANCELLED', event: 'UpgradeCancelled', may: partyWorks },
  ],
});

export const UPGRADE_TRANSITIONS: Record<UpgradeStatus, readonly UpgradeStatus[]> = UPGRADE_REQUEST_MACHINE.table();

export function canMoveUpgrade(from: UpgradeStatus, to: UpgradeStatus): boolean {
  return UPGRADE_REQUEST_MACHINE.canMove(from, to);
}
