import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  GenericError,
  InvalidStateTransitionError,
  resultType,
  VersionConflictError,
} from '../../common/errors/error-results.js';
import { NodeInterface } from '../../common/graphql/node.js';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { ProductType } from '../../products/graphql/product.types.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { IneligibleReasonEnum, UpgradeStatusEnum } from '../upgrade.enums.js';
import type { IneligibleReason } from '../upgrade-eligibility.js';
import type { UpgradeStatus } from '../upgrade-request.machine.js';

@ObjectType('TradeInValue')
export class TradeInValueType {
  @Field() grade: string;
  @Field(() => MoneyType) value: MoneyType;
}

@ObjectType('UpgradeProgram', { implements: () => [NodeInterface] })
export class UpgradeProgramType {
  @Field(() => ID) id: string;
  @Field(() => OrganizationType) owner: OrganizationType;
  @Field() name: string;
  @Field(() => [String], { description: 'Categories whose units may trade in.' }) eligibleCategories: string[];
  @Field(() => [ProductType], { description: 'Products offered as the upgrade.' }) targetProducts: ProductType[];
  @Field(() => Int) minMonthsOwned: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Units older than this (from purchase) are not eligible; null for no limit.',
  })
  maxUnitAgeMonths: number | null;
  @Field() requiresActiveCoverage: boolean;
  @Field(() => [TradeInValueType]) tradeInValues: TradeInValueType[];
  @Field(() => DateScalarType) validFrom: string;
  @Field(() => DateScalarType, { nullable: true }) validUntil: string | null;
}

@ObjectType('UpgradeOffer')
export class UpgradeOfferType {
  @Field(() => UpgradeProgramType) program: UpgradeProgramType;
  @Field() eligible: boolean;
  @Field(() => [IneligibleReasonEnum]) reasons: IneligibleReason[];
  @Field(() => DateScalarType, {
    nullable: true,
    description: 'The first day the unit becomes eligible, when only time stands in the way.',
  })
  eligibleFrom: string | null;
  @Field(() => MoneyType, { description: 'The best trade-in value on offer (grade A), before inspection.' })
  maxTradeInValue: MoneyType;
}

@ObjectType('UpgradeEligibility')
export class UpgradeEligibilityType {
  @Field(() => UnitType) unit: UnitType;
  @Field(() => DateScalarType) asOf: string;
  @Field(() => [UpgradeOfferType]) offers: UpgradeOfferType[];
}

@ObjectType('UpgradeRequest', { implements: () => [NodeInterface] })
export class UpgradeRequestType {
  @Field(() => ID) id: string;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => UpgradeProgramType) program: UpgradeProgramType;
  @Field(() => ProductType) targetProduct: ProductType;
  @Field(() => UpgradeStatusEnum) status: UpgradeStatus;
  @Field(() => String, { nullable: true }) grade: string | null;
  @Field(() => MoneyType, { nullable: true }) tradeInValue: MoneyType | null;
  @Field(() => UnitType, { nullable: true }) newUnit: UnitType | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => Int) version: number;
}

export const UpgradeRequestConnection = connectionTypes(UpgradeRequestType, 'UpgradeRequest');

const upgradeOr = resultType(UpgradeRequestType);

export const RequestUpgradeResult = createUnionType({
  name: 'RequestUpgradeResult',
  types: () => [UpgradeRequestType, GenericError] as const,
  resolveType: upgradeOr,
});

export const CompleteUpgradeResult = createUnionType({
  name: 'CompleteUpgradeResult',
  types: () => [UpgradeRequestType, InvalidStateTransitionError, VersionConflictError, GenericError] as const,
  resolveType: upgradeOr,
});
