import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource, In, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, isPlatform, type Caller } from '../common/auth/caller.js';
import { changeInTransaction, createInLifecycle, type Change } from '../common/lifecycle/lifecycle.js';
import { toCalendarDate, today } from '../common/dates/calendar-date.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error.js';
import {
  ErrorResult,
  GenericError,
  InvalidStateTransitionError,
  RollbackWithResult,
  validationError,
} from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { fitsAmountColumn, money } from '../common/money/money.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { OrganizationEntity } from '../organizations/organization.entity.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import { TechnicianEntity } from '../organizations/technician.entity.js';
import { lockUnit } from '../units/unit-changes.js';
import { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory, UnitsService } from '../units/units.service.js';
import type { StoredClaimLine } from '../warranty/claim.entity.js';
import { DEDUCTIBLE_APPLIED } from '../warranty/claim-rules.js';
import { ClaimsService } from '../warranty/claims.service.js';
import { checkCoverage } from '../warranty/coverage-engine.js';
import { CoverageService } from '../warranty/coverage.service.js';
import type { RepairEstimateAmounts } from './repair-estimate.js';
import { RepairHistoryEntity, RepairTicketEntity, type StoredRepairPart } from './repair-ticket.entity.js';
import { canSeeTicket, ticketReference } from './repair-ticket.access.js';
import { REPAIR_TICKET_LIFECYCLE, type RepairHistoryDetails } from './repair-ticket.lifecycle.js';
import {
  DONE_STATUSES,
  FINAL_REPAIR_STATUSES,
  REPAIR_TICKET_MACHINE,
  type RepairStatus,
} from './repair-ticket.machine.js';
import type {
  ApproveRepairEstimateInput,
  AssignTechnicianInput,
  OpenRepairTicketInput,
  RepairTicketFilter,
  UpdateRepairTicketInput,
} from './repair.inputs.js';
import { mayWorkTicket, ticketEstimate, toRepairTicketView, type RepairTicketView } from './repair.views.js';

const DEFAULT_TURNAROUND_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TicketIntake {
  unitId: string;
  /** The input field that named the unit, for errors. */
  unitField: string;
  center: OrganizationEntity;
  reportedIssue: string;
  failureCategory: FailureCategory;
  returnLineId: string | null;
}

/** One change to a ticket, decided on the locked current row. */
type TicketChange = Change<RepairStatus, RepairTicketEntity, RepairHistoryDetails>;

/** Repair tickets (docs/rules.md, "Repairs"): intake, the bench, estimates, and the warranty claim on closing. */
@Injectable()
export class RepairsService {
  constructor(
    private readonly db: DataSource,
    private readonly coverage: CoverageService,
    private readonly claims: ClaimsService,
    private readonly units: UnitsService,
  ) {}

  async open(ctx: RequestContext, input: OpenRepairTicketInput): Promise<RepairTicketView | ErrorResult> {
    const { caller } = ctx;
    assertKind(caller, ['SERVICE_CENTER', 'RETAILER', 'MANUFACTURER'], 'open repair tickets');
    if (input.unitId && input.serialNumber)
      return validationError('unitId', 'Give the unit by unitId or by serialNumber, not both.');
    if (!input.unitId && !input.serialNumber)
      return validationError('unitId', 'Give the unit by unitId or by serialNumber.');
    const center = await this.serviceCenter(caller, input.serviceCenterId);
    if (center instanceof ErrorResult) return center;
    const unitField = input.unitId ? 'unitId' : 'serialNumber';
    // a manufacturer takes in its own units only (a serial number means its own)
    const manufacturerId =
      caller.organizationKind === 'MANUFACTURER' ? caller.organizationId : (input.manufacturerId ?? null);
    if (
      caller.organizationKind === 'MANUFACTURER' &&
      input.manufacturerId &&
      input.manufacturerId !== caller.organizationId
    )
      throw notFound('Unit', 'UNIT_NOT_FOUND', 'serialNumber');
    const unitId = input.unitId
      ? (await this.units.visibleUnit(caller, input.unitId, 'unitId')).id
      : await this.unitIdBySerial(input.serialNumber!, manufacturerId);
    // a unit the caller may not take in is NOT_FOUND whatever its key; then the key
    assertCanWork(caller);

    return inTransaction(this.db, (em) =>
      this.openIn(em, caller, {
        unitId,
        unitField,
        center,
        reportedIssue: input.reportedIssue,
        failureCategory: input.failureCategory,
        returnLineId: null,
      }),
    );
  }

