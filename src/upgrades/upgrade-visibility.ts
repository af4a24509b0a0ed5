import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { SqlCondition } from '../units/unit-visibility.js';
import type { UpgradeRequestEntity } from './upgrade.entity.js';

/**
 * Who sees an upgrade request: the organization that asked for it, the program's owner, the
 * platform. One rule, as a SQL condition on an upgrade_requests alias (lists) and as TypeScript
 * on a loaded row (get, node, history links), side by side; test/directory.e2e-spec.ts checks
 * that the two agree.
 */
export function upgradeVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  if (isPlatform(caller)) return { sql: 'TRUE', params: [] };
  return {
    sql: `(${alias}.requested_by_id = $${paramIndex} OR ${alias}.program_owner_id = $${paramIndex})`,
    params: [caller.organizationId],
  };
}

export function canSeeUpgrade(
  caller: Caller,
  upgrade: Pick<UpgradeRequestEntity, 'requestedById' | 'programOwnerId'>,
): boolean {
  return (
    isPlatform(caller) ||
    upgrade.requestedById === caller.organizationId ||
    upgrade.programOwnerId === caller.organizationId
  );
}
