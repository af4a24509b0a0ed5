import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, isPlatform, type Caller } from '../common/auth/caller.js';
import {
  applyChange,
  changeInTransaction,
  createInLifecycle,
  type ChangeRequest,
} from '../common/lifecycle/lifecycle.js';
import { addDays, today, type CalendarDate } from '../common/dates/calendar-date.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ErrorResult, GenericError, validationError } from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { ProductEntity } from '../products/product.entity.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import { RepairsService } from '../repairs/repairs.service.js';
import { canSeeUnit } from '../units/unit-visibility.js';
import { changeUnitStatus, registerHandedOutUnit } from '../units/unit-changes.js';
import { unitReference, type HistoryReference } from '../units/unit-history.js';
import { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory } from '../units/units.service.js';
import { checkCoverage } from '../warranty/coverage-engine.js';
import { CoverageService } from '../warranty/coverage.service.js';
import { lineRefusal, policyFor, refundFor, type ReturnResolution } from './return-rules.js';
import { RETURN_LIFECYCLE, type ReturnHistoryDetails } from './return.lifecycle.js';
import { MOVES_BY_OWN_OPERATION, OPEN_RETURN_STATUSES, RETURN_MACHINE, type ReturnStatus } from './return.machine.js';
import { ReturnEntity, ReturnHistoryEntity, ReturnLineEntity, ReturnPolicyEntity } from './return.entity.js';
import type {
  CreateReturnPolicyInput,
  InspectReturnInput,
  RequestReturnInput,
  ResolveReturnInput,
  ReturnFilter,
  TransitionReturnInput,
} from './return.inputs.js';
import { toPolicyView, toReturnView, type ReturnPolicyView, type ReturnView } from './return.views.js';

const DEFAULT_SHIP_WITHIN_DAYS = 14;

