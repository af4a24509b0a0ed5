import { findPlatformOrganizationId } from '../organizations/platform-bootstrap.queries.js';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, isPlatform, type Caller } from '../common/auth/caller.js';
import { today, type CalendarDate } from '../common/dates/calendar-date.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ErrorResult, GenericError, validationError } from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import {
  applyChange,
  changeInTransaction,
  createInLifecycle,
  type ChangeRequest,
} from '../common/lifecycle/lifecycle.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { RepairsService } from '../repairs/repairs.service.js';
import { changeUnitStatus, registerHandedOutUnit, type HandedOutUnit } from '../units/unit-changes.js';
import { unitReference, type HistoryReference } from '../units/unit-history.js';
import { canSeeUnit } from '../units/unit-visibility.js';
import type { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory } from '../units/units.service.js';
import { checkCoverage } from '../warranty/coverage-engine.js';
import { CoverageService } from '../warranty/coverage.service.js';
import {
  disallowedResolution,
  exchangeCarriesCoverage,
  lineAmounts,
  lineRefusal,
  offersWarrantyAlternative,
  policyClash,
  policyFor,
  shipByDate,
} from './return-rules.js';
import { canSeeReturn, returnReference } from './return-visibility.js';
import type { ReturnEntity, ReturnLineEntity, ReturnPolicyEntity } from './return.entity.js';
import type {
  CreateReturnPolicyInput,
  InspectReturnInput,
  RequestReturnInput,
  ResolveReturnInput,
  ResolveReturnLineInput,
  ReturnFilter,
  TransitionReturnInput,
} from './return.inputs.js';
import { RETURN_LIFECYCLE, type ReturnHistoryDetails } from './return.lifecycle.js';
import { MOVES_BY_OWN_OPERATION, RETURN_MACHINE, type ReturnStatus } from './return.machine.js';
import {
  findLinesOfReturn,
  findPoliciesByIds,
  findReturn,
  findReturnLine,
  findUnitsByIds,
  insertPolicy,
  insertReturnLines,
  findRetailerPolicies,
  listReturns,
  loadReturnRows,
  lockOverdueReturns,
  lockRetailer,
  lockUnits,
  moveServicePlans,
  nextReturnNumber,
  openReturnNumbersOf,
  productCategories,
  updateReturnLine,
} from './return.queries.js';
import { toPolicyView, toReturnView, type ReturnPolicyView, type ReturnView } from './return.views.js';

const DEFAULT_SHIP_WITHIN_DAYS = 14;

/** Why one line of a request fails, and where. */
interface LineRefusal {
  line: number;
  reason: ErrorCode;
  message: string;
}

/** How the retailer's policies decided a request: each line's unit and policy, and the first failing line. */
interface RequestDecision {
  lines: { unit: UnitEntity; policy: ReturnPolicyEntity | null }[];
  failed: LineRefusal | null;
  warrantyAlternative: ReturnEntity['warrantyAlternative'];
}

/** A line being resolved, with what its resolution reads; `index` is its place in the input, for the fields errors name. */
interface LineToResolve {
  rma: ReturnEntity;
  line: ReturnLineEntity;
  unit: UnitEntity;
  given: ResolveReturnLineInput;
  index: number;
}

