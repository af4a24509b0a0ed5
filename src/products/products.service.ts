import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertCanWork, assertKind } from '../common/auth/caller.js';
import { badInput, DomainError, forbidden, notFound } from '../common/errors/domain-error.js';
import { newId } from '../common/ids.js';
import { money } from '../common/money/money.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { Caller } from '../common/auth/caller.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { uniqueViolation } from '../common/lifecycle/transaction.js';
import { canonicalLocale } from '../common/http/locale.validator.js';
import type { AddProductResourceInput } from './product-resource.inputs.js';
import {
  deleteResource,
  findResource,
  findResourcesOfProducts,
  insertResource,
  lockProductAndCountResources,
} from './product-resource.queries.js';
import { toProductResourceView, type ProductResourceView } from './product-resource.views.js';
import type { CreateProductInput, CreateServicePlanInput, WarrantyTermsInput } from './product.inputs.js';
import { toProductView, toServicePlanView, type ProductView, type ServicePlanView } from './product.views.js';
import {
  findProduct,
  findProductsById,
  findServicePlan,
  findServicePlansById,
  insertProduct,
  insertServicePlan,
  listProducts,
  listServicePlans,
} from './products.queries.js';
import { DEFAULT_REPAIR_WARRANTY_DAYS, type WarrantyTerms } from './warranty-terms.js';

/** Enough for every manual, guide and course of a product in every language; bounds what one email lists. */
export const MAX_RESOURCES_PER_PRODUCT = 100;

/** The shared catalog: every organization reads it; only the owner creates its entries. */
@Injectable()
export class ProductsService {
  constructor(private readonly db: DataSource) {}

  async createProduct(ctx: RequestContext, input: CreateProductInput): Promise<ProductView> {
    assertKind(ctx.caller, ['MANUFACTURER'], 'create products');
    assertCanWork(ctx.caller);
    try {
      return await this.db.transaction(async (em) => {
        const product = await insertProduct(em, {
          id: newId(),
          manufacturerId: ctx.caller.organizationId,
          sku: input.sku,
          name: input.name.trim(),
          category: input.category.trim(),
          warrantyTerms: warrantyTerms(input.warrantyTerms),
        });
        await recordEvents(em, ctx.caller, [
          {
            type: 'ProductCreated',
            aggregateType: 'Product',
            aggregateId: product.id,
            payload: { sku: product.sku, category: product.category },
          },
        ]);
        return toProductView(product);
      });
    } catch (error) {
      if (uniqueViolation(error) === 'products_manufacturer_sku_key') {
        throw new DomainError('CONFLICT', `A product with SKU "${input.sku}" already exists.`, { field: 'sku' });
      }
      throw error;
    }
  }

  async getProduct(id: string): Promise<ProductView> {
    const product = await findProduct(this.db.manager, id);
    if (!product) throw notFound('Product', 'PRODUCT_NOT_FOUND', 'id');
    return toProductView(product);
  }

  async findProducts(ids: readonly string[]): Promise<(ProductView | null)[]> {
    const rows = await findProductsById(this.db.manager, ids);
    const index = new Map(rows.map((row) => [row.id, toProductView(row)]));
    return ids.map((id) => index.get(id) ?? null);
  }

  async listProducts(
    first?: number | null,
    after?: string | null,
    category?: string | null,
  ): Promise<Connection<ProductView>> {
    const page = pageRequest(first, after);
    const { rows, count } = await listProducts(this.db.manager, page, category ?? null);
    return toConnection(rows.map(toProductView), page, count);
  }

  /** The resources of each product, oldest first (a DataLoader batch: one query for every product asked). */
  async resourcesOf(productIds: readonly string[]): Promise<ProductResourceView[][]> {
    const rows = await findResourcesOfProducts(this.db.manager, productIds);
    return productIds.map((id) => rows.filter((r) => r.productId === id).map(toProductResourceView));
  }

  async listResources(productId: string): Promise<ProductResourceView[]> {
    await this.getProduct(productId);
    return (await this.resourcesOf([productId]))[0];
  }