/** Why one line of a request fails, and where. */
interface LineRefusal {
  line: number;
  reason: ErrorCode;
  message: string;
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
      await em.query(`SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, [caller.organizationId]);
      const existing = await em.find(ReturnPolicyEntity, { where: { retailerId: caller.organizationId } });
      const clash = existing.find((p) =>
        categories.length === 0 ? p.categories.length === 0 : p.categories.some((c) => categories.includes(c)),
      );
      if (clash) {
        throw badInput(
          'categories',
          categories.length === 0
            ? `"${clash.name}" is already your default policy (no categories).`
            : `"${clash.name}" already covers ${clash.categories.filter((c) => categories.includes(c)).join(', ')}.`,
        );
      }
      const policy: ReturnPolicyEntity = {
        id: newId(),
        retailerId: caller.organizationId,
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
      await em.insert(ReturnPolicyEntity, policy);
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
    const where = isPlatform(ctx.caller) ? {} : { retailerId: ctx.caller.organizationId };
    const policies = await this.db.getRepository(ReturnPolicyEntity).find({ where, order: { id: 'ASC' } });
    return policies.map(toPolicyView);
  }

  async findPolicies(ids: readonly string[]): Promise<(ReturnPolicyView | null)[]> {
    const rows = await this.db.getRepository(ReturnPolicyEntity).findBy({ id: In([...ids]) });
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
      const { failed, warrantyAlternative, linePolicies, lockedById } = await this.decideLines(
        em,
        caller,
        input,
        requestedOn,
        unitIds,
      );
      const status: ReturnStatus = failed ? 'REJECTED' : 'AUTHORIZED';
      const firstPolicy = linePolicies.find((p) => p !== null) ?? null;
      const [{ n }] = await em.query(`SELECT nextval('return_number_seq')::int AS n`);
      const now = new Date();
      const rma: ReturnEntity = {
        id: newId(),
        number: `RMA-${String(n).padStart(6, '0')}`,
        retailerId: caller.organizationId,
        policyId: firstPolicy?.id ?? null,
        status: RETURN_MACHINE.declaration.initial,
        requestedOn,
        rejectionReason: failed?.reason ?? null,
        rejectionMessage: failed?.message ?? null,
        rejectedLine: failed?.line ?? null,
        warrantyAlternative,
        trackingNumber: null,
        carrier: null,
        // the earliest ship-by date of the lines' policies
        shipBy: failed ? null : addDays(today(), Math.min(...linePolicies.map((p) => p!.shipWithinDays))),
        createdAt: now,
        version: 1,
        updatedAt: now,
      };
      await createInLifecycle(em, caller, RETURN_LIFECYCLE, rma, [
        { from: null, to: 'REQUESTED', details: { note: input.note?.trim() || null } },
        { from: 'REQUESTED', to: status, details: { note: failed ? failed.message : `Ship by ${rma.shipBy}` } },
      ]);
      await em.insert(
        ReturnLineEntity,
        input.lines.map((line, i) => {
          const unit = lockedById.get(line.unitId)!;
          const policy = linePolicies[i];
          const amounts = policy
            ? lineAmounts(policy, unit, line.reason, line.requestedResolution)
            : { restockingFee: null, expectedRefund: null, currency: null };
          return {
            id: newId(),
            returnId: rma.id,
            position: i,
            unitId: unit.id,
            policyId: policy?.id ?? null,
            reason: line.reason,
            condition: line.condition,
            requestedResolution: line.requestedResolution,
            resolution: null,
            ...amounts,
            refundedAmount: null,
            inspectionGrade: null,
            inspectedCondition: null,
            inspectionNote: null,
            replacementUnitId: null,
            repairTicketId: null,
          };
        }),
      );
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
    const units = await this.db
      .getRepository(UnitEntity)
      .findBy({ id: In([...new Set(input.lines.map((l) => l.unitId))]) });
    const unitById = new Map(units.map((u) => [u.id, u]));
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

  /** Each line against the retailer's policies, the units locked: the first failing line, and each line's policy. */
  private async decideLines(
    em: EntityManager,
    caller: Caller,
    input: RequestReturnInput,
    requestedOn: CalendarDate,
    unitIds: string[],
  ) {
    // lock the units in a fixed order: one open return per unit, and no deadlock between requests
    await em.query(`SELECT id FROM units WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [unitIds]);
    const locked = await em.findBy(UnitEntity, { id: In(unitIds) });
    const lockedById = new Map(locked.map((u) => [u.id, u]));
    const products = await em.findBy(ProductEntity, { id: In([...new Set(locked.map((u) => u.productId))]) });
    const categoryOf = new Map(products.map((p) => [p.id, p.category]));
    const policies = await em.find(ReturnPolicyEntity, {
      where: { retailerId: caller.organizationId },
      order: { id: 'ASC' },
    });
    const onOpenReturns: { unit_id: string; number: string }[] = await em.query(
      `SELECT l.unit_id, r.number FROM return_lines l JOIN return_authorizations r ON r.id = l.return_id
        WHERE l.unit_id = ANY($1::uuid[]) AND r.status = ANY($2::text[])`,
      [unitIds, OPEN_RETURN_STATUSES],
    );
    const openReturnOf = new Map(onOpenReturns.map((o) => [o.unit_id, o.number]));

