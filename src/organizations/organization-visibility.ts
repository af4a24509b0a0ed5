import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { OrganizationKind } from './organization.entity.js';

/**
 * Who sees an organization (its id, name, kind and the service terms its type shows): every
 * organization with a key sees every other, which is the directory (a store routes a repair to a
 * center, the catalog names its makers); the platform operator's own organization is seen by the
 * platform alone. One rule, as SQL for lists and as TypeScript for a loaded row, side by side.
 */
export function organizationVisibility(caller: Caller, alias: string): string {
  return isPlatform(caller) ? 'TRUE' : `${alias}.kind <> 'PLATFORM'`;
}

export function canSeeOrganization(caller: Caller, organization: { kind: OrganizationKind }): boolean {
  return isPlatform(caller) || organization.kind !== 'PLATFORM';
}

/** Who sees a technician: its service center and the platform. */
export function canSeeTechnician(caller: Caller, technician: { serviceCenterId: string }): boolean {
  return isPlatform(caller) || technician.serviceCenterId === caller.organizationId;
}
