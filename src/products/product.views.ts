import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import {
  ApiBool,
  ApiDateTime,
  ApiEnum,
  ApiId,
  ApiInt,
  ApiMoney,
  ApiNested,
  ApiText,
} from '../common/openapi/properties.js';
import { moneyOrNull, type MoneyType } from '../common/money/money.types.js';
import type { ProductEntity } from './product.entity.js';
import type { ServicePlanEntity } from './service-plan.entity.js';
import { CoverageStartEnum, CoverageTypeEnum, FailureCategoryEnum } from './product.enums.js';
import type { CoverageStart, CoverageType, FailureCategory, WarrantyTerms } from './warranty-terms.js';

@ApiSchema({ name: 'WarrantyTerms', description: "The manufacturer's base warranty for a product." })
export class WarrantyTermsView implements WarrantyTerms {
  @ApiInt(24) durationMonths: number;
  @ApiEnum(CoverageStartEnum, 'CoverageStart') startsFrom: CoverageStart;
  @ApiEnum(CoverageTypeEnum, 'CoverageType', { isArray: true }) coverageTypes: CoverageType[];
  @ApiEnum(FailureCategoryEnum, 'FailureCategory', { isArray: true }) excludedFailures: FailureCategory[];
  @ApiBool(true) transferable: boolean;
  @ApiInt(30, { nullable: true }) registrationRequiredWithinDays: number | null;
  @ApiInt(3, { nullable: true }) maxClaims: number | null;
  @ApiInt(90) repairWarrantyDays: number;
}

@ApiSchema({ name: 'Product' })
export class ProductView {
  @ApiId() id: string;
  @ApiId() manufacturerId: string;
  @ApiText('FR-200') sku: string;
  @ApiText('Fridge 200 l') name: string;
  @ApiText('FRIDGE') category: string;
  @ApiNested(() => WarrantyTermsView) warrantyTerms: WarrantyTerms;
  @ApiDateTime() createdAt: Date;
}

@ApiSchema({ name: 'ServicePlan' })
export class ServicePlanView {
  @ApiId() id: string;
  @ApiId() providerId: string;
  @ApiText('Extended care 3 years') name: string;
  @ApiInt(36) durationMonths: number;
  @ApiBool(true) startsAfterBaseWarranty: boolean;
  @ApiEnum(CoverageTypeEnum, 'CoverageType', { isArray: true }) coverageTypes: CoverageType[];
  @ApiEnum(FailureCategoryEnum, 'FailureCategory', { isArray: true }) excludedFailures: FailureCategory[];
  @ApiProperty({ type: String, isArray: true, example: ['FRIDGE'] }) eligibleCategories: string[];
  @ApiInt(30) purchaseWindowDays: number;
  @ApiInt(2, { nullable: true }) maxClaims: number | null;
  @ApiMoney({ nullable: true }) deductible: MoneyType | null;
  @ApiMoney() price: MoneyType;
  @ApiDateTime() createdAt: Date;
}

export const toProductView = (p: ProductEntity): ProductView =>
  typed(
    {
      id: p.id,
      manufacturerId: p.manufacturerId,
      sku: p.sku,
      name: p.name,
      category: p.category,
      warrantyTerms: p.warrantyTerms,
      createdAt: p.createdAt,
    },
    'Product',
  );

export const toServicePlanView = (s: ServicePlanEntity): ServicePlanView =>
  typed(
    {
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
    },
    'ServicePlan',
  );
