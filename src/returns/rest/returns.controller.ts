import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, IsId, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { RETURN_STATUSES, type ReturnStatus } from '../return-transitions.js';
import { CreateReturnPolicyInput, InspectReturnInput, RequestReturnInput, ResolveReturnInput, TransitionReturnInput } from '../return.inputs.js';
import { ReturnsService } from '../returns.service.js';

class ReturnListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RETURN_STATUSES }) @IsOptional() @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId()
  unitId?: string;
}

/** Bodies of the return's actions: the return comes from the path. */
class TransitionBody extends OmitType(TransitionReturnInput, ['returnId'] as const) {}
class InspectBody extends OmitType(InspectReturnInput, ['returnId'] as const) {}
class ResolveBody extends OmitType(ResolveReturnInput, ['returnId'] as const) {}

@ApiTags('returns')
@ApiBearerAuth()
@Controller()
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Get('return-policies')
  @ApiOperation({ summary: 'The caller\'s return policies (retailers)' })
  policies(@Ctx() ctx: RequestContext) {
    return this.returns.listPolicies(ctx);
  }

  @Post('return-policies')
  @ApiOperation({ summary: 'A return policy for some product categories, or the default one (no categories)' })
  createPolicy(@Ctx() ctx: RequestContext, @Body() input: CreateReturnPolicyInput) {
    return this.returns.createPolicy(ctx, input);
  }

  @Get('returns')
  @ApiOperation({ summary: 'The retailer\'s returns, a page at a time' })
  list(@Ctx() ctx: RequestContext, @Query() query: ReturnListQuery) {
    const { first, after, ...filter } = query;
    return this.returns.list(ctx, first, after, filter as never);
  }

  @Post('returns')
  @ApiOperation({ summary: 'Request a return of one or more units: AUTHORIZED or REJECTED at once by the policy' })
  async request(@Ctx() ctx: RequestContext, @Body() input: RequestReturnInput) {
    return restResult(await this.returns.request(ctx, input));
  }

  @Get('returns/:id')
  @ApiOperation({ summary: 'One return with its lines and history' })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.returns.get(ctx, id);
  }

  @Post(actionPath('returns', 'transition'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Ship (IN_TRANSIT with trackingNumber and carrier), receive, close or cancel' })
  async transition(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: TransitionBody) {
    return restResult(await this.returns.transition(ctx, { ...body, returnId: id }));
  }

  @Post(actionPath('returns', 'inspect'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Inspect lines (grade, condition); INSPECTED once every line is' })
  async inspect(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: InspectBody) {
    return restResult(await this.returns.inspect(ctx, { ...body, returnId: id }));
  }

  @Post(actionPath('returns', 'resolve'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve lines: refund, store credit, exchange (replacement serial) or repair (service center); RESOLVED once every line is' })
  async resolve(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: ResolveBody) {
    return restResult(await this.returns.resolve(ctx, { ...body, returnId: id }));
  }
}
