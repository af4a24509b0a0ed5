import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertCanWork, type Caller } from '../common/auth/caller.js';
import { today, type CalendarDate } from '../common/dates/calendar-date.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ErrorResult, GenericError } from '../common/errors/error-results.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { MAX_COUPON_CODE_LENGTH, type RedeemCouponInput } from './coupon.inputs.js';
import * as coupons from './coupon.queries.js';
import { assertOfficeKey } from './outreach-access.js';
import { toCouponView, type CouponView } from './coupon.views.js';
import type { CouponEntity } from './outreach.entities.js';

/**
 * Coupons issued by coupon journeys (docs/outreach.md). Only the issuing organization knows a
 * code: anyone else reads null and redeems COUPON_NOT_FOUND, so a code tells nobody else it
 * exists. ADMIN and STAFF keys redeem, once, through the coupon's last day (UTC); READONLY keys read.
 */
@Injectable()
export class CouponsService {
  constructor(private readonly db: DataSource) {}

  /** The caller's coupon with this code, or null. */
  async get(ctx: RequestContext, code: string, field = 'code'): Promise<CouponView | null> {
    assertOfficeKey(ctx.caller);
    const coupon = await coupons.findByCode(this.db.manager, normalizeCode(code, field));
    return coupon && coupon.senderId === ctx.caller.organizationId ? toCouponView(coupon) : null;
  }

  /** REST's GET: NOT_FOUND instead of null. */
  async getOrFail(ctx: RequestContext, code: string): Promise<CouponView> {
    const coupon = await this.get(ctx, code);
    if (!coupon) throw notFound('Coupon', ErrorCode.COUPON_NOT_FOUND, 'code');
    return coupon;
  }

  /** The caller's coupons by code (null where none is the caller's): for loaders. */
  async findOwn(caller: Caller, codes: readonly string[]): Promise<(CouponView | null)[]> {
    const rows = await coupons.findByCodes(this.db.manager, codes);
    const own = new Map(rows.filter((c) => c.senderId === caller.organizationId).map((c) => [c.code, toCouponView(c)]));
    return codes.map((code) => own.get(code) ?? null);
  }

  /**
   * Redeems the coupon exactly once, however many clerks try at the same moment: one conditional
   * UPDATE decides (coupon.queries.ts), and a loser reads the coupon again to say why it lost.
   */
  async redeem(ctx: RequestContext, input: RedeemCouponInput, now = new Date()): Promise<CouponView | ErrorResult> {
    assertOfficeKey(ctx.caller);
    assertCanWork(ctx.caller);
    const code = normalizeCode(input.code, 'code');
    const day = today(now);
    return inTransaction(this.db, async (em) => {
      if (await coupons.redeem(em, code, ctx.caller.organizationId, input.orderReference.trim(), day))
        return toCouponView((await coupons.findByCode(em, code))!);
      return whyNotRedeemed(await coupons.findByCode(em, code), ctx.caller, day);
    });
  }
}

/** Codes are compared in upper case, without the spaces a copy and paste brings. */
export function normalizeCode(code: string, field: string): string {
  const normalized = code.trim().toUpperCase();
  if (normalized.length === 0 || normalized.length > MAX_COUPON_CODE_LENGTH)
    throw badInput(field, `${field} must be a coupon code of 1 to ${MAX_COUPON_CODE_LENGTH} characters.`);
  return normalized;
}

function whyNotRedeemed(coupon: CouponEntity | null, caller: Caller, day: CalendarDate): GenericError {
  if (!coupon || coupon.senderId !== caller.organizationId)
    return new GenericError(ErrorCode.COUPON_NOT_FOUND, 'No coupon of yours has this code.', 'code');
  if (coupon.redeemedAt)
    return new GenericError(
      ErrorCode.COUPON_ALREADY_REDEEMED,
      `This coupon was already redeemed, on ${coupon.redeemedAt.toISOString().slice(0, 10)}.`,
      'code',
    );
  if (coupon.expiresOn < day)
    return new GenericError(ErrorCode.COUPON_EXPIRED, `This coupon expired after ${coupon.expiresOn}.`, 'code');
  // the UPDATE's conditions are the three above: nothing else can stop it
  throw new Error('coupon not redeemed for no known reason');
}
