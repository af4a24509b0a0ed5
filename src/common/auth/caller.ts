import type { ApiKeyRole } from '../../organizations/api-key.entity.js';
import type { OrganizationKind } from '../../organizations/organization.entity.js';
import { forbidden } from '../errors/domain-error.js';

/** Who is calling: an API key, its organization and role, and its technician for TECHNICIAN keys. */
export interface Caller {
  apiKeyId: string;
  organizationId: string;
  organizationKind: OrganizationKind;
  role: ApiKeyRole;
  technicianId: string | null;
}

export const isPlatform = (caller: Caller) => caller.organizationKind === 'PLATFORM';

/** STAFF and ADMIN do the organization's work; READONLY and TECHNICIAN keys may not (technicians only work tickets). */
export function assertCanWork(caller: Caller): void {
  if (caller.role === 'READONLY') throw forbidden('This API key is read-only.');
  if (caller.role === 'TECHNICIAN')
    throw forbidden('A technician key may only work on repair tickets assigned to its technician.');
}

/** Whether the key does the organization's work (STAFF, ADMIN): assertCanWork's rule as a predicate, for the state machines' `may`. */
export const canWork = (caller: Caller) => caller.role === 'STAFF' || caller.role === 'ADMIN';

export function assertAdmin(caller: Caller): void {
  if (caller.role !== 'ADMIN')
    throw forbidden('Only an ADMIN key may manage the organization, its keys and technicians.');
}

export function assertKind(caller: Caller, kinds: OrganizationKind[], action: string): void {
  if (!kinds.includes(caller.organizationKind)) {
    throw forbidden(
      `Only ${kinds.map((k) => k.toLowerCase().replace('_', ' ')).join(' or ')} organizations may ${action}.`,
    );
  }
}
