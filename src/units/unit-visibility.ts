import type { Caller } from '../common/auth/caller.js';

/**
 * Which units a caller may see (DOMAIN.md): a manufacturer the units of its products, a retailer
 * the units it sold, a service center the units it has had a repair ticket for (kept on the unit
 * as service_center_ids when a ticket opens), the platform all. Returns a SQL condition on the
 * alias, with its parameter.
 */
export function unitVisibility(caller: Caller, alias: string, paramIndex: number): { sql: string; params: unknown[] } {
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return { sql: 'TRUE', params: [] };
    case 'MANUFACTURER':
      return { sql: `${alias}.manufacturer_id = $${paramIndex}`, params: [caller.organizationId] };
    case 'RETAILER':
      return { sql: `${alias}.retailer_id = $${paramIndex}`, params: [caller.organizationId] };
    case 'SERVICE_CENTER':
      return { sql: `${alias}.service_center_ids @> ARRAY[$${paramIndex}::uuid]`, params: [caller.organizationId] };
    default:
      return { sql: 'FALSE', params: [] };
  }
}

/** The same rule for one loaded unit. */
export function canSeeUnit(caller: Caller, unit: { manufacturerId: string; retailerId: string | null; serviceCenterIds?: string[] | null }): boolean {
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return true;
    case 'MANUFACTURER':
      return unit.manufacturerId === caller.organizationId;
    case 'RETAILER':
      return unit.retailerId === caller.organizationId;
    case 'SERVICE_CENTER':
      return unit.serviceCenterIds?.includes(caller.organizationId) ?? false;
    default:
      return false;
  }
}
