import { canWork, type Caller } from '../common/auth/caller.js';
import { Machine } from '../common/lifecycle/machine.js';
import type { WarrantyClaimEntity } from './claim.entity.js';

/** The warranty-claim states (docs/rules.md, "Warranty claims"). */
export const CLAIM_STATUSES = [
  'SUBMITTED',
  'IN_REVIEW',
  'NEEDS_INFO',
  'APPROVED',
  'PARTIALLY_APPROVED',
  'REJECTED',
  'PAID',
  'CANCELLED',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Claims that count against a coverage's claim limit and for duplicates: all but REJECTED and CANCELLED. */
export const LIVE_CLAIM_STATUSES: readonly ClaimStatus[] = CLAIM_STATUSES.filter(
  (s) => s !== 'REJECTED' && s !== 'CANCELLED',
);

type Claim = Pick<WarrantyClaimEntity, 'manufacturerId' | 'claimantId'>;

/** Only the manufacturer decides on a claim against it. */
const manufacturerDecides = (caller: Caller, claim: Claim) =>
  canWork(caller) && caller.organizationId === claim.manufacturerId;
/** The organization that filed the claim answers and cancels it. */
const claimantActs = (caller: Caller, claim: Claim) => canWork(caller) && caller.organizationId === claim.claimantId;

/** The warranty-claim state machine (docs/rules.md, "Warranty claims"). */
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
    {
      from: ['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO'],
      to: 'CANCELLED',
      event: 'WarrantyClaimCancelled',
      may: claimantActs,
    },
    // not covered at filing: kept, rejected at once with the reasons (docs/rules.md)
    { from: ['SUBMITTED'], to: 'REJECTED', event: 'WarrantyClaimRejected', automatic: true },
  ],
});

/** From each status, the statuses a caller may ask for. */
export const CLAIM_TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = WARRANTY_CLAIM_MACHINE.table();

export function canMove(from: ClaimStatus, to: ClaimStatus): boolean {
  return WARRANTY_CLAIM_MACHINE.canMove(from, to);
}
