import type { Caller } from '../common/auth/caller.js';
import type { HistoryReference } from '../units/unit-history.js';
import type { SqlCondition } from '../common/sql/sql-condition.js';
import type { WarrantyClaimEntity } from './claim.entity.js';

type ClaimParties = Pick<WarrantyClaimEntity, 'manufacturerId' | 'claimantId'>;

/**
 * Who sees a warranty claim (docs/rules.md, "Who sees what"): a manufacturer the claims filed
 * against it, a service center or retailer the claims it filed, the platform every claim. One
 * rule, as a SQL condition on a warranty_claims alias (lists) and as TypeScript on a loaded row
 * (get, node, links), side by side; test/visibility-claims.e2e-spec.ts checks that the two agree.
 */
export function claimVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  const me = [caller.organizationId];
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return { sql: 'TRUE', params: [] };
    case 'MANUFACTURER':
      return { sql: `${alias}.manufacturer_id = $${paramIndex}`, params: me };
    default:
      return { sql: `${alias}.claimant_id = $${paramIndex}`, params: me };
  }
}

export function canSeeClaim(caller: Caller, claim: ClaimParties): boolean {
  switch (caller.organizationKind) {
    case 'PLATFORM':
      return true;
    case 'MANUFACTURER':
      return claim.manufacturerId === caller.organizationId;
    default:
      return claim.claimantId === caller.organizationId;
  }
}

/**
 * The claim named in its unit's history, for the organizations the rule above lets see it: the
 * manufacturer it is against and the organization that filed it (only service centers and
 * retailers file claims), the platform seeing every reference anyway.
 */
export function claimReference(claim: ClaimParties & Pick<WarrantyClaimEntity, 'id' | 'number'>): HistoryReference {
  return {
    kind: 'WARRANTY_CLAIM',
    id: claim.id,
    label: claim.number,
    seenBy: [claim.manufacturerId, claim.claimantId],
  };
}
