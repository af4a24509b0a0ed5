import type { Caller } from '../common/auth/caller.js';
import { newId } from '../common/ids.js';
import type { Lifecycle } from '../common/lifecycle/lifecycle.js';
import { Machine } from '../common/lifecycle/machine.js';
import { CLAIM_STATUSES, type ClaimStatus } from './claim-transitions.js';
import { ClaimHistoryEntity, WarrantyClaimEntity } from './claim.entity.js';

type Claim = Pick<WarrantyClaimEntity, 'manufacturerId' | 'claimantId'>;

/** A key that does the organization's work (assertCanWork): STAFF or ADMIN. */
const works = (caller: Caller) => caller.role === 'STAFF' || caller.role === 'ADMIN';
/** Only the manufacturer decides on a claim against it. */
const manufacturerDecides = (caller: Caller, claim: Claim) => works(caller) && caller.organizationId === claim.manufacturerId;
/** The organization that filed the claim answers and cancels it. */
const claimantActs = (caller: Caller, claim: Claim) => works(caller) && caller.organizationId === claim.claimantId;

/** The warranty-claim state machine (DOMAIN.md, "Warranty claims"). */
export const WARRANTY_CLAIM_MACHINE = Machine.declare<ClaimStatus, WarrantyClaimEntity>({
  name: 'WarrantyClaim',
  states: CLAIM_STATUSES,
  initial: 'SUBMITTED',
  initialEvent: 'WarrantyClaimSubmitted',
  finals: ['REJECTED', 'PAID', 'CANCELLED'],
  transitions: [
    // on the manufacturer's first review action, in the same change as the decision
    { from: ['SUBMITTED'], to: 'IN_REVIEW', event: 'WarrantyClaimReviewStarted', may: manufacturerDecides },
    { from: ['IN_REVIEW'], to: 'APPROVED', event: 'WarrantyClaimApproved', may: manufacturerDecides },
    { from: ['IN_REVIEW'], to: 'PARTIALLY_APPROVED', event: 'WarrantyClaimApproved', may: manufacturerDecides },
    { from: ['IN_REVIEW'], to: 'REJECTED', event: 'WarrantyClaimRejected', may: manufacturerDecides },
    { from: ['IN_REVIEW'], to: 'NEEDS_INFO', event: 'WarrantyClaimInfoRequested', may: manufacturerDecides },
    { from: ['NEEDS_INFO'], to: 'IN_REVIEW', event: 'WarrantyClaimInfoProvided', may: claimantActs },
    { from: ['APPROVED', 'PARTIALLY_APPROVED'], to: 'PAID', event: 'WarrantyClaimPaid', may: manufacturerDecides },
    { from: ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO'], to: 'CANCELLED', event: 'WarrantyClaimCancelled', may: claimantActs },
    // not covered at filing: kept, rejected at once with the reasons (DOMAIN.md)
    { from: ['SUBMITTED'], to: 'REJECTED', event: 'WarrantyClaimRejected', automatic: true },
  ],
});

/** From each status, the statuses a caller may ask for. */
export const CLAIM_TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = WARRANTY_CLAIM_MACHINE.table();

export function canMove(from: ClaimStatus, to: ClaimStatus): boolean {
  return WARRANTY_CLAIM_MACHINE.canMove(from, to);
}

/** What a claim's history row records besides the move: on the last step of a change only. */
export interface ClaimHistoryDetails {
  reasonCode?: string | null;
  note?: string | null;
  data?: Record<string, unknown>;
}

/** Claims in the lifecycle: their history table, and the outbox payload of a decision. */
export const WARRANTY_CLAIM_LIFECYCLE: Lifecycle<ClaimStatus, WarrantyClaimEntity, ClaimHistoryDetails> = {
  machine: WARRANTY_CLAIM_MACHINE,
  table: 'warranty_claims',
  entity: WarrantyClaimEntity,
  async writeHistory(em, caller, claim, steps) {
    const at = new Date();
    await em.insert(ClaimHistoryEntity, steps.map(({ from, to, details }) => ({
      id: newId(), claimId: claim.id, fromStatus: from, toStatus: to, at, actorOrganizationId: caller!.organizationId,
      reasonCode: details?.reasonCode ?? null, note: details?.note ?? null, data: (details?.data ?? null) as never,
    })));
  },
  payload: (claim, from, to, patch) => ({ claimId: claim.id, from, to, ...patch }),
};
