import type { Caller } from '../common/auth/caller.js';

/**
 * Which units a caller may see (DOMAIN.md): a manufacturer the units of its products, a retailer
 * the units it sold, the platform all; and every organization the units of the repair tickets it
 * has (a service center the tickets at its center, anyone the tickets it opened: a store that took
 * in a unit it did not sell follows the repair). Those are kept on the unit as repair_org_ids
 * when a ticket opens. Returns a SQL condition on the alias, with its parameter.
 */
export function unitVisibility(caller: Caller, alias: string, paramIndex: number): { sql: string; params: unknown[] } {
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return { sql: 'TRUE', params: [] };
    case 'MANUFACTURER':
      return { sql: `${alias}.manufacturer_id = $${paramIndex}`, params: [caller.organizationId] };
    case 'RETAILER':
      return { sql: `(${alias}.retailer_id = $${paramIndex} OR ${alias}.repair_org_ids @> ARRAY[$${paramIndex}::uuid])`, params: [caller.organizationId] };
    case 'SERVICE_CENTER':
      return { sql: `${alias}.repair_org_ids @> ARRAY[$${paramIndex}::uuid]`, params: [caller.organizationId] };
    default:
      return { sql: 'FALSE', params: [] };
  }
}

/** The same rule for one loaded unit. */
export function canSeeUnit(caller: Caller, unit: { manufacturerId: string; retailerId: string | null; repairOrgIds?: string[] | null }): boolean {
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return true;
    case 'MANUFACTURER':
      return unit.manufacturerId === caller.organizationId;
    case 'RETAILER':
      return unit.retailerId === caller.organizationId || (unit.repairOrgIds?.includes(caller.organizationId) ?? false);
    case 'SERVICE_CENTER':
      return unit.repairOrgIds?.includes(caller.organizationId) ?? false;
    default:
      return false;
  }
}
