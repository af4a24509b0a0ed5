import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { today } from '../common/dates/calendar-date.js';
import { SCALE_RANGE } from '../outreach/outreach.rules.js';
import { MAX_SURVEY_COMMENT_LENGTH, SurveysService } from '../outreach/surveys.service.js';
import { OwnerLinks, type OwnerLink } from './owner-links.js';
import type { FormReading, OwnerForm } from './owner-form.js';
import {
  countClick,
  findMessagePage,
  findTicketParties,
  findUnitPage,
  isUnsubscribed,
  setUnsubscribed,
  type MessagePageRow,
} from './owner-pages.queries.js';
import { decideEstimate, declinedByOwner, type OwnerDecision } from './owner-repair.js';
import { renderPreferencesPage, renderSurveyPage, renderSurveyThanks, renderUnsubscribePage } from './message-pages.js';
import { findTicket } from '../repairs/repair-ticket.queries.js';
import { estimateApproved } from '../repairs/repair-estimate.js';
import { awaitsOwner, gatherRepairPage, renderRepairLive, renderRepairPage, type RepairNotice } from './repair-page.js';
import { textFor, textForAcceptLanguage } from './texts/index.js';
import type { OwnerText } from './texts/owner-text.js';
import { gatherUnitPage, renderUnitPage } from './unit-page.js';
import { messagePage } from './views/layout.js';

/** What an owner page answers; the routes add the headers every answer carries. */
export type PageAnswer =
  | { kind: 'page'; status: number; html: string }
  /** The part of the repair page that refreshes itself, and the ticket version it shows. */
  | { kind: 'fragment'; html: string; version: number }
  | { kind: 'redirect'; location: string }
  /** The answer to a mail client's one-click unsubscribe (RFC 8058): nobody reads it. */
  | { kind: 'plain'; status: number; text: string };

const page = (status: number, html: string): PageAnswer => ({ kind: 'page', status, html });

/** The one page for every link that does not work: the same words whatever the reason, status 404. */
export const notValidPage = (text: OwnerText) => page(404, messagePage(text, text.notValidTitle, text.notValidBody));

const formProblem = (text: OwnerText, status: number, message: string) =>
  page(status, messagePage(text, text.formProblemTitle, message, 'warn'));

const isWebLink = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

/**
 * The owner pages (docs/owner-pages.md): a signed link names a page and its object; the page is
 * shown in the owner's language, its forms change what the owner may change and nothing else.
 */
@Injectable()
export class OwnerPagesService {
  constructor(
    private readonly db: DataSource,
    private readonly links: OwnerLinks,
    private readonly surveys: SurveysService,
  ) {}

  /** A link opened (GET): counted as a click of its message, then its page. `count` is false for HEAD. */
  async show(token: string, acceptLanguage: string | string[] | undefined, count: boolean): Promise<PageAnswer> {
    const link = this.links.verify(token);
    if (!link) return notValidPage(await this.textOfRejected(token, acceptLanguage));
    if (link.messageId && count) await countClick(this.db.manager, link.messageId);
    switch (link.page) {
      case 'unit':
        return this.unitPage(link);
      case 'repair':
      case 'track':
        return this.repairPage(link);
      case 'survey':
        return this.surveyPage(link);
      case 'review':
        return this.review(link);
      default:
        return this.subscriptionPage(link);
    }
  }

  /** A form sent (POST): the survey's answer, the estimate's, unsubscribing, the preferences. */
  async submit(
    token: string,
    reading: FormReading,
    acceptLanguage: string | string[] | undefined,
  ): Promise<PageAnswer> {
    const link = this.links.verify(token);
    if (!link) return notValidPage(await this.textOfRejected(token, acceptLanguage));
    if (link.page === 'unsubscribe' || link.page === 'preferences') return this.changeSubscription(link, reading);
    if (link.page !== 'survey' && link.page !== 'repair') return notValidPage(await this.textOf(link));
    const text = await this.textOf(link);
    if (reading.kind === 'too-large') return formProblem(text, 413, text.formTooLarge);
    if (reading.kind !== 'form') return formProblem(text, reading.kind === 'unsupported' ? 415 : 400, text.formMissing);
    return link.page === 'survey' ? this.answerSurvey(link, reading.fields) : this.answerEstimate(link, reading.fields);
  }