/** Returns (docs/rules.md, "Returns"): retailers' policies, and RMAs decided at once by them. */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly db: DataSource,
    private readonly coverage: CoverageService,
    private readonly repairs: RepairsService,
  ) {}

  async createPolicy(ctx: RequestContext, input: CreateReturnPolicyInput): Promise<ReturnPolicyView> {
    const { caller } = ctx;
    assertKind(caller, ['RETAILER'], 'create return policies');
    assertCanWork(caller);
    const refusal = policyInputRefusal(input);
    if (refusal) throw refusal;
    const categories = [...new Set((input.categories ?? []).map((c) => c.trim()))];
    return this.db.transaction(async (em) => {
      // one policy per category, and one default: serialize the retailer's policy changes
      await lockRetailer(em, caller.organizationId);
      const clash = policyClash(await findRetailerPolicies(em, caller.organizationId), categories);
      if (clash) throw badInput('categories', clash);
      const policy = newPolicy(caller.organizationId, input, categories);
      await insertPolicy(em, policy);
      await recordEvents(em, caller, [
        {
          type: 'ReturnPolicyCreated',
          aggregateType: 'ReturnPolicy',
          aggregateId: policy.id,
          payload: { policyId: policy.id, categories },
        },
      ]);
      return toPolicyView(policy);
    });
  }

  /** A retailer's own policies; the platform sees every retailer's. */
  async listPolicies(ctx: RequestContext): Promise<ReturnPolicyView[]> {
    const retailerId = isPlatform(ctx.caller) ? null : ctx.caller.organizationId;
    return (await findRetailerPolicies(this.db.manager, retailerId)).map(toPolicyView);
  }

  async findPolicies(ids: readonly string[]): Promise<(ReturnPolicyView | null)[]> {
    const rows = await findPoliciesByIds(this.db.manager, ids);
    const byId = new Map(rows.map((p) => [p.id, toPolicyView(p)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * A return request, decided at once by the retailer's policies (docs/rules.md): every line must
   * pass; the first failing line rejects the whole request, named in the rejection. Input errors
   * (a unit twice, a date in the future, a unit the caller cannot see) store nothing.
   */
  async request(ctx: RequestContext, input: RequestReturnInput): Promise<ReturnView | ErrorResult> {
    const { caller } = ctx;
    const checked = await this.checkRequest(caller, input);
    if (checked instanceof ErrorResult) return checked;
    const { requestedOn, unitIds } = checked;
    return inTransaction(this.db, async (em) => {
      const decision = await this.decideLines(em, caller, input, requestedOn, unitIds);
      const { failed } = decision;
      const rma = newReturn(caller.organizationId, await nextReturnNumber(em), requestedOn, decision);
      await createInLifecycle(em, caller, RETURN_LIFECYCLE, rma, [
        { from: null, to: 'REQUESTED', details: { note: input.note?.trim() || null } },
        {
          from: 'REQUESTED',
          to: failed ? 'REJECTED' : 'AUTHORIZED',
          details: { note: failed ? failed.message : `Ship by ${rma.shipBy}` },
        },
      ]);
      await insertReturnLines(em, newReturnLines(rma.id, input.lines, decision));
      if (!failed) {
        await recordUnitHistory(
          em,
          caller,
          unitIds.map((unitId) => ({
            unitId,
            type: 'RETURN_AUTHORIZED',
            summary: 'Return authorized',
            references: [returnReference(rma)],
          })),
        );
      }
      return this.load(em, rma.id);
    });
  }

  /** The request's input errors, before anything is locked: the units the caller may see, its kind and key, the dates. */
  private async checkRequest(
    caller: Caller,
    input: RequestReturnInput,
  ): Promise<{ requestedOn: CalendarDate; unitIds: string[] } | ErrorResult> {
    // a unit outside the caller's view is NOT_FOUND whoever asks; then the kind and the key
    const requested = await findUnitsByIds(
      this.db.manager,
      input.lines.map((l) => l.unitId),
    );
    const unitById = new Map(requested.map((u) => [u.id, u]));
    for (const [i, line] of input.lines.entries()) {
      const unit = unitById.get(line.unitId);
      if (!unit || !canSeeUnit(caller, unit)) throw notFound('Unit', 'UNIT_NOT_FOUND', `lines.${i}.unitId`);
    }
    assertKind(caller, ['RETAILER'], 'request returns');
    assertCanWork(caller);
    const requestedOn = input.requestedOn ?? today();
    if (requestedOn > today()) return validationError('requestedOn', 'requestedOn cannot be in the future.');
    const seen = new Set<string>();
    for (const [i, line] of input.lines.entries()) {
      if (seen.has(line.unitId)) return validationError(`lines.${i}.unitId`, 'The same unit is on two lines.');
      seen.add(line.unitId);
      const purchaseDate = unitById.get(line.unitId)!.purchaseDate;
      if (requestedOn < purchaseDate)
        return validationError(
          'requestedOn',
          `requestedOn is before the purchase of the unit on line ${i} (${purchaseDate}).`,
        );
    }
    return { requestedOn, unitIds: [...seen] };
  }

  /** Each line against the retailer's policies, the units locked: each line's unit and policy, and the first failing line. */
  private async decideLines(
    em: EntityManager,
    caller: Caller,
    input: RequestReturnInput,
    requestedOn: CalendarDate,
    unitIds: string[],
  ): Promise<RequestDecision> {
    // the units stay locked until the request is stored: one open return per unit
    const units = new Map((await lockUnits(em, unitIds)).map((u) => [u.id, u]));
    const productIds = [...units.values()].map((u) => u.productId);
    const categoryOf = await productCategories(em, productIds);
    const policies = await findRetailerPolicies(em, caller.organizationId);
    const openReturnOf = await openReturnNumbersOf(em, unitIds);
    const decision: RequestDecision = { lines: [], failed: null, warrantyAlternative: null };
    for (const [i, line] of input.lines.entries()) {
      const unit = units.get(line.unitId)!;
      const category = categoryOf.get(unit.productId) ?? '';
      const policy = policyFor(policies, category);
      decision.lines.push({ unit, policy });
      if (decision.failed) continue;
      const refusal = lineRefusal({
        soldByCaller: unit.retailerId === caller.organizationId,
        unitStatus: unit.status,
        openReturnNumber: openReturnOf.get(unit.id) ?? null,
        category,
        policy,
        unit,
        condition: line.condition,
        requestedResolution: line.requestedResolution,
        requestedOn,
      });
      if (!refusal) continue;
      decision.failed = { line: i, reason: ErrorCode[refusal.reason], message: `Line ${i}: ${refusal.message}` };
      if (offersWarrantyAlternative(refusal.reason, line.reason))
        decision.warrantyAlternative = await this.warrantyAlternative(em, unit, requestedOn);
    }
    return decision;
  }

  /** The coverage a unit refused for return has instead, on the day the return was asked for. */
  private async warrantyAlternative(
    em: EntityManager,
    unit: UnitEntity,
    on: CalendarDate,
  ): Promise<ReturnEntity['warrantyAlternative']> {
    const verdict = checkCoverage(await this.coverage.factsOf(unit.id, em), on, null);
    return { serialNumber: unit.serialNumber, unitId: unit.id, ...verdict };
  }

  /** Shipping (with tracking number and carrier), receiving, closing and cancelling. */
  async transition(ctx: RequestContext, input: TransitionReturnInput): Promise<ReturnView | ErrorResult> {
    const rma = await this.retailersReturn(ctx.caller, input.returnId);
    const { to } = input;
    return this.change(ctx.caller, rma.id, input.expectedVersion, to, () => {
      const own = MOVES_BY_OWN_OPERATION[to];
      if (own) return validationError('to', `${to} is not set by hand: ${own}.`);
      const patch: Partial<ReturnEntity> = {};
      if (to === 'IN_TRANSIT') {
        if (!input.trackingNumber)
          return validationError('trackingNumber', 'Shipping a return needs its trackingNumber.');
        if (!input.carrier) return validationError('carrier', 'Shipping a return needs its carrier.');
        patch.trackingNumber = input.trackingNumber.trim();
        patch.carrier = input.carrier.trim();
      }
      return {
        to,
        patch,
        history: {
          note: input.note?.trim() || (to === 'IN_TRANSIT' ? `${patch.carrier} ${patch.trackingNumber}` : null),
        },
      };
    });
  }

  /** Inspection per line; the return is INSPECTED once every line is. */
  async inspect(ctx: RequestContext, input: InspectReturnInput): Promise<ReturnView | ErrorResult> {
    const rma = await this.retailersReturn(ctx.caller, input.returnId);
    return this.change(ctx.caller, rma.id, input.expectedVersion, 'INSPECTED', async (current, em) => {
      const lines = await findLinesOfReturn(em, current.id);
      const byId = new Map(lines.map((l) => [l.id, l]));
      for (const [i, given] of input.lines.entries()) {
        if (!byId.has(given.lineId))
          return validationError(`lines.${i}.lineId`, 'The return has no line with this id.');
        if (repeatsAnEarlierLine(input.lines, i))
          return validationError(`lines.${i}.lineId`, 'The same line is inspected twice.');
      }
      const inspected = new Set([
        ...lines.filter((l) => l.inspectionGrade !== null).map((l) => l.id),
        ...input.lines.map((l) => l.lineId),
      ]);
      const done = inspected.size === lines.length;
      return {
        // a partial inspection is recorded, and the return stays RECEIVED
        to: done ? 'INSPECTED' : current.status,
        event: done ? undefined : 'ReturnLinesInspected',
        history: { note: `${inspected.size} of ${lines.length} lines inspected` },
        apply: async () => {
          for (const given of input.lines) {
            await updateReturnLine(em, given.lineId, {
              inspectionGrade: given.grade.trim(),
              inspectedCondition: given.condition,
              inspectionNote: given.note?.trim() || null,
            });
          }
        },
      };
    });
  }

  /**
   * Resolution per line (docs/rules.md): REFUND and STORE_CREDIT pay the expected refund and mark the
   * unit RETURNED; EXCHANGE registers the replacement (same product and owner), marks the original
   * REPLACED and links both, carrying coverage over when the reason was DEFECTIVE; REPAIR opens a
   * ticket at the given service center, linked both ways. RESOLVED once every line is.
   */
  async resolve(ctx: RequestContext, input: ResolveReturnInput): Promise<ReturnView | ErrorResult> {
    const { caller } = ctx;
    const rma = await this.retailersReturn(caller, input.returnId);
    return this.change(caller, rma.id, input.expectedVersion, 'RESOLVED', async (current, em) => {
      const lines = await findLinesOfReturn(em, current.id);
      const byId = new Map(lines.map((l) => [l.id, l]));
      const units = new Map(
        (
          await findUnitsByIds(
            em,
            lines.map((l) => l.unitId),
          )
        ).map((u) => [u.id, u]),
      );
      const policyIds = lines.map((l) => l.policyId).filter((id): id is string => id !== null);
      const policies = new Map((await findPoliciesByIds(em, policyIds)).map((p) => [p.id, p]));
      for (const [index, given] of input.lines.entries()) {
        const line = byId.get(given.lineId);
        if (!line) return validationError(`lines.${index}.lineId`, 'The return has no line with this id.');
        // the policy that decided the line, not one made since
        const policy = line.policyId ? (policies.get(line.policyId) ?? null) : null;
        const refusal = resolutionRefusal(input.lines, index, line, policy);
        if (refusal) return refusal;
        const unit = units.get(line.unitId)!;
        const outcome = await this.resolveLine(em, caller, { rma: current, line, unit, given, index }, policy);
        if (outcome instanceof ErrorResult) return outcome;
      }
      const resolved = (await findLinesOfReturn(em, current.id)).every((l) => l.resolution !== null);
      return {
        to: resolved ? 'RESOLVED' : current.status,
        event: resolved ? undefined : 'ReturnLinesResolved',
        history: { note: input.lines.map((l) => `${byId.get(l.lineId)!.position}: ${l.resolution}`).join(', ') },
      };
    });
  }

  /** One line's resolution: its amounts by the resolution made, and what that does to the unit. */
  private async resolveLine(
    em: EntityManager,
    caller: Caller,
    l: LineToResolve,
    policy: ReturnPolicyEntity | null,
  ): Promise<void | ErrorResult> {
    const { line, unit, given, index } = l;
    if (unit.status !== 'ACTIVE')
      return new GenericError(ErrorCode.UNIT_NOT_ACTIVE, `The unit is ${unit.status}.`, `lines.${index}.lineId`);
    // the amounts follow the resolution made: an exchange or a repair gives no refund and takes no fee
    const amounts = lineAmounts(policy, unit, line.reason, given.resolution);
    const patch: Partial<ReturnLineEntity> = { resolution: given.resolution, ...amounts };
    switch (given.resolution) {
      case 'REFUND':
      case 'STORE_CREDIT':
        patch.refundedAmount = amounts.expectedRefund;
        await changeUnitStatus(
          em,
          caller,
          unit,
          { status: 'RETURNED' },
          { summary: `Returned (${given.resolution})`, references: [returnReference(l.rma)] },
        );
        break;
      case 'EXCHANGE': {
        const replacementId = await exchange(em, caller, l);
        if (replacementId instanceof ErrorResult) return replacementId;
        patch.replacementUnitId = replacementId;
        break;
      }
      case 'REPAIR': {
        const ticketId = await this.sendForRepair(em, caller, l);
        if (ticketId instanceof ErrorResult) return ticketId;
        patch.repairTicketId = ticketId;
        break;
      }
    }
    await updateReturnLine(em, line.id, patch);
  }

  /** REPAIR: a ticket at the given service center for the unit, linked to the line; the ticket's id. */
  private async sendForRepair(em: EntityManager, caller: Caller, l: LineToResolve): Promise<string | ErrorResult> {
    const { rma, line, unit, given, index } = l;
    if (!given.serviceCenterId)
      return validationError(
        `lines.${index}.serviceCenterId`,
        'A repair needs the serviceCenterId that gets the unit.',
      );
    const center = await this.repairs.serviceCenter(
      caller,
      given.serviceCenterId,
      `lines.${index}.serviceCenterId`,
      em,
    );
    if (center instanceof ErrorResult) return center;
    const ticket = await this.repairs.openIn(em, caller, {
      unitId: unit.id,
      unitField: `lines.${index}.lineId`,
      center,
      reportedIssue: `Return ${rma.number}: ${line.reason.toLowerCase().replace(/_/g, ' ')}`,
      failureCategory: given.failureCategory ?? 'OTHER',
      returnLineId: line.id,
    });
    return ticket.id;
  }

  async get(ctx: RequestContext, id: string): Promise<ReturnView> {
    await this.visibleReturn(ctx.caller, id, 'id');
    return this.load(this.db.manager, id);
  }

  async findVisible(caller: Caller, id: string): Promise<ReturnView | null> {
    const rma = await findReturn(this.db.manager, id);
    return rma && canSeeReturn(caller, rma) ? this.load(this.db.manager, id) : null;
  }

  /** The return holding a line, when the caller may see it: a repair ticket's link back. */
  async findVisibleByLine(caller: Caller, lineId: string): Promise<ReturnView | null> {
    const line = await findReturnLine(this.db.manager, lineId);
    return line ? this.findVisible(caller, line.returnId) : null;
  }

  /** The returns the caller sees (return-visibility.ts), a page at a time. */
  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: ReturnFilter | null,
  ): Promise<Connection<ReturnView>> {
    const page = pageRequest(first, after);
    const { rows, count } = await listReturns(this.db.manager, ctx.caller, page, filter);
    return toConnection(
      rows.map((r) => toReturnView(r.rma, r.lines, r.history)),
      page,
      count,
    );
  }

  /**
   * AUTHORIZED returns not shipped by their ship-by date become EXPIRED. Run by the job runner
   * (one replica at a time); the returns are locked and skipped by a second run at the same time.
   */
  async expireOverdue(em: EntityManager): Promise<number> {
    const overdue = await lockOverdueReturns(em);
    if (overdue.length === 0) return 0;
    const platformId = await findPlatformOrganizationId(em);
    for (const row of overdue) {
      await applyChange(em, RETURN_LIFECYCLE, {
        caller: null,
        id: row.id,
        decide: () => ({
          to: 'EXPIRED',
          history: { note: `Not shipped by ${row.ship_by}`, actorOrganizationId: platformId },
        }),
      });
    }
    return overdue.length;
  }

  /** One guarded change through the return's lifecycle (return.machine.ts): `aim` is the move the operation is for. */
  private change(
    caller: Caller,
    returnId: string,
    expectedVersion: number,
    aim: ReturnStatus,
    decide: ChangeRequest<ReturnStatus, ReturnEntity, ReturnHistoryDetails>['decide'],
  ): Promise<ReturnView | ErrorResult> {
    return changeInTransaction(
      this.db,
      RETURN_LIFECYCLE,
      { caller, id: returnId, expectedVersion, aim, decide },
      (em, rma) => this.load(em, rma.id),
    );
  }

  private async visibleReturn(caller: Caller, id: string, field = 'returnId'): Promise<ReturnEntity> {
    const rma = await findReturn(this.db.manager, id);
    if (!rma || !canSeeReturn(caller, rma)) throw notFound('Return', undefined, field);
    return rma;
  }

  /** The retailer works its own returns. */
  private async retailersReturn(caller: Caller, id: string): Promise<ReturnEntity> {
    const rma = await this.visibleReturn(caller, id);
    assertKind(caller, ['RETAILER'], 'work on returns');
    assertCanWork(caller);
    return rma;
  }

  private async load(em: EntityManager, id: string): Promise<ReturnView> {
    const { rma, lines, history } = await loadReturnRows(em, id);
    return toReturnView(rma, lines, history);
  }
}

/** The return as the policies decided it; createInLifecycle writes its first moves. */
function newReturn(
  retailerId: string,
  number: string,
  requestedOn: CalendarDate,
  decision: RequestDecision,
): ReturnEntity {
  const { failed } = decision;
  const now = new Date();
  return {
    id: newId(),
    number,
    retailerId,
    policyId: decision.lines.find((l) => l.policy !== null)?.policy?.id ?? null,
    status: RETURN_MACHINE.declaration.initial,
    requestedOn,
    rejectionReason: failed?.reason ?? null,
    rejectionMessage: failed?.message ?? null,
    rejectedLine: failed?.line ?? null,
    warrantyAlternative: decision.warrantyAlternative,
    trackingNumber: null,
    carrier: null,
    shipBy: failed
      ? null
      : shipByDate(
          today(),
          decision.lines.map((l) => l.policy!.shipWithinDays),
        ),
    createdAt: now,
    version: 1,
    updatedAt: now,
  };
}

/** The request's lines as stored: each with the policy that decided it, and the amounts by that policy. */
function newReturnLines(
  returnId: string,
  requested: RequestReturnInput['lines'],
  decision: RequestDecision,
): ReturnLineEntity[] {
  return requested.map((line, i) => {
    const { unit, policy } = decision.lines[i];
    return {
      id: newId(),
      returnId,
      position: i,
      unitId: unit.id,
      policyId: policy?.id ?? null,
      reason: line.reason,
      condition: line.condition,
      requestedResolution: line.requestedResolution,
      resolution: null,
      ...lineAmounts(policy, unit, line.reason, line.requestedResolution),
      refundedAmount: null,
      inspectionGrade: null,
      inspectedCondition: null,
      inspectionNote: null,
      replacementUnitId: null,
      repairTicketId: null,
    };
  });
}

/** Whether the line at `index` names a line an earlier one of the input already names. */
function repeatsAnEarlierLine(given: readonly { lineId: string }[], index: number): boolean {
  return given.findIndex((l) => l.lineId === given[index].lineId) !== index;
}

/** Why a line of the return cannot take the resolution given at `index`: resolved already, twice, or not allowed by its policy. */
function resolutionRefusal(
  given: readonly ResolveReturnLineInput[],
  index: number,
  line: ReturnLineEntity,
  policy: ReturnPolicyEntity | null,
): ErrorResult | null {
  if (line.resolution)
    return validationError(`lines.${index}.lineId`, `The line is already resolved (${line.resolution}).`);
  if (repeatsAnEarlierLine(given, index))
    return validationError(`lines.${index}.lineId`, 'The same line is resolved twice.');
  const disallowed = policy && disallowedResolution(policy, given[index].resolution);
  if (disallowed) return new GenericError(ErrorCode.RESOLUTION_NOT_ALLOWED, disallowed, `lines.${index}.resolution`);
  return null;
}

/**
 * EXCHANGE: the replacement registered with the given serial number (same product and owner),
 * the original REPLACED and the two linked; the replacement's id.
 */
async function exchange(em: EntityManager, caller: Caller, l: LineToResolve): Promise<string | ErrorResult> {
  const { rma, line, unit, given, index } = l;
  const serialNumber = given.replacementSerialNumber?.trim();
  if (!serialNumber)
    return validationError(
      `lines.${index}.replacementSerialNumber`,
      'An exchange needs the replacementSerialNumber of the unit handed out.',
    );
  const handedOut = replacementOf(rma, unit, serialNumber, exchangeCarriesCoverage(line.reason));
  const replacementId = await registerHandedOutUnit(
    em,
    caller,
    handedOut,
    {
      summary: 'Handed out in exchange for a returned unit',
      references: [returnReference(rma), unitReference(unit)],
      payload: { returnId: rma.id, replacementOf: unit.id },
    },
    `lines.${index}.replacementSerialNumber`,
  );
  if (replacementId instanceof ErrorResult) return replacementId;
  const replacement = unitReference({ ...handedOut, id: replacementId });
  if (handedOut.carryOver) await moveServicePlansToReplacement(em, caller, unit, replacementId, replacement);
  await changeUnitStatus(
    em,
    caller,
    unit,
    { status: 'REPLACED', replacedById: replacementId },
    { summary: 'Exchanged for a replacement unit', references: [returnReference(rma), replacement] },
  );
  return replacementId;
}

/** The unit handed out in exchange: the original's product, price and owner, bought today with the return's number as proof. */
function replacementOf(rma: ReturnEntity, unit: UnitEntity, serialNumber: string, carryOver: boolean): HandedOutUnit {
  return {
    productId: unit.productId,
    manufacturerId: unit.manufacturerId,
    retailerId: rma.retailerId,
    serialNumber,
    purchaseDate: today(),
    purchasePriceAmount: unit.purchasePriceAmount,
    purchasePriceCurrency: unit.purchasePriceCurrency,
    proofOfPurchaseRef: rma.number,
    owner: unit.owner,
    replacementOfId: unit.id,
    carryOver,
  };
}

/** docs/rules.md, coverage rule 4: the original's service plans move to the replacement, written in both histories. */
async function moveServicePlansToReplacement(
  em: EntityManager,
  caller: Caller,
  unit: UnitEntity,
  replacementId: string,
  replacement: HistoryReference,
): Promise<void> {
  const moved = await moveServicePlans(em, unit.id, replacementId);
  if (moved.length === 0) return;
  await recordUnitHistory(em, caller, [
    {
      unitId: replacementId,
      type: 'SERVICE_PLANS_MOVED',
      summary: `${moved.length} service plan(s) moved from the exchanged unit`,
      references: [unitReference(unit)],
    },
    {
      unitId: unit.id,
      type: 'SERVICE_PLANS_MOVED',
      summary: `${moved.length} service plan(s) moved to the replacement unit`,
      references: [replacement],
    },
  ]);
  await recordEvents(em, caller, [
    {
      type: 'ServicePlansMoved',
      aggregateType: 'Unit',
      aggregateId: replacementId,
      payload: { from: unit.id, to: replacementId, servicePlanIds: moved },
    },
  ]);
}

/** A new policy as the retailer gave it, with the defaults of what it left out. */
function newPolicy(retailerId: string, input: CreateReturnPolicyInput, categories: string[]): ReturnPolicyEntity {
  return {
    id: newId(),
    retailerId,
    name: input.name.trim(),
    categories,
    windowDays: input.windowDays,
    unopenedWindowDays: input.unopenedWindowDays ?? null,
    windowStartsFrom: input.windowStartsFrom ?? 'PURCHASE_DATE',
    holidayPurchaseStart: input.holidayPurchaseStart ?? null,
    holidayPurchaseEnd: input.holidayPurchaseEnd ?? null,
    holidayReturnUntil: input.holidayReturnUntil ?? null,
    restockingFeePercent: input.restockingFeePercent,
    waiveFeeWhenRetailerAtFault: input.waiveFeeWhenRetailerAtFault ?? true,
    allowedResolutions: [...new Set(input.allowedResolutions)],
    shipWithinDays: input.shipWithinDays ?? DEFAULT_SHIP_WITHIN_DAYS,
    createdAt: new Date(),
  };
}

/** Policy inputs that no careful retailer means: named by field. */
function policyInputRefusal(input: CreateReturnPolicyInput) {
  const holiday = [input.holidayPurchaseStart, input.holidayPurchaseEnd, input.holidayReturnUntil];
  if (holiday.some((d) => d) && !holiday.every((d) => d)) {
    return badInput(
      'holidayPurchaseStart',
      'A holiday extension needs holidayPurchaseStart, holidayPurchaseEnd and holidayReturnUntil.',
    );
  }
  if (input.holidayPurchaseStart && input.holidayPurchaseEnd && input.holidayPurchaseStart > input.holidayPurchaseEnd) {
    return badInput('holidayPurchaseEnd', 'holidayPurchaseEnd is before holidayPurchaseStart.');
  }
  if (input.holidayReturnUntil && input.holidayPurchaseEnd && input.holidayReturnUntil < input.holidayPurchaseEnd) {
    return badInput('holidayReturnUntil', 'holidayReturnUntil is before the end of the holiday purchases.');
  }
  if (Number(input.restockingFeePercent) > 100)
    return badInput('restockingFeePercent', 'restockingFeePercent is at most 100.');
  if (
    input.unopenedWindowDays !== undefined &&
    input.unopenedWindowDays !== null &&
    input.unopenedWindowDays < input.windowDays
  ) {
    return badInput(
      'unopenedWindowDays',
      'unopenedWindowDays is the longer window for unopened items: not shorter than windowDays.',
    );
  }
  return null;
}
