import type { EntityManager } from 'typeorm';
import type { OwnerData, UnitStatus } from '../../units/unit.entity.js';
import type { OrganizationKind } from '../../organizations/organization.entity.js';
import { OutreachJourneyEntity } from '../outreach.entities.js';

/** The SQL of the sender: claiming due messages, the facts a message is written from, recording the outcome. */

/**
 * Takes up to `limit` due QUEUED messages under a lease: rows another replica is claiming are
 * skipped, and a lease that ran out (its replica died) makes the message claimable again.
 */
export async function claimDue(
  em: EntityManager,
  token: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<string[]> {
  const [rows]: [{ id: string }[], number] = await em.query(
    `UPDATE outreach_messages
        SET lease_token = $1, lease_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
      WHERE id IN (SELECT id FROM outreach_messages
                    WHERE status = 'QUEUED' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
                      -- a journey switched off sends nothing more (its waiting messages are dropped then)
                      AND journey_id IN (SELECT id FROM outreach_journeys WHERE active)
                    ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [token, now, leaseMs, limit],
  );
  return rows.map((r) => r.id);
}

/** A claimed message, as the sender works with it. */
export interface ClaimedMessage {
  id: string;
  journeyId: string;
  senderId: string;
  unitId: string;
  occasion: string;
  createdAt: Date;
  attempts: number;
}

/** A claimed message, locked for the caller's transaction; null when the lease is no longer ours or it was settled. */
export async function lockClaimed(em: EntityManager, id: string, token: string): Promise<ClaimedMessage | null> {
  const rows: Array<Record<string, never>> = await em.query(
    `SELECT id, journey_id, sender_id, unit_id, occasion, created_at, attempts FROM outreach_messages
      WHERE id = $1 AND lease_token = $2 AND status = 'QUEUED' FOR UPDATE`,
    [id, token],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    journeyId: r.journey_id,
    senderId: r.sender_id,
    unitId: r.unit_id,
    occasion: r.occasion,
    createdAt: r.created_at,
    attempts: r.attempts,
  };
}

export function findJourney(em: EntityManager, id: string): Promise<OutreachJourneyEntity | null> {
  return em.getRepository(OutreachJourneyEntity).findOneBy({ id });
}

/** A unit as a message speaks of it: its owner now, its product, who sold and made it. */
export interface UnitFacts {
  id: string;
  status: UnitStatus;
  owner: OwnerData | null;
  serialNumber: string;
  purchaseDate: string;
  productId: string;
  productName: string;
  productSku: string;
  category: string;
  retailerId: string | null;
  manufacturerId: string;
  hasServicePlan: boolean;
}

export async function findUnitFacts(em: EntityManager, unitId: string): Promise<UnitFacts | null> {
  const rows: Array<Record<string, never>> = await em.query(
    `SELECT u.id, u.status, u.owner, u.serial_number, u.purchase_date, u.product_id, u.retailer_id, u.manufacturer_id,
            p.name AS product_name, p.sku, p.category,
            EXISTS (SELECT 1 FROM unit_service_plans s WHERE s.unit_id = u.id) AS has_service_plan
       FROM units u JOIN products p ON p.id = u.product_id WHERE u.id = $1`,
    [unitId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    owner: r.owner,
    serialNumber: r.serial_number,
    purchaseDate: r.purchase_date,
    productId: r.product_id,
    productName: r.product_name,
    productSku: r.sku,
    category: r.category,
    retailerId: r.retailer_id,
    manufacturerId: r.manufacturer_id,
    hasServicePlan: r.has_service_plan,
  };
}

export async function findOrganization(
  em: EntityManager,
  id: string,
): Promise<{ name: string; kind: OrganizationKind } | null> {
  const rows: { name: string; kind: OrganizationKind }[] = await em.query(
    `SELECT name, kind FROM organizations WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The product's resources in one language (its language part, any region) and those for every language. */
export async function findResources(
  em: EntityManager,
  productId: string,
  language: string,
): Promise<{ title: string; url: string }[]> {
  return em.query(
    `SELECT title, url FROM product_resources
      WHERE product_id = $1 AND (locale IS NULL OR lower(split_part(replace(locale, '_', '-'), '-', 1)) = $2)
      ORDER BY created_at, id`,
    [productId, language],
  );
}

/**
 * Serializes every decision about one address of one sender (the frequency cap above all) until
 * the transaction ends: two replicas cannot both find no recent message and both send.
 */
export async function lockAddress(em: EntityManager, senderId: string, address: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`outreach:${senderId}:${address}`]);
}

/** What the sender knows of an address (lower-cased). */
export async function recipientState(
  em: EntityManager,
  senderId: string,
  address: string,
): Promise<{ unsubscribed: boolean; bounced: boolean }> {
  const rows: { unsubscribed_at: Date | null; bounced_at: Date | null }[] = await em.query(
    `SELECT unsubscribed_at, bounced_at FROM outreach_recipients WHERE sender_id = $1 AND address = $2`,
    [senderId, address],
  );
  return { unsubscribed: Boolean(rows[0]?.unsubscribed_at), bounced: Boolean(rows[0]?.bounced_at) };
}

/** Whether a MARKETING message from the sender went to the address after `since`. */
export async function marketingSentSince(
  em: EntityManager,
  senderId: string,
  address: string,
  since: Date,
): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `SELECT 1 FROM outreach_messages m JOIN outreach_journeys j ON j.id = m.journey_id
      WHERE m.sender_id = $1 AND m.recipient_key = $2 AND m.status = 'SENT' AND m.sent_at > $3
        AND j.purpose = 'MARKETING'
      LIMIT 1`,
    [senderId, address, since],
  );
  return rows.length > 0;
}

