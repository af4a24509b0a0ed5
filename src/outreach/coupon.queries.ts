import { In, type EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/dates/calendar-date.js';
import { CouponEntity } from './outreach.entities.js';

/** The SQL of coupons; the rules are in coupons.service.ts. Codes are stored in upper case. */

export async function findByCode(em: EntityManager, code: string): Promise<CouponEntity | null> {
  return em.getRepository(CouponEntity).findOneBy({ code });
}

export async function findByCodes(em: EntityManager, codes: readonly string[]): Promise<CouponEntity[]> {
  return codes.length === 0 ? [] : em.getRepository(CouponEntity).findBy({ code: In([...codes]) });
}

/**
 * Redeems the coupon in one conditional statement: of two concurrent redemptions, the second
 * waits for the first's row lock, finds redeemed_at set and changes nothing. True when this one won.
 */
export async function redeem(
  em: EntityManager,
  code: string,
  senderId: string,
  orderReference: string,
  today: CalendarDate,
): Promise<boolean> {
  const [rows]: [{ code: string }[], number] = await em.query(
    `UPDATE coupons SET redeemed_at = now(), order_reference = $3
      WHERE code = $1 AND sender_id = $2 AND redeemed_at IS NULL AND expires_on >= $4::date
      RETURNING code`,
    [code, senderId, orderReference, today],
  );
  return rows.length === 1;
}