    let failed: LineRefusal | null = null;
    let warrantyAlternative: ReturnEntity['warrantyAlternative'] = null;
    const linePolicies: (ReturnPolicyEntity | null)[] = [];
    for (const [i, line] of input.lines.entries()) {
      const unit = lockedById.get(line.unitId)!;
      const category = categoryOf.get(unit.productId) ?? '';
      const policy = policyFor(policies, category);
      linePolicies.push(policy);
      if (failed) continue;
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
      failed = { line: i, reason: ErrorCode[refusal.reason], message: `Line ${i}: ${refusal.message}` };
      // a defective unit past the window may still be under warranty: the retailer can open a repair instead
      if (refusal.reason === 'RETURN_WINDOW_EXPIRED' && line.reason === 'DEFECTIVE') {
        const verdict = checkCoverage(await this.coverage.factsOf(unit.id, em), requestedOn, null);
        warrantyAlternative = { serialNumber: unit.serialNumber, unitId: unit.id, ...verdict };
      }
    }
    return { failed, warrantyAlternative, linePolicies, lockedById };
  }

  /** Shipping (with tracking number and carrier), receiving, closing and cancelling. */
  async transition(ctx: RequestContext, input: TransitionReturnInput): Promise<ReturnView | ErrorResult> {
    const rma = await this.retailersReturn(ctx.caller, input.returnId);
    const to = input.to as ReturnStatus;
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
      const lines = await em.findBy(ReturnLineEntity, { returnId: current.id });
      const byId = new Map(lines.map((l) => [l.id, l]));
      for (const [i, given] of input.lines.entries()) {
        if (!byId.has(given.lineId))
          return validationError(`lines.${i}.lineId`, 'The return has no line with this id.');
        if (input.lines.findIndex((l) => l.lineId === given.lineId) !== i)
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
            await em.update(
              ReturnLineEntity,
              { id: given.lineId },
              {
                inspectionGrade: given.grade.trim(),
                inspectedCondition: given.condition,
                inspectionNote: given.note?.trim() || null,
              },
            );
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
      const lines = await em.findBy(ReturnLineEntity, { returnId: current.id });
      const byId = new Map(lines.map((l) => [l.id, l]));
      const units = new Map(
        (await em.findBy(UnitEntity, { id: In(lines.map((l) => l.unitId)) })).map((u) => [u.id, u]),
      );
      const policies = new Map(
        (
          await em.findBy(ReturnPolicyEntity, {
            id: In(lines.map((l) => l.policyId).filter((id): id is string => id !== null)),
          })
        ).map((p) => [p.id, p]),
      );
      for (const [i, given] of input.lines.entries()) {
        const line = byId.get(given.lineId);
        if (!line) return validationError(`lines.${i}.lineId`, 'The return has no line with this id.');
        if (line.resolution)
          return validationError(`lines.${i}.lineId`, `The line is already resolved (${line.resolution}).`);
        if (input.lines.findIndex((l) => l.lineId === given.lineId) !== i)
          return validationError(`lines.${i}.lineId`, 'The same line is resolved twice.');
        const unit = units.get(line.unitId)!;
        // the policy that decided the line, not one made since
        const policy = line.policyId ? (policies.get(line.policyId) ?? null) : null;
        if (policy && !policy.allowedResolutions.includes(given.resolution)) {
          return new GenericError(
            ErrorCode.RESOLUTION_NOT_ALLOWED,
            `"${policy.name}" allows ${policy.allowedResolutions.join(', ')}, not ${given.resolution}.`,
            `lines.${i}.resolution`,
          );
        }
        const outcome = await this.resolveLine(em, caller, current, line, unit, policy, given.resolution, i, given);
        if (outcome instanceof ErrorResult) return outcome;
      }
      const resolved = (await em.findBy(ReturnLineEntity, { returnId: current.id })).every(
        (l) => l.resolution !== null,
      );
      return {
        to: resolved ? 'RESOLVED' : current.status,
        event: resolved ? undefined : 'ReturnLinesResolved',
        history: { note: input.lines.map((l) => `${byId.get(l.lineId)!.position}: ${l.resolution}`).join(', ') },
      };
    });
  }

  async get(ctx: RequestContext, id: string): Promise<ReturnView> {
    await this.visibleReturn(ctx.caller, id, 'id');
    return this.load(this.db.manager, id);
  }

  async findVisible(caller: Caller, id: string): Promise<ReturnView | null> {
    const rma = await this.db.getRepository(ReturnEntity).findOneBy({ id });
    return rma && canSeeReturn(caller, rma) ? this.load(this.db.manager, id) : null;
  }

  /** The return holding a line, when the caller may see it: a repair ticket's link back. */
  async findVisibleByLine(caller: Caller, lineId: string): Promise<ReturnView | null> {
    const line = await this.db.getRepository(ReturnLineEntity).findOneBy({ id: lineId });
    return line ? this.findVisible(caller, line.returnId) : null;
  }

  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: ReturnFilter | null,
  ): Promise<Connection<ReturnView>> {
    const page = pageRequest(first, after);
    const query = this.db.getRepository(ReturnEntity).createQueryBuilder('r');
    if (!isPlatform(ctx.caller)) query.where('r.retailer_id = :org', { org: ctx.caller.organizationId });
    if (filter?.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter?.unitId)
      query.andWhere('EXISTS (SELECT 1 FROM return_lines l WHERE l.return_id = r.id AND l.unit_id = :unitId)', {
        unitId: filter.unitId,
      });
    const count = await query.clone().getCount();
    if (page.afterId) query.andWhere('r.id > :afterId', { afterId: page.afterId });
    const rows = await query
      .orderBy('r.id', 'ASC')
      .limit(page.limit + 1)
      .getMany();
    const ids = rows.map((r) => r.id);
    const lines = ids.length ? await this.db.getRepository(ReturnLineEntity).findBy({ returnId: In(ids) }) : [];
    const history = ids.length
      ? await this.db.getRepository(ReturnHistoryEntity).find({ where: { returnId: In(ids) }, order: { id: 'ASC' } })
      : [];
    return toConnection(
      rows.map((r) =>
        toReturnView(
          r,
          lines.filter((l) => l.returnId === r.id),
          history.filter((h) => h.returnId === r.id),
        ),
      ),
      page,
      count,
    );
  }

  /**
   * AUTHORIZED returns not shipped by their ship-by date become EXPIRED. Run by the job runner
   * (one replica at a time); the guarded UPDATE expires each return once even if two ran at once.
   */
  async expireOverdue(em: EntityManager): Promise<number> {
    // the overdue returns, locked: a second run at the same time skips them, and finds them EXPIRED after
    const rows: { id: string; ship_by: string }[] = await em.query(
      `SELECT id, ship_by::text AS ship_by FROM return_authorizations
        WHERE status = 'AUTHORIZED' AND ship_by < (now() AT TIME ZONE 'UTC')::date ORDER BY id FOR UPDATE SKIP LOCKED`,
    );
    if (rows.length === 0) return 0;
    const [platform] = await em.query(`SELECT id FROM organizations WHERE kind = 'PLATFORM' ORDER BY id LIMIT 1`);
    for (const row of rows) {
      await applyChange(em, RETURN_LIFECYCLE, {
        caller: null,
        id: row.id,
        decide: () => ({
          to: 'EXPIRED',
          history: { note: `Not shipped by ${row.ship_by}`, actorOrganizationId: platform?.id ?? null },
        }),
      });
    }
    return rows.length;
  }

  private async resolveLine(
    em: EntityManager,
    caller: Caller,
    rma: ReturnEntity,
    line: ReturnLineEntity,
    unit: UnitEntity,
    policy: ReturnPolicyEntity | null,
    resolution: ReturnResolution,
    i: number,
    given: { replacementSerialNumber?: string; serviceCenterId?: string; failureCategory?: FailureCategory },
  ): Promise<void | ErrorResult> {
    if (unit.status !== 'ACTIVE')
      return new GenericError(ErrorCode.UNIT_NOT_ACTIVE, `The unit is ${unit.status}.`, `lines.${i}.lineId`);
    // the amounts follow the resolution made: an exchange or a repair gives no refund and takes no fee
    const amounts = policy
      ? lineAmounts(policy, unit, line.reason, resolution)
      : { restockingFee: null, expectedRefund: null, currency: null };
    const patch: Partial<ReturnLineEntity> = { resolution, ...amounts };
    if (resolution === 'REFUND' || resolution === 'STORE_CREDIT') {
      patch.refundedAmount = amounts.expectedRefund;
      await changeUnitStatus(
        em,
        caller,
        unit,
        { status: 'RETURNED' },
        { summary: `Returned (${resolution})`, references: [returnReference(rma)] },
      );
    } else if (resolution === 'EXCHANGE') {
      const serialNumber = given.replacementSerialNumber?.trim();
      if (!serialNumber)
        return validationError(
          `lines.${i}.replacementSerialNumber`,
          'An exchange needs the replacementSerialNumber of the unit handed out.',
        );
      const handedOut = {
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
        // the replacement carries the original's coverage over only when the original was defective
        carryOver: line.reason === 'DEFECTIVE',
      };
      const replacementId = await registerHandedOutUnit(
        em,
        caller,
        handedOut,
        {
          summary: 'Handed out in exchange for a returned unit',
          references: [returnReference(rma), unitReference(unit)],
          payload: { returnId: rma.id, replacementOf: unit.id },
        },
        `lines.${i}.replacementSerialNumber`,
      );
      if (replacementId instanceof ErrorResult) return replacementId;
      const replacement = unitReference({ ...handedOut, id: replacementId });
      if (line.reason === 'DEFECTIVE') {
        // docs/rules.md, coverage rule 4: the original's service plans move to the replacement
        const [moved] = await em.query(
          `UPDATE unit_service_plans SET unit_id = $2 WHERE unit_id = $1 RETURNING service_plan_id`,
          [unit.id, replacementId],
        );
        if (moved.length) {
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
              payload: {
                from: unit.id,
                to: replacementId,
                servicePlanIds: moved.map((m: { service_plan_id: string }) => m.service_plan_id),
              },
            },
          ]);
        }
      }
      await changeUnitStatus(
        em,
        caller,
        unit,
        { status: 'REPLACED', replacedById: replacementId },
        {
          summary: 'Exchanged for a replacement unit',
          references: [returnReference(rma), replacement],
        },
      );
      patch.replacementUnitId = replacementId;
    } else {
      if (!given.serviceCenterId)
        return validationError(`lines.${i}.serviceCenterId`, 'A repair needs the serviceCenterId that gets the unit.');
      const center = await this.repairs.serviceCenter(caller, given.serviceCenterId, `lines.${i}.serviceCenterId`, em);
      if (center instanceof ErrorResult) return center;
      const ticket = await this.repairs.openIn(em, caller, {
        unitId: unit.id,
        unitField: `lines.${i}.lineId`,
        center,
        reportedIssue: `Return ${rma.number}: ${line.reason.toLowerCase().replace(/_/g, ' ')}`,
        failureCategory: given.failureCategory ?? 'OTHER',
        returnLineId: line.id,
      });
      patch.repairTicketId = ticket.id;
    }
    await em.update(ReturnLineEntity, { id: line.id }, patch);
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
    const rma = await this.db.getRepository(ReturnEntity).findOneBy({ id });
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
    const rma = await em.findOneByOrFail(ReturnEntity, { id });
    const lines = await em.findBy(ReturnLineEntity, { returnId: id });
    const history = await em.find(ReturnHistoryEntity, { where: { returnId: id }, order: { id: 'ASC' } });
    return toReturnView(rma, lines, history);
  }
}

