import { randomInt } from 'node:crypto';
import { addDays, type CalendarDate } from '../../common/dates/calendar-date.js';

/**
 * Coupon codes (docs/outreach.md, "Coupons"): the journey's prefix, a hyphen and eight characters
 * a person can read aloud and type from paper without mistaking one for another: no 0 O 1 I L.
 */
export const COUPON_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const COUPON_CODE_LENGTH = 8;

/** A new code; `pick` draws an index below its bound (crypto.randomInt, or a fixed one in a spec). */
export function newCouponCode(prefix: string, pick: (below: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < COUPON_CODE_LENGTH; i++) code += COUPON_ALPHABET[pick(COUPON_ALPHABET.length)];
  return `${prefix}-${code}`;
}

/** What a preview shows in place of a code: the shape of one, never an issued code. */
export const sampleCouponCode = (prefix: string): string => `${prefix}-${'X'.repeat(COUPON_CODE_LENGTH)}`;

/** A coupon is valid through the day it was sent plus `validDays`. */
export const couponExpiresOn = (sentOn: CalendarDate, validDays: number): CalendarDate => addDays(sentOn, validDays);
