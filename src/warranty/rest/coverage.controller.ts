import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CoverageBatchInput, CoverageQueryInput } from '../coverage.inputs.js';
import { CoverageService } from '../coverage.service.js';
import { Operation } from '../../common/openapi/operation.js';
import { CoverageCheckResultView } from '../coverage.views.js';

@ApiTags('warranty')
@ApiBearerAuth()
@Controller()
export class CoverageController {
  constructor(private readonly coverage: CoverageService) {}

  @Get('coverage')
  @Operation({
    id: 'getCoverage',
    summary: 'Is the unit with this serial number covered on a date (default today) for a kind of failure?',
    ok: CoverageCheckResultView,
  })
  check(@Ctx() ctx: RequestContext, @Query() query: CoverageQueryInput) {
    return this.coverage.check(ctx, query);
  }

  @Post('coverage::batch')
  @HttpCode(200)
  @Operation({
    id: 'getCoverages',
    summary: 'Up to 500 coverage checks in one call, answered in order',
    ok: [CoverageCheckResultView],
  })
  batch(@Ctx() ctx: RequestContext, @Body() body: CoverageBatchInput) {
    return this.coverage.checkMany(ctx, body.queries);
  }
}
