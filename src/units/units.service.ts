import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { assertCanWork, assertKind, type Caller } from '../common/auth/caller.js';
import { bumpVersion } from '../common/lifecycle/version-guard.js';
import { addDays, today } from '../common/dates/calendar-date.js';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GenericError, RollbackWithResult, validationError, type ErrorResult } from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { inTransaction, uniqueViolation } from '../common/lifecycle/transaction.js';
import { ProductEntity } from '../products/product.entity.js';
import { ServicePlanEntity } from '../products/service-plan.entity.js';
import { servicePlanPeriod } from '../warranty/coverage-periods.js';
import {
  checkRegistration,
  normalizeOwner,
  validateCustomer,
  type NormalizedRegistration,
  type ProductRef,
} from './unit-registration.js';
import { UnitEventEntity } from './unit-event.entity.js';
import { UnitServicePlanEntity } from './unit-service-plan.entity.js';
import { storedHistoryData, type HistoryReference } from './unit-history.js';
import { hasOwnerFilter, ownerFilterConditions } from './unit-owner-search.js';
import { canChangeUnit, canSeeUnit, ownerVisibility, unitVisibility } from './unit-visibility.js';
import { UnitEntity } from './unit.entity.js';
import type { AttachServicePlanInput, RegisterUnitInput, TransferOwnershipInput, UnitFilter } from './unit.inputs.js';
import {
  toTicketUnitView,
  toUnitEventView,
  toUnitServicePlanView,
  toUnitView,
  type UnitEventView,
  type UnitServicePlanView,
  type UnitView,
} from './unit.views.js';

/** A unit's history row, written with every change to the unit. */
export interface UnitHistoryEntry {
  unitId: string;
  type: string;
  /** Names no return, ticket, claim, upgrade request or other unit: those go in references. */
  summary: string;
  data?: Record<string, unknown>;
  /** Links shown only to the organizations that may see what they link to (unit-history.ts). */
  references?: HistoryReference[];
}

export async function recordUnitHistory(
  em: EntityManager,
  caller: Caller | null,
  entries: UnitHistoryEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await em.insert(
    UnitEventEntity,
    entries.map((e) => ({
      id: newId(),
      unitId: e.unitId,
      at: new Date(),
      type: e.type,
      actorOrganizationId: caller?.organizationId ?? null,
      technicianId: caller?.technicianId ?? null,
      summary: e.summary,
      data: storedHistoryData(e.data, e.references) as never,
    })),
  );
}

/** Unit registration, ownership and service plans: the unit's passport. */
@Injectable()
export class UnitsService {
  constructor(private readonly db: DataSource) {}

  /** The product a registration names, by id or by SKU (with the manufacturer unless the caller is it). */
  async resolveProduct(
    caller: Caller,
    input: Pick<RegisterUnitInput, 'productId' | 'sku' | 'manufacturerId'>,
  ): Promise<ProductRef | GenericError> {
    const repo = this.db.getRepository(ProductEntity);
    if (input.productId) {
      const product = await repo.findOneBy({ id: input.productId });
      if (!product) return new GenericError(ErrorCode.PRODUCT_NOT_FOUND, 'No product has this id.', 'productId');
      if (input.sku && input.sku !== product.sku) return validationError('sku', 'sku does not match productId.');
      return product;
    }
    if (!input.sku)
      return validationError(
        'productId',
        'Give the product as productId, or as sku (with manufacturerId unless you are the manufacturer).',
      );
    const manufacturerId =
      input.manufacturerId ?? (caller.organizationKind === 'MANUFACTURER' ? caller.organizationId : null);
    if (!manufacturerId) return validationError('manufacturerId', 'manufacturerId is needed to find a product by sku.');
    const product = await repo.findOneBy({ manufacturerId, sku: input.sku });
    if (!product)
      return new GenericError(
        ErrorCode.PRODUCT_NOT_FOUND,
        `The manufacturer has no product with SKU "${input.sku}".`,
        'sku',
      );
    return product;
  }

