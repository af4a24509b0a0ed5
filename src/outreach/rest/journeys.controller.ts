import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiTags, OmitType } from '@nestjs/swagger';
import { uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Operation } from '../../common/openapi/operation.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CreateOutreachJourneyInput, UpdateOutreachJourneyInput } from '../journey.inputs.js';
import { OutreachJourneyView } from '../journey.views.js';
import { JourneysService } from '../journeys.service.js';

/** The body of PATCH /outreach-journeys/{id}: the journey comes from the path. */
@ApiSchema({ name: 'UpdateOutreachJourneyBody' })
class UpdateBody extends OmitType(UpdateOutreachJourneyInput, ['id'] as const) {}

@ApiTags('outreach')
@ApiBearerAuth()
@Controller()
export class JourneysController {
  constructor(private readonly journeys: JourneysService) {}

  @Get('outreach-journeys')
  @Operation({
    id: 'listOutreachJourneys',
    summary: "The caller organization's journeys, with what their messages did",
    ok: [OutreachJourneyView],
    problems: [403],
  })
  list(@Ctx() ctx: RequestContext) {
    return this.journeys.list(ctx);
  }

  @Post('outreach-journeys')
  @Operation({
    id: 'createOutreachJourney',
    summary: 'Start a journey (retailers and manufacturers, ADMIN and STAFF keys)',
    ok: OutreachJourneyView,
    status: 201,
    problems: [403, 422],
  })
  async create(@Ctx() ctx: RequestContext, @Body() input: CreateOutreachJourneyInput) {
    return restResult(await this.journeys.create(ctx, input));
  }

  @Get('outreach-journeys/:id')
  @Operation({ id: 'getOutreachJourney', summary: 'One journey', ok: OutreachJourneyView, problems: [403, 404] })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.journeys.get(ctx, id);
  }

  @Patch('outreach-journeys/:id')
  @Operation({
    id: 'updateOutreachJourney',
    summary: 'Rename, pause or re-activate a journey, or change its offset or templates',
    ok: OutreachJourneyView,
    problems: [403, 404, 422],
  })
  async update(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: UpdateBody) {
    return restResult(await this.journeys.update(ctx, { ...body, id }));
  }
}
