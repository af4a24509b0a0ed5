import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Ctx, type RequestContext } from '../../common/request-context/request-context.js';
import { UnitType } from '../../units/graphql/unit.types.js';
import { loadRecordUnit } from '../../units/unit-loaders.js';
import { UnitsService } from '../../units/units.service.js';
import { JourneysService } from '../journeys.service.js';
import { loadOwnJourney } from './journey-loader.js';
import { OutreachJourneyType } from './journey.types.js';
import { CouponsService } from '../coupons.service.js';
import { OutreachMessageFilter } from '../outreach-message.inputs.js';
import type { OutreachMessageView } from '../outreach-message.views.js';
import { OutreachMessagesService } from '../outreach-messages.service.js';
import { CouponType } from './coupon.types.js';
import { OutreachMessageConnection, OutreachMessageType } from './message.types.js';
import { loadOwnCoupon } from './outreach-loaders.js';

@Resolver(() => OutreachMessageType)
export class OutreachMessageResolver {
  constructor(
    private readonly messages: OutreachMessagesService,
    private readonly coupons: CouponsService,
    private readonly units: UnitsService,
    private readonly journeys: JourneysService,
  ) {}

  @Query(() => OutreachMessageConnection)
  outreachMessages(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('filter', { type: () => OutreachMessageFilter, nullable: true }) filter?: OutreachMessageFilter,
  ) {
    return this.messages.list(ctx, filter ?? {}, first, after);
  }

  // a message is about a unit of the sender's audience: its seller or maker, who sees it whole
  @ResolveField(() => OutreachJourneyType)
  journey(@Parent() message: OutreachMessageView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadOwnJourney(req, ctx.caller, this.journeys, message.journeyId);
  }

  @ResolveField(() => UnitType)
  unit(@Parent() message: OutreachMessageView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return loadRecordUnit(req, ctx.caller, this.units, message.unitId);
  }

  @ResolveField(() => CouponType, { nullable: true })
  coupon(@Parent() message: OutreachMessageView, @Ctx() ctx: RequestContext, @Context('req') req: FastifyRequest) {
    return message.couponCode ? loadOwnCoupon(req, ctx.caller, this.coupons, message.couponCode) : null;
  }
}
