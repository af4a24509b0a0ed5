import type { Caller } from '../common/auth/caller.js';
import type { SqlCondition } from '../common/sql/sql-condition.js';

/**
 * The unit's access rules (docs/rules.md, "Who sees what"), one rule per thing, each in
 * a SQL form (a condition on a units alias, with its parameters) and a TypeScript form (on a
 * loaded row), side by side so they cannot drift apart; test/access-rules.e2e-spec.ts checks
 * that the two forms agree.
 *
 * Opening a repair ticket makes no one the unit's keeper: the organization that opened a ticket
 * for a unit it neither sold nor made sees that ticket, and on it a reduced unit (toTicketUnitView),
 * never the unit itself.
 */

/** What the rules read from a unit row. */
export interface UnitAccessFacts {
  manufacturerId: string;
  retailerId: string | null;
  /** The service centers with a repair ticket for the unit, open or finished (units.repair_org_ids). */
  repairOrgIds?: string[] | null;
  /** The service center holding the unit's open repair ticket, if any. */
  openRepairCenterId?: string | null;
}

const NONE: SqlCondition = { sql: 'FALSE', params: [] };

/**
 * May see the unit (get, by serial, lists, history, and on claims, returns and upgrades): its
 * manufacturer, the retailer that sold it, a service center with a ticket for it at its center
 * (open or finished), the platform.
 */
export function unitVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  const me = [caller.organizationId];
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return { sql: 'TRUE', params: [] };
    case 'MANUFACTURER':
      return { sql: `${alias}.manufacturer_id = $${paramIndex}`, params: me };
    case 'RETAILER':
      return { sql: `${alias}.retailer_id = $${paramIndex}`, params: me };
    case 'SERVICE_CENTER':
      return { sql: `${alias}.repair_org_ids @> ARRAY[$${paramIndex}::uuid]`, params: me };
    default:
      return NONE;
  }
}

export function canSeeUnit(caller: Caller, unit: UnitAccessFacts): boolean {
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return true;
    case 'MANUFACTURER':
      return unit.manufacturerId === caller.organizationId;
    case 'RETAILER':
      return unit.retailerId === caller.organizationId;
    case 'SERVICE_CENTER':
      return unit.repairOrgIds?.includes(caller.organizationId) ?? false;
    default:
      return false;
  }
}

/**
 * May read the stored owner (Unit.owner): the unit's keepers (its manufacturer and retailer), and
 * a service center while it holds the unit's open ticket (not once that ticket is finished).
 * Nobody else, the platform operator included: it is the customer's personal data.
 */
export function ownerVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  if (caller.organizationKind === 'SERVICE_CENTER')
    return { sql: `${alias}.open_repair_center_id = $${paramIndex}`, params: [caller.organizationId] };
  return unitKeepers(caller, alias, paramIndex);
}

export function canReadOwner(caller: Caller, unit: UnitAccessFacts): boolean {
  if (caller.organizationKind === 'SERVICE_CENTER') return (unit.openRepairCenterId ?? null) === caller.organizationId;
  return canChangeUnit(caller, unit);
}

/**
 * May change the unit (transfer its ownership, attach plans, change its status by a return or an
 * upgrade): its manufacturer and the retailer that sold it, nobody else.
 */
export function unitKeepers(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  const me = [caller.organizationId];
  switch (caller.organizationKind) {
    case 'MANUFACTURER':
      return { sql: `${alias}.manufacturer_id = $${paramIndex}`, params: me };
    case 'RETAILER':
      return { sql: `${alias}.retailer_id = $${paramIndex}`, params: me };
    default:
      return NONE;
  }
}

export function canChangeUnit(caller: Caller, unit: UnitAccessFacts): boolean {
  switch (caller.organizationKind) {
    case 'MANUFACTURER':
      return unit.manufacturerId === caller.organizationId;
    case 'RETAILER':
      return unit.retailerId === caller.organizationId;
    default:
      return false;
  }
}
