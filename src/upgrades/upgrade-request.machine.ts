import { canWork, type Caller } from '../common/auth/caller.js';
import { Machine } from '../common/lifecycle/machine.js';
import type { UpgradeRequestEntity } from './upgrade.entity.js';
import { upgradeAudience, type UpgradeParties } from './upgrade-visibility.js';

/** The upgrade request's states (docs/rules.md, "Upgrades"): COMPLETED and CANCELLED are final. */
export const UPGRADE_STATUSES = ['REQUESTED', 'TRADE_IN_RECEIVED', 'COMPLETED', 'CANCELLED'] as const;
export type UpgradeStatus = (typeof UPGRADE_STATUSES)[number];

/** A unit has at most one request in these states (upgrade_requests_open_unit_key). */
export const OPEN_UPGRADE_STATUSES: readonly UpgradeStatus[] = ['REQUESTED', 'TRADE_IN_RECEIVED'];

/** The organization that asked, or the program's owner, moves the request on, with a key that does its work. */
const partyWorks = (caller: Caller, upgrade: UpgradeParties) =>
  canWork(caller) && upgradeAudience(upgrade).includes(caller.organizationId);

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
