import type { Caller } from '../common/auth/caller.js';
import { ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiBool,
  ApiDateTime,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import { FailureCategoryEnum } from '../products/product.enums.js';
import { CoverageAtIntakeView } from '../warranty/coverage.views.js';
import { RepairStatusEnum } from './repair.enums.js';
import type { Money } from '../common/money/money.js';
import type { CoverageVerdict } from '../warranty/coverage-engine.js';
import { estimateApproved, ticketEstimate } from './repair-estimate.js';
import type { RepairHistoryEntity, RepairTicketEntity } from './repair-ticket.entity.js';
import { seesTechnicians } from './repair-ticket.access.js';
import { DONE_STATUSES, REPAIR_TICKET_MACHINE, type RepairStatus } from './repair-ticket.machine.js';

@ApiSchema({ name: 'RepairPart' })
class RepairPartView {
  @ApiText('CMP-7') partNumber: string;
  @ApiText('Compressor') description: string;
  @ApiInt(1) quantity: number;
  @ApiMoney() unitCost: Money;
}

@ApiSchema({
  name: 'RepairEstimate',
  description: 'What the repair costs, what coverage pays and what the customer pays.',
})
class RepairEstimateView {
  @ApiMoney() total: Money;
  @ApiMoney() covered: Money;
  @ApiMoney() customerPays: Money;
  @ApiDateTime({ nullable: true }) approvedAt: Date | null;
}

@ApiSchema({ name: 'RepairStatusChange' })
export class RepairStatusChangeView {
  @ApiEnum(RepairStatusEnum, 'RepairStatus', { nullable: true }) from: RepairStatus | null;
  @ApiEnum(RepairStatusEnum, 'RepairStatus') to: RepairStatus;
  @ApiDateTime() at: Date;
  @ApiId() actorOrganizationId: string;
  @ApiId({ nullable: true }) technicianId: string | null;
  @ApiText('Waiting for the compressor', { nullable: true }) note: string | null;
}

@ApiSchema({ name: 'RepairTicket' })
export class RepairTicketView {
  @ApiId() id: string;
  @ApiText('RT-000042') number: string;
  @ApiId() unitId: string;
  @ApiId() manufacturerId: string;
  @ApiId() serviceCenterId: string;
  @ApiId() openedById: string;
  @ApiId({ nullable: true }) technicianId: string | null;
  @ApiEnum(RepairStatusEnum, 'RepairStatus') status: RepairStatus;
  @ApiEnum(RepairStatusEnum, 'RepairStatus', {
    isArray: true,
    description: 'The statuses this caller may move the ticket to now.',
  })
  nextStates: RepairStatus[];
  @ApiText('Does not cool') reportedIssue: string;
  @ApiEnum(FailureCategoryEnum, 'FailureCategory') failureCategory: string;
  @ApiNested(() => CoverageAtIntakeView) coverageAtIntake: CoverageVerdict & { serialNumber: string };
  @ApiText('Compressor failed', { nullable: true }) diagnosis: string | null;
  @ApiNested(() => RepairPartView, { isArray: true }) parts: RepairPartView[];
  @ApiInt(45) laborMinutes: number;
  @ApiNested(() => RepairEstimateView, { nullable: true }) estimate: RepairEstimateView | null;
  @ApiId({ nullable: true }) warrantyClaimId: string | null;
  @ApiId({ nullable: true }) returnLineId: string | null;
  @ApiDateTime() dueAt: Date;
  @ApiBool(false) overdue: boolean;
  @ApiNested(() => RepairStatusChangeView, { isArray: true }) history: RepairStatusChangeView[];
  @ApiDateTime() createdAt: Date;
  @ApiInt(1) version: number;
}

function isOverdue(ticket: Pick<RepairTicketEntity, 'dueAt' | 'status'>, now = new Date()): boolean {
  return ticket.dueAt.getTime() < now.getTime() && !DONE_STATUSES.includes(ticket.status);
}

/** The ticket as this caller may read it: technicians, and notes naming them, for the center only (seesTechnicians). */
export function toRepairTicketView(
  ticket: RepairTicketEntity,
  history: RepairHistoryEntity[],
  caller: Caller,
  now = new Date(),
): RepairTicketView {
  const estimate = ticketEstimate(ticket);
  const center = seesTechnicians(caller, ticket);
  return typed(
    {
      id: ticket.id,
      number: ticket.number,
      unitId: ticket.unitId,
      manufacturerId: ticket.manufacturerId,
      serviceCenterId: ticket.serviceCenterId,
      openedById: ticket.openedById,
      technicianId: center ? ticket.technicianId : null,
      status: ticket.status,
      // who may take each move and its guards, from the machine's declaration
      nextStates: REPAIR_TICKET_MACHINE.nextStates(caller, ticket, ticket.status),
      reportedIssue: ticket.reportedIssue,
      failureCategory: ticket.failureCategory,
      coverageAtIntake: ticket.coverageAtIntake,
      diagnosis: ticket.diagnosis,
      parts: ticket.parts.map((p) => ({
        partNumber: p.partNumber,
        description: p.description,
        quantity: p.quantity,
        unitCost: { amount: p.unitCost, currency: ticket.currency! },
      })),
      laborMinutes: ticket.laborMinutes,
      estimate: estimate && {
        total: estimate.total,
        covered: estimate.covered,
        customerPays: estimate.customerPays,
        approvedAt: estimateApproved(ticket, estimate) ? ticket.estimateApprovedAt : null,
      },
      warrantyClaimId: ticket.warrantyClaimId,
      returnLineId: ticket.returnLineId,
      dueAt: ticket.dueAt,
      overdue: isOverdue(ticket, now),
      history: history.map((h) => ({
        from: h.fromStatus,
        to: h.toStatus,
        at: h.at,
        actorOrganizationId: h.actorOrganizationId,
        technicianId: center ? h.technicianId : null,
        note: (center ? h.centerNote : null) ?? h.note,
      })),
      createdAt: ticket.createdAt,
      version: ticket.version,
    },
    'RepairTicket',
  );
}
