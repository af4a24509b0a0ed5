import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import { JourneysService } from '../journeys.service.js';
import { loadOwnJourney } from './journey-loader.js';
import { OutreachJourneyType } from './journey.types.js';
import { RedeemCouponInput } from '../coupon.inputs.js';
import type { CouponView } from '../coupon.views.js';
import { CouponsService } from '../coupons.service.js';
import { CouponType, RedeemCouponResult } from './coupon.types.js';

@Resolver(() => CouponType)
export class CouponResolver {
  constructor(
    private readonly coupons: CouponsService,
    private readonly units: UnitsService,
    private readonly journeys: JourneysService,
  ) {}

  @Query(() => CouponType, { nullable: true })
  coupon(@Ctx() ctx: RequestContext, @Args('code') code: string) {
    return this.coupons.get(ctx, code);
  }

  @Mutation(() => RedeemCouponResult, { description: 'Only the organization whose journey issued the coupon.' })
  redeemCoupon(@Ctx() ctx: RequestContext, @Args('input') input: RedeemCouponInput) {
    return this.coupons.redeem(ctx, input);
  }

  @ResolveField(() => OutreachJourneyType)
  journey(@Parent() coupon: CouponView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadOwnJourney(req, ctx.caller, this.journeys, coupon.journeyId);
  }

  @ResolveField(() => UnitType)
  unit(@Parent() coupon: CouponView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.units, coupon.unitId);
  }
}
