import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiSchema, ApiTags, OmitType } from '@nestjs/swagger';
import { restResult } from '../../common/http/rest-result.js';
import { Operation } from '../../common/openapi/operation.js';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { RedeemCouponInput } from '../coupon.inputs.js';
import { CouponView } from '../coupon.views.js';
import { CouponsService } from '../coupons.service.js';

/** The body of POST /coupons/{code}:redeem: the code comes from the path. */
@ApiSchema({ name: 'RedeemCouponBody' })
class RedeemBody extends OmitType(RedeemCouponInput, ['code'] as const) {}

@ApiTags('outreach')
@ApiBearerAuth()
@Controller()
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Get('coupons/:code')
  @Operation({
    id: 'getCoupon',
    summary: 'A coupon one of your journeys issued, by its code (in any case)',
    ok: CouponView,
    problems: [403, 404],
  })
  get(@Ctx() ctx: RequestContext, @Param('code') code: string) {
    return this.coupons.getOrFail(ctx, code);
  }

  // the code stops at the colon, as actionPath's ids do (common/http/params.ts)
  @Post('coupons/:code(^[^/:]+)::redeem')
  @HttpCode(200)
  @Operation({
    id: 'redeemCoupon',
    summary: 'Redeem a coupon on an order, once, through its last day (ADMIN and STAFF keys)',
    ok: CouponView,
    problems: [403, 422],
  })
  async redeem(@Ctx() ctx: RequestContext, @Param('code') code: string, @Body() body: RedeemBody) {
    return restResult(await this.coupons.redeem(ctx, { ...body, code }));
  }
}
