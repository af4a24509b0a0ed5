import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { compareDates, type CalendarDate } from '../common/dates/calendar-date.js';
import { badInput, notFound } from '../common/errors/domain-error.js';
import { isUuid, newId } from '../common/ids.js';
import { pageRequest, toConnection, type Connection } from '../common/pagination/pagination.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import { assertOutreachSender, ownJourney } from './outreach-access.js';
import { SCALE_RANGE, type SurveyScale } from './outreach.rules.js';
import { surveyStats, type SurveyStats } from './survey-stats.js';
import * as surveys from './survey.queries.js';
import { toSurveyResponseView, type SurveyResponseView } from './survey.views.js';

/** The longest comment an owner may leave with a score. */
export const MAX_SURVEY_COMMENT_LENGTH = 2000;

/** What became of an owner's answer (the survey page says it in the owner's language). */
export type SurveyAnswerOutcome =
  | { outcome: 'RECORDED'; response: SurveyResponseView }
  | { outcome: 'ALREADY_ANSWERED' }
  /** No SENT message of a SURVEY journey has this id: nothing to answer. */
  | { outcome: 'NOT_A_SURVEY' }
  | { outcome: 'INVALID'; field: 'score' | 'comment'; message: string };

/**
 * Survey answers (docs/outreach.md): one per message, a score within the journey's scale and an
 * optional comment, given on the owner's survey page; the sender reads them and their figures.
 */
@Injectable()
export class SurveysService {
  constructor(private readonly db: DataSource) {}

  async list(
    ctx: RequestContext,
    journeyId: string,
    first?: number | null,
    after?: string | null,
    field = 'journeyId',
  ): Promise<Connection<SurveyResponseView>> {
    assertOutreachSender(ctx.caller);
    const page = pageRequest(first, after);
    await ownJourney(this.db.manager, ctx.caller, journeyId, field);
    const { rows, count } = await surveys.listForJourney(this.db.manager, journeyId, page);
    return toConnection(rows.map(toSurveyResponseView), page, count);
  }

  /** One answer to one of the caller's journeys (node(id)); any other is NOT_FOUND. */
  async get(ctx: RequestContext, id: string, field = 'id'): Promise<SurveyResponseView> {
    assertOutreachSender(ctx.caller);
    const answer = await surveys.findAnswer(this.db.manager, id);
    if (!answer || answer.senderId !== ctx.caller.organizationId) throw notFound('Survey response', undefined, field);
    return toSurveyResponseView(answer);
  }

  /** CSAT's mean or NPS, over the answers given from `from` through `to` (UTC days, inclusive). */
  async stats(
    ctx: RequestContext,
    journeyId: string,
    from?: CalendarDate | null,
    to?: CalendarDate | null,
    field = 'journeyId',
  ): Promise<SurveyStats> {
    assertOutreachSender(ctx.caller);
    if (from && to && compareDates(from, to) > 0) throw badInput('to', 'to must not be before from.');
    const journey = await ownJourney(this.db.manager, ctx.caller, journeyId, field);
    const counts = await surveys.scoreCounts(this.db.manager, journeyId, from ?? null, to ?? null);
    return surveyStats(journey.survey?.scale ?? null, counts);
  }

  /**
   * The owner's answer, from the survey page (no API key: the signed link names the message).
   * Only a SENT message of a SURVEY journey takes one, and only one: a second is ALREADY_ANSWERED.
   */
  async recordSurveyAnswer(messageId: string, score: number, comment: string | null): Promise<SurveyAnswerOutcome> {
    const em = this.db.manager;
    const message = isUuid(messageId) ? await surveys.findMessage(em, messageId) : null;
    const journey = message?.status === 'SENT' ? await surveys.findJourney(em, message.journeyId) : null;
    if (!message || journey?.kind !== 'SURVEY' || !journey.survey) return { outcome: 'NOT_A_SURVEY' };
    const scoreRefused = scoreProblem(journey.survey.scale, score);
    if (scoreRefused) return { outcome: 'INVALID', field: 'score', message: scoreRefused };
    const text = comment?.trim() || null;
    const commentRefused = text === null ? null : commentProblem(text);
    if (commentRefused) return { outcome: 'INVALID', field: 'comment', message: commentRefused };
    const response = await surveys.insertAnswer(em, { id: newId(), message, score, comment: text });
    return response
      ? { outcome: 'RECORDED', response: toSurveyResponseView(response) }
      : { outcome: 'ALREADY_ANSWERED' };
  }
}

/** Control characters other than line breaks and tabs have no place in a comment (and NUL none in PostgreSQL). */
const CONTROL = /(?![\n\r\t])\p{Cc}/u;

function scoreProblem(scale: SurveyScale, score: number): string | null {
  const { min, max } = SCALE_RANGE[scale];
  return Number.isInteger(score) && score >= min && score <= max
    ? null
    : `score must be a whole number from ${min} to ${max}.`;
}

function commentProblem(comment: string): string | null {
  if (Array.from(comment).length > MAX_SURVEY_COMMENT_LENGTH)
    return `comment must be at most ${MAX_SURVEY_COMMENT_LENGTH} characters.`;
  if (CONTROL.test(comment)) return 'comment must not contain control characters.';
  return null;
}