  async registerUnit(ctx: RequestContext, input: RegisterUnitInput): Promise<UnitView | ErrorResult> {
    assertKind(ctx.caller, ['MANUFACTURER', 'RETAILER', 'PLATFORM'], 'register units');
    assertCanWork(ctx.caller);
    const product = await this.resolveProduct(ctx.caller, input);
    if (product instanceof GenericError) return product;
    const retailer = input.retailerId
      ? await this.db.query(`SELECT id FROM organizations WHERE id = $1 AND kind = 'RETAILER'`, [input.retailerId])
      : [];
    const registration = checkRegistration(ctx.caller, input, product, () => retailer.length === 1);
    if (registration instanceof GenericError) return registration;
    const duplicate = await this.db
      .getRepository(UnitEntity)
      .existsBy({ manufacturerId: registration.manufacturerId, serialNumber: registration.serialNumber });
    if (duplicate) return duplicateSerial(registration.serialNumber);
    try {
      return await inTransaction(this.db, async (em) => {
        const id = newId();
        await em.insert(UnitEntity, unitRow(id, registration, null));
        await recordUnitHistory(em, ctx.caller, [
          { unitId: id, type: 'REGISTERED', summary: `Registered with serial number ${registration.serialNumber}` },
        ]);
        await recordEvents(em, ctx.caller, [unitRegisteredEvent(id, registration)]);
        return toUnitView(await em.findOneByOrFail(UnitEntity, { id }), ctx.caller);
      });
    } catch (error) {
      if (uniqueViolation(error) === 'units_manufacturer_serial_key') return duplicateSerial(registration.serialNumber);
      throw error;
    }
  }

  async getUnit(ctx: RequestContext, id: string, field = 'id'): Promise<UnitView> {
    return toUnitView(await this.visibleUnit(ctx.caller, id, field), ctx.caller);
  }

  /** The unit row when the caller may see it; NOT_FOUND naming `field` otherwise. */
  async visibleUnit(caller: Caller, id: string, field = 'id'): Promise<UnitEntity> {
    const unit = await this.db.getRepository(UnitEntity).findOneBy({ id });
    if (!unit || !canSeeUnit(caller, unit)) throw notFound('Unit', 'UNIT_NOT_FOUND', field);
    return unit;
  }

