import type { EntityManager } from 'typeorm';
import type { CalendarDate } from '../common/dates/calendar-date.js';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { OutreachJourneyEntity, OutreachMessageEntity, SurveyResponseEntity } from './outreach.entities.js';
import type { ScoreCount } from './survey-stats.js';

/** The SQL of survey answers; the rules are in surveys.service.ts. */

export async function listForJourney(
  em: EntityManager,
  journeyId: string,
  page: PageRequest,
): Promise<{ rows: SurveyResponseEntity[]; count: number }> {
  const query = em
    .getRepository(SurveyResponseEntity)
    .createQueryBuilder('r')
    .where('r.journey_id = :journeyId', { journeyId });
  return pageOfQuery(query, 'r', page);
}

/** How many answers gave each score, answered from `from` through `to` (UTC days, inclusive; null: open). */
export async function scoreCounts(
  em: EntityManager,
  journeyId: string,
  from: CalendarDate | null,
  to: CalendarDate | null,
): Promise<ScoreCount[]> {
  return em.query(
    `SELECT score, count(*)::int AS count FROM survey_responses
      WHERE journey_id = $1
        AND ($2::date IS NULL OR answered_at >= $2::date::timestamp AT TIME ZONE 'UTC')
        AND ($3::date IS NULL OR answered_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC')
      GROUP BY score`,
    [journeyId, from, to],
  );
}

export async function findMessage(em: EntityManager, id: string): Promise<OutreachMessageEntity | null> {
  return em.getRepository(OutreachMessageEntity).findOneBy({ id });
}

export async function findJourney(em: EntityManager, id: string): Promise<OutreachJourneyEntity | null> {
  return em.getRepository(OutreachJourneyEntity).findOneBy({ id });
}

export interface NewAnswer {
  id: string;
  message: OutreachMessageEntity;
  score: number;
  comment: string | null;
}

/** Records the answer unless the message has one already (unique message_id): the answer, or null. */
export async function insertAnswer(em: EntityManager, answer: NewAnswer): Promise<SurveyResponseEntity | null> {
  const { message } = answer;
  const [row]: { id: string }[] = await em.query(
    `INSERT INTO survey_responses (id, message_id, journey_id, sender_id, unit_id, score, comment)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (message_id) DO NOTHING
     RETURNING id`,
    [answer.id, message.id, message.journeyId, message.senderId, message.unitId, answer.score, answer.comment],
  );
  return row ? em.getRepository(SurveyResponseEntity).findOneByOrFail({ id: row.id }) : null;
}

export async function findAnswer(em: EntityManager, id: string): Promise<SurveyResponseEntity | null> {
  return em.findOneBy(SurveyResponseEntity, { id });
}