  /** The repair page's live part, for its refresh script. */
  async live(token: string, acceptLanguage: string | string[] | undefined): Promise<PageAnswer> {
    const link = this.links.verify(token);
    if (!link) return notValidPage(await this.textOfRejected(token, acceptLanguage));
    const repair = link.page === 'repair' || link.page === 'track';
    const facts = repair ? await gatherRepairPage(this.db.manager, this.links, link) : null;
    if (!facts) return notValidPage(await this.textOf(link));
    return {
      kind: 'fragment',
      html: renderRepairLive(textFor(facts.ownerLocale), facts),
      version: facts.ticket.version,
    };
  }

  /**
   * The language for a link that does not verify: the owner's when it is genuine but expired (read
   * as of day 0, which every signed link outlives), else what the browser asks for.
   */
  private async textOfRejected(token: string, acceptLanguage: string | string[] | undefined): Promise<OwnerText> {
    const expired = this.links.verify(token, new Date(0));
    return expired ? this.textOf(expired, acceptLanguage) : textForAcceptLanguage(acceptLanguage);
  }

  /** The language of the person a link was made for: the message's, else the unit owner's. */
  private async textOf(link: OwnerLink, acceptLanguage?: string | string[]): Promise<OwnerText> {
    const em = this.db.manager;
    let locale: string | null | undefined;
    if (link.page === 'unit') locale = (await findUnitPage(em, link.objectId))?.ownerLocale;
    else if (link.page === 'repair' || link.page === 'track') {
      const ticket = await findTicket(em, link.objectId);
      locale = ticket && (await findTicketParties(em, ticket.unitId, ticket.serviceCenterId))?.ownerLocale;
    } else locale = (await findMessagePage(em, link.objectId))?.locale;
    return locale === undefined && acceptLanguage !== undefined
      ? textForAcceptLanguage(acceptLanguage)
      : textFor(locale);
  }

  private async unitPage(link: OwnerLink): Promise<PageAnswer> {
    const unit = await findUnitPage(this.db.manager, link.objectId);
    if (!unit) return notValidPage(textFor(null));
    const text = textFor(unit.ownerLocale);
    const day = today();
    const facts = await gatherUnitPage(this.db.manager, this.links, link, unit, text, day);
    return page(200, renderUnitPage(text, facts, day));
  }

  private async repairPage(link: OwnerLink, notice?: RepairNotice, status = 200): Promise<PageAnswer> {
    const facts = await gatherRepairPage(this.db.manager, this.links, link);
    if (!facts) return notValidPage(textFor(null));
    return page(status, renderRepairPage(textFor(facts.ownerLocale), facts, notice));
  }

  private async answerEstimate(link: OwnerLink, fields: OwnerForm): Promise<PageAnswer> {
    const decision = fields.decision;
    const version = fields.version;
    if ((decision !== 'approve' && decision !== 'decline') || !/^\d{1,9}$/.test(version ?? '')) {
      const text = await this.textOf(link);
      return formProblem(text, 400, text.formMissing);
    }
    const outcome = await decideEstimate(this.db, link.objectId, Number(version), decision);
    if (outcome === 'RECORDED') return this.repairPage(link, decision === 'approve' ? 'approvedNow' : 'declinedNow');
    // not recorded: a form sent twice finds its answer already there; anything else moved the ticket on
    const facts = await gatherRepairPage(this.db.manager, this.links, link);
    if (!facts) return notValidPage(textFor(null));
    const notice = alreadyAnswered(facts, decision);
    return this.repairPage(link, notice ?? 'changedMeanwhile', notice ? 200 : 409);
  }

  /** The survey of a SENT message of a SURVEY journey, until it is answered. */
  private async surveyMessage(link: OwnerLink): Promise<MessagePageRow | null> {
    const message = await findMessagePage(this.db.manager, link.objectId);
    const ok = message?.status === 'SENT' && message.journeyKind === 'SURVEY' && message.survey !== null;
    return ok ? message : null;
  }

  private async surveyPage(link: OwnerLink): Promise<PageAnswer> {
    const message = await this.surveyMessage(link);
    // a survey link opened again after its answer is spent: it shows nothing more
    if (!message || message.answered) return notValidPage(await this.textOf(link));
    return page(
      200,
      renderSurveyPage(textFor(message.locale), { survey: message.survey!, senderName: message.senderName }),
    );
  }

