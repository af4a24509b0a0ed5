import { historyTable, type Lifecycle } from '../common/lifecycle/lifecycle.js';
import { ClaimHistoryEntity, WarrantyClaimEntity } from './claim.entity.js';
import { WARRANTY_CLAIM_MACHINE, type ClaimStatus } from './warranty-claim.machine.js';

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
  writeHistory: historyTable(
    ClaimHistoryEntity,
    (claim: WarrantyClaimEntity, caller, details: ClaimHistoryDetails | undefined) => ({
      claimId: claim.id,
      actorOrganizationId: caller!.organizationId,
      reasonCode: details?.reasonCode ?? null,
      note: details?.note ?? null,
      data: details?.data ?? null,
    }),
  ),
  payload: (claim, from, to, patch) => ({ claimId: claim.id, from, to, ...patch }),
};