  /**
   * Opens a ticket in the caller's transaction, the center already checked: the unit locked and
   * ACTIVE with no open ticket, the coverage at intake, history, the unit visible to the center
   * (and its owner's contact while the ticket is open), outbox. Returns hand units over for repair
   * through this too. The opener becomes no keeper of the unit (unit-visibility.ts).
   */
  async openIn(em: EntityManager, caller: Caller, intake: TicketIntake): Promise<RepairTicketView> {
    const { unitId, unitField, center } = intake;
    await lockUnit(em, unitId);
    const unit = await em.findOneByOrFail(UnitEntity, { id: unitId });
    if (unit.status !== 'ACTIVE')
      throw new RollbackWithResult(
        new GenericError(
          ErrorCode.UNIT_NOT_ACTIVE,
          `The unit is ${unit.status}: only an ACTIVE unit is taken in for repair.`,
          unitField,
        ),
      );
    const [open] = await em.query(
      `SELECT number, service_center_id AS "serviceCenterId", opened_by_id AS "openedById", manufacturer_id AS "manufacturerId"
         FROM repair_tickets WHERE unit_id = $1 AND status <> ALL($2::text[])`,
      [unitId, FINAL_REPAIR_STATUSES],
    );
    if (open) {
      // its number only to those who may see that ticket
      const which = canSeeTicket(caller, open) ? `, ${open.number}` : ' at another service center';
      throw new RollbackWithResult(
        new GenericError(
          ErrorCode.REPAIR_ALREADY_OPEN,
          `The unit already has an open repair ticket${which}.`,
          unitField,
        ),
      );
    }
    const verdict = checkCoverage(await this.coverage.factsOf(unitId, em), today(), intake.failureCategory);
    const [{ n }] = await em.query(`SELECT nextval('repair_ticket_number_seq')::int AS n`);
    const now = new Date();
    const ticket: RepairTicketEntity = {
      id: newId(),
      number: `RT-${String(n).padStart(6, '0')}`,
      unitId,
      manufacturerId: unit.manufacturerId,
      serviceCenterId: center.id,
      openedById: caller.organizationId,
      technicianId: null,
      status: REPAIR_TICKET_MACHINE.declaration.initial,
      reportedIssue: intake.reportedIssue.trim(),
      failureCategory: intake.failureCategory,
      coverageAtIntake: { serialNumber: unit.serialNumber, ...verdict },
      diagnosis: null,
      parts: [],
      laborMinutes: 0,
      laborRateAmount: center.laborRateAmount,
      currency: center.laborRateCurrency,
      estimateApprovedAt: null,
      estimateApprovedAmount: null,
      warrantyClaimId: null,
      returnLineId: intake.returnLineId,
      dueAt: new Date(now.getTime() + (center.turnaroundDays ?? DEFAULT_TURNAROUND_DAYS) * DAY_MS),
      closedAt: null,
      createdAt: now,
      version: 1,
      updatedAt: now,
    };
    await createInLifecycle(em, caller, REPAIR_TICKET_LIFECYCLE, ticket, [
      { from: null, to: ticket.status, details: { note: `Received: ${ticket.reportedIssue}` } },
    ]);
    // docs/rules.md: the center sees its tickets' units, and reads the owner's contact while it holds the open ticket
    await em.query(
      `UPDATE units SET repair_org_ids = ARRAY(SELECT DISTINCT unnest(repair_org_ids || ARRAY[$2::uuid])), open_repair_center_id = $2 WHERE id = $1`,
      [unitId, center.id],
    );
    // the unit's history is read by everyone who sees the unit: the ticket is linked for those who see the ticket only
    await recordUnitHistory(em, caller, [
      {
        unitId,
        type: 'REPAIR_OPENED',
        summary: `Taken in for repair at ${center.name}`,
        references: [ticketReference(ticket)],
      },
    ]);
    return this.load(em, ticket.id, caller);
  }