/** A retailer sees its returns; the platform all. */
export function canSeeReturn(caller: Caller, rma: Pick<ReturnEntity, 'retailerId'>): boolean {
  return isPlatform(caller) || rma.retailerId === caller.organizationId;
}

/** A return named in a unit's history, shown to those who see the return (canSeeReturn). */
function returnReference(rma: Pick<ReturnEntity, 'id' | 'number' | 'retailerId'>): HistoryReference {
  return { kind: 'RETURN', id: rma.id, label: rma.number, seenBy: [rma.retailerId] };
}

/** The fee and refund of a line by its policy, in the unit's purchase currency. */
function lineAmounts(
  policy: ReturnPolicyEntity,
  unit: UnitEntity,
  reason: ReturnLineEntity['reason'],
  resolution: ReturnResolution,
) {
  const price =
    unit.purchasePriceAmount && unit.purchasePriceCurrency
      ? { amount: unit.purchasePriceAmount, currency: unit.purchasePriceCurrency.trim() }
      : null;
  const { restockingFee, expectedRefund } = refundFor({
    price,
    restockingFeePercent: policy.restockingFeePercent,
    waiveFeeWhenRetailerAtFault: policy.waiveFeeWhenRetailerAtFault,
    reason,
    resolution,
  });
  return {
    restockingFee: restockingFee?.amount ?? null,
    expectedRefund: expectedRefund?.amount ?? null,
    currency: price?.currency ?? null,
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
