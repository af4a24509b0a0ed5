import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/http/page-query.js';
import { actionPath, IsId, uuidParam } from '../../common/http/params.js';
import { restResult } from '../../common/http/rest-result.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { CLAIM_STATUSES, type ClaimStatus } from '../claim-transitions.js';
import { AnswerClaimInfoRequestInput, CancelWarrantyClaimInput, ReviewWarrantyClaimInput, SubmitWarrantyClaimInput } from '../claim.inputs.js';
import { ClaimsService } from '../claims.service.js';

class ClaimListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES }) @IsOptional() @IsIn(CLAIM_STATUSES)
  status?: ClaimStatus;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsId()
  unitId?: string;
}

/** Bodies of the custom actions: the claim comes from the path. */
class ReviewBody extends OmitType(ReviewWarrantyClaimInput, ['claimId'] as const) {}
class AnswerBody extends OmitType(AnswerClaimInfoRequestInput, ['claimId'] as const) {}
class CancelBody extends OmitType(CancelWarrantyClaimInput, ['claimId'] as const) {}

@ApiTags('warranty')
@ApiBearerAuth()
@Controller()
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Get('warranty-claims')
  @ApiOperation({ summary: 'Claims against the caller (manufacturer) or filed by it, a page at a time' })
  list(@Ctx() ctx: RequestContext, @Query() query: ClaimListQuery) {
    const { first, after, ...filter } = query;
    return this.claims.list(ctx, first, after, filter as never);
  }

  @Post('warranty-claims')
  @ApiOperation({ summary: 'File a warranty claim (service centers and retailers); not covered: stored REJECTED with the reasons' })
  async submit(@Ctx() ctx: RequestContext, @Body() input: SubmitWarrantyClaimInput) {
    return restResult(await this.claims.submit(ctx, input));
  }

  @Get('warranty-claims/:id')
  @ApiOperation({ summary: 'One claim with its lines and history' })
  get(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string) {
    return this.claims.get(ctx, id);
  }

  @Post(actionPath('warranty-claims', 'review'))
  @HttpCode(200)
  @ApiOperation({ summary: 'The manufacturer approves (in full or in part), rejects, asks for information or marks paid' })
  async review(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: ReviewBody) {
    return restResult(await this.claims.review(ctx, { ...body, claimId: id }));
  }

  @Post(actionPath('warranty-claims', 'answer'))
  @HttpCode(200)
  @ApiOperation({ summary: 'The claimant answers a request for information' })
  async answer(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: AnswerBody) {
    return restResult(await this.claims.answerInfoRequest(ctx, { ...body, claimId: id }));
  }

  @Post(actionPath('warranty-claims', 'cancel'))
  @HttpCode(200)
  @ApiOperation({ summary: 'The claimant cancels an undecided claim' })
  async cancel(@Ctx() ctx: RequestContext, @Param('id', uuidParam('id')) id: string, @Body() body: CancelBody) {
    return restResult(await this.claims.cancel(ctx, { ...body, claimId: id }));
  }
}
