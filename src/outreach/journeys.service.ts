import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Caller, assertCanWork } from '../common/auth/caller.js';
import { today } from '../common/dates/calendar-date.js';
import {
  ErrorResult,
  type GenericError,
  validationError,
  type VersionConflictError,
} from '../common/errors/error-results.js';
import { newId } from '../common/ids.js';
import { inTransaction } from '../common/lifecycle/transaction.js';
import { bumpVersion } from '../common/lifecycle/version-guard.js';
import { money } from '../common/money/money.js';
import type { RequestContext } from '../common/request-context/request-context.js';
import type {
  CouponSpecInput,
  CreateOutreachJourneyInput,
  OutreachTemplateInput,
  UpdateOutreachJourneyInput,
} from './journey.inputs.js';
import * as journeys from './journey.queries.js';
import { NO_STATS, toJourneyView, type OutreachJourneyView } from './journey.views.js';
import { assertOutreachSender, ownJourney } from './outreach-access.js';
import { OutreachJourneyEntity, type StoredCouponSpec, type StoredTemplate } from './outreach.entities.js';
import { purposeOf, type OutreachTrigger } from './outreach.rules.js';
import { validateTemplates } from './templates/template-engine.js';

/** A sender's journeys are its own configuration: a few dozen at most, so the planner's work stays bounded. */
export const MAX_JOURNEYS_PER_SENDER = 50;

/**
 * A sender's outreach journeys (docs/outreach.md): retailers and manufacturers keep them (ADMIN and
 * STAFF keys change them, READONLY keys read them); service centers and the platform have none
 * (FORBIDDEN); another organization's journey does not exist for the caller (NOT_FOUND).
 */
@Injectable()
export class JourneysService {
  constructor(private readonly db: DataSource) {}

  async list(ctx: RequestContext): Promise<OutreachJourneyView[]> {
    assertOutreachSender(ctx.caller);
    return this.withStats(await journeys.listForSender(this.db.manager, ctx.caller.organizationId));
  }

  async get(ctx: RequestContext, id: string, field = 'id'): Promise<OutreachJourneyView> {
    assertOutreachSender(ctx.caller);
    const [view] = await this.withStats([await ownJourney(this.db.manager, ctx.caller, id, field)]);
    return view;
  }

  /** The caller's journeys by id, null for any other (a page of messages or coupons names its journeys). */
  async findOwn(caller: Caller, ids: readonly string[]): Promise<(OutreachJourneyView | null)[]> {
    const rows = (await journeys.findByIds(this.db.manager, ids)).filter((j) => j.senderId === caller.organizationId);
    const views = new Map((await this.withStats(rows)).map((v) => [v.id, v]));
    return ids.map((id) => views.get(id) ?? null);
  }

  async create(ctx: RequestContext, input: CreateOutreachJourneyInput): Promise<OutreachJourneyView | GenericError> {
    assertOutreachSender(ctx.caller);
    assertCanWork(ctx.caller);
    const refused = checkKindFields(input) ?? checkOffset(input.trigger, input.offsetDays);
    if (refused) return refused;
    const templates = storedTemplates(input.templates);
    const invalid = validateTemplates(templates, 'templates');
    if (invalid) return invalid;
    const senderId = ctx.caller.organizationId;
    if ((await journeys.countForSender(this.db.manager, senderId)) >= MAX_JOURNEYS_PER_SENDER) {
      return validationError('kind', `An organization keeps at most ${MAX_JOURNEYS_PER_SENDER} journeys.`);
    }
    const journey = await this.db.transaction((em) =>
      journeys.insertJourney(em, {
        id: newId(),
        senderId,
        name: input.name.trim(),
        kind: input.kind,
        purpose: purposeOf(input.kind),
        trigger: input.trigger,
        offsetDays: input.offsetDays ?? 0,
        annualDate: input.annualDate ?? null,
        channel: input.channel ?? 'EMAIL',
        productCategories: [...new Set((input.productCategories ?? []).map((c) => c.trim()))],
        onlyWithoutServicePlan: input.onlyWithoutServicePlan ?? false,
        templates,
        coupon: input.coupon ? storedCoupon(input.coupon) : null,
        survey: input.survey
          ? {
              question: input.survey.question.trim(),
              scale: input.survey.scale,
              askComment: input.survey.askComment ?? true,
            }
          : null,
        reviewUrl: input.reviewUrl?.trim() ?? null,
        activeSince: today(),
      }),
    );
    return toJourneyView(journey, NO_STATS);
  }

