import { Decimal } from 'decimal.js';
import { isPlatform, type Caller } from '../common/auth/caller.js';
import { typed } from '../common/graphql/node.js';
import type { Money } from '../common/money/money.js';
import type { CoverageVerdict } from '../warranty/coverage-engine.js';
import { estimateRepair, type RepairEstimateAmounts } from './repair-estimate.js';
import type { RepairHistoryEntity, RepairTicketEntity } from './repair-ticket.entity.js';
import { DONE_STATUSES, nextRepairStates, type RepairStatus } from './repair-transitions.js';

export interface RepairPartView {
  partNumber: string;
  description: string;
  quantity: number;
  unitCost: Money;
}

export interface RepairEstimateView {
  total: Money;
  covered: Money;
  customerPays: Money;
  approvedAt: Date | null;
}

export interface RepairStatusChangeView {
  from: RepairStatus | null;
  to: RepairStatus;
  at: Date;
  actorOrganizationId: string;
  technicianId: string | null;
  note: string | null;
}

export interface RepairTicketView {
  id: string;
  number: string;
  unitId: string;
  manufacturerId: string;
  serviceCenterId: string;
  openedById: string;
  technicianId: string | null;
  status: RepairStatus;
  nextStates: RepairStatus[];
  reportedIssue: string;
  failureCategory: string;
  coverageAtIntake: CoverageVerdict & { serialNumber: string };
  diagnosis: string | null;
  parts: RepairPartView[];
  laborMinutes: number;
  estimate: RepairEstimateView | null;
  warrantyClaimId: string | null;
  returnLineId: string | null;
  dueAt: Date;
  overdue: boolean;
  history: RepairStatusChangeView[];
  createdAt: Date;
  version: number;
}

/**
 * Technicians are their service center's own (DOMAIN.md): the center (its keys and technicians)
 * and the platform see who is assigned and who acted; the opener and the manufacturer see the
 * center, never its technicians.
 */
export function seesTechnicians(caller: Caller, ticket: Pick<RepairTicketEntity, 'serviceCenterId'>): boolean {
  return isPlatform(caller) || caller.organizationId === ticket.serviceCenterId;
}

/** Who may work a ticket: the center's STAFF and ADMIN keys, and the technician it is assigned to. */
export function mayWorkTicket(caller: Caller, ticket: Pick<RepairTicketEntity, 'serviceCenterId' | 'technicianId'>): boolean {
  if (caller.organizationId !== ticket.serviceCenterId) return false;
  if (caller.role === 'STAFF' || caller.role === 'ADMIN') return true;
  return caller.role === 'TECHNICIAN' && caller.technicianId !== null && caller.technicianId === ticket.technicianId;
}

/** The ticket's estimate, or null while nothing is priced (no parts, no labor). */
export function ticketEstimate(ticket: RepairTicketEntity): RepairEstimateAmounts | null {
  if (!ticket.currency || (ticket.parts.length === 0 && ticket.laborMinutes === 0)) return null;
  const coverage = ticket.coverageAtIntake.covered ? (ticket.coverageAtIntake.coverages[0] ?? null) : null;
  return estimateRepair({ currency: ticket.currency, parts: ticket.parts, laborMinutes: ticket.laborMinutes, laborRate: ticket.laborRateAmount, coverage });
}

/** Whether the customer's approval covers what they would pay now (more to pay needs a new approval). */
export function estimateApproved(ticket: RepairTicketEntity, estimate: RepairEstimateAmounts | null): boolean {
  if (!estimate || ticket.estimateApprovedAmount === null) return false;
  return new Decimal(ticket.estimateApprovedAmount).greaterThanOrEqualTo(estimate.customerPays.amount);
}

/** Work the customer pays for needs their approval first (DOMAIN.md). */
export function needsApproval(ticket: RepairTicketEntity, estimate: RepairEstimateAmounts | null): boolean {
  return estimate !== null && new Decimal(estimate.customerPays.amount).greaterThan(0) && !estimateApproved(ticket, estimate);
}

export function isOverdue(ticket: Pick<RepairTicketEntity, 'dueAt' | 'status'>, now = new Date()): boolean {
  return ticket.dueAt.getTime() < now.getTime() && !DONE_STATUSES.includes(ticket.status);
}

/** The ticket as this caller may read it: technicians, and notes naming them, for the center only (seesTechnicians). */
export function toRepairTicketView(ticket: RepairTicketEntity, history: RepairHistoryEntity[], caller: Caller, now = new Date()): RepairTicketView {
  const estimate = ticketEstimate(ticket);
  const center = seesTechnicians(caller, ticket);
  return typed({
    id: ticket.id,
    number: ticket.number,
    unitId: ticket.unitId,
    manufacturerId: ticket.manufacturerId,
    serviceCenterId: ticket.serviceCenterId,
    openedById: ticket.openedById,
    technicianId: center ? ticket.technicianId : null,
    status: ticket.status,
    nextStates: nextRepairStates(ticket.status, { mayWork: mayWorkTicket(caller, ticket), needsApproval: needsApproval(ticket, estimate) }),
    reportedIssue: ticket.reportedIssue,
    failureCategory: ticket.failureCategory,
    coverageAtIntake: ticket.coverageAtIntake,
    diagnosis: ticket.diagnosis,
    parts: ticket.parts.map((p) => ({ partNumber: p.partNumber, description: p.description, quantity: p.quantity, unitCost: { amount: p.unitCost, currency: ticket.currency! } })),
    laborMinutes: ticket.laborMinutes,
    estimate: estimate && {
      total: estimate.total, covered: estimate.covered, customerPays: estimate.customerPays,
      approvedAt: estimateApproved(ticket, estimate) ? ticket.estimateApprovedAt : null,
    },
    warrantyClaimId: ticket.warrantyClaimId,
    returnLineId: ticket.returnLineId,
    dueAt: ticket.dueAt,
    overdue: isOverdue(ticket, now),
    history: history.map((h) => ({
      from: h.fromStatus, to: h.toStatus, at: h.at, actorOrganizationId: h.actorOrganizationId,
      technicianId: center ? h.technicianId : null, note: (center ? h.centerNote : null) ?? h.note,
    })),
    createdAt: ticket.createdAt,
    version: ticket.version,
  }, 'RepairTicket');
}
