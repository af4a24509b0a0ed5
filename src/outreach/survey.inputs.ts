import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Validate } from 'class-validator';
import { IsCalendarDateConstraint } from '../common/http/calendar-date.validator.js';

/** The days of GET /outreach-journeys/{id}/survey-stats (surveyStats' from and to). */
export class SurveyStatsQuery {
  @ApiPropertyOptional({
    format: 'date',
    example: '2026-01-01',
    description: 'The first day counted (UTC), inclusive.',
  })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-03-31', description: 'The last day counted (UTC), inclusive.' })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  to?: string;
}
