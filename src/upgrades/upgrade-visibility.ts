import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { HistoryReference } from '../units/unit-history.js';
import type { SqlCondition } from '../common/sql/sql-condition.js';
import type { UpgradeRequestEntity } from './upgrade.entity.js';

export type UpgradeParties = Pick<UpgradeRequestEntity, 'requestedById' | 'programOwnerId'>;

/**
 * Who sees an upgrade request: the organization that asked for it, the program's owner, the
 * platform. One rule, as a SQL condition on an upgrade_requests alias (lists), as TypeScript on a
 * loaded row (get, node) and as the audience of its links in unit history, side by side;
 * test/visibility-upgrades.e2e-spec.ts checks that the SQL and TypeScript forms agree.
 */
export function upgradeVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  if (isPlatform(caller)) return { sql: 'TRUE', params: [] };
  return {
    sql: `(${alias}.requested_by_id = $${paramIndex} OR ${alias}.program_owner_id = $${paramIndex})`,
    params: [caller.organizationId],
  };
}

/** Who sees the request besides the platform. */
export function upgradeAudience(upgrade: UpgradeParties): string[] {
  return [upgrade.requestedById, upgrade.programOwnerId];
}

export function canSeeUpgrade(caller: Caller, upgrade: UpgradeParties): boolean {
  return isPlatform(caller) || upgradeAudience(upgrade).includes(caller.organizationId);
}

/** The request named in a unit's history, shown to those who see the request. */
export function upgradeReference(upgrade: UpgradeParties & Pick<UpgradeRequestEntity, 'id'>): HistoryReference {
  return { kind: 'UPGRADE_REQUEST', id: upgrade.id, seenBy: upgradeAudience(upgrade) };
}
