import { createUnionType, Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { GenericError, resultType } from '../../common/errors/error-results.js';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { MoneyType } from '../../common/money/money.types.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { OutreachJourneyType } from './journey.types.js';

@ObjectType('Coupon')
export class CouponType {
  @Field() code: string;
  @Field(() => OutreachJourneyType) journey: OutreachJourneyType;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => DateScalarType) expiresOn: string;
  @Field(() => Int, { nullable: true }) discountPercent: number | null;
  @Field(() => MoneyType, { nullable: true }) discountAmount: MoneyType | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) redeemedAt: Date | null;
  @Field(() => String, { nullable: true }) orderReference: string | null;
}

export const RedeemCouponResult = createUnionType({
  name: 'RedeemCouponResult',
  types: () => [CouponType, GenericError] as const,
  resolveType: resultType(CouponType),
});
