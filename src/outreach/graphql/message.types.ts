import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { NodeInterface } from '../../common/graphql/node.js';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { OutreachJourneyType } from './journey.types.js';
import { OutreachMessageStatusEnum, SuppressionReasonEnum } from '../outreach.enums.js';
import type { OutreachMessageStatus, SuppressionReason } from '../outreach.rules.js';
import { CouponType } from './coupon.types.js';

@ObjectType('OutreachMessage', { implements: () => [NodeInterface] })
export class OutreachMessageType {
  @Field(() => ID) id: string;
  @Field(() => OutreachJourneyType) journey: OutreachJourneyType;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => String, { nullable: true, description: 'The address, partly masked (a***@example.com).' })
  recipient: string | null;
  @Field() locale: string;
  @Field() subject: string;
  @Field(() => OutreachMessageStatusEnum) status: OutreachMessageStatus;
  @Field(() => SuppressionReasonEnum, { nullable: true }) suppressionReason: SuppressionReason | null;
  @Field(() => DateScalarType, {
    description: 'The day the trigger fell on: one message per journey, unit and occasion.',
  })
  occasion: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) sentAt: Date | null;
  @Field(() => CouponType, { nullable: true }) coupon: CouponType | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the address of this message unsubscribed from your messages (from this or another one); null: it has not, or undid it.',
  })
  recipientUnsubscribedAt: Date | null;
}

export const OutreachMessageConnection = connectionTypes(OutreachMessageType, 'OutreachMessage');