  async update(
    ctx: RequestContext,
    input: UpdateOutreachJourneyInput,
  ): Promise<OutreachJourneyView | GenericError | VersionConflictError> {
    assertOutreachSender(ctx.caller);
    const current = await ownJourney(this.db.manager, ctx.caller, input.id, 'id');
    assertCanWork(ctx.caller);
    const templates = input.templates === undefined ? undefined : storedTemplates(input.templates);
    const refused =
      checkOffset(current.trigger, input.offsetDays) ?? (templates ? validateTemplates(templates, 'templates') : null);
    if (refused) return refused;
    const result = await inTransaction(this.db, async (em) => {
      await bumpVersion(em, 'outreach_journeys', input.id, input.expectedVersion);
      // the row is locked now: whether this change re-activates it is read from the row as it stands
      const locked = await em.findOneByOrFail(OutreachJourneyEntity, { id: input.id });
      if (input.active === false && locked.active) await journeys.dropWaitingMessages(em, input.id);
      return journeys.updateJourney(em, input.id, {
        name: input.name?.trim(),
        active: input.active,
        activeSince: input.active === true && !locked.active ? today() : undefined,
        offsetDays: input.offsetDays,
        templates,
      });
    });
    if (result instanceof ErrorResult) return result as VersionConflictError;
    const [view] = await this.withStats([result]);
    return view;
  }

  private async withStats(rows: OutreachJourneyEntity[]): Promise<OutreachJourneyView[]> {
    const stats = await journeys.statsOf(
      this.db.manager,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toJourneyView(r, stats.get(r.id) ?? NO_STATS));
  }
}

/** Empty or absent: the built-in templates (stored as none, so improvements to them reach the journey). */
function storedTemplates(templates: OutreachTemplateInput[] | undefined): StoredTemplate[] {
  return (templates ?? []).map((t) => ({ locale: t.locale.trim(), subject: t.subject, body: t.body }));
}

function storedCoupon(c: CouponSpecInput): StoredCouponSpec {
  const amount = c.discountAmount ? money(c.discountAmount.amount, c.discountAmount.currency) : null;
  return {
    prefix: c.prefix,
    discountPercent: c.discountPercent ?? null,
    discountAmount: amount?.amount ?? null,
    discountCurrency: amount?.currency ?? null,
    validDays: c.validDays,
  };
}

/** What each kind and trigger needs, and nothing it does not: a coupon, a survey, a review link, a day of the year. */
function checkKindFields(input: CreateOutreachJourneyInput): GenericError | null {
  return (
    requiredFor(input.kind === 'COUPON', input.coupon, 'coupon', 'a COUPON journey') ??
    requiredFor(input.kind === 'SURVEY', input.survey, 'survey', 'a SURVEY journey') ??
    requiredFor(input.kind === 'REVIEW_REQUEST', input.reviewUrl, 'reviewUrl', 'a REVIEW_REQUEST journey') ??
    requiredFor(input.trigger === 'ANNUAL_DATE', input.annualDate, 'annualDate', 'the ANNUAL_DATE trigger') ??
    (input.coupon ? checkDiscount(input.coupon) : null)
  );
}

function requiredFor(needed: boolean, value: unknown, field: string, what: string): GenericError | null {
  const given = value !== undefined && value !== null;
  if (needed && !given) return validationError(field, `${field} is required for ${what}.`);
  if (!needed && given) return validationError(field, `${field} is only for ${what}.`);
  return null;
}

function checkDiscount(c: CouponSpecInput): GenericError | null {
  const percent = c.discountPercent !== undefined && c.discountPercent !== null;
  const amount = c.discountAmount !== undefined && c.discountAmount !== null;
  if (percent === amount)
    return validationError('coupon', 'A coupon gives exactly one of discountPercent and discountAmount.');
  if (amount && Number(money(c.discountAmount!.amount, c.discountAmount!.currency).amount) <= 0)
    return validationError('coupon.discountAmount.amount', 'discountAmount must be more than zero.');
  return null;
}

/** BEFORE_WARRANTY_ENDS counts back from the warranty's last day: a positive offset would fall after it ended. */
function checkOffset(trigger: OutreachTrigger, offsetDays: number | undefined): GenericError | null {
  if (trigger === 'BEFORE_WARRANTY_ENDS' && offsetDays !== undefined && offsetDays > 0)
    return validationError(
      'offsetDays',
      'offsetDays must be 0 or negative for BEFORE_WARRANTY_ENDS (days before the end).',
    );
  return null;
}
