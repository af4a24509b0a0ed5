import { In, type EntityManager } from 'typeorm';
import type { OutreachStatsView } from './journey.views.js';
import { OutreachJourneyEntity } from './outreach.entities.js';

/** The SQL of outreach journeys; the rules are in journeys.service.ts. */

/** A sender's journeys, oldest first; a sender has a few dozen at most (MAX_JOURNEYS_PER_SENDER). */
export function listForSender(em: EntityManager, senderId: string): Promise<OutreachJourneyEntity[]> {
  return em.find(OutreachJourneyEntity, { where: { senderId }, order: { createdAt: 'ASC', id: 'ASC' } });
}

export function countForSender(em: EntityManager, senderId: string): Promise<number> {
  return em.countBy(OutreachJourneyEntity, { senderId });
}

export function findByIds(em: EntityManager, ids: readonly string[]): Promise<OutreachJourneyEntity[]> {
  return em.findBy(OutreachJourneyEntity, { id: In([...ids]) });
}

export type NewJourney = Omit<
  OutreachJourneyEntity,
  'createdAt' | 'updatedAt' | 'version' | 'plannedThrough' | 'active'
>;

/** Inserts the journey, active, and reads it back as stored (the database stamps created_at and version). */
export async function insertJourney(em: EntityManager, journey: NewJourney): Promise<OutreachJourneyEntity> {
  await em.insert(OutreachJourneyEntity, { ...journey, active: true, plannedThrough: null });
  return em.findOneByOrFail(OutreachJourneyEntity, { id: journey.id });
}

export type JourneyChanges = Partial<
  Pick<OutreachJourneyEntity, 'name' | 'active' | 'activeSince' | 'offsetDays' | 'templates'>
>;

/** Applies the changes (the version was bumped by the caller) and reads the journey back. */
export async function updateJourney(
  em: EntityManager,
  id: string,
  changes: JourneyChanges,
): Promise<OutreachJourneyEntity> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  if (Object.keys(set).length > 0) await em.update(OutreachJourneyEntity, { id }, set);
  return em.findOneByOrFail(OutreachJourneyEntity, { id });
}

/**
 * A journey switched off sends nothing more: its messages still waiting (and not being sent at this
 * moment) are dropped. Switched on again, it plans from that day on (activeSince), so they do not
 * come back; a coupon is issued only with a sent message, so none is lost with them.
 */
export async function dropWaitingMessages(em: EntityManager, journeyId: string): Promise<void> {
  await em.query(
    `DELETE FROM outreach_messages
      WHERE journey_id = $1 AND status = 'QUEUED' AND (lease_until IS NULL OR lease_until < now())
        AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.message_id = outreach_messages.id)`,
    [journeyId],
  );
}

interface StatsRow {
  journey_id: string;
  queued: number;
  sent: number;
  suppressed: number;
  failed: number;
  link_clicks: number;
  survey_responses: number;
  coupons_issued: number;
  coupons_redeemed: number;
}

/**
 * What the journeys' messages did, in one grouped query for every journey asked: messages by
 * status, link clicks, survey answers, and the coupons of SENT messages (issued, redeemed). A
 * coupon belongs to one message (coupons.message_id is unique), so the join counts each once.
 */
export async function statsOf(em: EntityManager, ids: readonly string[]): Promise<Map<string, OutreachStatsView>> {
  if (ids.length === 0) return new Map();
  const rows: StatsRow[] = await em.query(
    `SELECT j.id AS journey_id,
            count(m.id) FILTER (WHERE m.status = 'QUEUED')::int AS queued,
            count(m.id) FILTER (WHERE m.status = 'SENT')::int AS sent,
            count(m.id) FILTER (WHERE m.status = 'SUPPRESSED')::int AS suppressed,
            count(m.id) FILTER (WHERE m.status = 'FAILED')::int AS failed,
            coalesce(sum(m.link_clicks), 0)::int AS link_clicks,
            count(c.code) FILTER (WHERE m.status = 'SENT')::int AS coupons_issued,
            count(c.code) FILTER (WHERE m.status = 'SENT' AND c.redeemed_at IS NOT NULL)::int AS coupons_redeemed,
            (SELECT count(*) FROM survey_responses s WHERE s.journey_id = j.id)::int AS survey_responses
       FROM unnest($1::uuid[]) AS j (id)
       LEFT JOIN outreach_messages m ON m.journey_id = j.id
       LEFT JOIN coupons c ON c.message_id = m.id
      GROUP BY j.id`,
    [[...ids]],
  );
  return new Map(
    rows.map((r) => [
      r.journey_id,
      {
        queued: r.queued,
        sent: r.sent,
        suppressed: r.suppressed,
        failed: r.failed,
        linkClicks: r.link_clicks,
        surveyResponses: r.survey_responses,
        couponsIssued: r.coupons_issued,
        couponsRedeemed: r.coupons_redeemed,
      },
    ]),
  );
}