/** The address refused mail for good: the sender's later messages to it are BOUNCED. */
export async function markBounced(
  em: EntityManager,
  senderId: string,
  address: string,
  reason: string,
  now: Date,
): Promise<void> {
  await em.query(
    `INSERT INTO outreach_recipients (sender_id, address, bounced_at, bounce_reason, updated_at)
     VALUES ($1, $2, $4, $3, $4)
     ON CONFLICT (sender_id, address) DO UPDATE SET bounced_at = $4, bounce_reason = $3, updated_at = $4`,
    [senderId, address, reason, now],
  );
}

/** The sender's running upgrade program for a category, the oldest first, with its best trade-in value. */
export async function findUpgradeProgram(
  em: EntityManager,
  ownerId: string,
  category: string,
  today: string,
): Promise<{ name: string; maxTradeIn: string | null; currency: string } | null> {
  const rows: { name: string; max_trade_in: string | null; currency: string }[] = await em.query(
    `SELECT name, currency,
            (SELECT max((v->>'amount')::numeric)::text FROM jsonb_array_elements(trade_in_values) v) AS max_trade_in
       FROM upgrade_programs
      WHERE owner_id = $1 AND $2 = ANY (eligible_categories) AND valid_from <= $3 AND (valid_until IS NULL OR valid_until >= $3)
      ORDER BY created_at, id LIMIT 1`,
    [ownerId, category, today],
  );
  const r = rows[0];
  return r ? { name: r.name, maxTradeIn: r.max_trade_in, currency: r.currency } : null;
}

export interface IssuedCoupon {
  code: string;
  expiresOn: string;
  discountPercent: number | null;
  discountAmount: string | null;
  discountCurrency: string | null;
}

/** The coupon issued with a message (on an earlier attempt), if any. */
export async function couponOfMessage(em: EntityManager, messageId: string): Promise<IssuedCoupon | null> {
  const rows: {
    code: string;
    expires_on: string;
    discount_percent: number | null;
    discount_amount: string | null;
    discount_currency: string | null;
  }[] = await em.query(
    `SELECT code, expires_on, discount_percent, discount_amount::text, discount_currency FROM coupons WHERE message_id = $1`,
    [messageId],
  );
  const r = rows[0];
  return r
    ? {
        code: r.code,
        expiresOn: r.expires_on,
        discountPercent: r.discount_percent,
        discountAmount: r.discount_amount,
        discountCurrency: r.discount_currency,
      }
    : null;
}

/** Inserts a coupon; false when the code (or a coupon for the message) exists already. */
export async function insertCoupon(
  em: EntityManager,
  c: IssuedCoupon & { senderId: string; journeyId: string; messageId: string; unitId: string; now: Date },
): Promise<boolean> {
  const inserted: unknown[] = await em.query(
    `INSERT INTO coupons (code, sender_id, journey_id, message_id, unit_id, discount_percent, discount_amount,
                          discount_currency, expires_on, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING code`,
    [
      c.code,
      c.senderId,
      c.journeyId,
      c.messageId,
      c.unitId,
      c.discountPercent,
      c.discountAmount,
      c.discountCurrency,
      c.expiresOn,
      c.now,
    ],
  );
  return inserted.length === 1;
}

/** Who a message went to (or would have): kept with SENT and SUPPRESSED messages alike. */
export interface Addressed {
  recipient: string | null;
  locale: string | null;
  subject: string | null;
}

/** A message that failed before it was written: to no one known yet. */
export const NOBODY: Addressed = { recipient: null, locale: null, subject: null };

/** A message settled: SENT, SUPPRESSED or FAILED; the lease ends. */
export async function settle(
  em: EntityManager,
  id: string,
  now: Date,
  outcome: Addressed &
    (
      | { status: 'SENT'; emailMessageId: string | null }
      | { status: 'SUPPRESSED'; reason: string }
      | { status: 'FAILED'; error: string }
    ),
): Promise<void> {
  await em.query(
    `UPDATE outreach_messages
        SET status = $2, suppression_reason = $3, recipient = $4, recipient_key = lower($4), locale = $5, subject = $6,
            email_message_id = $7, last_error = coalesce($8, last_error),
            attempts = attempts + CASE WHEN $2 = 'SUPPRESSED' THEN 0 ELSE 1 END,
            sent_at = CASE WHEN $2 = 'SENT' THEN $9::timestamptz END, finished_at = $9,
            lease_token = NULL, lease_until = NULL
      WHERE id = $1`,
    [
      id,
      outcome.status,
      outcome.status === 'SUPPRESSED' ? outcome.reason : null,
      outcome.recipient,
      outcome.locale,
      outcome.subject,
      outcome.status === 'SENT' ? outcome.emailMessageId : null,
      outcome.status === 'FAILED' ? outcome.error : null,
      now,
    ],
  );
}

/** A temporary failure: QUEUED again, tried at `at`; the lease ends. */
export async function retryLater(em: EntityManager, id: string, at: Date, error: string): Promise<void> {
  await em.query(
    `UPDATE outreach_messages
        SET attempts = attempts + 1, last_error = $3, next_attempt_at = $2, lease_token = NULL, lease_until = NULL
      WHERE id = $1`,
    [id, at, error],
  );
}
