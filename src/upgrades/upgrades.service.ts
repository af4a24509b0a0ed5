import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource, In, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, isPlatform, type Caller } from '../common/auth/caller.js';
import { changeInTransaction, createInLifecycle, type ChangeRequest } from '../common/lifecycle/lifecycle.js';
import { today, type CalendarDate } from '../common/dates/calendar-date.js';
import { badInput, forbidden, notFound } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ErrorResult, GenericError, RollbackWithResult, validationError } from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { money } from '../common/money/money.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { ProductEntity } from '../products/product.entity.js';
import { FINAL_REPAIR_STATUSES } from '../repairs/repair-ticket.machine.js';
import { OPEN_RETURN_STATUSES } from '../returns/return.machine.js';
import { changeUnitStatus, lockUnit, registerHandedOutUnit } from '../units/unit-changes.js';
import { unitReference } from '../units/unit-history.js';
import { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory, UnitsService } from '../units/units.service.js';
import { checkCoverage } from '../warranty/coverage-engine.js';
import { CoverageService } from '../warranty/coverage.service.js';
import { upgradeVerdict, type UnitUpgradeFacts } from './upgrade-eligibility.js';
import { UpgradeProgramEntity, UpgradeRequestEntity } from './upgrade.entity.js';
import type {
  CompleteUpgradeInput,
  CreateUpgradeProgramInput,
  ReceiveTradeInInput,
  RequestUpgradeInput,
  UpgradeRequestFilter,
} from './upgrade.inputs.js';
import { canSeeUpgrade, upgradeReference, upgradeVisibility } from './upgrade-visibility.js';
import { UPGRADE_REQUEST_LIFECYCLE } from './upgrade-request.lifecycle.js';
import { UPGRADE_REQUEST_MACHINE, type UpgradeStatus } from './upgrade-request.machine.js';
import {
  toProgramView,
  toUpgradeView,
  type UpgradeEligibilityView,
  type UpgradeProgramView,
  type UpgradeRequestView,
} from './upgrade.views.js';

/** Upgrade and trade-in programs (docs/rules.md, "Upgrades"): eligibility with reasons and dates, and requests. */
@Injectable()
export class UpgradesService {
  constructor(
    private readonly db: DataSource,
    private readonly coverage: CoverageService,
    private readonly units: UnitsService,
  ) {}

  async createProgram(ctx: RequestContext, input: CreateUpgradeProgramInput): Promise<UpgradeProgramView> {
    const { caller } = ctx;
    assertKind(caller, ['MANUFACTURER', 'RETAILER'], 'run upgrade programs');
    assertCanWork(caller);
    if (input.validUntil && input.validUntil < input.validFrom)
      throw badInput('validUntil', 'validUntil is before validFrom.');
    if (
      input.maxUnitAgeMonths !== undefined &&
      input.maxUnitAgeMonths !== null &&
      input.maxUnitAgeMonths < input.minMonthsOwned
    ) {
      throw badInput('maxUnitAgeMonths', 'maxUnitAgeMonths is below minMonthsOwned: no unit could ever be eligible.');
    }
    const currency = input.tradeInValues[0].value.currency;
    for (const [i, value] of input.tradeInValues.entries()) {
      if (value.value.currency !== currency)
        throw badInput(
          `tradeInValues.${i}.value.currency`,
          'Trade-in values are in one currency: amounts in different currencies are never compared.',
        );
      if (input.tradeInValues.findIndex((v) => v.grade.trim() === value.grade.trim()) !== i)
        throw badInput(`tradeInValues.${i}.grade`, `Grade "${value.grade}" is listed twice.`);
    }
    const targetIds = [...new Set(input.targetProductIds)];
    const products = await this.db.getRepository(ProductEntity).findBy({ id: In(targetIds) });
    for (const [i, id] of input.targetProductIds.entries()) {
      const product = products.find((p) => p.id === id);
      if (!product) throw badInput(`targetProductIds.${i}`, 'No product has this id.');
      // a manufacturer offers its own products; a retailer may offer any
      if (caller.organizationKind === 'MANUFACTURER' && product.manufacturerId !== caller.organizationId) {
        throw badInput(`targetProductIds.${i}`, "A manufacturer's program offers its own products.");
      }
    }
    return this.db.transaction(async (em) => {
      const program: UpgradeProgramEntity = {
        id: newId(),
        ownerId: caller.organizationId,
        name: input.name.trim(),
        eligibleCategories: [...new Set(input.eligibleCategories.map((c) => c.trim()))],
        targetProductIds: targetIds,
        minMonthsOwned: input.minMonthsOwned,
        maxUnitAgeMonths: input.maxUnitAgeMonths ?? null,
        requiresActiveCoverage: input.requiresActiveCoverage ?? false,
        tradeInValues: input.tradeInValues.map((v) => ({
          grade: v.grade.trim(),
          amount: money(v.value.amount, currency).amount,
        })),
        currency,
        validFrom: input.validFrom,
        validUntil: input.validUntil ?? null,
        createdAt: new Date(),
      };
      await em.insert(UpgradeProgramEntity, program);
      await recordEvents(em, caller, [
        {
          type: 'UpgradeProgramCreated',
          aggregateType: 'UpgradeProgram',
          aggregateId: program.id,
          payload: { programId: program.id },
        },
      ]);
      return toProgramView(program);
    });
  }

