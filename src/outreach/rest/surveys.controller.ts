import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/page-query.js';
import { uuidParam } from '../../common/http/params.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { SurveyStatsQuery } from '../survey.inputs.js';
import { SurveyResponseView, SurveyStatsView } from '../survey.views.js';
import { SurveysService } from '../surveys.service.js';

@ApiTags('outreach')
@ApiBearerAuth()
@Controller()
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Get('outreach-journeys/:id/survey-responses')
  @Operation({
    id: 'listSurveyResponses',
    summary: "The owners' answers to a survey journey of yours",
    ok: connectionOf(SurveyResponseView, 'SurveyResponse'),
    problems: [403, 404],
  })
  list(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Query() page: PageQuery) {
    return this.surveys.list(ctx, id, page.first, page.after, 'id');
  }

  @Get('outreach-journeys/:id/survey-stats')
  @Operation({
    id: 'getSurveyStats',
    summary: "A survey journey's figures (CSAT mean or NPS) over the answers of some days",
    ok: SurveyStatsView,
    problems: [403, 404],
  })
  stats(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Query() days: SurveyStatsQuery) {
    return this.surveys.stats(ctx, id, days.from, days.to, 'id');
  }
}
