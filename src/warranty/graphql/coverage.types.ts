import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { CoverageTypeEnum } from '../../products/product.enums.js';
import { UnitType } from '../../units/graphql/unit.types.js';

export enum CoverageSourceEnum {
  BASE_WARRANTY = 'BASE_WARRANTY',
  SERVICE_PLAN = 'SERVICE_PLAN',
  REPAIR_WARRANTY = 'REPAIR_WARRANTY',
  REPLACEMENT_CARRYOVER = 'REPLACEMENT_CARRYOVER',
}
registerEnumType(CoverageSourceEnum, { name: 'CoverageSource' });

export enum NotCoveredReasonEnum {
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  UNIT_NOT_ACTIVE = 'UNIT_NOT_ACTIVE',
  NOT_REGISTERED_IN_TIME = 'NOT_REGISTERED_IN_TIME',
  EXPIRED = 'EXPIRED',
  NOT_YET_STARTED = 'NOT_YET_STARTED',
  FAILURE_EXCLUDED = 'FAILURE_EXCLUDED',
  CLAIM_LIMIT_REACHED = 'CLAIM_LIMIT_REACHED',
}
registerEnumType(NotCoveredReasonEnum, { name: 'NotCoveredReason' });

@ObjectType('Coverage')
export class CoverageType {
  @Field(() => CoverageSourceEnum) source: CoverageSourceEnum;
  @Field() name: string;
  @Field(() => DateScalarType) startsAt: string;
  @Field(() => DateScalarType) endsAt: string;
  @Field(() => [CoverageTypeEnum]) coverageTypes: CoverageTypeEnum[];
  @Field(() => Int, { nullable: true }) remainingClaims: number | null;
  @Field(() => MoneyType, { nullable: true }) deductible: MoneyType | null;
}

@ObjectType('CoverageCheck', { description: 'The answer to: is this unit covered on this date for this kind of failure?' })
export class CoverageCheckType {
  @Field() serialNumber: string;
  @Field(() => UnitType, { nullable: true, description: 'The unit, for callers who may see it; null for everyone else.' }) unit: UnitType | null;
  @Field() covered: boolean;
  @Field(() => DateScalarType) asOf: string;
  @Field(() => [CoverageType], { description: 'Coverages in force on asOf that cover the failure, best first.' }) coverages: CoverageType[];
  @Field(() => [NotCoveredReasonEnum], { description: 'Why it is not covered; empty when covered.' }) reasons: NotCoveredReasonEnum[];
  @Field(() => DateScalarType, { nullable: true, description: 'The last day of any coverage the unit has or had.' }) coveredUntil: string | null;
}
