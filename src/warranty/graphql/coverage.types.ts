import type { CoverageType as CoverageKind } from '../../products/warranty-terms.js';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { CoverageTypeEnum } from '../../products/product.enums.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import type { CoverageSource, NotCoveredReason } from '../coverage-engine.js';
import { CoverageSourceEnum, NotCoveredReasonEnum } from '../coverage.enums.js';

@ObjectType('Coverage')
export class CoverageType {
  @Field(() => CoverageSourceEnum) source: CoverageSource;
  @Field() name: string;
  @Field(() => DateScalarType) startsAt: string;
  @Field(() => DateScalarType) endsAt: string;
  @Field(() => [CoverageTypeEnum]) coverageTypes: CoverageKind[];
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
  reasons: NotCoveredReason[];
  @Field(() => DateScalarType, { nullable: true, description: 'The last day of any coverage the unit has or had.' })
  coveredUntil: string | null;
}