  /** The service center a ticket may be opened at, or the error naming the field (in the caller's transaction, if any). */
  async serviceCenter(
    caller: Caller,
    serviceCenterId: string,
    field = 'serviceCenterId',
    em: EntityManager = this.db.manager,
  ): Promise<OrganizationEntity | ErrorResult> {
    const center = await em.findOneBy(OrganizationEntity, { id: serviceCenterId });
    if (!center || center.kind !== 'SERVICE_CENTER') return validationError(field, 'No service center has this id.');
    if (caller.organizationKind === 'SERVICE_CENTER' && center.id !== caller.organizationId) {
      return validationError(field, 'A service center opens tickets at its own center.');
    }
    return center;
  }

  async assignTechnician(ctx: RequestContext, input: AssignTechnicianInput): Promise<RepairTicketView | ErrorResult> {
    const { caller } = ctx;
    const ticket = await this.visibleTicket(caller, input.ticketId);
    if (caller.organizationId !== ticket.serviceCenterId)
      throw forbidden('Only the service center assigns its technicians.');
    if (caller.role !== 'STAFF' && caller.role !== 'ADMIN')
      throw forbidden("Only the service center's STAFF or ADMIN keys assign technicians.");
    const technician = await this.db.getRepository(TechnicianEntity).findOneBy({ id: input.technicianId });
    if (!technician || technician.serviceCenterId !== ticket.serviceCenterId)
      return validationError('technicianId', 'No technician of this service center has this id.');
    if (!technician.active) return validationError('technicianId', `${technician.name} is not active.`);
    return this.change(
      caller,
      ticket.id,
      input.expectedVersion,
      (current) =>
        finished(current) ?? {
          patch: { technicianId: technician.id },
          to: current.status,
          // the technician is the center's own: others read that someone was assigned, not who
          history: { note: 'Technician assigned', centerNote: `Assigned to ${technician.name}` },
          event: 'RepairTicketAssigned',
        },
    );
  }

