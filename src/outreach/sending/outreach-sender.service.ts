import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { toCalendarDate } from '../../common/dates/calendar-date.js';
import { logSafeError } from '../../common/errors/log-safe.js';
import { PublicEvents } from '../../common/events/public-events.js';
import { JobRunner } from '../../common/jobs/job-runner.service.js';
import { OwnerLinks } from '../../owner-pages/owner-links.js';
import { endpointsTaking, enqueueOrganizationEvent } from '../../webhooks/webhook-enqueue.js';
import { EmailChannel, type EmailOutcome } from '../channels/email-channel.js';
import { couponExpiresOn, newCouponCode } from './coupon-code.js';
import { OUTREACH_MESSAGE_EVENT, type OutreachMessageEventView } from './outreach-event.views.js';
import { compose, messageLinks, type ComposedMessage, type Recipient } from './message-composer.js';
import { retryAt, suppressionReason } from './sending-rules.js';
import * as q from './sending.queries.js';
import type { ClaimedMessage, IssuedCoupon } from './sending.queries.js';

/** Messages claimed per round. */
const BATCH = 50;
/** Messages of a round sent at the same time, each holding a connection for its transaction: the pool keeps two for the API. */
const atOnce = (poolMax: number) => Math.max(1, Math.min(8, poolMax - 2));
/**
 * How long a claim holds a message: a replica that dies holding it loses it after this, and the
 * message goes out later (at least once, with the same Message-ID). Well above a round's length.
 */
const LEASE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

const logger = new Logger('OutreachSender');

/** Why a WEBHOOK message failed when its sender has no endpoint to create a delivery for. */
const NO_ENDPOINT = `no enabled webhook endpoint of the sender takes ${OUTREACH_MESSAGE_EVENT}`;

/** What every message of a round reads alike (its journey, its sender): read once a round, not once a message. */
class RoundLookups {
  private readonly journeys = new Map<string, ReturnType<typeof q.findJourney>>();
  private readonly senders = new Map<string, ReturnType<typeof q.findOrganization>>();

  journey(em: EntityManager, id: string) {
    return once(this.journeys, id, () => q.findJourney(em, id));
  }

  sender(em: EntityManager, id: string) {
    return once(this.senders, id, () => q.findOrganization(em, id));
  }
}

/** The value read for `key`, read once; a failed read is forgotten, so the next message reads it again. */
function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = read();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

/** `work` over every item, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Sends the recorded messages that are due (docs/outreach.md): each claimed under a lease, then,
 * in one transaction per message holding its address's lock, decided at send time (suppressed or
 * not), written in the owner's language, given its coupon, handed to its channel and settled.
 */
