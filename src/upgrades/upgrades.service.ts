import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { DataSource, type EntityManager } from 'typeorm';
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
import type { ProductEntity } from '../products/product.entity.js';
import { lockUnit } from '../units/unit-changes.js';
import type { UnitEntity } from '../units/unit.entity.js';
import { recordUnitHistory, UnitsService } from '../units/units.service.js';
import { checkCoverage } from '../warranty/coverage-engine.js';
import { CoverageService } from '../warranty/coverage.service.js';
import { completeUpgrade } from './upgrade-completion.js';
import { upgradeVerdict, type UnitUpgradeFacts } from './upgrade-eligibility.js';
import type { UpgradeProgramEntity, UpgradeRequestEntity } from './upgrade.entity.js';
import type {
  CompleteUpgradeInput,
  CreateUpgradeProgramInput,
  ReceiveTradeInInput,
  RequestUpgradeInput,
  TradeInValueInput,
  UpgradeRequestFilter,
} from './upgrade.inputs.js';
import { canSeeUpgrade, upgradeReference } from './upgrade-visibility.js';
import { UPGRADE_REQUEST_LIFECYCLE } from './upgrade-request.lifecycle.js';
import { UPGRADE_REQUEST_MACHINE, type UpgradeStatus } from './upgrade-request.machine.js';
import {
  findCategoryAndOpenWork,
  findProductsById,
  findProgram,
  findProgramsById,
  findProgramsOwnedBy,
  loadUnit,
  findUpgradeRequest,
  hasOpenUpgradeRequest,
  insertProgram,
  listPrograms,
  listUpgradeRequests,
} from './upgrades.queries.js';
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
    checkProgramPeriod(input);
    const currency = tradeInCurrency(input.tradeInValues);
    const targetIds = [...new Set(input.targetProductIds)];
    checkTargetProducts(caller, input.targetProductIds, await findProductsById(this.db.manager, targetIds));
    const program = newProgram(caller, input, targetIds, currency);
    return this.db.transaction(async (em) => {
      await insertProgram(em, program);
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
    return (await listPrograms(this.db.manager)).map(toProgramView);
  }

  async findPrograms(ids: readonly string[]): Promise<(UpgradeProgramView | null)[]> {
    const rows = await findProgramsById(this.db.manager, ids);
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
    const program = await findProgram(this.db.manager, input.programId);
    if (!program) return validationError('programId', 'No upgrade program has this id.');
    const refusal = requestRefusal(caller, unit, program, input.targetProductId);
    if (refusal) return refusal;
    return inTransaction(this.db, async (em) => {
      await this.assertEligibleToday(em, program, unit.id);
      if (await hasOpenUpgradeRequest(em, unit.id))
        throw new RollbackWithResult(validationError('unitId', 'The unit already has an open upgrade request.'));
      const upgrade = newUpgradeRequest(caller, unit, program, input.targetProductId);
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
    return this.change(caller, input.upgradeId, input.expectedVersion, 'COMPLETED', (current, em) =>
      completeUpgrade(em, caller, current, input),
    );
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
    const { rows, count } = await listUpgradeRequests(this.db.manager, ctx.caller, page, filter ?? {});
    return toConnection(rows.map(toUpgradeView), page, count);
  }

  /** The facts eligibility needs for one unit: three queries (coverage facts, open work, programs). */
  private async eligibilityFacts(
    em: EntityManager,
    unit: UnitEntity,
  ): Promise<{ facts: UnitUpgradeFacts; programs: UpgradeProgramEntity[] }> {
    const coverageFacts = await this.coverage.factsOf(unit.id, em);
    const { category, hasOpenRepairOrReturn } = await findCategoryAndOpenWork(em, unit);
    const owners = [unit.manufacturerId, unit.retailerId].filter((id): id is string => id !== null);
    const programs = await findProgramsOwnedBy(em, owners);
    return {
      facts: {
        status: unit.status,
        category,
        purchaseDate: unit.purchaseDate,
        hasOpenRepairOrReturn,
        coveredOn: (date) => checkCoverage(coverageFacts, date, null).covered,
      },
      programs: programs.filter((p) => appliesTo(p, unit)),
    };
  }

  /** Eligibility checked again on the locked unit: a refusal (NOT_ELIGIBLE, with every reason and the date it ends) rolls back. */
  private async assertEligibleToday(em: EntityManager, program: UpgradeProgramEntity, unitId: string): Promise<void> {
    await lockUnit(em, unitId);
    const { facts } = await this.eligibilityFacts(em, await loadUnit(em, unitId));
    const verdict = upgradeVerdict(program, facts, today());
    if (verdict.eligible) return;
    const when = verdict.eligibleFrom ? `; eligible from ${verdict.eligibleFrom}` : '';
    throw new RollbackWithResult(
      new GenericError(ErrorCode.NOT_ELIGIBLE, `Not eligible today: ${verdict.reasons.join(', ')}${when}.`, 'unitId'),
    );
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
    const upgrade = await findUpgradeRequest(this.db.manager, id);
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

/** A program runs from validFrom, and a unit's age limit leaves room for the time it must be owned. */
function checkProgramPeriod(input: CreateUpgradeProgramInput): void {
  if (input.validUntil && input.validUntil < input.validFrom)
    throw badInput('validUntil', 'validUntil is before validFrom.');
  if (
    input.maxUnitAgeMonths !== undefined &&
    input.maxUnitAgeMonths !== null &&
    input.maxUnitAgeMonths < input.minMonthsOwned
  ) {
    throw badInput('maxUnitAgeMonths', 'maxUnitAgeMonths is below minMonthsOwned: no unit could ever be eligible.');
  }
}

/** The currency of the trade-in table: one for every grade, and each grade listed once. */
function tradeInCurrency(values: TradeInValueInput[]): string {
  const currency = values[0].value.currency;
  for (const [i, value] of values.entries()) {
    if (value.value.currency !== currency)
      throw badInput(
        `tradeInValues.${i}.value.currency`,
        'Trade-in values are in one currency: amounts in different currencies are never compared.',
      );
    if (values.findIndex((v) => v.grade.trim() === value.grade.trim()) !== i)
      throw badInput(`tradeInValues.${i}.grade`, `Grade "${value.grade}" is listed twice.`);
  }
  return currency;
}

/** Every target is a product; a manufacturer offers its own products, a retailer any. */
function checkTargetProducts(caller: Caller, targetProductIds: string[], products: ProductEntity[]): void {
  for (const [i, id] of targetProductIds.entries()) {
    const product = products.find((p) => p.id === id);
    if (!product) throw badInput(`targetProductIds.${i}`, 'No product has this id.');
    if (caller.organizationKind === 'MANUFACTURER' && product.manufacturerId !== caller.organizationId) {
      throw badInput(`targetProductIds.${i}`, "A manufacturer's program offers its own products.");
    }
  }
}

function newProgram(
  caller: Caller,
  input: CreateUpgradeProgramInput,
  targetProductIds: string[],
  currency: string,
): UpgradeProgramEntity {
  return {
    id: newId(),
    ownerId: caller.organizationId,
    name: input.name.trim(),
    eligibleCategories: [...new Set(input.eligibleCategories.map((c) => c.trim()))],
    targetProductIds,
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
}

/** Why the caller may not request this upgrade under the program, if it may not (eligibility aside). */
function requestRefusal(
  caller: Caller,
  unit: UnitEntity,
  program: UpgradeProgramEntity,
  targetProductId: string,
): ErrorResult | null {
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
  if (!program.targetProductIds.includes(targetProductId))
    return validationError('targetProductId', 'The program does not offer this product.');
  return null;
}

function newUpgradeRequest(
  caller: Caller,
  unit: UnitEntity,
  program: UpgradeProgramEntity,
  targetProductId: string,
): UpgradeRequestEntity {
  const now = new Date();
  return {
    id: newId(),
    unitId: unit.id,
    programId: program.id,
    programOwnerId: program.ownerId,
    requestedById: caller.organizationId,
    targetProductId,
    status: UPGRADE_REQUEST_MACHINE.declaration.initial,
    grade: null,
    tradeInValue: null,
    currency: program.currency,
    newUnitId: null,
    createdAt: now,
    version: 1,
    updatedAt: now,
  };
}

/** A manufacturer's program applies to units of its products; a retailer's to units it sold. */
function appliesTo(
  program: Pick<UpgradeProgramEntity, 'ownerId'>,
  unit: Pick<UnitEntity, 'manufacturerId' | 'retailerId'>,
): boolean {
  return program.ownerId === unit.manufacturerId || program.ownerId === unit.retailerId;
}