  async update(ctx: RequestContext, input: UpdateRepairTicketInput): Promise<RepairTicketView | ErrorResult> {
    const { caller } = ctx;
    const ticket = await this.visibleTicket(caller, input.ticketId);
    assertMayWork(caller, ticket);
    if (!input.status && !input.diagnosis && !input.addParts?.length && !input.addLaborMinutes && !input.note) {
      return validationError(
        'status',
        'Nothing to change: give a status, a diagnosis, parts, labor minutes or a note.',
      );
    }
    return this.change(caller, ticket.id, input.expectedVersion, (current) => {
      const refusal = finished(current, (input.status as RepairStatus | undefined) ?? current.status);
      if (refusal) return refusal;
      const patched = { ...current } as RepairTicketEntity;
      const summary: string[] = [];
      if (input.diagnosis) {
        patched.diagnosis = input.diagnosis.trim();
        summary.push('diagnosis recorded');
      }
      if (input.addParts?.length) {
        patched.currency = current.currency ?? input.addParts[0].unitCost.currency;
        const mismatch = input.addParts.findIndex((p) => p.unitCost.currency !== patched.currency);
        if (mismatch >= 0) {
          return validationError(
            `addParts.${mismatch}.unitCost.currency`,
            `The ticket is priced in ${patched.currency}: amounts in different currencies are never added.`,
          );
        }
        const added: StoredRepairPart[] = input.addParts.map((p) => ({
          partNumber: p.partNumber.trim(),
          description: p.description.trim(),
          quantity: p.quantity,
          unitCost: money(p.unitCost.amount, patched.currency!).amount,
        }));
        patched.parts = [...current.parts, ...added];
        summary.push(`${added.length} part line${added.length > 1 ? 's' : ''} added`);
      }
      if (input.addLaborMinutes) {
        if (current.laborRateAmount === null) {
          return validationError('addLaborMinutes', 'The service center has no laborRate, so labor cannot be priced.');
        }
        patched.laborMinutes = current.laborMinutes + input.addLaborMinutes;
        summary.push(`${input.addLaborMinutes} labor minutes added`);
      }
      const estimate = ticketEstimate(patched);
      // parts and labor add up over many updates: the ticket's figures must still fit their columns
      if ((estimate && !fitsAmountColumn(estimate.total.amount)) || patched.laborMinutes > 2_147_483_647) {
        return validationError(
          input.addParts?.length ? 'addParts' : 'addLaborMinutes',
          "The ticket's parts and labor would add up to more than a ticket can record.",
        );
      }
      const to = (input.status as RepairStatus | undefined) ?? current.status;
      // asking for the state the ticket is in is no move (the machine checks the others, and the estimate guard)
      if (input.status && to === current.status)
        return REPAIR_TICKET_MACHINE.invalidMove(caller, patched, current.status, to);
      if (input.status) summary.unshift(`moved to ${to}`);
      const patch: Partial<RepairTicketEntity> = {
        diagnosis: patched.diagnosis,
        parts: patched.parts,
        laborMinutes: patched.laborMinutes,
        currency: patched.currency,
      };
      if (input.status && FINAL_REPAIR_STATUSES.includes(to)) patch.closedAt = new Date();
      return {
        patch,
        to,
        history: { note: input.note?.trim() ?? capitalize(summary.join('; ')) },
        event: 'RepairTicketUpdated',
        apply:
          to === 'CLOSED' && input.status
            ? (em, closed) => this.fileWarrantyClaim(em, caller, closed, estimate)
            : undefined,
      };
    });
  }

  async approveEstimate(
    ctx: RequestContext,
    input: ApproveRepairEstimateInput,
  ): Promise<RepairTicketView | ErrorResult> {
    const { caller } = ctx;
    const ticket = await this.visibleTicket(caller, input.ticketId);
    // the organization that opened the ticket acts for the customer; the center records the customer's approval
    if (caller.organizationId !== ticket.openedById && caller.organizationId !== ticket.serviceCenterId) {
      throw forbidden('Only the organization that opened the ticket, or its service center, approves the estimate.');
    }
    assertCanWork(caller);
    return this.change(caller, ticket.id, input.expectedVersion, (current) => {
      const estimate = ticketEstimate(current);
      const refusal =
        finished(current) ??
        (estimate
          ? undefined
          : validationError('ticketId', 'There is no estimate to approve yet: parts or labor come first.'));
      if (refusal) return refusal;
      const pays = estimate!.customerPays;
      return {
        patch: { estimateApprovedAt: new Date(), estimateApprovedAmount: pays.amount },
        to: current.status,
        history: { note: `Estimate approved: the customer pays ${pays.amount} ${pays.currency}` },
        event: 'RepairEstimateApproved',
      };
    });
  }

  async get(ctx: RequestContext, id: string): Promise<RepairTicketView> {
    await this.visibleTicket(ctx.caller, id, 'id');
    return this.load(this.db.manager, id, ctx.caller);
  }

