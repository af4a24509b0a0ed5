import type { EntityManager } from 'typeorm';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { OutreachMessageEntity } from './outreach.entities.js';
import type { OutreachMessageFilter } from './outreach-message.inputs.js';

/** The SQL of the message log; the rules are in outreach-messages.service.ts. */

export async function listForSender(
  em: EntityManager,
  senderId: string,
  filter: OutreachMessageFilter,
  page: PageRequest,
): Promise<{ rows: OutreachMessageEntity[]; count: number }> {
  const query = em
    .getRepository(OutreachMessageEntity)
    .createQueryBuilder('m')
    .where('m.sender_id = :senderId', { senderId });
  if (filter.journeyId) query.andWhere('m.journey_id = :journeyId', { journeyId: filter.journeyId });
  if (filter.unitId) query.andWhere('m.unit_id = :unitId', { unitId: filter.unitId });
  if (filter.status) query.andWhere('m.status = :status', { status: filter.status });
  return pageOfQuery(query, 'm', page);
}

export async function findById(em: EntityManager, id: string): Promise<OutreachMessageEntity | null> {
  return em.getRepository(OutreachMessageEntity).findOneBy({ id });
}

/** The coupon code each message carried, by message id (messages without one are absent). */
export async function couponCodesOf(em: EntityManager, messageIds: readonly string[]): Promise<Map<string, string>> {
  if (messageIds.length === 0) return new Map();
  const rows: { message_id: string; code: string }[] = await em.query(
    `SELECT message_id, code FROM coupons WHERE message_id = ANY($1::uuid[])`,
    [messageIds],
  );
  return new Map(rows.map((r) => [r.message_id, r.code]));
}

/** When each of these addresses unsubscribed from the sender, for those that are unsubscribed now (lower-cased keys). */
export async function unsubscribedSince(
  em: EntityManager,
  senderId: string,
  addresses: readonly string[],
): Promise<Map<string, Date>> {
  if (addresses.length === 0) return new Map();
  const rows: { address: string; unsubscribed_at: Date }[] = await em.query(
    `SELECT address, unsubscribed_at FROM outreach_recipients
      WHERE sender_id = $1 AND address = ANY($2::text[]) AND unsubscribed_at IS NOT NULL`,
    [senderId, addresses],
  );
  return new Map(rows.map((r) => [r.address, r.unsubscribed_at]));
}
