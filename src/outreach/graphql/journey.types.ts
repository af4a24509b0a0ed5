import { createUnionType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { GenericError, resultType, VersionConflictError } from '../../common/errors/error-results.js';
import { NodeInterface } from '../../common/graphql/node.js';
import { MoneyType } from '../../common/money/money.types.js';
import { OrganizationType } from '../../organizations/graphql/organization.types.js';
import {
  OutreachChannelEnum,
  OutreachKindEnum,
  OutreachPurposeEnum,
  OutreachTriggerEnum,
  SurveyScaleEnum,
} from '../outreach.enums.js';
import type {
  OutreachChannel,
  OutreachKind,
  OutreachPurpose,
  OutreachTrigger,
  SurveyScale,
} from '../outreach.rules.js';

@ObjectType('OutreachTemplate')
export class OutreachTemplateType {
  @Field() locale: string;
  @Field() subject: string;
  @Field({ description: 'Plain text with {{variables}} (OUTREACH.md lists them); the HTML part is made from it.' })
  body: string;
}

@ObjectType('CouponSpec')
export class CouponSpecType {
  @Field({ description: 'Codes look like PREFIX-XXXXXXXX, unique.' }) prefix: string;
  @Field(() => Int, { nullable: true }) discountPercent: number | null;
  @Field(() => MoneyType, { nullable: true }) discountAmount: MoneyType | null;
  @Field(() => Int) validDays: number;
}

@ObjectType('SurveySpec')
export class SurveySpecType {
  @Field() question: string;
  @Field(() => SurveyScaleEnum) scale: SurveyScale;
  @Field() askComment: boolean;
}

@ObjectType('OutreachStats')
export class OutreachStatsType {
  @Field(() => Int) queued: number;
  @Field(() => Int) sent: number;
  @Field(() => Int) suppressed: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) linkClicks: number;
  @Field(() => Int) surveyResponses: number;
  @Field(() => Int) couponsIssued: number;
  @Field(() => Int) couponsRedeemed: number;
}

@ObjectType('OutreachJourney', { implements: () => [NodeInterface] })
export class OutreachJourneyType {
  @Field(() => ID) id: string;
  @Field(() => OrganizationType) sender: OrganizationType;
  @Field() name: string;
  @Field(() => OutreachKindEnum) kind: OutreachKind;
  @Field(() => OutreachPurposeEnum) purpose: OutreachPurpose;
  @Field(() => OutreachTriggerEnum) trigger: OutreachTrigger;
  @Field(() => Int) offsetDays: number;
  @Field(() => String, { nullable: true }) annualDate: string | null;
  @Field(() => OutreachChannelEnum) channel: OutreachChannel;
  @Field(() => [String], { description: 'Empty: every category.' }) productCategories: string[];
  @Field({ description: 'Only owners of units with no service plan attached (an extended-warranty offer).' })
  onlyWithoutServicePlan: boolean;
  @Field(() => [OutreachTemplateType]) templates: OutreachTemplateType[];
  @Field(() => CouponSpecType, { nullable: true }) coupon: CouponSpecType | null;
  @Field(() => SurveySpecType, { nullable: true }) survey: SurveySpecType | null;
  @Field(() => String, {
    nullable: true,
    description: 'REVIEW_REQUEST: where the owner is sent to write the review (through a counted redirect).',
  })
  reviewUrl: string | null;
  @Field() active: boolean;
  @Field(() => OutreachStatsType) stats: OutreachStatsType;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => Int) version: number;
}

export const CreateOutreachJourneyResult = createUnionType({
  name: 'CreateOutreachJourneyResult',
  types: () => [OutreachJourneyType, GenericError] as const,
  resolveType: resultType(OutreachJourneyType),
});

export const UpdateOutreachJourneyResult = createUnionType({
  name: 'UpdateOutreachJourneyResult',
  types: () => [OutreachJourneyType, GenericError, VersionConflictError] as const,
  resolveType: resultType(OutreachJourneyType),
});