  /** The ticket as the caller may see it, or null: for subscriptions and loaders. */
  async findVisible(caller: Caller, id: string): Promise<RepairTicketView | null> {
    const ticket = await this.db.getRepository(RepairTicketEntity).findOneBy({ id });
    if (!ticket || !canSeeTicket(caller, ticket)) return null;
    return this.load(this.db.manager, id, caller);
  }

  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: RepairTicketFilter | null,
  ): Promise<Connection<RepairTicketView>> {
    const page = pageRequest(first, after);
    const query = this.db.getRepository(RepairTicketEntity).createQueryBuilder('t');
    if (!isPlatform(ctx.caller)) {
      query.where('(t.service_center_id = :org OR t.opened_by_id = :org OR t.manufacturer_id = :org)', {
        org: ctx.caller.organizationId,
      });
    }
    if (filter?.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter?.technicianId) {
      // only the center knows its technicians: for anyone else the filter matches nothing to learn from
      query.andWhere('t.technician_id = :technicianId', { technicianId: filter.technicianId });
      if (!isPlatform(ctx.caller)) query.andWhere('t.service_center_id = :org', { org: ctx.caller.organizationId });
    }
    if (filter?.unitId) query.andWhere('t.unit_id = :unitId', { unitId: filter.unitId });
    if (filter?.overdue !== undefined && filter.overdue !== null) {
      const late = 't.due_at < now() AND t.status NOT IN (:...done)';
      query.andWhere(filter.overdue ? late : `NOT (${late})`, { done: DONE_STATUSES });
    }
    const count = await query.clone().getCount();
    if (page.afterId) query.andWhere('t.id > :afterId', { afterId: page.afterId });
    const rows = await query
      .orderBy('t.id', 'ASC')
      .limit(page.limit + 1)
      .getMany();
    const history = rows.length
      ? await this.db
          .getRepository(RepairHistoryEntity)
          .find({ where: { ticketId: In(rows.map((r) => r.id)) }, order: { id: 'ASC' } })
      : [];
    return toConnection(
      rows.map((r) =>
        toRepairTicketView(
          r,
          history.filter((h) => h.ticketId === r.id),
          ctx.caller,
        ),
      ),
      page,
      count,
    );
  }

  /**
   * docs/rules.md: closing a repaired ticket whose covered amount is above zero files a warranty
   * claim for that amount on the service center's behalf, linked to the ticket. The closed ticket
   * itself starts the repair warranty, claim or not (coverage rule 3; see CoverageService).
   */
  private async fileWarrantyClaim(
    em: EntityManager,
    caller: Caller,
    ticket: RepairTicketEntity,
    estimate: RepairEstimateAmounts | null,
  ) {
    if (!estimate || !new Decimal(estimate.covered.amount).greaterThan(0)) return;
    // the center may have filed the claim for this repair already: link it, file none twice
    const [filed] = await em.query(
      `SELECT id FROM warranty_claims WHERE repair_ticket_id = $1 AND status NOT IN ('REJECTED', 'CANCELLED') ORDER BY id LIMIT 1`,
      [ticket.id],
    );
    if (filed) return { warrantyClaimId: filed.id as string };
    const coverage = ticket.coverageAtIntake.coverages[0];
    const line = (
      kind: StoredClaimLine['kind'],
      description: string,
      quantity: number,
      unitAmount: string,
      partNumber: string | null = null,
    ): StoredClaimLine => ({
      kind,
      description,
      partNumber,
      laborCode: null,
      quantity: String(quantity),
      unitAmount,
      total: money(new Decimal(unitAmount).times(quantity), estimate.total.currency).amount,
    });
    const lines: StoredClaimLine[] = [];
    if (coverage.coverageTypes.includes('PARTS'))
      lines.push(...ticket.parts.map((p) => line('PART', p.description, p.quantity, p.unitCost, p.partNumber)));
    if (coverage.coverageTypes.includes('LABOR') && ticket.laborMinutes > 0) {
      lines.push(
        line(
          'LABOR',
          `Labor: ${ticket.laborMinutes} minutes at ${ticket.laborRateAmount} ${ticket.currency}/h`,
          1,
          estimate.labor.amount,
        ),
      );
    }
    const deducted = new Decimal(estimate.deductibleApplied.amount).greaterThan(0);
    if (deducted)
      lines.push(
        line(
          'OTHER',
          'Deductible paid by the customer',
          1,
          new Decimal(estimate.deductibleApplied.amount).negated().toFixed(),
        ),
      );
    const claim = await this.claims.file(em, caller, ticket.unitId, {
      failureCategory: ticket.failureCategory,
      failureDate: toCalendarDate(ticket.createdAt),
      description: `Repair ${ticket.number}: ${ticket.reportedIssue}${ticket.diagnosis ? `\nDiagnosis: ${ticket.diagnosis}` : ''}`,
      lines,
      currency: estimate.covered.currency,
      requestedTotal: estimate.covered.amount,
      repairTicketId: ticket.id,
      flags: deducted ? [DEDUCTIBLE_APPLIED] : [],
    });
    return { warrantyClaimId: claim.id };
  }

  /** One guarded change through the ticket's lifecycle (repair-ticket.machine.ts). */
  private change(
    caller: Caller,
    ticketId: string,
    expectedVersion: number,
    decide: (current: RepairTicketEntity) => TicketChange | ErrorResult,
  ): Promise<RepairTicketView | ErrorResult> {
    return changeInTransaction(
      this.db,
      REPAIR_TICKET_LIFECYCLE,
      { caller, id: ticketId, expectedVersion, decide },
      (em, ticket) => this.load(em, ticket.id, caller),
    );
  }

  private async unitIdBySerial(serialNumber: string, manufacturerId: string | null): Promise<string> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM units WHERE serial_number = $1 AND ($2::uuid IS NULL OR manufacturer_id = $2::uuid) LIMIT 2`,
      [serialNumber.trim(), manufacturerId],
    );
    if (rows.length === 0) throw notFound('Unit', 'UNIT_NOT_FOUND', 'serialNumber');
    if (rows.length > 1)
      throw new DomainError('BAD_USER_INPUT', 'Several manufacturers use this serial number: give manufacturerId.', {
        field: 'manufacturerId',
        errorCode: 'VALIDATION_ERROR',
      });
    return rows[0].id;
  }

  private async visibleTicket(caller: Caller, id: string, field = 'ticketId'): Promise<RepairTicketEntity> {
    const ticket = await this.db.getRepository(RepairTicketEntity).findOneBy({ id });
    if (!ticket || !canSeeTicket(caller, ticket)) throw notFound('Repair ticket', undefined, field);
    return ticket;
  }

  private async load(em: EntityManager, id: string, caller: Caller): Promise<RepairTicketView> {
    const ticket = await em.findOneByOrFail(RepairTicketEntity, { id });
    const history = await em.find(RepairHistoryEntity, { where: { ticketId: id }, order: { id: 'ASC' } });
    return toRepairTicketView(ticket, history, caller);
  }
}

/** The bench is the service center's: its STAFF and ADMIN keys, or the technician the ticket is assigned to. */
function assertMayWork(caller: Caller, ticket: RepairTicketEntity): void {
  if (caller.organizationId !== ticket.serviceCenterId)
    throw forbidden('Only the service center works on a repair ticket; others follow it read only.');
  if (caller.role === 'READONLY') throw forbidden('This API key is read-only.');
  if (!mayWorkTicket(caller, ticket))
    throw forbidden('A technician key works only on tickets assigned to its technician.');
}

/** A finished ticket changes no more; `to` is the status asked for, if any. */
function finished(ticket: RepairTicketEntity, to: RepairStatus = ticket.status): ErrorResult | undefined {
  if (!FINAL_REPAIR_STATUSES.includes(ticket.status)) return undefined;
  return new InvalidStateTransitionError(
    ticket.status,
    to,
    [],
    `The ticket is ${ticket.status}: a finished ticket does not change any more.`,
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
