import type { FailureCategory } from '../../products/warranty-terms.js';
import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  GenericError,
  InvalidStateTransitionError,
  resultType,
  VersionConflictError,
} from '../../common/errors/error-results.js';
import { NodeInterface } from '../../common/graphql/node.js';
import { DateScalarType, DecimalScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import { FailureCategoryEnum } from '../../products/product.enums.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import type { ClaimLineKind } from '../claim.entity.js';
import { ClaimLineKindEnum, ClaimStatusEnum } from '../claim.enums.js';
import type { ClaimStatus } from '../warranty-claim.machine.js';
import { CoverageType } from './coverage.types.js';

@ObjectType('ClaimLine')
class ClaimLineType {
  @Field(() => ClaimLineKindEnum) kind: ClaimLineKind;
  @Field() description: string;
  @Field(() => String, { nullable: true }) partNumber: string | null;
  @Field(() => String, { nullable: true }) laborCode: string | null;
  @Field(() => DecimalScalarType) quantity: string;
  @Field(() => MoneyType) unitAmount: MoneyType;
  @Field(() => MoneyType) total: MoneyType;
}

@ObjectType('ClaimStatusChange')
export class ClaimStatusChangeType {
  @Field(() => ClaimStatusEnum, { nullable: true }) from: ClaimStatus | null;
  @Field(() => ClaimStatusEnum) to: ClaimStatus;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field(() => OrganizationType) actor: OrganizationType;
  @Field(() => String, { nullable: true }) reasonCode: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('WarrantyClaim', { implements: () => [NodeInterface] })
export class WarrantyClaimType {
  @Field(() => ID) id: string;
  @Field() number: string;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => OrganizationType) claimant: OrganizationType;
  @Field(() => OrganizationType) manufacturer: OrganizationType;
  @Field(() => ClaimStatusEnum) status: ClaimStatus;
  @Field(() => FailureCategoryEnum) failureCategory: FailureCategory;
  @Field(() => DateScalarType) failureDate: string;
  @Field() description: string;
  @Field(() => [ClaimLineType]) lines: ClaimLineType[];
  @Field(() => MoneyType) requestedTotal: MoneyType;
  @Field(() => MoneyType, { nullable: true }) approvedTotal: MoneyType | null;
  @Field(() => CoverageType, {
    nullable: true,
    description: 'The coverage the claim was filed under, as it stood at submission.',
  })
  coverage: CoverageType | null;
  @Field(() => [String], { description: 'Automatic checks at submission, e.g. DUPLICATE_SUSPECTED, NOT_COVERED.' })
  flags: string[];
  @Field(() => [ClaimStatusChangeType]) history: ClaimStatusChangeType[];
  @Field(() => GraphQLISODateTime) submittedAt: Date;
  @Field(() => Int) version: number;
}

export const WarrantyClaimConnection = connectionTypes(WarrantyClaimType, 'WarrantyClaim');

const claimOr = resultType(WarrantyClaimType);

export const SubmitWarrantyClaimResult = createUnionType({
  name: 'SubmitWarrantyClaimResult',
  types: () => [WarrantyClaimType, GenericError] as const,
  resolveType: claimOr,
});

export const ReviewWarrantyClaimResult = createUnionType({
  name: 'ReviewWarrantyClaimResult',
  types: () => [WarrantyClaimType, InvalidStateTransitionError, VersionConflictError, GenericError] as const,
  resolveType: claimOr,
});
