import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiPropertyOptional, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsOptional, Validate } from 'class-validator';
import { IsCalendarDateConstraint } from '../../common/http/calendar-date.validator.js';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import {
  CompleteUpgradeInput,
  CreateUpgradeProgramInput,
  ReceiveTradeInInput,
  RequestUpgradeInput,
  UpgradeRequestFilter,
} from '../upgrade.inputs.js';
import { UpgradesService } from '../upgrades.service.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { UpgradeEligibilityView, UpgradeProgramView, UpgradeRequestView } from '../upgrade.views.js';

class EligibilityQuery {
  @ApiPropertyOptional({ type: String, format: 'date', description: 'Defaults to today.' })
  @IsOptional()
  @Validate(IsCalendarDateConstraint)
  asOf?: string;
}

/** The page and the filter of GET /upgrades: the GraphQL UpgradeRequestFilter's fields and rules, in the query string. */
class UpgradeListQuery extends IntersectionType(PageQuery, UpgradeRequestFilter) {}

/** Bodies of the request's actions: the upgrade comes from the path. */
@ApiSchema({ name: 'CompleteUpgradeBody' })
class CompleteBody extends OmitType(CompleteUpgradeInput, ['upgradeId'] as const) {}
@ApiSchema({ name: 'ExpectedVersionBody' })
class VersionBody extends OmitType(ReceiveTradeInInput, ['upgradeId'] as const) {}

@ApiTags('upgrades')
@ApiBearerAuth()
@Controller()
export class UpgradesController {
  constructor(private readonly upgrades: UpgradesService) {}

  @Get('upgrades/programs')
  @Operation({
    id: 'listUpgradePrograms',
    summary: 'Every upgrade and trade-in program (a shared catalog)',
    ok: [UpgradeProgramView],
  })
  programs(@Ctx() ctx: RequestContext) {
    return this.upgrades.listPrograms(ctx);
  }

  @Post('upgrades/programs')
  @Operation({
    id: 'createUpgradeProgram',
    summary: "A program of the caller's (manufacturers: for units of their products; retailers: for units they sold)",
    ok: UpgradeProgramView,
    status: 201,
    problems: [403],
  })
  createProgram(@Ctx() ctx: RequestContext, @Body() input: CreateUpgradeProgramInput) {
    return this.upgrades.createProgram(ctx, input);
  }

  @Get('upgrades/eligibility/:unitId')
  @Operation({
    id: 'getUpgradeEligibility',
    summary: 'Every program that applies to the unit: eligible or not, every reason, and from when',
    ok: UpgradeEligibilityView,
    problems: [403, 404],
  })
  eligibility(
    @Ctx() ctx: RequestContext,
    @Param('unitId', uuidParam('unitId')) unitId: string,
    @Query() query: EligibilityQuery,
  ) {
    return this.upgrades.eligibility(ctx, unitId, query.asOf);
  }

  @Post('upgrades')
  @Operation({
    id: 'requestUpgrade',
    summary: 'Request an upgrade: needs eligibility today and a target product of the program',
    ok: UpgradeRequestView,
    status: 201,
    problems: [403, 404],
  })
  async request(@Ctx() ctx: RequestContext, @Body() input: RequestUpgradeInput) {
    return restResult(await this.upgrades.request(ctx, input));
  }

  @Get('upgrades')
  @Operation({
    id: 'listUpgradeRequests',
    summary: 'Upgrade requests the caller may see (made by it, or under its programs), a page at a time',
    ok: connectionOf(UpgradeRequestView, 'UpgradeRequest'),
  })
  list(@Ctx() ctx: RequestContext, @Query() query: UpgradeListQuery) {
    const { first, after, ...filter } = query;
    return this.upgrades.list(ctx, first, after, filter);
  }

  @Get('upgrades/:id')
  @Operation({ id: 'getUpgradeRequest', summary: 'One upgrade request', ok: UpgradeRequestView, problems: [404] })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.upgrades.get(ctx, id);
  }

  @Post(actionPath('upgrades', 'receiveTradeIn'))
  @HttpCode(200)
  @Operation({
    id: 'receiveTradeIn',
    summary: 'Log the trade-in as received',
    ok: UpgradeRequestView,
    problems: [403, 404],
  })
  async receive(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: VersionBody) {
    return restResult(await this.upgrades.receiveTradeIn(ctx, { ...body, upgradeId: id }));
  }

  @Post(actionPath('upgrades', 'complete'))
  @HttpCode(200)
  @Operation({
    id: 'completeUpgrade',
    summary: 'Grade the trade-in, mark it TRADED_IN and register the new unit to the same owner',
    ok: UpgradeRequestView,
    problems: [403, 404],
  })
  async complete(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: CompleteBody) {
    return restResult(await this.upgrades.complete(ctx, { ...body, upgradeId: id }));
  }

  @Post(actionPath('upgrades', 'cancel'))
  @HttpCode(200)
  @Operation({
    id: 'cancelUpgrade',
    summary: 'Cancel an open upgrade request',
    ok: UpgradeRequestView,
    problems: [403, 404],
  })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: VersionBody) {
    return restResult(await this.upgrades.cancel(ctx, id, body.expectedVersion));
  }
}
