import { partiesFromRow, readingContext, type PublicResource } from '../common/events/public-events.js';
import type { ClaimsService } from './claims.service.js';

/** The warranty claim's public events; an organization receives the claim as GET /warranty-claims/{id} shows it. */
export const claimPublicEvents = (claims: ClaimsService): PublicResource => ({
  aggregateType: 'WarrantyClaim',
  viewSchema: 'WarrantyClaim',
  events: [
    {
      name: 'warranty_claim.submitted',
      description: 'A claim was filed with the manufacturer.',
      from: ['WarrantyClaimSubmitted'],
    },
    {
      name: 'warranty_claim.review_started',
      description: 'The manufacturer began reviewing the claim.',
      from: ['WarrantyClaimReviewStarted'],
    },
    {
      name: 'warranty_claim.approved',
      description: 'The manufacturer approved the claim, in full or in part.',
      from: ['WarrantyClaimApproved'],
    },
    { name: 'warranty_claim.rejected', description: 'The claim was rejected.', from: ['WarrantyClaimRejected'] },
    {
      name: 'warranty_claim.info_requested',
      description: 'The manufacturer asked the claimant for more information.',
      from: ['WarrantyClaimInfoRequested'],
    },
    {
      name: 'warranty_claim.info_provided',
      description: 'The claimant answered the request for information.',
      from: ['WarrantyClaimInfoProvided'],
    },
    {
      name: 'warranty_claim.paid',
      description: 'The manufacturer paid the approved amount.',
      from: ['WarrantyClaimPaid'],
    },
    {
      name: 'warranty_claim.cancelled',
      description: 'The claimant withdrew the claim.',
      from: ['WarrantyClaimCancelled'],
    },
  ],
  parties: partiesFromRow('warranty_claims', ['manufacturer_id', 'claimant_id']),
  read: (caller, id) => claims.get(readingContext(caller), id),
});
