import { randomBytes, randomUUID } from 'node:crypto';
import { sqlQuery } from './input-helpers.js';
import type { TestApp } from './test-app.js';

// Outreach records written straight into the database, for the API's tests: journeys, the
// messages the planner and sender would record, the coupons they would issue and the answers
// the survey page would take. Only the tables are assumed (migration 1764662400000), not the
// planner or the sender.

export interface JourneyFixture {
  senderId: string;
  kind?: string;
  survey?: { question: string; scale: 'CSAT' | 'NPS'; askComment: boolean } | null;
  coupon?: Record<string, unknown> | null;
}

const SERVICE_KINDS = ['WARRANTY_INFO', 'PRODUCT_TRAINING', 'RETURN_POLICY', 'SUPPORT_RESOURCES'];

export async function insertJourney(t: TestApp, j: JourneyFixture): Promise<string> {
  const id = randomUUID();
  const kind = j.kind ?? (j.survey ? 'SURVEY' : j.coupon ? 'COUPON' : 'WARRANTY_INFO');
  await sqlQuery(
    t,
    `INSERT INTO outreach_journeys (id, sender_id, name, kind, purpose, trigger, channel, coupon, survey, active_since)
     VALUES ($1, $2, $3, $4, $5, 'UNIT_REGISTERED', 'EMAIL', $6::jsonb, $7::jsonb, (now() AT TIME ZONE 'UTC')::date)`,
    [
      id,
      j.senderId,
      `Journey ${id.slice(0, 8)}`,
      kind,
      SERVICE_KINDS.includes(kind) ? 'SERVICE' : 'MARKETING',
      j.coupon ? JSON.stringify(j.coupon) : null,
      j.survey ? JSON.stringify(j.survey) : null,
    ],
  );
  return id;
}

export interface MessageFixture {
  journeyId: string;
  senderId: string;
  unitId: string;
  status?: 'QUEUED' | 'SENT' | 'SUPPRESSED' | 'FAILED';
  suppressionReason?: string | null;
  recipient?: string | null;
  occasion?: string;
  locale?: string | null;
  subject?: string | null;
}

export async function insertMessage(t: TestApp, m: MessageFixture): Promise<string> {
  const id = randomUUID();
  const status = m.status ?? 'SENT';
  const recipient = m.recipient === undefined ? 'ada.owner@example.com' : m.recipient;
  await sqlQuery(
    t,
    `INSERT INTO outreach_messages (id, journey_id, sender_id, unit_id, occasion, dedup_key, channel, status,
        suppression_reason, recipient, recipient_key, locale, subject, sent_at)
     VALUES ($1, $2, $3, $4, $5::date, $6, 'EMAIL', $7, $8, $9, lower($9), $10, $11,
        CASE WHEN $7 = 'SENT' THEN now() END)`,
    [
      id,
      m.journeyId,
      m.senderId,
      m.unitId,
      m.occasion ?? new Date().toISOString().slice(0, 10),
      `${m.unitId}:${id}`,
      status,
      m.suppressionReason ?? null,
      recipient,
      m.locale === undefined ? 'en' : m.locale,
      m.subject === undefined ? 'Your warranty, in short' : m.subject,
    ],
  );
  return id;
}

export interface CouponFixture {
  message: { id: string; journeyId: string; senderId: string; unitId: string };
  code?: string;
  expiresOn?: string;
  discountPercent?: number | null;
  discountAmount?: { amount: string; currency: string } | null;
}

/** The characters of a code: no 0 O 1 I L, which read alike. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A code as the sender makes them: PREFIX- and 8 characters without look-alikes. */
export const couponCode = (prefix = 'THANKS') =>
  `${prefix}-${Array.from(randomBytes(8), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')}`;

export async function insertCoupon(t: TestApp, c: CouponFixture): Promise<string> {
  const code = c.code ?? couponCode();
  const amount = c.discountAmount ?? null;
  await sqlQuery(
    t,
    `INSERT INTO coupons (code, sender_id, journey_id, message_id, unit_id, discount_percent, discount_amount,
        discount_currency, expires_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date)`,
    [
      code,
      c.message.senderId,
      c.message.journeyId,
      c.message.id,
      c.message.unitId,
      c.discountPercent === undefined ? (amount ? null : 15) : c.discountPercent,
      amount?.amount ?? null,
      amount?.currency ?? null,
      c.expiresOn ?? new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10),
    ],
  );
  return code;
}

/** A SENT message of the journey with a coupon of its own: the coupon's code. */
export async function issueCoupon(
  t: TestApp,
  m: Omit<MessageFixture, 'status'>,
  c: Omit<CouponFixture, 'message'> = {},
): Promise<{ code: string; messageId: string }> {
  const messageId = await insertMessage(t, { ...m, status: 'SENT' });
  const code = await insertCoupon(t, { ...c, message: { ...m, id: messageId } });
  return { code, messageId };
}

/** An answer as the survey page records it, at an instant of the test's choosing. */
export async function insertSurveyAnswer(
  t: TestApp,
  a: { messageId: string; score: number; comment?: string | null; answeredAt?: string },
): Promise<string> {
  const id = randomUUID();
  await sqlQuery(
    t,
    `INSERT INTO survey_responses (id, message_id, journey_id, sender_id, unit_id, score, comment, answered_at)
     SELECT $1, m.id, m.journey_id, m.sender_id, m.unit_id, $3, $4, coalesce($5::timestamptz, now())
       FROM outreach_messages m WHERE m.id = $2`,
    [id, a.messageId, a.score, a.comment ?? null, a.answeredAt ?? null],
  );
  return id;
}
