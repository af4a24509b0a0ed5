import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FailureCategory } from '../products/warranty-terms.js';
import type { CoverageInForce } from './coverage-engine.js';
import type { ClaimStatus } from './warranty-claim.machine.js';

export const CLAIM_LINE_KINDS = ['PART', 'LABOR', 'SHIPPING', 'OTHER'] as const;
export type ClaimLineKind = (typeof CLAIM_LINE_KINDS)[number];

/** A claim line as stored: amounts are decimal text in the claim's currency. */
export interface StoredClaimLine {
  kind: ClaimLineKind;
  description: string;
  partNumber: string | null;
  laborCode: string | null;
  quantity: string;
  unitAmount: string;
  total: string;
}

@Entity('warranty_claims')
export class WarrantyClaimEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') number: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('uuid', { name: 'claimant_id' }) claimantId: string;
  @Column('uuid', { name: 'manufacturer_id' }) manufacturerId: string;
  @Column('text') status: ClaimStatus;
  @Column('text', { name: 'failure_category' }) failureCategory: FailureCategory;
  @Column('date', { name: 'failure_date' }) failureDate: string;
  @Column('text') description: string;
  @Column('jsonb') lines: StoredClaimLine[];
  @Column('char', { length: 3 }) currency: string;
  @Column('numeric', { name: 'requested_total' }) requestedTotal: string;
  @Column('numeric', { name: 'approved_total', nullable: true }) approvedTotal: string | null;
  /** The coverage the claim was filed under, as it stood at submission. */
  @Column('jsonb', { nullable: true }) coverage: CoverageInForce | null;
  @Column('text', { name: 'coverage_key', nullable: true }) coverageKey: string | null;
  @Column('text', { array: true }) flags: string[];
  @Column('uuid', { name: 'repair_ticket_id', nullable: true }) repairTicketId: string | null;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('warranty_claim_history')
export class ClaimHistoryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'claim_id' }) claimId: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: ClaimStatus | null;
  @Column('text', { name: 'to_status' }) toStatus: ClaimStatus;
  @Column('timestamptz') at: Date;
  @Column('uuid', { name: 'actor_organization_id' }) actorOrganizationId: string;
  @Column('text', { name: 'reason_code', nullable: true }) reasonCode: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('jsonb', { nullable: true }) data: Record<string, unknown> | null;
}
