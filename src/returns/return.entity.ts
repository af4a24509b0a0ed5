import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CoverageStart } from '../products/warranty-terms.js';
import type { CoverageVerdict } from '../warranty/coverage-engine.js';
import type { ItemCondition, ReturnReason, ReturnResolution } from './return-rules.js';
import type { ReturnStatus } from './return.machine.js';

@Entity('return_policies')
export class ReturnPolicyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'retailer_id' }) retailerId: string;
  @Column('text') name: string;
  @Column('text', { array: true }) categories: string[];
  @Column('int', { name: 'window_days' }) windowDays: number;
  @Column('int', { name: 'unopened_window_days', nullable: true }) unopenedWindowDays: number | null;
  @Column('text', { name: 'window_starts_from' }) windowStartsFrom: CoverageStart;
  @Column('date', { name: 'holiday_purchase_start', nullable: true }) holidayPurchaseStart: string | null;
  @Column('date', { name: 'holiday_purchase_end', nullable: true }) holidayPurchaseEnd: string | null;
  @Column('date', { name: 'holiday_return_until', nullable: true }) holidayReturnUntil: string | null;
  @Column('numeric', { name: 'restocking_fee_percent' }) restockingFeePercent: string;
  @Column('boolean', { name: 'waive_fee_when_retailer_at_fault' }) waiveFeeWhenRetailerAtFault: boolean;
  @Column('text', { name: 'allowed_resolutions', array: true }) allowedResolutions: ReturnResolution[];
  @Column('int', { name: 'ship_within_days' }) shipWithinDays: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

@Entity('return_authorizations')
export class ReturnEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') number: string;
  @Column('uuid', { name: 'retailer_id' }) retailerId: string;
  @Column('uuid', { name: 'policy_id', nullable: true }) policyId: string | null;
  @Column('text') status: ReturnStatus;
  @Column('date', { name: 'requested_on' }) requestedOn: string;
  @Column('text', { name: 'rejection_reason', nullable: true }) rejectionReason: string | null;
  @Column('text', { name: 'rejection_message', nullable: true }) rejectionMessage: string | null;
  /** The position (0-based, as in `lines.N`) of the line that failed. */
  @Column('int', { name: 'rejected_line', nullable: true }) rejectedLine: number | null;
  @Column('jsonb', { name: 'warranty_alternative', nullable: true }) warrantyAlternative:
    (CoverageVerdict & { serialNumber: string; unitId: string }) | null;
  @Column('text', { name: 'tracking_number', nullable: true }) trackingNumber: string | null;
  @Column('text', { nullable: true }) carrier: string | null;
  /** The last day to ship an authorized return; after it the expiry job expires it. */
  @Column('date', { name: 'ship_by', nullable: true }) shipBy: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('return_lines')
export class ReturnLineEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'return_id' }) returnId: string;
  @Column('int') position: number;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  /** The policy that decided the line; resolution follows it, whatever policies come later. */
  @Column('uuid', { name: 'policy_id', nullable: true }) policyId: string | null;
  @Column('text') reason: ReturnReason;
  @Column('text') condition: ItemCondition;
  @Column('text', { name: 'requested_resolution' }) requestedResolution: ReturnResolution;
  @Column('text', { nullable: true }) resolution: ReturnResolution | null;
  @Column('char', { length: 3, nullable: true }) currency: string | null;
  @Column('numeric', { name: 'expected_refund', nullable: true }) expectedRefund: string | null;
  @Column('numeric', { name: 'restocking_fee', nullable: true }) restockingFee: string | null;
  @Column('numeric', { name: 'refunded_amount', nullable: true }) refundedAmount: string | null;
  @Column('text', { name: 'inspection_grade', nullable: true }) inspectionGrade: string | null;
  @Column('text', { name: 'inspected_condition', nullable: true }) inspectedCondition: ItemCondition | null;
  @Column('text', { name: 'inspection_note', nullable: true }) inspectionNote: string | null;
  @Column('uuid', { name: 'replacement_unit_id', nullable: true }) replacementUnitId: string | null;
  @Column('uuid', { name: 'repair_ticket_id', nullable: true }) repairTicketId: string | null;
}

@Entity('return_history')
export class ReturnHistoryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'return_id' }) returnId: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: ReturnStatus | null;
  @Column('text', { name: 'to_status' }) toStatus: ReturnStatus;
  @Column('timestamptz') at: Date;
  /** The retailer that made the change; the platform for the expiry job's (null when there is no platform organization). */
  @Column('uuid', { name: 'actor_organization_id', nullable: true }) actorOrganizationId: string | null;
  @Column('text', { nullable: true }) note: string | null;
}