  /**
   * Upgrade programs are part of the shared catalog: every organization reads them, with its API
   * key like every read (the context is taken so that no transport can call this without one).
   */
  async listPrograms(_ctx: RequestContext): Promise<UpgradeProgramView[]> {
    const programs = await this.db.getRepository(UpgradeProgramEntity).find({ order: { id: 'ASC' } });
    return programs.map(toProgramView);
  }

  async findPrograms(ids: readonly string[]): Promise<(UpgradeProgramView | null)[]> {
    const rows = await this.db.getRepository(UpgradeProgramEntity).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((p) => [p.id, toProgramView(p)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Every program that applies to the unit (its manufacturer's, the retailer's that sold it), each
   * with the verdict on `asOf`, in a constant number of queries however many programs apply.
   */
  async eligibility(
    ctx: RequestContext,
    unitId: string,
    asOf: CalendarDate = today(),
  ): Promise<UpgradeEligibilityView> {
    const unit = await this.units.visibleUnit(ctx.caller, unitId, 'unitId');
    const { facts, programs } = await this.eligibilityFacts(this.db.manager, unit);
    return {
      unitId: unit.id,
      asOf,
      offers: programs.map((program) => ({
        program: toProgramView(program),
        ...upgradeVerdict(program, facts, asOf),
        maxTradeInValue: money(Decimal.max(...program.tradeInValues.map((v) => v.amount)), program.currency),
      })),
    };
  }

  /** A request needs eligibility today and a target product of the program (docs/rules.md). */
  async request(ctx: RequestContext, input: RequestUpgradeInput): Promise<UpgradeRequestView | ErrorResult> {
    const { caller } = ctx;
    // a unit outside the caller's view is NOT_FOUND whoever asks; then the kind and the key
    const unit = await this.units.visibleUnit(caller, input.unitId, 'unitId');
    assertKind(caller, ['RETAILER', 'MANUFACTURER'], 'request upgrades');
    assertCanWork(caller);
    const program = await this.db.getRepository(UpgradeProgramEntity).findOneBy({ id: input.programId });
    if (!program) return validationError('programId', 'No upgrade program has this id.');
    if (!appliesTo(program, unit))
      return validationError(
        'programId',
        "The program does not apply to this unit (it is not the program owner's unit).",
      );
    // the program's owner runs it; a manufacturer's program is also run by the retailer that sold the unit
    if (caller.organizationId !== program.ownerId && caller.organizationId !== unit.retailerId) {
      return validationError(
        'programId',
        "Only the program's owner, or the retailer that sold the unit, requests upgrades under it.",
      );
    }
    if (!program.targetProductIds.includes(input.targetProductId))
      return validationError('targetProductId', 'The program does not offer this product.');
    return inTransaction(this.db, async (em) => {
      await lockUnit(em, unit.id);
      const locked = await em.findOneByOrFail(UnitEntity, { id: unit.id });
      const { facts } = await this.eligibilityFacts(em, locked);
      const verdict = upgradeVerdict(program, facts, today());
      if (!verdict.eligible) {
        const when = verdict.eligibleFrom ? `; eligible from ${verdict.eligibleFrom}` : '';
        throw new RollbackWithResult(
          new GenericError(
            ErrorCode.NOT_ELIGIBLE,
            `Not eligible today: ${verdict.reasons.join(', ')}${when}.`,
            'unitId',
          ),
        );
      }
      const [open] = await em.query(
        `SELECT id FROM upgrade_requests WHERE unit_id = $1 AND status IN ('REQUESTED', 'TRADE_IN_RECEIVED')`,
        [unit.id],
      );
      if (open)
        throw new RollbackWithResult(validationError('unitId', 'The unit already has an open upgrade request.'));
      const now = new Date();
      const upgrade: UpgradeRequestEntity = {
        id: newId(),
        unitId: unit.id,
        programId: program.id,
        programOwnerId: program.ownerId,
        requestedById: caller.organizationId,
        targetProductId: input.targetProductId,
        status: UPGRADE_REQUEST_MACHINE.declaration.initial,
        grade: null,
        tradeInValue: null,
        currency: program.currency,
        newUnitId: null,
        createdAt: now,
        version: 1,
        updatedAt: now,
      };
      await createInLifecycle(em, caller, UPGRADE_REQUEST_LIFECYCLE, upgrade, [{ from: null, to: upgrade.status }]);
      await recordUnitHistory(em, caller, [
        {
          unitId: unit.id,
          type: 'UPGRADE_REQUESTED',
          summary: `Upgrade requested under "${program.name}"`,
          references: [upgradeReference(upgrade)],
        },
      ]);
      return toUpgradeView(upgrade);
    });
  }

  async receiveTradeIn(ctx: RequestContext, input: ReceiveTradeInInput): Promise<UpgradeRequestView | ErrorResult> {
    await this.workableUpgrade(ctx.caller, input.upgradeId);
    return this.change(ctx.caller, input.upgradeId, input.expectedVersion, 'TRADE_IN_RECEIVED', () => ({
      to: 'TRADE_IN_RECEIVED',
      history: { note: 'Trade-in received' },
    }));
  }

  /**
   * Completing grades the trade-in (value from the program's table; an unknown grade is a
   * VALIDATION_ERROR), marks the old unit TRADED_IN and registers the new unit to the same owner,
   * each unit's history naming the other.
   */
  async complete(ctx: RequestContext, input: CompleteUpgradeInput): Promise<UpgradeRequestView | ErrorResult> {
    const { caller } = ctx;
    await this.workableUpgrade(caller, input.upgradeId);
    if (input.purchaseDate > today()) return validationError('purchaseDate', 'purchaseDate cannot be in the future.');
    return this.change(caller, input.upgradeId, input.expectedVersion, 'COMPLETED', async (current, em) => {
      const program = await em.findOneByOrFail(UpgradeProgramEntity, { id: current.programId });
      const grade = input.grade.trim();
      const value = program.tradeInValues.find((v) => v.grade === grade);
      if (!value)
        return validationError(
          'grade',
          `The program values grades ${program.tradeInValues.map((v) => v.grade).join(', ')}; not "${grade}".`,
        );
      await lockUnit(em, current.unitId);
      const old = await em.findOneByOrFail(UnitEntity, { id: current.unitId });
      if (old.status !== 'ACTIVE')
        return new GenericError(ErrorCode.UNIT_NOT_ACTIVE, `The traded-in unit is ${old.status}.`, 'upgradeId');
      // a repair or return opened since the request still stands in the way (docs/rules.md: OPEN_REPAIR_OR_RETURN)
      if (await hasOpenRepairOrReturn(em, old.id)) {
        return new GenericError(
          ErrorCode.NOT_ELIGIBLE,
          'The unit has an open repair ticket or return (OPEN_REPAIR_OR_RETURN): finish or cancel it first.',
          'upgradeId',
        );
      }
      const product = await em.findOneByOrFail(ProductEntity, { id: current.targetProductId });
      const serialNumber = input.newSerialNumber.trim();
      const newUnit = {
        productId: product.id,
        manufacturerId: product.manufacturerId,
        // sold by the retailer that did the upgrade; a manufacturer's upgrade keeps the old unit's retailer
        retailerId: caller.organizationKind === 'RETAILER' ? caller.organizationId : old.retailerId,
        serialNumber,
        purchaseDate: input.purchaseDate,
        purchasePriceAmount: null,
        purchasePriceCurrency: null,
        proofOfPurchaseRef: null,
        owner: old.owner,
        replacementOfId: null,
        carryOver: true,
      };
      // the grade and value belong to the upgrade request, shown to its parties only
      const newUnitId = await registerHandedOutUnit(
        em,
        caller,
        newUnit,
        {
          summary: `Registered as an upgrade to ${product.name}`,
          references: [upgradeReference(current), unitReference(old)],
          payload: { upgradeId: current.id, tradedInUnitId: old.id },
        },
        'newSerialNumber',
      );
      if (newUnitId instanceof ErrorResult) return newUnitId;
      await changeUnitStatus(
        em,
        caller,
        old,
        { status: 'TRADED_IN' },
        {
          summary: `Traded in for an upgrade to ${product.name}`,
          references: [upgradeReference(current), unitReference({ ...newUnit, id: newUnitId })],
        },
      );
      return {
        to: 'COMPLETED',
        patch: { grade, tradeInValue: value.amount, newUnitId },
        history: { note: `Grade ${grade}: ${value.amount} ${program.currency}` },
      };
    });
  }

  async cancel(
    ctx: RequestContext,
    upgradeId: string,
    expectedVersion: number,
  ): Promise<UpgradeRequestView | ErrorResult> {
    await this.workableUpgrade(ctx.caller, upgradeId);
    return this.change(ctx.caller, upgradeId, expectedVersion, 'CANCELLED', () => ({
      to: 'CANCELLED',
      history: { note: null },
    }));
  }

  async get(ctx: RequestContext, id: string): Promise<UpgradeRequestView> {
    return toUpgradeView(await this.visibleUpgrade(ctx.caller, id, 'id'));
  }

  /** The requests the caller may see (upgrade-visibility.ts, as get), filtered, a page at a time in id order. */
  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: UpgradeRequestFilter | null,
  ): Promise<Connection<UpgradeRequestView>> {
    const page = pageRequest(first, after);
    const visibility = upgradeVisibility(ctx.caller, 'x', 1);
    const conditions = [visibility.sql];
    const params: unknown[] = [...visibility.params];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter?.status) conditions.push(`x.status = ${param(filter.status)}`);
    if (filter?.unitId) conditions.push(`x.unit_id = ${param(filter.unitId)}`);
    if (filter?.programId) conditions.push(`x.program_id = ${param(filter.programId)}`);
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM upgrade_requests x WHERE ${conditions.join(' AND ')}`,
      params,
    );
    if (page.afterId) conditions.push(`x.id > ${param(page.afterId)}`);
    const ids: { id: string }[] = await this.db.query(
      `SELECT x.id FROM upgrade_requests x WHERE ${conditions.join(' AND ')} ORDER BY x.id LIMIT ${param(page.limit + 1)}`,
      params,
    );
    const rows = ids.length
      ? await this.db
          .getRepository(UpgradeRequestEntity)
          .find({ where: { id: In(ids.map((r) => r.id)) }, order: { id: 'ASC' } })
      : [];
    return toConnection(rows.map(toUpgradeView), page, count);
  }

  /** The facts eligibility needs for one unit: three queries (coverage facts, open work, programs). */
  private async eligibilityFacts(
    em: EntityManager,
    unit: UnitEntity,
  ): Promise<{ facts: UnitUpgradeFacts; programs: UpgradeProgramEntity[] }> {
    const coverageFacts = await this.coverage.factsOf(unit.id, em);
    const [row] = await em.query(`SELECT p.category, ${OPEN_WORK_SQL} AS open_work FROM products p WHERE p.id = $4`, [
      unit.id,
      FINAL_REPAIR_STATUSES,
      OPEN_RETURN_STATUSES,
      unit.productId,
    ]);
    const owners = [unit.manufacturerId, unit.retailerId].filter((id): id is string => id !== null);
    const programs = await em.find(UpgradeProgramEntity, { where: { ownerId: In(owners) }, order: { id: 'ASC' } });
    return {
      facts: {
        status: unit.status,
        category: row.category,
        purchaseDate: unit.purchaseDate,
        hasOpenRepairOrReturn: row.open_work,
        coveredOn: (date) => checkCoverage(coverageFacts, date, null).covered,
      },
      programs: programs.filter((p) => appliesTo(p, unit)),
    };
  }

  /** One guarded change through the request's lifecycle (upgrade-request.machine.ts): `aim` is checked before anything else. */
  private change(
    caller: Caller,
    upgradeId: string,
    expectedVersion: number,
    aim: UpgradeStatus,
    decide: ChangeRequest<UpgradeStatus, UpgradeRequestEntity, { note: string | null }>['decide'],
  ): Promise<UpgradeRequestView | ErrorResult> {
    return changeInTransaction(
      this.db,
      UPGRADE_REQUEST_LIFECYCLE,
      { caller, id: upgradeId, expectedVersion, aim, decide },
      (_em, upgrade) => toUpgradeView(upgrade),
    );
  }

  private async visibleUpgrade(caller: Caller, id: string, field = 'upgradeId'): Promise<UpgradeRequestEntity> {
    const upgrade = await this.db.getRepository(UpgradeRequestEntity).findOneBy({ id });
    if (!upgrade || !canSeeUpgrade(caller, upgrade)) throw notFound('Upgrade request', undefined, field);
    return upgrade;
  }

  /** The organization that asked, or the program's owner, moves the request on. */
  private async workableUpgrade(caller: Caller, id: string): Promise<UpgradeRequestEntity> {
    const upgrade = await this.visibleUpgrade(caller, id);
    if (isPlatform(caller)) throw forbidden('The platform operator does not work on upgrade requests.');
    assertCanWork(caller);
    return upgrade;
  }
}

/** Whether unit $1 has an open repair ticket ($2: the final repair statuses) or is on an open return ($3: open return statuses). */
const OPEN_WORK_SQL = `(EXISTS (SELECT 1 FROM repair_tickets t WHERE t.unit_id = $1 AND t.status <> ALL($2::text[]))
  OR EXISTS (SELECT 1 FROM return_lines l JOIN return_authorizations r ON r.id = l.return_id WHERE l.unit_id = $1 AND r.status = ANY($3::text[])))`;

async function hasOpenRepairOrReturn(em: EntityManager, unitId: string): Promise<boolean> {
  const [row] = await em.query(`SELECT ${OPEN_WORK_SQL} AS open_work`, [
    unitId,
    FINAL_REPAIR_STATUSES,
    OPEN_RETURN_STATUSES,
  ]);
  return row.open_work;
}

/** A manufacturer's program applies to units of its products; a retailer's to units it sold. */
function appliesTo(
  program: Pick<UpgradeProgramEntity, 'ownerId'>,
  unit: Pick<UnitEntity, 'manufacturerId' | 'retailerId'>,
): boolean {
  return program.ownerId === unit.manufacturerId || program.ownerId === unit.retailerId;
}
