import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { HistoryReference } from '../units/unit-history.js';
import type { SqlCondition } from '../common/sql/sql-condition.js';
import type { ReturnEntity } from './return.entity.js';

/**
 * Who sees a return (docs/rules.md, "Who sees what"): the retailer whose return it is, and the
 * platform. One rule, as a SQL condition on a return_authorizations alias (lists) and as
 * TypeScript on a loaded row (get, node, the repair ticket's link back), side by side;
 * test/visibility-returns.e2e-spec.ts checks that the two agree.
 */
export function returnVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  if (isPlatform(caller)) return { sql: 'TRUE', params: [] };
  return { sql: `${alias}.retailer_id = $${paramIndex}`, params: [caller.organizationId] };
}

export function canSeeReturn(caller: Caller, rma: Pick<ReturnEntity, 'retailerId'>): boolean {
  return isPlatform(caller) || rma.retailerId === caller.organizationId;
}

/** The return named in a unit's history, shown to those who see the return (its retailer; the platform sees every link). */
export function returnReference(rma: Pick<ReturnEntity, 'id' | 'number' | 'retailerId'>): HistoryReference {
  return { kind: 'RETURN', id: rma.id, label: rma.number, seenBy: [rma.retailerId] };
}
