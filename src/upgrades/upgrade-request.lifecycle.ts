import { historyTable, type Lifecycle } from '../common/lifecycle/lifecycle.js';
import { UpgradeHistoryEntity, UpgradeRequestEntity } from './upgrade.entity.js';
import { UPGRADE_REQUEST_MACHINE, type UpgradeStatus } from './upgrade-request.machine.js';

/** Upgrade requests in the lifecycle: their history table and outbox payloads. */
export const UPGRADE_REQUEST_LIFECYCLE: Lifecycle<UpgradeStatus, UpgradeRequestEntity, { note: string | null }> = {
  machine: UPGRADE_REQUEST_MACHINE,
  table: 'upgrade_requests',
  entity: UpgradeRequestEntity,
  writeHistory: historyTable(
    UpgradeHistoryEntity,
    (upgrade: UpgradeRequestEntity, caller, details: { note: string | null } | undefined) => ({
      upgradeId: upgrade.id,
      actorOrganizationId: caller!.organizationId,
      note: details?.note ?? null,
    }),
  ),
  payload: (upgrade, from, to) => ({
    upgradeId: upgrade.id,
    unitId: upgrade.unitId,
    programId: upgrade.programId,
    from,
    to,
  }),
};