@Injectable()
export class OutreachSender implements OnModuleInit, OnApplicationShutdown {
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly events: PublicEvents,
    private readonly email: EmailChannel,
    private readonly links: OwnerLinks,
  ) {}

  onModuleInit(): void {
    this.events.declare({
      name: OUTREACH_MESSAGE_EVENT,
      description:
        'An outreach message of one of your journeys on the WEBHOOK channel, rendered, for your own systems to send to the owner (OUTREACH.md: the same consent, frequency cap and unsubscribe rules apply).',
      viewSchema: 'OutreachMessageEvent',
    });
    // after the planner's task when both are due in a round: what it recorded goes out at once
    this.runner.every({
      name: 'outreach-send',
      everyMs: this.config.outreach.intervalMs,
      run: async () => this.wake(),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * Starts sending in the background unless it is already. The job runner's task only wakes it:
   * sending runs outside the runner's transaction (one transaction per message, an SMTP exchange
   * in each; the embedded database has a single session).
   */
  wake(): void {
    if (this.stopped || this.running || this.config.jobs.pollMs <= 0) return;
    this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    try {
      // a full batch means more is waiting: go on at once
      while (!this.stopped && (await this.sendDue(new Date())) === BATCH);
    } catch (error) {
      logger.error({ msg: 'Sending outreach messages failed; the next round tries again', err: logSafeError(error) });
    }
  }

  /** One round: claims up to a batch of due messages and sends each; returns how many it claimed. */
  async sendDue(now: Date): Promise<number> {
    const token = randomUUID();
    const claimed = await q.claimDue(this.db.manager, token, now, LEASE_MS, BATCH);
    const lookups = new RoundLookups();
    await inParallel(claimed, atOnce(this.config.db.poolMax), (id) => this.sendOne(id, token, now, lookups));
    return claimed.length;
  }

  private async sendOne(id: string, token: string, now: Date, lookups: RoundLookups): Promise<void> {
    try {
      await this.db.transaction((em) => this.decideAndSend(em, id, token, now, lookups));
    } catch (error) {
      logger.error({
        msg: 'An outreach message could not be sent; it is tried again later',
        messageId: id,
        err: logSafeError(error),
      });
      // tried again on the retry schedule (not at once, not forever); if even this fails, when the lease runs out
      await this.db
        .transaction(async (em) => {
          const message = await q.lockClaimed(em, id, token);
          if (message) await this.temporaryFailure(em, message, null, 'internal error', now);
        })
        .catch(() => undefined);
    }
  }

  private async decideAndSend(
    em: EntityManager,
    id: string,
    token: string,
    now: Date,
    lookups: RoundLookups,
  ): Promise<void> {
    const message = await q.lockClaimed(em, id, token);
    if (!message) return; // settled meanwhile, or the lease ran out and another replica has it
    const recipient = await this.recipientOf(em, message, now, lookups);
    if (recipient.reason) {
      const composed = await this.compose(em, message, recipient, null, now);
      await q.settle(em, id, now, {
        ...addressed(recipient, composed),
        status: 'SUPPRESSED',
        reason: recipient.reason,
      });
      return;
    }
    const endpoints =
      recipient.journey.channel === 'WEBHOOK'
        ? await endpointsTaking(em, message.senderId, OUTREACH_MESSAGE_EVENT)
        : null;
    if (endpoints?.length === 0) {
      // no delivery would be created: nothing goes out, and no coupon is issued
      const composed = await this.compose(em, message, recipient, null, now);
      await q.settle(em, id, now, { ...addressed(recipient, composed), status: 'FAILED', error: NO_ENDPOINT });
      return;
    }
    const coupon = recipient.journey.coupon ? await this.couponFor(em, message, recipient, now) : null;
    const composed = await this.compose(em, message, recipient, coupon, now);
    if (endpoints) {
      await enqueueOrganizationEvent(
        em,
        message.senderId,
        OUTREACH_MESSAGE_EVENT,
        eventData(message, recipient, composed),
        now,
        endpoints,
      );
      await q.settle(em, id, now, { ...addressed(recipient, composed), status: 'SENT', emailMessageId: null });
      return;
    }
    const outcome = await this.email.send({
      messageId: id,
      to: recipient.address!,
      senderName: recipient.sender.name,
      subject: composed.subject,
      text: composed.text,
      html: composed.html,
      locale: composed.locale,
      unsubscribeUrl: composed.links.unsubscribe,
    });
    await this.record(em, message, recipient, composed, outcome, now);
  }

  /**
   * Who the message goes to now (the unit's owner at this moment) and why it may not go: the
   * address's decisions are serialized (its lock is held until this transaction ends).
   */
  private async recipientOf(
    em: EntityManager,
    message: ClaimedMessage,
    now: Date,
    lookups: RoundLookups,
  ): Promise<Recipient> {
    const journey = await lookups.journey(em, message.journeyId);
    const unit = await q.findUnitFacts(em, message.unitId);
    const sender = await lookups.sender(em, message.senderId);
    if (!journey || !unit || !sender) throw new Error('an outreach message without its journey, unit or sender');
    const address = unit.owner?.email?.trim() || null;
    const key = address?.toLowerCase() ?? null;
    let known = { unsubscribed: false, bounced: false };
    let recentMarketing = false;
    if (key) {
      await q.lockAddress(em, message.senderId, key);
      known = await q.recipientState(em, message.senderId, key);
      if (journey.purpose === 'MARKETING') {
        const since = new Date(now.getTime() - this.config.outreach.marketingMinDays * DAY_MS);
        recentMarketing = await q.marketingSentSince(em, message.senderId, key, since);
      }
    }
    const reason = suppressionReason({
      purpose: journey.purpose,
      unitActive: unit.status === 'ACTIVE',
      email: address,
      marketingConsent: unit.owner?.marketingConsent === true,
      ...known,
      recentMarketing,
    });
    return { journey, unit, sender: { id: message.senderId, ...sender }, address, reason };
  }

  private compose(em: EntityManager, message: ClaimedMessage, r: Recipient, coupon: IssuedCoupon | null, now: Date) {
    const links = messageLinks(this.links, r.journey, message.unitId, message.id, now);
    return compose(em, { ...r, ownerLocale: r.unit.owner?.locale, links, coupon, now });
  }

  /** The message's coupon: issued on its first attempt, the same one on every retry. */
  private async couponFor(em: EntityManager, message: ClaimedMessage, r: Recipient, now: Date): Promise<IssuedCoupon> {
    const existing = await q.couponOfMessage(em, message.id);
    if (existing) return existing;
    const spec = r.journey.coupon!;
    // a clash with another code is (31^8 codes) all but impossible: draw again, a few times at most
    for (let draw = 0; draw < 5; draw++) {
      const coupon: IssuedCoupon = {
        code: newCouponCode(spec.prefix),
        expiresOn: couponExpiresOn(toCalendarDate(now), spec.validDays),
        discountPercent: spec.discountPercent,
        discountAmount: spec.discountAmount,
        discountCurrency: spec.discountCurrency,
      };
      const issued = { ...coupon, senderId: message.senderId, journeyId: message.journeyId, unitId: message.unitId };
      if (await q.insertCoupon(em, { ...issued, messageId: message.id, now })) return coupon;
    }
    throw new Error('no free coupon code after 5 draws');
  }

  private async record(
    em: EntityManager,
    message: ClaimedMessage,
    recipient: Recipient,
    composed: ComposedMessage,
    outcome: EmailOutcome,
    now: Date,
  ): Promise<void> {
    const who = addressed(recipient, composed);
    if (outcome.kind === 'sent') {
      await q.settle(em, message.id, now, { ...who, status: 'SENT', emailMessageId: outcome.emailMessageId });
    } else if (outcome.kind === 'refused') {
      await q.settle(em, message.id, now, { ...who, status: 'FAILED', error: outcome.error });
      await q.markBounced(em, message.senderId, recipient.address!.toLowerCase(), outcome.error, now);
    } else {
      await this.temporaryFailure(em, message, who, outcome.error, now);
    }
  }

  /** Tried again with a growing wait, until OUTREACH_RETRY_HOURS after the message was recorded; then FAILED. */
  private async temporaryFailure(
    em: EntityManager,
    message: ClaimedMessage,
    who: q.Addressed | null,
    error: string,
    now: Date,
  ): Promise<void> {
    const at = retryAt(message.attempts + 1, now, message.createdAt, this.config.outreach.retryHours);
    if (at) await q.retryLater(em, message.id, at, error);
    else await q.settle(em, message.id, now, { ...(who ?? q.NOBODY), status: 'FAILED', error });
  }
}

function addressed(recipient: Recipient, composed: ComposedMessage): q.Addressed {
  return { recipient: recipient.address, locale: composed.locale, subject: composed.subject };
}

function eventData(message: ClaimedMessage, r: Recipient, composed: ComposedMessage): OutreachMessageEventView {
  return {
    id: message.id,
    journeyId: message.journeyId,
    unitId: message.unitId,
    kind: r.journey.kind,
    occasion: message.occasion,
    recipient: r.address!,
    locale: composed.locale,
    subject: composed.subject,
    text: composed.text,
    html: composed.html,
    links: composed.links,
    coupon: composed.coupon,
  };
}