  /** Units by id, null where missing or outside the caller's view: for loaders. */
  async findVisibleUnits(caller: Caller, ids: readonly string[]): Promise<(UnitView | null)[]> {
    const rows = await this.db.getRepository(UnitEntity).findBy({ id: In([...ids]) });
    const index = new Map(rows.filter((u) => canSeeUnit(caller, u)).map((u) => [u.id, toUnitView(u, caller)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  /**
   * The units of records the caller may see (tickets, claims, return lines, upgrade requests), by
   * id: the unit itself when the caller may see it, else the reduced unit an opener reads on its
   * ticket (toTicketUnitView). Only for a record already known to be visible to the caller.
   */
  async findRecordUnits(caller: Caller, ids: readonly string[]): Promise<(UnitView | null)[]> {
    const rows = await this.db.getRepository(UnitEntity).findBy({ id: In([...ids]) });
    const index = new Map(rows.map((u) => [u.id, canSeeUnit(caller, u) ? toUnitView(u, caller) : toTicketUnitView(u)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  /**
   * The unit row when the caller may change it (docs/rules.md: only its retailer and manufacturer):
   * NOT_FOUND naming `field` when the caller may not see it, whatever its key; FORBIDDEN when it
   * sees the unit but its key may not write or its organization may not change the unit.
   */
  async changeableUnit(caller: Caller, id: string, field = 'unitId'): Promise<UnitEntity> {
    const unit = await this.visibleUnit(caller, id, field);
    assertCanWork(caller);
    if (!canChangeUnit(caller, unit)) throw forbidden("Only the unit's retailer and manufacturer change a unit.");
    return unit;
  }

  async getUnitBySerial(ctx: RequestContext, serialNumber: string, manufacturerId?: string | null): Promise<UnitView> {
    const visibility = unitVisibility(ctx.caller, 'u', 3);
    const rows: { id: string }[] = await this.db.query(
      `SELECT u.id FROM units u WHERE u.serial_number = $1 AND ($2::uuid IS NULL OR u.manufacturer_id = $2::uuid) AND ${visibility.sql} LIMIT 2`,
      [serialNumber.trim(), manufacturerId ?? null, ...visibility.params],
    );
    if (rows.length === 0) throw notFound('Unit', 'UNIT_NOT_FOUND', 'serialNumber');
    if (rows.length > 1)
      throw new DomainError('BAD_USER_INPUT', 'Several manufacturers use this serial number: give manufacturerId.', {
        field: 'manufacturerId',
        errorCode: 'VALIDATION_ERROR',
      });
    return this.getUnit(ctx, rows[0].id, 'serialNumber');
  }

  async listUnits(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: UnitFilter | null,
  ): Promise<Connection<UnitView>> {
    const page = pageRequest(first, after);
    const visibility = unitVisibility(ctx.caller, 'u', 1);
    const conditions = [visibility.sql];
    const params: unknown[] = [...visibility.params];
    const param = (value: unknown) => `$${params.push(value)}`;
    const add = (sql: string, value: unknown) => {
      conditions.push(sql.replace('?', param(value)));
    };
    if (filter?.status) add('u.status = ?', filter.status);
    if (filter?.productId) add('u.product_id = ?', filter.productId);
    if (filter?.serialNumber) add('u.serial_number = ?', filter.serialNumber.trim());
    if (filter && hasOwnerFilter(filter)) {
      // nobody finds a unit by an owner it may not read (a center after its ticket, an opener, the platform)
      const owner = ownerVisibility(ctx.caller, 'u', params.length + 1);
      params.push(...owner.params);
      conditions.push(owner.sql, ...ownerFilterConditions(filter, 'u', param));
    }
    const where = conditions.join(' AND ');
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM units u WHERE ${where}`, params);
    if (page.afterId) add('u.id > ?', page.afterId);
    params.push(page.limit + 1);
    const ids: { id: string }[] = await this.db.query(
      `SELECT u.id FROM units u WHERE ${conditions.join(' AND ')} ORDER BY u.id LIMIT $${params.length}`,
      params,
    );
    const rows = ids.length
      ? await this.db.getRepository(UnitEntity).find({ where: { id: In(ids.map((r) => r.id)) }, order: { id: 'ASC' } })
      : [];
    return toConnection(
      rows.map((u) => toUnitView(u, ctx.caller)),
      page,
      count,
    );
  }

  async transferOwnership(ctx: RequestContext, input: TransferOwnershipInput): Promise<UnitView | ErrorResult> {
    await this.changeableUnit(ctx.caller, input.unitId);
    const customerError = validateCustomer(input.newOwner, 'newOwner', today());
    if (customerError) return customerError;
    return inTransaction(this.db, async (em) => {
      await bumpVersion(em, 'units', input.unitId, input.expectedVersion);
      const unit = await em.findOneByOrFail(UnitEntity, { id: input.unitId });
      if (unit.status !== 'ACTIVE') throw new RollbackWithResult(notActive(unit.status));
      const product = await em.findOneByOrFail(ProductEntity, { id: unit.productId });
      if (!product.warrantyTerms.transferable) {
        throw new RollbackWithResult(
          new GenericError(
            ErrorCode.NOT_TRANSFERABLE,
            "This product's warranty terms do not allow a transfer of ownership.",
            'unitId',
          ),
        );
      }
      await em.update(UnitEntity, { id: unit.id }, { owner: normalizeOwner(input.newOwner) });
      await recordUnitHistory(em, ctx.caller, [
        { unitId: unit.id, type: 'OWNERSHIP_TRANSFERRED', summary: 'Ownership transferred to a new owner' },
      ]);
      await recordEvents(em, ctx.caller, [
        { type: 'UnitOwnershipTransferred', aggregateType: 'Unit', aggregateId: unit.id, payload: { unitId: unit.id } },
      ]);
      return toUnitView(await em.findOneByOrFail(UnitEntity, { id: unit.id }), ctx.caller);
    });
  }

  async attachServicePlan(ctx: RequestContext, input: AttachServicePlanInput): Promise<UnitView | ErrorResult> {
    const target = await this.changeableUnit(ctx.caller, input.unitId);
    const plan = await this.db.getRepository(ServicePlanEntity).findOneBy({ id: input.servicePlanId });
    if (!plan) return validationError('servicePlanId', 'No service plan has this id.');
    // a store sells the maker's plan or its own; no one attaches another store's plan
    if (plan.providerId !== ctx.caller.organizationId && plan.providerId !== target.manufacturerId) {
      return new GenericError(
        ErrorCode.PLAN_NOT_ELIGIBLE,
        "Only your own service plans or the unit's manufacturer's can be attached.",
        'servicePlanId',
      );
    }
    if (input.purchasedAt > today()) return validationError('purchasedAt', 'purchasedAt cannot be in the future.');
    return inTransaction(this.db, async (em) => {
      await bumpVersion(em, 'units', input.unitId, null);
      const unit = await em.findOneByOrFail(UnitEntity, { id: input.unitId });
      const product = await em.findOneByOrFail(ProductEntity, { id: unit.productId });
      const refusal = planRefusal(unit, product, plan, input.purchasedAt);
      if (refusal) throw new RollbackWithResult(refusal);
      if (await em.existsBy(UnitServicePlanEntity, { unitId: unit.id, servicePlanId: plan.id })) {
        throw new RollbackWithResult(
          new GenericError(ErrorCode.PLAN_NOT_ELIGIBLE, 'This plan is already attached to the unit.', 'servicePlanId'),
        );
      }
      const period = servicePlanPeriod(unit, product.warrantyTerms, plan, input.purchasedAt);
      await em.insert(UnitServicePlanEntity, {
        id: newId(),
        unitId: unit.id,
        servicePlanId: plan.id,
        purchasedAt: input.purchasedAt,
        ...period,
      });
      await recordUnitHistory(em, ctx.caller, [
        {
          unitId: unit.id,
          type: 'SERVICE_PLAN_ATTACHED',
          summary: `Service plan "${plan.name}" attached, ${period.startsAt} to ${period.endsAt}`,
          data: { servicePlanId: plan.id, ...period },
        },
      ]);
      await recordEvents(em, ctx.caller, [
        {
          type: 'UnitServicePlanAttached',
          aggregateType: 'Unit',
          aggregateId: unit.id,
          payload: { servicePlanId: plan.id, ...period },
        },
      ]);
      return toUnitView(await em.findOneByOrFail(UnitEntity, { id: unit.id }), ctx.caller);
    });
  }

  async servicePlansOf(unitIds: readonly string[]): Promise<UnitServicePlanView[][]> {
    const rows = await this.db
      .getRepository(UnitServicePlanEntity)
      .find({ where: { unitId: In([...unitIds]) }, order: { id: 'ASC' } });
    return unitIds.map((id) => rows.filter((r) => r.unitId === id).map(toUnitServicePlanView));
  }

  /** The unit's history, oldest first; the caller must see the unit. */
  async history(
    ctx: RequestContext,
    unitId: string,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<UnitEventView>> {
    await this.getUnit(ctx, unitId, 'unitId');
    return this.historyOfVisibleUnit(ctx.caller, unitId, first, after);
  }

  /** For a unit already known to be visible (a GraphQL parent), without checking again; each row as this caller may read it. */
  async historyOfVisibleUnit(
    caller: Caller,
    unitId: string,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<UnitEventView>> {
    const page = pageRequest(first, after);
    const query = this.db
      .getRepository(UnitEventEntity)
      .createQueryBuilder('e')
      .where('e.unit_id = :unitId', { unitId });
    const count = await query.clone().getCount();
    if (page.afterId) query.andWhere('e.id > :afterId', { afterId: page.afterId });
    const rows = await query
      .orderBy('e.id', 'ASC')
      .limit(page.limit + 1)
      .getMany();
    return toConnection(
      rows.map((e) => toUnitEventView(e, caller)),
      page,
      count,
    );
  }
}

function duplicateSerial(serialNumber: string): GenericError {
  return new GenericError(
    ErrorCode.DUPLICATE_SERIAL_NUMBER,
    `The manufacturer already has a unit with serial number "${serialNumber}".`,
    'serialNumber',
  );
}

function notActive(status: string): GenericError {
  return new GenericError(ErrorCode.UNIT_NOT_ACTIVE, `The unit is ${status}, not ACTIVE.`, 'unitId');
}

/** docs/rules.md rule 2: why a plan cannot be attached, or null when it can. */
export function planRefusal(
  unit: UnitEntity,
  product: ProductEntity,
  plan: ServicePlanEntity,
  purchasedAt: string,
): GenericError | null {
  const refuse = (message: string, field = 'servicePlanId') =>
    new GenericError(ErrorCode.PLAN_NOT_ELIGIBLE, message, field);
  if (unit.status !== 'ACTIVE')
    return refuse(`A plan can be attached only to an ACTIVE unit; this one is ${unit.status}.`, 'unitId');
  if (!plan.eligibleCategories.includes(product.category))
    return refuse(`The plan does not cover the category ${product.category}.`);
  if (purchasedAt < unit.purchaseDate)
    return refuse('The plan cannot be bought before the unit was purchased.', 'purchasedAt');
  const windowEnd = addDays(unit.purchaseDate, plan.purchaseWindowDays);
  if (purchasedAt > windowEnd)
    return refuse(
      `The plan must be bought within ${plan.purchaseWindowDays} days of the unit's purchase (by ${windowEnd}).`,
      'purchasedAt',
    );
  return null;
}

export function unitRow(id: string, r: NormalizedRegistration, importKey: string | null): Partial<UnitEntity> {
  return {
    id,
    productId: r.productId,
    manufacturerId: r.manufacturerId,
    retailerId: r.retailerId,
    serialNumber: r.serialNumber,
    purchaseDate: r.purchaseDate,
    deliveryDate: r.deliveryDate,
    purchasePriceAmount: r.purchasePriceAmount,
    purchasePriceCurrency: r.purchasePriceCurrency,
    proofOfPurchaseRef: r.proofOfPurchaseRef,
    registeredAt: new Date(),
    status: 'ACTIVE',
    owner: r.owner,
    importKey,
    version: 1,
    updatedAt: new Date(),
  };
}

export function unitRegisteredEvent(id: string, r: NormalizedRegistration) {
  return {
    type: 'UnitRegistered',
    aggregateType: 'Unit',
    aggregateId: id,
    payload: {
      unitId: id,
      productId: r.productId,
      manufacturerId: r.manufacturerId,
      retailerId: r.retailerId,
      serialNumber: r.serialNumber,
      purchaseDate: r.purchaseDate,
    },
  };
}
