import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import {
  AnswerClaimInfoRequestInput,
  CancelWarrantyClaimInput,
  ReviewWarrantyClaimInput,
  SubmitWarrantyClaimInput,
  WarrantyClaimFilter,
} from '../claim.inputs.js';
import { ClaimsService } from '../claims.service.js';
import { connectionOf, Operation } from '../../common/openapi/operation.js';
import { WarrantyClaimView } from '../claim.views.js';

/** The page and the filter of the list: the GraphQL WarrantyClaimFilter's fields and rules, in the query string. */
class ClaimListQuery extends IntersectionType(PageQuery, WarrantyClaimFilter) {}

/** Bodies of the custom actions: the claim comes from the path. */
@ApiSchema({ name: 'ReviewWarrantyClaimBody' })
class ReviewBody extends OmitType(ReviewWarrantyClaimInput, ['claimId'] as const) {}
@ApiSchema({ name: 'AnswerClaimInfoRequestBody' })
class AnswerBody extends OmitType(AnswerClaimInfoRequestInput, ['claimId'] as const) {}
@ApiSchema({ name: 'CancelWarrantyClaimBody' })
class CancelBody extends OmitType(CancelWarrantyClaimInput, ['claimId'] as const) {}

@ApiTags('warranty')
@ApiBearerAuth()
@Controller()
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Get('warranty-claims')
  @Operation({
    id: 'listWarrantyClaims',
    summary: 'Claims against the caller (manufacturer) or filed by it, a page at a time',
    ok: connectionOf(WarrantyClaimView, 'WarrantyClaim'),
    problems: [403],
  })
  list(@Ctx() ctx: RequestContext, @Query() query: ClaimListQuery) {
    const { first, after, ...filter } = query;
    return this.claims.list(ctx, first, after, filter);
  }

  @Post('warranty-claims')
  @Operation({
    id: 'submitWarrantyClaim',
    summary: 'File a warranty claim (service centers and retailers); not covered: stored REJECTED with the reasons',
    ok: WarrantyClaimView,
    status: 201,
    problems: [403, 404],
  })
  async submit(@Ctx() ctx: RequestContext, @Body() input: SubmitWarrantyClaimInput) {
    return restResult(await this.claims.submit(ctx, input));
  }

  @Get('warranty-claims/:id')
  @Operation({
    id: 'getWarrantyClaim',
    summary: 'One claim with its lines and history',
    ok: WarrantyClaimView,
    problems: [404],
  })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.claims.get(ctx, id);
  }

  @Post(actionPath('warranty-claims', 'review'))
  @HttpCode(200)
  @Operation({
    id: 'reviewWarrantyClaim',
    summary: 'The manufacturer approves (in full or in part), rejects, asks for information or marks paid',
    ok: WarrantyClaimView,
    problems: [403, 404],
  })
  async review(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: ReviewBody) {
    return restResult(await this.claims.review(ctx, { ...body, claimId: id }));
  }

  @Post(actionPath('warranty-claims', 'answer'))
  @HttpCode(200)
  @Operation({
    id: 'answerClaimInfoRequest',
    summary: 'The claimant answers a request for information',
    ok: WarrantyClaimView,
    problems: [403, 404],
  })
  async answer(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: AnswerBody) {
    return restResult(await this.claims.answerInfoRequest(ctx, { ...body, claimId: id }));
  }

  @Post(actionPath('warranty-claims', 'cancel'))
  @HttpCode(200)
  @Operation({
    id: 'cancelWarrantyClaim',
    summary: 'The claimant cancels an undecided claim',
    ok: WarrantyClaimView,
    problems: [403, 404],
  })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: CancelBody) {
    return restResult(await this.claims.cancel(ctx, { ...body, claimId: id }));
  }
}
