import type { Caller } from '../common/auth/caller.js';
import { newId } from '../common/ids.js';
import type { Lifecycle } from '../common/lifecycle/lifecycle.js';
import { Machine } from '../common/lifecycle/machine.js';
import { UpgradeHistoryEntity, UpgradeRequestEntity } from './upgrade.entity.js';

/** The upgrade request's states (DOMAIN.md, "Upgrades"): COMPLETED and CANCELLED are final. */
export const UPGRADE_STATUSES = ['REQUESTED', 'TRADE_IN_RECEIVED', 'COMPLETED', 'CANCELLED'] as const;
export type UpgradeStatus = (typeof UPGRADE_STATUSES)[number];

export const OPEN_UPGRADE_STATUSES: readonly UpgradeStatus[] = ['REQUESTED', 'TRADE_IN_RECEIVED'];

/** The organization that asked, or the program's owner, moves the request on, with a key that does its work. */
const partyWorks = (caller: Caller, upgrade: Pick<UpgradeRequestEntity, 'requestedById' | 'programOwnerId'>) =>
  (caller.role === 'STAFF' || caller.role === 'ADMIN') && [upgrade.requestedById, upgrade.programOwnerId].includes(caller.organizationId);

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

/** Upgrade requests in the lifecycle: their history table and outbox payloads. */
export const UPGRADE_REQUEST_LIFECYCLE: Lifecycle<UpgradeStatus, UpgradeRequestEntity, { note: string | null }> = {
  machine: UPGRADE_REQUEST_MACHINE,
  table: 'upgrade_requests',
  entity: UpgradeRequestEntity,
  async writeHistory(em, caller, upgrade, steps) {
    await em.insert(UpgradeHistoryEntity, steps.map(({ from, to, details }) => ({
      id: newId(), upgradeId: upgrade.id, fromStatus: from, toStatus: to, at: new Date(), actorOrganizationId: caller!.organizationId, note: details?.note ?? null,
    })));
  },
  payload: (upgrade, from, to) => ({ upgradeId: upgrade.id, unitId: upgrade.unitId, programId: upgrade.programId, from, to }),
};
