import { ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import { ApiDateTime, ApiId, ApiInt, ApiText } from '../common/openapi/properties.js';
import { ApiProperty } from '@nestjs/swagger';
import type { SurveyResponseEntity } from './outreach.entities.js';

/** The API's shape of an owner's answer to a survey (GraphQL and REST alike). */
@ApiSchema({ name: 'SurveyResponse' })
export class SurveyResponseView {
  @ApiId() id: string;
  @ApiId() journeyId: string;
  @ApiId() unitId: string;
  @ApiInt(9, { description: 'Within the scale: CSAT 1 to 5, NPS 0 to 10.' }) score: number;
  @ApiText('Quick and friendly.', { nullable: true }) comment: string | null;
  @ApiDateTime() answeredAt: Date;
}

@ApiSchema({ name: 'SurveyStats' })
export class SurveyStatsView {
  @ApiInt(42) responses: number;
  @ApiProperty({ type: Number, example: 4.3, nullable: true, description: 'CSAT: the mean score; NPS: null.' })
  averageScore: number | null;
  @ApiProperty({
    type: Number,
    example: 33.3,
    nullable: true,
    description: 'NPS: % promoters (9–10) minus % detractors (0–6); CSAT: null.',
  })
  netPromoterScore: number | null;
}

export const toSurveyResponseView = (r: SurveyResponseEntity): SurveyResponseView =>
  typed(
    {
      id: r.id,
      journeyId: r.journeyId,
      unitId: r.unitId,
      score: r.score,
      comment: r.comment,
      answeredAt: r.answeredAt,
    },
    'SurveyResponse',
  );
