import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ErrorCode } from '../../common/errors/error-code.js';
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
import { CoverageStartEnum } from '../../products/product.enums.js';
import type { CoverageStart } from '../../products/warranty-terms.js';
import { RepairTicketType } from '../../repairs/graphql/repair.types.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { CoverageCheckType } from '../../warranty/graphql/coverage.types.js';
import type { ItemCondition, ReturnReason, ReturnResolution } from '../return-rules.js';
import { ItemConditionEnum, ReturnReasonEnum, ReturnResolutionEnum, ReturnStatusEnum } from '../return.enums.js';
import type { ReturnStatus } from '../return.machine.js';

@ObjectType('ReturnPolicy', { implements: () => [NodeInterface] })
export class ReturnPolicyType {
  @Field(() => ID) id: string;
  @Field(() => OrganizationType) retailer: OrganizationType;
  @Field() name: string;
  @Field(() => [String], { description: 'Product categories it applies to; empty means all.' }) categories: string[];
  @Field(() => Int) windowDays: number;
  @Field(() => Int, { nullable: true, description: 'Longer window for unopened items, if any.' }) unopenedWindowDays:
    number | null;
  @Field(() => CoverageStartEnum) windowStartsFrom: CoverageStart;
  @Field(() => DateScalarType, {
    nullable: true,
    description: 'Purchases made in [start, end] may be returned until holidayReturnUntil.',
  })
  holidayPurchaseStart: string | null;
  @Field(() => DateScalarType, { nullable: true }) holidayPurchaseEnd: string | null;
  @Field(() => DateScalarType, { nullable: true }) holidayReturnUntil: string | null;
  @Field(() => DecimalScalarType) restockingFeePercent: string;
  @Field({ description: 'No restocking fee when the reason is DEFECTIVE, DAMAGED_IN_TRANSIT or WRONG_ITEM.' })
  waiveFeeWhenRetailerAtFault: boolean;
  @Field(() => [ReturnResolutionEnum]) allowedResolutions: ReturnResolution[];
  @Field(() => Int, { description: 'Authorized returns not shipped within this many days expire.' })
  shipWithinDays: number;
}

@ObjectType('ReturnLine')
export class ReturnLineType {
  @Field(() => ID) id: string;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => ReturnReasonEnum) reason: ReturnReason;
  @Field(() => ItemConditionEnum) condition: ItemCondition;
  @Field(() => ReturnResolutionEnum) requestedResolution: ReturnResolution;
  @Field(() => ReturnResolutionEnum, { nullable: true }) resolution: ReturnResolution | null;
  @Field(() => MoneyType, { nullable: true, description: 'What the customer gets back, as the policy computes it.' })
  expectedRefund: MoneyType | null;
  @Field(() => MoneyType, { nullable: true }) restockingFee: MoneyType | null;
  @Field(() => MoneyType, { nullable: true }) refundedAmount: MoneyType | null;
  @Field(() => String, { nullable: true }) inspectionGrade: string | null;
  @Field(() => ItemConditionEnum, { nullable: true, description: 'The condition found at inspection.' })
  inspectedCondition: ItemCondition | null;
  @Field(() => UnitType, { nullable: true }) replacementUnit: UnitType | null;
  @Field(() => RepairTicketType, { nullable: true }) repairTicket: RepairTicketType | null;
}

@ObjectType('ReturnStatusChange')
export class ReturnStatusChangeType {
  @Field(() => ReturnStatusEnum, { nullable: true }) from: ReturnStatus | null;
  @Field(() => ReturnStatusEnum) to: ReturnStatus;
  @Field(() => GraphQLISODateTime) at: Date;
  @Field(() => OrganizationType) actor: OrganizationType;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('ReturnAuthorization', {
  implements: () => [NodeInterface],
  description: 'A return merchandise authorization (RMA).',
})
export class ReturnAuthorizationType {
  @Field(() => ID) id: string;
  @Field() number: string;
  @Field(() => OrganizationType) retailer: OrganizationType;
  @Field(() => ReturnStatusEnum) status: ReturnStatus;
  @Field(() => [ReturnLineType]) lines: ReturnLineType[];
  @Field(() => ReturnPolicyType, { nullable: true }) policy: ReturnPolicyType | null;
  @Field(() => ErrorCode, {
    nullable: true,
    description:
      'Why it was rejected, e.g. RETURN_WINDOW_EXPIRED; and, when the item may still be under warranty, the suggestion to open a repair.',
  })
  rejectionReason: ErrorCode | null;
  @Field(() => String, { nullable: true, description: 'The rejection in words, naming the failing line.' })
  rejectionMessage: string | null;
  @Field(() => Int, { nullable: true, description: 'The position (from 0, as in lines.N) of the line that failed.' })
  rejectedLine: number | null;
  @Field(() => CoverageCheckType, { nullable: true }) warrantyAlternative: CoverageCheckType | null;
  @Field(() => String, { nullable: true }) trackingNumber: string | null;
  @Field(() => String, { nullable: true }) carrier: string | null;
  @Field(() => DateScalarType, {
    nullable: true,
    description: 'The last day to ship an authorized return before it expires.',
  })
  shipBy: string | null;
  @Field(() => [ReturnStatusChangeType]) history: ReturnStatusChangeType[];
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => Int) version: number;
}

export const ReturnAuthorizationConnection = connectionTypes(ReturnAuthorizationType, 'ReturnAuthorization');

const returnOr = resultType(ReturnAuthorizationType);

export const RequestReturnResult = createUnionType({
  name: 'RequestReturnResult',
  types: () => [ReturnAuthorizationType, GenericError] as const,
  resolveType: returnOr,
});

export const TransitionReturnResult = createUnionType({
  name: 'TransitionReturnResult',
  types: () => [ReturnAuthorizationType, InvalidStateTransitionError, VersionConflictError, GenericError] as const,
  resolveType: returnOr,
});