  /** A manual, guide or support contact added by the product's manufacturer (its ADMIN or STAFF keys). */
  async addResource(ctx: RequestContext, input: AddProductResourceInput): Promise<ProductResourceView> {
    await this.productToChange(ctx.caller, input.productId, 'productId');
    return this.db.transaction(async (em) => {
      if ((await lockProductAndCountResources(em, input.productId)) >= MAX_RESOURCES_PER_PRODUCT) {
        throw badInput('productId', `A product has at most ${MAX_RESOURCES_PER_PRODUCT} resources; remove one first.`);
      }
      const resource = await insertResource(em, {
        id: newId(),
        productId: input.productId,
        kind: input.kind,
        title: input.title.trim(),
        url: input.url.trim(),
        locale: input.locale ? canonicalLocale(input.locale) : null,
      });
      return toProductResourceView(resource);
    });
  }

  async removeResource(ctx: RequestContext, productId: string, resourceId: string): Promise<void> {
    await this.productToChange(ctx.caller, productId, 'productId');
    await this.db.transaction(async (em) => {
      const resource = await findResource(em, resourceId);
      if (!resource || resource.productId !== productId) throw notFound('Product resource', undefined, 'resourceId');
      await deleteResource(em, resourceId);
    });
  }

  /** The catalog is read by everyone, changed by its owner: a product of another manufacturer is FORBIDDEN, not hidden. */
  private async productToChange(caller: Caller, productId: string, field: string): Promise<void> {
    const product = await findProduct(this.db.manager, productId);
    if (!product) throw notFound('Product', 'PRODUCT_NOT_FOUND', field);
    assertKind(caller, ['MANUFACTURER'], "change products' resources");
    if (product.manufacturerId !== caller.organizationId)
      throw forbidden("Only the product's manufacturer changes its resources.");
    assertCanWork(caller);
  }

  async createServicePlan(ctx: RequestContext, input: CreateServicePlanInput): Promise<ServicePlanView> {
    assertKind(ctx.caller, ['MANUFACTURER', 'RETAILER'], 'sell service plans');
    assertCanWork(ctx.caller);
    const price = money(input.price.amount, input.price.currency);
    const deductible = input.deductible ? money(input.deductible.amount, input.deductible.currency) : null;
    if (deductible && deductible.currency !== price.currency) {
      throw new DomainError('BAD_USER_INPUT', 'deductible must be in the currency of the price.', {
        field: 'deductible.currency',
        errorCode: 'VALIDATION_ERROR',
      });
    }
    return this.db.transaction(async (em) => {
      const plan = await insertServicePlan(em, {
        id: newId(),
        providerId: ctx.caller.organizationId,
        name: input.name.trim(),
        durationMonths: input.durationMonths,
        startsAfterBaseWarranty: input.startsAfterBaseWarranty,
        coverageTypes: [...input.coverageTypes],
        excludedFailures: [...(input.excludedFailures ?? [])],
        eligibleCategories: input.eligibleCategories.map((c) => c.trim()),
        purchaseWindowDays: input.purchaseWindowDays,
        maxClaims: input.maxClaims ?? null,
        deductibleAmount: deductible?.amount ?? null,
        deductibleCurrency: deductible?.currency ?? null,
        priceAmount: price.amount,
        priceCurrency: price.currency,
      });
      await recordEvents(em, ctx.caller, [
        {
          type: 'ServicePlanCreated',
          aggregateType: 'ServicePlan',
          aggregateId: plan.id,
          payload: { name: plan.name },
        },
      ]);
      return toServicePlanView(plan);
    });
  }

  async listServicePlans(): Promise<ServicePlanView[]> {
    return (await listServicePlans(this.db.manager)).map(toServicePlanView);
  }

  async getServicePlan(id: string): Promise<ServicePlanView | null> {
    const row = await findServicePlan(this.db.manager, id);
    return row ? toServicePlanView(row) : null;
  }

  async findServicePlans(ids: readonly string[]): Promise<(ServicePlanView | null)[]> {
    const rows = await findServicePlansById(this.db.manager, ids);
    const index = new Map(rows.map((row) => [row.id, toServicePlanView(row)]));
    return ids.map((id) => index.get(id) ?? null);
  }
}

/** The base warranty as stored, with the defaults of what the manufacturer left out. */
function warrantyTerms(t: WarrantyTermsInput): WarrantyTerms {
  return {
    durationMonths: t.durationMonths,
    startsFrom: t.startsFrom,
    coverageTypes: [...t.coverageTypes],
    excludedFailures: [...(t.excludedFailures ?? [])],
    transferable: t.transferable ?? true,
    registrationRequiredWithinDays: t.registrationRequiredWithinDays ?? null,
    maxClaims: t.maxClaims ?? null,
    repairWarrantyDays: t.repairWarrantyDays ?? DEFAULT_REPAIR_WARRANTY_DAYS,
  };
}
