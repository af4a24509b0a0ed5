import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { NodeInterface } from '../../common/graphql/node.js';
import { MoneyType } from '../../common/money/money.types.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import type { ProductResourceKind } from '../product-resource.entity.js';
import { CoverageStartEnum, CoverageTypeEnum, FailureCategoryEnum, ProductResourceKindEnum } from '../product.enums.js';
import type { CoverageStart, CoverageType, FailureCategory } from '../warranty-terms.js';

@ObjectType('WarrantyTerms', { description: "The manufacturer's base warranty for a product." })
export class WarrantyTermsType {
  @Field(() => Int) durationMonths: number;
  @Field(() => CoverageStartEnum) startsFrom: CoverageStart;
  @Field(() => [CoverageTypeEnum]) coverageTypes: CoverageType[];
  @Field(() => [FailureCategoryEnum]) excludedFailures: FailureCategory[];
  @Field() transferable: boolean;
  @Field(() => Int, {
    nullable: true,
    description: 'Registration within this many days of purchase is required for coverage; null when not required.',
  })
  registrationRequiredWithinDays: number | null;
  @Field(() => Int, { nullable: true }) maxClaims: number | null;
  @Field(() => Int, { description: "Warranty granted on a repair, counted from the repair's completion." })
  repairWarrantyDays: number;
}

@ObjectType('ProductResource')
export class ProductResourceType {
  @Field(() => ID) id: string;
  @Field(() => ProductResourceKindEnum) kind: ProductResourceKind;
  @Field() title: string;
  @Field() url: string;
  @Field(() => String, { nullable: true, description: 'null: for every language.' }) locale: string | null;
}

@ObjectType('Product', { implements: () => [NodeInterface] })
export class ProductType {
  @Field(() => ID) id: string;
  @Field(() => OrganizationType) manufacturer: OrganizationType;
  @Field() sku: string;
  @Field() name: string;
  @Field() category: string;
  @Field(() => WarrantyTermsType) warrantyTerms: WarrantyTermsType;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => [ProductResourceType]) resources: ProductResourceType[];
}

export const ProductConnection = connectionTypes(ProductType, 'Product');

@ObjectType('ServicePlan', {
  implements: () => [NodeInterface],
  description: 'An extended warranty or service plan that a manufacturer or retailer sells.',
})
export class ServicePlanType {
  @Field(() => ID) id: string;
  @Field(() => OrganizationType) provider: OrganizationType;
  @Field() name: string;
  @Field(() => Int) durationMonths: number;
  @Field({ description: 'Starts when the base warranty ends (true) or on the purchase date of the plan (false).' })
  startsAfterBaseWarranty: boolean;
  @Field(() => [CoverageTypeEnum]) coverageTypes: CoverageType[];
  @Field(() => [FailureCategoryEnum]) excludedFailures: FailureCategory[];
  @Field(() => [String]) eligibleCategories: string[];
  @Field(() => Int, { description: "The plan can be bought up to this many days after the unit's purchase." })
  purchaseWindowDays: number;
  @Field(() => Int, { nullable: true }) maxClaims: number | null;
  @Field(() => MoneyType, { nullable: true }) deductible: MoneyType | null;
  @Field(() => MoneyType) price: MoneyType;
}
