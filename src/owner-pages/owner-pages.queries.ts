import type { EntityManager } from 'typeorm';
import { FINAL_REPAIR_STATUSES, type RepairStatus } from '../repairs/repair-ticket.machine.js';
import type { OwnerData, UnitStatus } from '../units/unit.entity.js';
import type { StoredSurveySpec } from '../outreach/outreach.entities.js';

/** The SQL of the owner pages: what a page shows, click counting, and an address's subscription. */

/** A unit as its page shows it: no owner data but the language, and who sold and made it. */
export interface UnitPageRow {
  id: string;
  status: UnitStatus;
  ownerLocale: string | null;
  serialNumber: string;
  purchaseDate: string;
  deliveryDate: string | null;
  registeredAt: Date;
  productId: string;
  productName: string;
  productSku: string;
  category: string;
  retailerId: string | null;
  retailerName: string | null;
  manufacturerName: string;
}

export async function findUnitPage(em: EntityManager, unitId: string): Promise<UnitPageRow | null> {
  const rows: Array<Record<string, never>> = await em.query(
    `SELECT u.id, u.status, u.owner, u.serial_number, u.purchase_date, u.delivery_date, u.registered_at, u.product_id,
            u.retailer_id, p.name AS product_name, p.sku, p.category, r.name AS retailer_name, m.name AS manufacturer_name
       FROM units u
       JOIN products p ON p.id = u.product_id
       JOIN organizations m ON m.id = u.manufacturer_id
       LEFT JOIN organizations r ON r.id = u.retailer_id
      WHERE u.id = $1`,
    [unitId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    ownerLocale: (r.owner as OwnerData | null)?.locale ?? null,
    serialNumber: r.serial_number,
    purchaseDate: r.purchase_date,
    deliveryDate: r.delivery_date,
    registeredAt: r.registered_at,
    productId: r.product_id,
    productName: r.product_name,
    productSku: r.sku,
    category: r.category,
    retailerId: r.retailer_id,
    retailerName: r.retailer_name,
    manufacturerName: r.manufacturer_name,
  };
}

export interface ResourceRow {
  kind: string;
  title: string;
  url: string;
}

/** The product's resources in one language (any region of it) and those for every language. */
export function findResources(em: EntityManager, productId: string, language: string): Promise<ResourceRow[]> {
  return em.query(
    `SELECT kind, title, url FROM product_resources
      WHERE product_id = $1 AND (locale IS NULL OR lower(split_part(replace(locale, '_', '-'), '-', 1)) = $2)
      ORDER BY created_at, id`,
    [productId, language],
  );
}

/** The unit's open repair ticket, if any (there is one at most). */
export async function findOpenTicket(
  em: EntityManager,
  unitId: string,
): Promise<{ id: string; number: string; status: RepairStatus } | null> {
  const rows: { id: string; number: string; status: RepairStatus }[] = await em.query(
    `SELECT id, number, status FROM repair_tickets WHERE unit_id = $1 AND status <> ALL($2::text[])`,
    [unitId, FINAL_REPAIR_STATUSES],
  );
  return rows[0] ?? null;
}

/** A message as the survey, unsubscribe, preferences and review pages need it. */
export interface MessagePageRow {
  id: string;
  status: string;
  senderId: string;
  senderName: string;
  unitId: string;
  /** The address it went to, lower-cased; null when it was never sent. */
  recipientKey: string | null;
  /** The message's language, else the unit's owner's. */
  locale: string | null;
  journeyKind: string;
  survey: StoredSurveySpec | null;
  reviewUrl: string | null;
  answered: boolean;
}

export async function findMessagePage(em: EntityManager, messageId: string): Promise<MessagePageRow | null> {
  const rows: Array<Record<string, never>> = await em.query(
    `SELECT m.id, m.status, m.sender_id, o.name AS sender_name, m.unit_id, m.recipient_key,
            coalesce(m.locale, u.owner ->> 'locale') AS locale, j.kind, j.survey, j.review_url,
            EXISTS (SELECT 1 FROM survey_responses s WHERE s.message_id = m.id) AS answered
       FROM outreach_messages m
       JOIN outreach_journeys j ON j.id = m.journey_id
       JOIN organizations o ON o.id = m.sender_id
       JOIN units u ON u.id = m.unit_id
      WHERE m.id = $1`,
    [messageId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    status: r.status,
    senderId: r.sender_id,
    senderName: r.sender_name,
    unitId: r.unit_id,
    recipientKey: r.recipient_key,
    locale: r.locale,
    journeyKind: r.kind,
    survey: r.survey,
    reviewUrl: r.review_url,
    answered: r.answered,
  };
}

/** One more click on a link of the message (the journey's linkClicks sum them). */
export async function countClick(em: EntityManager, messageId: string): Promise<void> {
  await em.query(`UPDATE outreach_messages SET link_clicks = link_clicks + 1 WHERE id = $1`, [messageId]);
}

/** Whether the sender may no longer write to the address (lower-cased). */
export async function isUnsubscribed(em: EntityManager, senderId: string, address: string): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `SELECT 1 FROM outreach_recipients WHERE sender_id = $1 AND address = $2 AND unsubscribed_at IS NOT NULL`,
    [senderId, address],
  );
  return rows.length > 0;
}

/** Unsubscribes the address from every journey of the sender (the first time counts), or, with null, subscribes it again. */
export async function setUnsubscribed(
  em: EntityManager,
  senderId: string,
  address: string,
  at: Date | null,
): Promise<void> {
  await em.query(
    `INSERT INTO outreach_recipients (sender_id, address, unsubscribed_at, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (sender_id, address) DO UPDATE
        SET unsubscribed_at = CASE WHEN $3::timestamptz IS NULL THEN NULL
                                   ELSE coalesce(outreach_recipients.unsubscribed_at, $3::timestamptz) END,
            updated_at = now()`,
    [senderId, address, at],
  );
}

/** The unit of a repair ticket and the center that repairs it, as its tracking page names them. */
export async function findTicketParties(
  em: EntityManager,
  unitId: string,
  centerId: string,
): Promise<{ ownerLocale: string | null; productName: string; serialNumber: string; centerName: string } | null> {
  const rows: Array<Record<string, never>> = await em.query(
    `SELECT u.owner ->> 'locale' AS locale, p.name AS product_name, u.serial_number, c.name AS center_name
       FROM units u JOIN products p ON p.id = u.product_id JOIN organizations c ON c.id = $2
      WHERE u.id = $1`,
    [unitId, centerId],
  );
  const r = rows[0];
  return r
    ? { ownerLocale: r.locale, productName: r.product_name, serialNumber: r.serial_number, centerName: r.center_name }
    : null;
}
