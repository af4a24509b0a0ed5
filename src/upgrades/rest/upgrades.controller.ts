import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsOptional, Validate } from 'class-validator';
import { IsCalendarDateConstraint } from '../../common/http/calendar-date.validator.js';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CompleteUpgradeInput, CreateUpgradeProgramInput, ReceiveTradeInInput, RequestUpgradeInput, UpgradeRequestFilter } from '../upgrade.inputs.js';
import { UpgradesService } from '../upgrades.service.js';

class EligibilityQuery {
  @ApiPropertyOptional({ type: String, format: 'date', description: 'Defaults to today.' }) @IsOptional() @Validate(IsCalendarDateConstraint)
  asOf?: string;
}

/** The page and the filter of GET /upgrades: the GraphQL UpgradeRequestFilter's fields and rules, in the query string. */
class UpgradeListQuery extends IntersectionType(PageQuery, UpgradeRequestFilter) {}

/** Bodies of the request's actions: the upgrade comes from the path. */
class CompleteBody extends OmitType(CompleteUpgradeInput, ['upgradeId'] as const) {}
class VersionBody extends OmitType(ReceiveTradeInInput, ['upgradeId'] as const) {}

@ApiTags('upgrades')
@ApiBearerAuth()
@Controller()
export class UpgradesController {
  constructor(private readonly upgrades: UpgradesService) {}

  @Get('upgrades/programs')
  @ApiOperation({ summary: 'Every upgrade and trade-in program (a shared catalog)' })
  programs(@Ctx() ctx: RequestContext) {
    return this.upgrades.listPrograms(ctx);
  }

  @Post('upgrades/programs')
  @ApiOperation({ summary: 'A program of the caller\'s (manufacturers: for units of their products; retailers: for units they sold)' })
  createProgram(@Ctx() ctx: RequestContext, @Body() input: CreateUpgradeProgramInput) {
    return this.upgrades.createProgram(ctx, input);
  }

  @Get('upgrades/eligibility/:unitId')
  @ApiOperation({ summary: 'Every program that applies to the unit: eligible or not, every reason, and from when' })
  eligibility(@Ctx() ctx: RequestContext, @Param('unitId', uuidParam('unitId')) unitId: string, @Query() query: EligibilityQuery) {
    return this.upgrades.eligibility(ctx, unitId, query.asOf);
  }

  @Post('upgrades')
  @ApiOperation({ summary: 'Request an upgrade: needs eligibility today and a target product of the program' })
  async request(@Ctx() ctx: RequestContext, @Body() input: RequestUpgradeInput) {
    return restResult(await this.upgrades.request(ctx, input));
  }

  @Get('upgrades')
  @ApiOperation({ summary: 'Upgrade requests the caller may see (made by it, or under its programs), a page at a time' })
  list(@Ctx() ctx: RequestContext, @Query() query: UpgradeListQuery) {
    const { first, after, ...filter } = query;
    return this.upgrades.list(ctx, first, after, filter);
  }

  @Get('upgrades/:id')
  @ApiOperation({ summary: 'One upgrade request' })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.upgrades.get(ctx, id);
  }

  @Post(actionPath('upgrades', 'receiveTradeIn'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Log the trade-in as received' })
  async receive(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: VersionBody) {
    return restResult(await this.upgrades.receiveTradeIn(ctx, { ...body, upgradeId: id }));
  }

  @Post(actionPath('upgrades', 'complete'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Grade the trade-in, mark it TRADED_IN and register the new unit to the same owner' })
  async complete(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: CompleteBody) {
    return restResult(await this.upgrades.complete(ctx, { ...body, upgradeId: id }));
  }

  @Post(actionPath('upgrades', 'cancel'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an open upgrade request' })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: VersionBody) {
    return restResult(await this.upgrades.cancel(ctx, id, body.expectedVersion));
  }
}
