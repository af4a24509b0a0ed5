import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
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
import type { ProductEntity } from '../products/product.entity.js';
import type { ServicePlanEntity } from '../products/service-plan.entity.js';
import { servicePlanPeriod } from '../warranty/coverage-periods.js';
import {
  checkRegistration,
  normalizeOwner,
  validateCustomer,
  type NormalizedRegistration,
  type ProductRef,
} from './unit-registration.js';
import { storedHistoryData, type HistoryReference } from './unit-history.js';
import { canChangeUnit, canSeeUnit } from './unit-visibility.js';
import type { UnitEntity } from './unit.entity.js';
import * as queries from './unit.queries.js';
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
interface UnitHistoryEntry {
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
  await queries.insertUnitEvents(
    em,
    entries.map((e) => ({
      id: newId(),
      unitId: e.unitId,
      at: new Date(),
      type: e.type,
      actorOrganizationId: caller?.organizationId ?? null,
      technicianId: caller?.technicianId ?? null,
      summary: e.summary,
      data: storedHistoryData(e.data, e.references),
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
    if (input.productId) {
      const product = await queries.findProduct(this.db.manager, input.productId);
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
    const product = await queries.findProductBySku(this.db.manager, manufacturerId, input.sku);
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
    const retailerIsValid =
      !!input.retailerId && (await queries.isRetailerOrganization(this.db.manager, input.retailerId));
    const registration = checkRegistration(ctx.caller, input, product, () => retailerIsValid);
    if (registration instanceof GenericError) return registration;
    const { manufacturerId, serialNumber } = registration;
    if (await queries.serialNumberTaken(this.db.manager, manufacturerId, serialNumber))
      return duplicateSerial(serialNumber);
    try {
      return await inTransaction(this.db, async (em) => {
        const id = newId();
        await queries.insertUnit(em, unitRow(id, registration));
        await recordUnitHistory(em, ctx.caller, [
          { unitId: id, type: 'REGISTERED', summary: `Registered with serial number ${registration.serialNumber}` },
        ]);
        await recordEvents(em, ctx.caller, [unitRegisteredEvent(id, registration)]);
        return toUnitView(await queries.getUnit(em, id), ctx.caller);
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
    const unit = await queries.findUnit(this.db.manager, id);
    if (!unit || !canSeeUnit(caller, unit)) throw notFound('Unit', 'UNIT_NOT_FOUND', field);
    return unit;
  }

  /** Units by id, null where missing or outside the caller's view: for loaders. */
  async findVisibleUnits(caller: Caller, ids: readonly string[]): Promise<(UnitView | null)[]> {
    const rows = await queries.findUnits(this.db.manager, ids);
    const index = new Map(rows.filter((u) => canSeeUnit(caller, u)).map((u) => [u.id, toUnitView(u, caller)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  /**
   * The units of records the caller may see (tickets, claims, return lines, upgrade requests), by
   * id: the unit itself when the caller may see it, else the reduced unit an opener reads on its
   * ticket (toTicketUnitView). Only for a record already known to be visible to the caller.
   */
  async findRecordUnits(caller: Caller, ids: readonly string[]): Promise<(UnitView | null)[]> {
    const rows = await queries.findUnits(this.db.manager, ids);
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
    const ids = await queries.findVisibleUnitIdsBySerial(
      this.db.manager,
      ctx.caller,
      serialNumber.trim(),
      manufacturerId ?? null,
    );
    if (ids.length === 0) throw notFound('Unit', 'UNIT_NOT_FOUND', 'serialNumber');
    if (ids.length > 1)
      throw new DomainError('BAD_USER_INPUT', 'Several manufacturers use this serial number: give manufacturerId.', {
        field: 'manufacturerId',
        errorCode: 'VALIDATION_ERROR',
      });
    return this.getUnit(ctx, ids[0], 'serialNumber');
  }

  async listUnits(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
    filter?: UnitFilter | null,
  ): Promise<Connection<UnitView>> {
    const page = pageRequest(first, after);
    const { rows, count } = await queries.listUnits(this.db.manager, ctx.caller, page, filter);
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
      const unit = await queries.getUnit(em, input.unitId);
      if (unit.status !== 'ACTIVE') throw new RollbackWithResult(notActive(unit.status));
      const product = await queries.getProduct(em, unit.productId);
      if (!product.warrantyTerms.transferable) {
        throw new RollbackWithResult(
          new GenericError(
            ErrorCode.NOT_TRANSFERABLE,
            "This product's warranty terms do not allow a transfer of ownership.",
            'unitId',
          ),
        );
      }
      await queries.updateUnitOwner(em, unit.id, normalizeOwner(input.newOwner));
      await recordUnitHistory(em, ctx.caller, [
        { unitId: unit.id, type: 'OWNERSHIP_TRANSFERRED', summary: 'Ownership transferred to a new owner' },
      ]);
      await recordEvents(em, ctx.caller, [
        { type: 'UnitOwnershipTransferred', aggregateType: 'Unit', aggregateId: unit.id, payload: { unitId: unit.id } },
      ]);
      return toUnitView(await queries.getUnit(em, unit.id), ctx.caller);
    });
  }

  async attachServicePlan(ctx: RequestContext, input: AttachServicePlanInput): Promise<UnitView | ErrorResult> {
    const target = await this.changeableUnit(ctx.caller, input.unitId);
    const plan = await queries.findServicePlan(this.db.manager, input.servicePlanId);
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
      const unit = await queries.getUnit(em, input.unitId);
      const product = await queries.getProduct(em, unit.productId);
      const refusal = planRefusal(unit, product, plan, input.purchasedAt);
      if (refusal) throw new RollbackWithResult(refusal);
      if (await queries.servicePlanAttached(em, unit.id, plan.id)) {
        throw new RollbackWithResult(
          new GenericError(ErrorCode.PLAN_NOT_ELIGIBLE, 'This plan is already attached to the unit.', 'servicePlanId'),
        );
      }
      const period = servicePlanPeriod(unit, product.warrantyTerms, plan, input.purchasedAt);
      await queries.insertUnitServicePlan(em, {
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
      return toUnitView(await queries.getUnit(em, unit.id), ctx.caller);
    });
  }

  async servicePlansOf(unitIds: readonly string[]): Promise<UnitServicePlanView[][]> {
    const rows = await queries.findServicePlansOfUnits(this.db.manager, unitIds);
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
    const { rows, count } = await queries.pageUnitEvents(this.db.manager, unitId, page);
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
function planRefusal(
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

function unitRow(id: string, r: NormalizedRegistration): Partial<UnitEntity> {
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
    importKey: null,
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
