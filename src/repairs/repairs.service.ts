import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, type Caller } from '../common/auth/caller.js';
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
import type { OrganizationEntity } from '../organizations/organization.entity.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import { lockUnit } from '../units/unit-changes.js';
import type { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory, UnitsService } from '../units/units.service.js';
import type { StoredClaimLine } from '../warranty/claim.entity.js';
import { DEDUCTIBLE_APPLIED } from '../warranty/claim-rules.js';
import { ClaimsService } from '../warranty/claims.service.js';
import { checkCoverage, type CoverageVerdict } from '../warranty/coverage-engine.js';
import { CoverageService } from '../warranty/coverage.service.js';
import { ticketEstimate, type RepairEstimateAmounts } from './repair-estimate.js';
import type { RepairTicketEntity, StoredRepairPart } from './repair-ticket.entity.js';
import { canSeeTicket, mayWorkTicket, ticketReference } from './repair-ticket.access.js';
import { REPAIR_TICKET_LIFECYCLE, type RepairHistoryDetails } from './repair-ticket.lifecycle.js';
import { FINAL_REPAIR_STATUSES, REPAIR_TICKET_MACHINE, type RepairStatus } from './repair-ticket.machine.js';
import {
  findHistoryOfTickets,
  findOpenTicketOfUnit,
  findOrganization,
  findStandingClaimOfTicket,
  findTechnician,
  findTicket,
  findUnitIdsBySerial,
  listTickets,
  loadTicketWithHistory,
  loadUnit,
  markUnitTakenIn,
  nextTicketSequence,
} from './repair-ticket.queries.js';
import type {
  ApproveRepairEstimateInput,
  AssignTechnicianInput,
  OpenRepairTicketInput,
  RepairPartInput,
  RepairTicketFilter,
  UpdateRepairTicketInput,
} from './repair.inputs.js';
import { toRepairTicketView, type RepairTicketView } from './repair.views.js';

const DEFAULT_TURNAROUND_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

