import { typed } from '../common/graphql/node.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { ProductEntity } from './product.entity.js';
import type { ServicePlanEntity } from './service-plan.entity.js';
import type { CoverageType, FailureCategory, WarrantyTerms } from './warranty-terms.js';

export interface ProductView {
  id: string;
  manufacturerId: string;
  sku: string;
  name: string;
  category: string;
  warrantyTerms: WarrantyTerms;
  createdAt: Date;
}

export interface ServicePlanView {
  id: string;
  providerId: string;
  name: string;
  durationMonths: number;
  startsAfterBaseWarranty: boolean;
  coverageTypes: CoverageType[];
  excludedFailures: FailureCategory[];
  eligibleCategories: string[];
  purchaseWindowDays: number;
  maxClaims: number | null;
  deductible: MoneyType | null;
  price: MoneyType;
  createdAt: Date;
}

export const toProductView = (p: ProductEntity): ProductView =>
  typed({ id: p.id, manufacturerId: p.manufacturerId, sku: p.sku, name: p.name, category: p.category, warrantyTerms: p.warrantyTerms, createdAt: p.createdAt }, 'Product');

export const toServicePlanView = (s: ServicePlanEntity): ServicePlanView =>
  typed({
    id: s.id,
    providerId: s.providerId,
    name: s.name,
    durationMonths: s.durationMonths,
    startsAfterBaseWarranty: s.startsAfterBaseWarranty,
    coverageTypes: s.coverageTypes,
    excludedFailures: s.excludedFailures,
    eligibleCategories: s.eligibleCategories,
    purchaseWindowDays: s.purchaseWindowDays,
    maxClaims: s.maxClaims,
    deductible: moneyOrNull(s.deductibleAmount, s.deductibleCurrency),
    price: moneyOrNull(s.priceAmount, s.priceCurrency)!,
    createdAt: s.createdAt,
  }, 'ServicePlan');
