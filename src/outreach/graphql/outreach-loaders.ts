import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../common/auth/caller.js';
import { loadersOf } from '../../common/graphql/loaders.js';
import type { CouponView } from '../coupon.views.js';
import type { CouponsService } from '../coupons.service.js';

/** The caller's coupon by code, batched per request (a page of messages is one query). */
export function loadOwnCoupon(
  req: FastifyRequest,
  caller: Caller,
  service: CouponsService,
  code: string,
): Promise<CouponView | null> {
  return loadersOf(req)
    .get<string, CouponView | null>('ownCoupon', (codes) => service.findOwn(caller, codes))
    .load(code);
}