  private async answerSurvey(link: OwnerLink, fields: OwnerForm): Promise<PageAnswer> {
    const message = await this.surveyMessage(link);
    if (!message) return notValidPage(await this.textOf(link));
    const text = textFor(message.locale);
    const survey = message.survey!;
    const comment = survey.askComment ? (fields.comment ?? null) : null;
    const score = /^\d{1,2}$/.test(fields.score ?? '') ? Number(fields.score) : NaN;
    const outcome = await this.surveys.recordSurveyAnswer(message.id, score, comment);
    if (outcome.outcome === 'RECORDED' || outcome.outcome === 'ALREADY_ANSWERED')
      return page(200, renderSurveyThanks(text, message.senderName, outcome.outcome === 'ALREADY_ANSWERED'));
    if (outcome.outcome === 'NOT_A_SURVEY') return notValidPage(text);
    const { min, max } = SCALE_RANGE[survey.scale];
    const error =
      outcome.field === 'score'
        ? text.scoreInvalid(min, max)
        : Array.from(comment ?? '').length > MAX_SURVEY_COMMENT_LENGTH
          ? text.commentTooLong
          : text.commentInvalid;
    const shown = comment === null ? undefined : Array.from(comment).slice(0, MAX_SURVEY_COMMENT_LENGTH).join('');
    return page(400, renderSurveyPage(text, { survey, senderName: message.senderName, comment: shown, error }));
  }

  private async review(link: OwnerLink): Promise<PageAnswer> {
    const message = await findMessagePage(this.db.manager, link.objectId);
    if (!message || !isWebLink(message.reviewUrl)) return notValidPage(textFor(message?.locale));
    return { kind: 'redirect', location: message.reviewUrl };
  }

  /** The message's sender and the address it went to: whose mail the page turns off or on. */
  private async subscriptionOf(link: OwnerLink) {
    const message = await findMessagePage(this.db.manager, link.objectId);
    if (!message?.recipientKey) return null;
    const unsubscribed = await isUnsubscribed(this.db.manager, message.senderId, message.recipientKey);
    return { message, address: message.recipientKey, unsubscribed, text: textFor(message.locale) };
  }

  private async subscriptionPage(link: OwnerLink, done?: 'unsubscribed' | 'resubscribed'): Promise<PageAnswer> {
    const found = await this.subscriptionOf(link);
    if (!found) return notValidPage(await this.textOf(link));
    const view = {
      senderName: found.message.senderName,
      unsubscribed: found.unsubscribed,
      preferencesUrl: this.links.url('preferences', found.message.id),
      done,
    };
    const render = link.page === 'preferences' ? renderPreferencesPage : renderUnsubscribePage;
    return page(200, render(found.text, view));
  }

  /**
   * Unsubscribing stops every journey of the sender to the address; the preferences page undoes it.
   * A mail client's one-click POST (RFC 8058: List-Unsubscribe=One-Click, form-encoded or multipart)
   * gets a bare 200.
   */
  private async changeSubscription(link: OwnerLink, reading: FormReading): Promise<PageAnswer> {
    const found = await this.subscriptionOf(link);
    if (!found) return notValidPage(await this.textOf(link));
    const { text } = found;
    if (reading.kind === 'too-large') return formProblem(text, 413, text.formTooLarge);
    const fields = reading.kind === 'form' ? reading.fields : null;
    const oneClick = reading.kind === 'multipart' || fields?.['List-Unsubscribe'] === 'One-Click';
    const action = oneClick ? 'unsubscribe' : fields?.action;
    if (action !== 'unsubscribe' && action !== 'resubscribe')
      return formProblem(text, reading.kind === 'unsupported' ? 415 : 400, text.formMissing);
    const at = action === 'unsubscribe' ? new Date() : null;
    await setUnsubscribed(this.db.manager, found.message.senderId, found.address, at);
    if (oneClick) return { kind: 'plain', status: 200, text: 'Unsubscribed.\n' };
    return this.subscriptionPage(link, action === 'unsubscribe' ? 'unsubscribed' : 'resubscribed');
  }
}

/** The notice for an answer the ticket already has (the same form sent twice), or null. */
function alreadyAnswered(
  facts: Awaited<ReturnType<typeof gatherRepairPage>> & object,
  decision: OwnerDecision,
): RepairNotice | null {
  if (decision === 'approve' && estimateApproved(facts.ticket, facts.estimate)) return 'approvedNow';
  if (decision === 'decline' && awaitsOwner(facts) && declinedByOwner(facts.history, facts.ticket))
    return 'declinedNow';
  return null;
}
