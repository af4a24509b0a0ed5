import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { DateScalarType } from '../../common/graphql/scalars.js';
import { uuidArg } from '../../common/http/params.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import { JourneysService } from '../journeys.service.js';
import { loadOwnJourney } from './journey-loader.js';
import { OutreachJourneyType } from './journey.types.js';
import type { SurveyResponseView } from '../survey.views.js';
import { SurveysService } from '../surveys.service.js';
import { SurveyResponseConnection, SurveyResponseType, SurveyStatsType } from './survey.types.js';

@Resolver(() => SurveyResponseType)
export class SurveyResponseResolver {
  constructor(
    private readonly surveys: SurveysService,
    private readonly units: UnitsService,
    private readonly journeys: JourneysService,
  ) {}

  @Query(() => SurveyResponseConnection)
  surveyResponses(
    @Ctx() ctx: RequestContext,
    @Args('journeyId', { type: () => ID }, uuidArg('journeyId')) journeyId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ) {
    return this.surveys.list(ctx, journeyId, first, after);
  }

  @Query(() => SurveyStatsType)
  surveyStats(
    @Ctx() ctx: RequestContext,
    @Args('journeyId', { type: () => ID }, uuidArg('journeyId')) journeyId: string,
    @Args('from', { type: () => DateScalarType, nullable: true }) from?: string,
    @Args('to', { type: () => DateScalarType, nullable: true }) to?: string,
  ) {
    return this.surveys.stats(ctx, journeyId, from, to);
  }

  @ResolveField(() => OutreachJourneyType)
  journey(@Parent() response: SurveyResponseView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadOwnJourney(req, ctx.caller, this.journeys, response.journeyId);
  }

  @ResolveField(() => UnitType)
  unit(@Parent() response: SurveyResponseView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.units, response.unitId);
  }
}
