import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { NodeInterface } from '../../common/graphql/node.js';
import { connectionTypes } from '../../common/pagination/pagination.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { OutreachJourneyType } from './journey.types.js';

@ObjectType('SurveyResponse', { implements: () => [NodeInterface] })
export class SurveyResponseType {
  @Field(() => ID) id: string;
  @Field(() => OutreachJourneyType) journey: OutreachJourneyType;
  @Field(() => UnitType) unit: UnitType;
  @Field(() => Int) score: number;
  @Field(() => String, { nullable: true }) comment: string | null;
  @Field(() => GraphQLISODateTime) answeredAt: Date;
}

@ObjectType('SurveyStats')
export class SurveyStatsType {
  @Field(() => Int) responses: number;
  @Field(() => Float, { nullable: true, description: 'CSAT: the mean score; NPS: null.' }) averageScore: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'NPS: % promoters (9–10) minus % detractors (0–6); CSAT: null.',
  })
  netPromoterScore: number | null;
}

export const SurveyResponseConnection = connectionTypes(SurveyResponseType, 'SurveyResponse');
