import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { CoverageTypeEnum } from '../../products/product.enums.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import {
  COVERAGE_SOURCES,
  NOT_COVERED_REASONS,
  type CoverageSource,
  type NotCoveredReason,
} from '../coverage-engine.js';

/** The GraphQL enums are the engine's own lists, so the two cannot drift apart. */
const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const CoverageSourceEnum = enumOf(COVERAGE_SOURCES);
export type CoverageSourceEnum = CoverageSource;
registerEnumType(CoverageSourceEnum, { name: 'CoverageSource' });

export const NotCoveredReasonEnum = enumOf(NOT_COVERED_REASONS);
export type NotCoveredReasonEnum = NotCoveredReason;
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

@ObjectType('CoverageCheck', {
  description: 'The answer to: is this unit covered on this date for this kind of failure?',
})
export class CoverageCheckType {
  @Field() serialNumber: string;
  @Field(() => UnitType, {
    nullable: true,
    description: 'The unit, for callers who may see it; null for everyone else.',
  })
  unit: UnitType | null;
  @Field() covered: boolean;
  @Field(() => DateScalarType) asOf: string;
  @Field(() => [CoverageType], { description: 'Coverages in force on asOf that cover the failure, best first.' })
  coverages: CoverageType[];
  @Field(() => [NotCoveredReasonEnum], { description: 'Why it is not covered; empty when covered.' })
  reasons: NotCoveredReasonEnum[];
  @Field(() => DateScalarType, { nullable: true, description: 'The last day of any coverage the unit has or had.' })
  coveredUntil: string | null;
}