interface TicketIntake {
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
    const { unitId, center } = intake;
    const unit = await lockUnitForIntake(em, caller, intake);
    const verdict = checkCoverage(await this.coverage.factsOf(unitId, em), today(), intake.failureCategory);
    const ticket = newTicket(caller, unit, intake, verdict, await nextTicketSequence(em));
    await createInLifecycle(em, caller, REPAIR_TICKET_LIFECYCLE, ticket, [
      { from: null, to: ticket.status, details: { note: `Received: ${ticket.reportedIssue}` } },
    ]);
    // docs/rules.md: the center sees its tickets' units, and reads the owner's contact while it holds the open ticket
    await markUnitTakenIn(em, unitId, center.id);
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
    const center = await findOrganization(em, serviceCenterId);
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
    const technician = await findTechnician(this.db.manager, input.technicianId);
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
      const change = decideUpdate(caller, current, input);
      if (change instanceof ErrorResult || !input.status || change.to !== 'CLOSED') return change;
      return { ...change, apply: (em, closed) => this.fileWarrantyClaim(em, caller, closed) };
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
    return this.change(caller, ticket.id, input.expectedVersion, (current) => estimateApproval(current));
  }

  async get(ctx: RequestContext, id: string): Promise<RepairTicketView> {
    await this.visibleTicket(ctx.caller, id, 'id');
    return this.load(this.db.manager, id, ctx.caller);
  }

  /** The ticket as the caller may see it, or null: for subscriptions and loaders. */
  async findVisible(caller: Caller, id: string): Promise<RepairTicketView | null> {
    const ticket = await findTicket(this.db.manager, id);
    if (!ticket || !canSeeTicket(caller, ticket)) return null;
    return this.load(this.db.manager, id, caller);
  }

  /** The tickets the caller sees (repair-ticket.access.ts, as get), filtered, a page at a time in id order. */
  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: RepairTicketFilter | null,
  ): Promise<Connection<RepairTicketView>> {
    const page = pageRequest(first, after);
    const { tickets, totalCount } = await listTickets(this.db.manager, ctx.caller, page, filter);
    const history = await findHistoryOfTickets(
      this.db.manager,
      tickets.map((t) => t.id),
    );
    const views = tickets.map((t) =>
      toRepairTicketView(
        t,
        history.filter((h) => h.ticketId === t.id),
        ctx.caller,
      ),
    );
    return toConnection(views, page, totalCount);
  }

  /**
   * docs/rules.md: closing a repaired ticket whose covered amount is above zero files a warranty
   * claim for that amount on the service center's behalf, linked to the ticket. The closed ticket
   * itself starts the repair warranty, claim or not (coverage rule 3; see CoverageService).
   */
  private async fileWarrantyClaim(em: EntityManager, caller: Caller, ticket: RepairTicketEntity) {
    const estimate = ticketEstimate(ticket);
    if (!estimate || !new Decimal(estimate.covered.amount).greaterThan(0)) return;
    // the center may have filed the claim for this repair already: link it, file none twice
    const filedId = await findStandingClaimOfTicket(em, ticket.id);
    if (filedId) return { warrantyClaimId: filedId };
    const deducted = new Decimal(estimate.deductibleApplied.amount).greaterThan(0);
    const claim = await this.claims.file(em, caller, ticket.unitId, {
      failureCategory: ticket.failureCategory,
      failureDate: toCalendarDate(ticket.createdAt),
      description: `Repair ${ticket.number}: ${ticket.reportedIssue}${ticket.diagnosis ? `\nDiagnosis: ${ticket.diagnosis}` : ''}`,
      lines: claimLines(ticket, estimate),
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
    const ids = await findUnitIdsBySerial(this.db.manager, serialNumber.trim(), manufacturerId);
    if (ids.length === 0) throw notFound('Unit', 'UNIT_NOT_FOUND', 'serialNumber');
    if (ids.length > 1)
      throw new DomainError('BAD_USER_INPUT', 'Several manufacturers use this serial number: give manufacturerId.', {
        field: 'manufacturerId',
        errorCode: 'VALIDATION_ERROR',
      });
    return ids[0];
  }

  private async visibleTicket(caller: Caller, id: string, field = 'ticketId'): Promise<RepairTicketEntity> {
    const ticket = await findTicket(this.db.manager, id);
    if (!ticket || !canSeeTicket(caller, ticket)) throw notFound('Repair ticket', undefined, field);
    return ticket;
  }

  private async load(em: EntityManager, id: string, caller: Caller): Promise<RepairTicketView> {
    const { ticket, history } = await loadTicketWithHistory(em, id);
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

/**
 * The customer's approval of what they pay now, decided on the locked ticket. `by` names who gave it
 * in the history when the acting organization only records it: the owner, from the owner's repair page.
 */
export function estimateApproval(current: RepairTicketEntity, by?: string): TicketChange | ErrorResult {
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
    history: { note: `Estimate approved${by ? ` by ${by}` : ''}: the customer pays ${pays.amount} ${pays.currency}` },
    event: 'RepairEstimateApproved',
  };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The unit locked for intake: ACTIVE, with no open ticket (the open ticket's number only to those
 * who may see that ticket); otherwise the refusal, which rolls the transaction back.
 */
async function lockUnitForIntake(em: EntityManager, caller: Caller, intake: TicketIntake): Promise<UnitEntity> {
  const { unitId, unitField } = intake;
  await lockUnit(em, unitId);
  const unit = await loadUnit(em, unitId);
  if (unit.status !== 'ACTIVE')
    throw new RollbackWithResult(
      new GenericError(
        ErrorCode.UNIT_NOT_ACTIVE,
        `The unit is ${unit.status}: only an ACTIVE unit is taken in for repair.`,
        unitField,
      ),
    );
  const open = await findOpenTicketOfUnit(em, unitId);
  if (open) {
    const which = canSeeTicket(caller, open) ? `, ${open.number}` : ' at another service center';
    throw new RollbackWithResult(
      new GenericError(ErrorCode.REPAIR_ALREADY_OPEN, `The unit already has an open repair ticket${which}.`, unitField),
    );
  }
  return unit;
}

/**
 * A ticket as intake opens it: RECEIVED, its coverage at intake kept, priced at the center's labor
 * rate of today, due by the center's turnaround target.
 */
function newTicket(
  caller: Caller,
  unit: UnitEntity,
  intake: TicketIntake,
  coverage: CoverageVerdict,
  sequence: number,
): RepairTicketEntity {
  const { center } = intake;
  const now = new Date();
  return {
    id: newId(),
    number: `RT-${String(sequence).padStart(6, '0')}`,
    unitId: unit.id,
    manufacturerId: unit.manufacturerId,
    serviceCenterId: center.id,
    openedById: caller.organizationId,
    technicianId: null,
    status: REPAIR_TICKET_MACHINE.declaration.initial,
    reportedIssue: intake.reportedIssue.trim(),
    failureCategory: intake.failureCategory,
    coverageAtIntake: { serialNumber: unit.serialNumber, ...coverage },
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
}

/** The work an update records on a ticket: always written whole. */
type TicketWork = Pick<RepairTicketEntity, 'diagnosis' | 'parts' | 'laborMinutes' | 'currency'>;

/** An update decided on the locked ticket: the work recorded, the move asked for, the history note; or the refusal. */
function decideUpdate(
  caller: Caller,
  current: RepairTicketEntity,
  input: UpdateRepairTicketInput,
): TicketChange | ErrorResult {
  const to = input.status ?? current.status;
  const refusal = finished(current, to);
  if (refusal) return refusal;
  const work = recordWork(current, input);
  if (work instanceof ErrorResult) return work;
  // asking for the state the ticket is in is no move (the machine checks the others, and the estimate guard)
  if (input.status && to === current.status)
    return REPAIR_TICKET_MACHINE.invalidMove(caller, { ...current, ...work.patch }, current.status, to);
  const summary = input.status ? [`moved to ${to}`, ...work.summary] : work.summary;
  const closes = Boolean(input.status) && FINAL_REPAIR_STATUSES.includes(to);
  return {
    patch: closes ? { ...work.patch, closedAt: new Date() } : work.patch,
    to,
    history: { note: input.note?.trim() ?? capitalize(summary.join('; ')) },
    event: 'RepairTicketUpdated',
  };
}

/**
 * The diagnosis, parts and labor an update adds, and what it did in words; refused when parts
 * come in another currency, labor has no rate, or the totals outgrow what a ticket can record.
 */
function recordWork(
  current: RepairTicketEntity,
  input: UpdateRepairTicketInput,
): { patch: TicketWork; summary: string[] } | ErrorResult {
  const { diagnosis, parts, laborMinutes, currency } = current;
  const patch: TicketWork = { diagnosis, parts, laborMinutes, currency };
  const summary: string[] = [];
  if (input.diagnosis) {
    patch.diagnosis = input.diagnosis.trim();
    summary.push('diagnosis recorded');
  }
  if (input.addParts?.length) {
    patch.currency = current.currency ?? input.addParts[0].unitCost.currency;
    const added = partsInCurrency(input.addParts, patch.currency);
    if (added instanceof ErrorResult) return added;
    patch.parts = [...current.parts, ...added];
    summary.push(`${added.length} part line${added.length > 1 ? 's' : ''} added`);
  }
  if (input.addLaborMinutes) {
    if (current.laborRateAmount === null)
      return validationError('addLaborMinutes', 'The service center has no laborRate, so labor cannot be priced.');
    patch.laborMinutes = current.laborMinutes + input.addLaborMinutes;
    summary.push(`${input.addLaborMinutes} labor minutes added`);
  }
  return outgrowsTicket({ ...current, ...patch }, input) ?? { patch, summary };
}

/** The parts as stored, all priced in the ticket's currency (amounts in different currencies are never added). */
function partsInCurrency(parts: RepairPartInput[], currency: string): StoredRepairPart[] | ErrorResult {
  const mismatch = parts.findIndex((p) => p.unitCost.currency !== currency);
  if (mismatch >= 0) {
    return validationError(
      `addParts.${mismatch}.unitCost.currency`,
      `The ticket is priced in ${currency}: amounts in different currencies are never added.`,
    );
  }
  return parts.map((p) => ({
    partNumber: p.partNumber.trim(),
    description: p.description.trim(),
    quantity: p.quantity,
    unitCost: money(p.unitCost.amount, currency).amount,
  }));
}

/** Parts and labor add up over many updates: the ticket's figures must still fit their columns. */
function outgrowsTicket(ticket: RepairTicketEntity, input: UpdateRepairTicketInput): ErrorResult | undefined {
  const estimate = ticketEstimate(ticket);
  if ((estimate && !fitsAmountColumn(estimate.total.amount)) || ticket.laborMinutes > 2_147_483_647) {
    return validationError(
      input.addParts?.length ? 'addParts' : 'addLaborMinutes',
      "The ticket's parts and labor would add up to more than a ticket can record.",
    );
  }
  return undefined;
}

/**
 * The lines of the claim a closed ticket files: its parts and labor as far as the coverage pays
 * for them, less the deductible the customer paid.
 */
function claimLines(ticket: RepairTicketEntity, estimate: RepairEstimateAmounts): StoredClaimLine[] {
  const { coverageTypes } = ticket.coverageAtIntake.coverages[0];
  const currency = estimate.total.currency;
  const lines: StoredClaimLine[] = [];
  if (coverageTypes.includes('PARTS'))
    lines.push(
      ...ticket.parts.map((p) => claimLine(currency, 'PART', p.description, p.quantity, p.unitCost, p.partNumber)),
    );
  if (coverageTypes.includes('LABOR') && ticket.laborMinutes > 0) {
    const description = `Labor: ${ticket.laborMinutes} minutes at ${ticket.laborRateAmount} ${ticket.currency}/h`;
    lines.push(claimLine(currency, 'LABOR', description, 1, estimate.labor.amount));
  }
  const deductible = new Decimal(estimate.deductibleApplied.amount);
  if (deductible.greaterThan(0))
    lines.push(claimLine(currency, 'OTHER', 'Deductible paid by the customer', 1, deductible.negated().toFixed()));
  return lines;
}

function claimLine(
  currency: string,
  kind: StoredClaimLine['kind'],
  description: string,
  quantity: number,
  unitAmount: string,
  partNumber: string | null = null,
): StoredClaimLine {
  return {
    kind,
    description,
    partNumber,
    laborCode: null,
    quantity: String(quantity),
    unitAmount,
    total: money(new Decimal(unitAmount).times(quantity), currency).amount,
  };
}
