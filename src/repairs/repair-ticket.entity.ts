import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FailureCategory } from '../products/warranty-terms.js';
import type { CoverageVerdict } from '../warranty/coverage-engine.js';
import type { RepairStatus } from './repair-ticket.machine.js';

/** A part used on a repair, as stored: the unit cost is decimal text in the ticket's currency. */
export interface StoredRepairPart {
  partNumber: string;
  description: string;
  quantity: number;
  unitCost: string;
}

@Entity('repair_tickets')
export class RepairTicketEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') number: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('uuid', { name: 'manufacturer_id' }) manufacturerId: string;
  @Column('uuid', { name: 'service_center_id' }) serviceCenterId: string;
  @Column('uuid', { name: 'opened_by_id' }) openedById: string;
  @Column('uuid', { name: 'technician_id', nullable: true }) technicianId: string | null;
  @Column('text') status: RepairStatus;
  @Column('text', { name: 'reported_issue' }) reportedIssue: string;
  @Column('text', { name: 'failure_category' }) failureCategory: FailureCategory;
  /** The coverage check at intake for the reported failure, kept as it was. */
  @Column('jsonb', { name: 'coverage_at_intake' }) coverageAtIntake: CoverageVerdict & { serialNumber: string };
  @Column('text', { nullable: true }) diagnosis: string | null;
  @Column('jsonb') parts: StoredRepairPart[];
  @Column('int', { name: 'labor_minutes' }) laborMinutes: number;
  /** The center's hourly rate when the ticket opened: the estimate does not move when the rate does. */
  @Column('numeric', { name: 'labor_rate_amount', nullable: true }) laborRateAmount: string | null;
  /** The labor rate's currency, or the first part's when the center has no rate. */
  @Column('char', { length: 3, nullable: true }) currency: string | null;
  @Column('timestamptz', { name: 'estimate_approved_at', nullable: true }) estimateApprovedAt: Date | null;
  /** What the customer agreed to pay; more to pay later needs a new approval. */
  @Column('numeric', { name: 'estimate_approved_amount', nullable: true }) estimateApprovedAmount: string | null;
  @Column('uuid', { name: 'warranty_claim_id', nullable: true }) warrantyClaimId: string | null;
  /** The return line that sent the unit for repair, if any. */
  @Column('uuid', { name: 'return_line_id', nullable: true }) returnLineId: string | null;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('repair_ticket_history')
export class RepairHistoryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'ticket_id' }) ticketId: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: RepairStatus | null;
  @Column('text', { name: 'to_status' }) toStatus: RepairStatus;
  @Column('timestamptz') at: Date;
  @Column('uuid', { name: 'actor_organization_id' }) actorOrganizationId: string;
  @Column('uuid', { name: 'technician_id', nullable: true }) technicianId: string | null;
  @Column('text', { nullable: true }) note: string | null;
  /** The note as the service center reads it when it names one of its technicians; others read `note`. */
  @Column('text', { name: 'center_note', nullable: true }) centerNote: string | null;
}
