import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import {
  CreateReturnPolicyInput,
  ReturnFilter,
  InspectReturnInput,
  RequestReturnInput,
  ResolveReturnInput,
  TransitionReturnInput,
} from '../return.inputs.js';
import { ReturnsService } from '../returns.service.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { ReturnPolicyView, ReturnView } from '../return.views.js';

/** The page and the filter of the list: the GraphQL ReturnFilter's fields and rules, in the query string. */
class ReturnListQuery extends IntersectionType(PageQuery, ReturnFilter) {}

/** Bodies of the return's actions: the return comes from the path. */
@ApiSchema({ name: 'TransitionReturnBody' })
class TransitionBody extends OmitType(TransitionReturnInput, ['returnId'] as const) {}
@ApiSchema({ name: 'InspectReturnBody' })
class InspectBody extends OmitType(InspectReturnInput, ['returnId'] as const) {}
@ApiSchema({ name: 'ResolveReturnBody' })
class ResolveBody extends OmitType(ResolveReturnInput, ['returnId'] as const) {}

@ApiTags('returns')
@ApiBearerAuth()
@Controller()
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Get('return-policies')
  @Operation({
    id: 'listReturnPolicies',
    summary: "The caller's return policies (retailers)",
    ok: [ReturnPolicyView],
    problems: [403],
  })
  policies(@Ctx() ctx: RequestContext) {
    return this.returns.listPolicies(ctx);
  }

  @Post('return-policies')
  @Operation({
    id: 'createReturnPolicy',
    summary: 'A return policy for some product categories, or the default one (no categories)',
    ok: ReturnPolicyView,
    status: 201,
    problems: [403],
  })
  createPolicy(@Ctx() ctx: RequestContext, @Body() input: CreateReturnPolicyInput) {
    return this.returns.createPolicy(ctx, input);
  }

  @Get('returns')
  @Operation({
    id: 'listReturnAuthorizations',
    summary: "The retailer's returns, a page at a time",
    ok: connectionOf(ReturnView, 'ReturnAuthorization'),
    problems: [403],
  })
  list(@Ctx() ctx: RequestContext, @Query() query: ReturnListQuery) {
    const { first, after, ...filter } = query;
    return this.returns.list(ctx, first, after, filter);
  }

  @Post('returns')
  @Operation({
    id: 'requestReturn',
    summary: 'Request a return of one or more units: AUTHORIZED or REJECTED at once by the policy',
    ok: ReturnView,
    status: 201,
    problems: [403, 404],
  })
  async request(@Ctx() ctx: RequestContext, @Body() input: RequestReturnInput) {
    return restResult(await this.returns.request(ctx, input));
  }

  @Get('returns/:id')
  @Operation({
    id: 'getReturnAuthorization',
    summary: 'One return with its lines and history',
    ok: ReturnView,
    problems: [404],
  })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.returns.get(ctx, id);
  }

  @Post(actionPath('returns', 'transition'))
  @HttpCode(200)
  @Operation({
    id: 'transitionReturn',
    summary: 'Ship (IN_TRANSIT with trackingNumber and carrier), receive, close or cancel',
    ok: ReturnView,
    problems: [403, 404],
  })
  async transition(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: TransitionBody) {
    return restResult(await this.returns.transition(ctx, { ...body, returnId: id }));
  }

  @Post(actionPath('returns', 'inspect'))
  @HttpCode(200)
  @Operation({
    id: 'inspectReturn',
    summary: 'Inspect lines (grade, condition); INSPECTED once every line is',
    ok: ReturnView,
    problems: [403, 404],
  })
  async inspect(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: InspectBody) {
    return restResult(await this.returns.inspect(ctx, { ...body, returnId: id }));
  }

  @Post(actionPath('returns', 'resolve'))
  @HttpCode(200)
  @Operation({
    id: 'resolveReturn',
    summary:
      'Resolve lines: refund, store credit, exchange (replacement serial) or repair (service center); RESOLVED once every line is',
    ok: ReturnView,
    problems: [403, 404],
  })
  async resolve(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: ResolveBody) {
    return restResult(await this.returns.resolve(ctx, { ...body, returnId: id }));
  }
}
