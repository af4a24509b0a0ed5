import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { logSafeError } from '../common/errors/log-safe.js';
import { OutboxSignals } from '../common/events/outbox-signals.js';
import { PublicEvents, type PublicEvent } from '../common/events/public-events.js';
import { newId } from '../common/ids.js';
import { enqueueJob, JobRunner } from '../common/jobs/job-runner.service.js';
import { BatchReads, FAILED, readerFor, readOne } from './fanout-reads.js';
import { insertDeliveries, type ClaimedDelivery, type NewDelivery } from './webhook-delivery.queries.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import * as fanout from './webhook-fanout.queries.js';
import type { PublishedEvent, SubscribedEndpoint } from './webhook-fanout.queries.js';

/** Events read per round. */
const BATCH = 500;
/** How long a round waits at most for the dispatcher to have room for its deliveries. */
const PACE_MAX_MS = 1_000;
/**
 * How long a replica holds the fan-out's turn before another may take it over: what a crashed
 * replica costs the others in delay. A round renews it every third of it while it runs.
 */
const TURN_LEASE_MS = 10_000;
/** The job that reads again what a round could not read (an error other than NOT_FOUND). */
export const READ_LATER_JOB = 'webhook-fanout-read';

const logger = new Logger('WebhookFanout');

/** The body of a message, as signed and sent. */
export const messageBody = (type: string, occurredAt: Date, data: object): string =>
  JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });

/** A delivery's webhook-id: unique per delivery, the same on every attempt. */
export const messageIdOf = (deliveryId: string) => `msg_${deliveryId.replaceAll('-', '')}`;

/** One event's message to one organization's subscribed endpoints. */
interface Addressed {
  event: PublishedEvent;
  publicEvent: PublicEvent;
  organizationId: string;
  endpoints: SubscribedEndpoint[];
}

/** The deliveries of one message: one per endpoint, each with its own id and webhook-id. */
function deliveriesOf({ event, publicEvent, organizationId, endpoints }: Addressed, body: string): NewDelivery[] {
  return endpoints.map((endpoint) => {
    const id = newId();
    return {
      id,
      endpointId: endpoint.id,
      organizationId,
      eventId: event.id,
      messageId: messageIdOf(id),
      eventType: publicEvent.type,
      body,
      status: endpoint.enabled ? 'PENDING' : 'FAILED',
    };
  });
}

/** A new delivery as the dispatcher attempts it, with what its endpoint says. */
const claimedOf = (d: NewDelivery, endpoint: SubscribedEndpoint): ClaimedDelivery => ({
  id: d.id,
  endpointId: d.endpointId,
  organizationId: d.organizationId,
  messageId: d.messageId,
  body: d.body,
  scheduledRetries: 0,
  status: d.status,
  url: endpoint.url,
  enabled: endpoint.enabled,
  failingSince: endpoint.failingSince,
  secrets: endpoint.secrets,
});

/** How many of these deliveries go to each endpoint. */
function countByEndpoint(deliveries: NewDelivery[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { endpointId } of deliveries) counts.set(endpointId, (counts.get(endpointId) ?? 0) + 1);
  return counts;
}

/** The endpoints of each organization that may see a resource with these parties (the platform sees everything). */
function byOrganization(endpoints: SubscribedEndpoint[], parties: string[]): Map<string, SubscribedEndpoint[]> {
  const party = new Set(parties);
  const grouped = new Map<string, SubscribedEndpoint[]>();
  for (const e of endpoints) {
    if (!party.has(e.organizationId) && e.organizationKind !== 'PLATFORM') continue;
    grouped.set(e.organizationId, [...(grouped.get(e.organizationId) ?? []), e]);
  }
  return grouped;
}

/**
 * Fans published outbox events out to webhook endpoints (docs/webhooks.md, "Who gets what"), in
 * publish order, exactly once: one replica at a time holds the turn (a lease, renewed while the
 * round runs), reads the events after its position and the resources as each subscribed
 * organization sees them (outside any transaction: the reads are the resources' own GETs, a batch
 * at a time), then writes the deliveries and moves the position in one transaction that commits
 * only if the turn and the position are still as taken. A read that fails (not NOT_FOUND) does not
 * hold the others up: it is queued as a job (READ_LATER_JOB) in that transaction, retried later.
 */
@Injectable()
export class WebhookFanout implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private wokenDuringRounds = false;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: PublicEvents,
    private readonly dispatcher: WebhookDispatcher,
    private readonly runner: JobRunner,
    private readonly signals: OutboxSignals,
  ) {}

  onModuleInit(): void {
    this.runner.handle(READ_LATER_JOB, (payload, em) => this.readLater(payload, em));
  }

  onApplicationBootstrap(): void {
    if (this.config.jobs.pollMs <= 0) return;
    this.signals.onPublished(() => this.wake());
    this.schedule(this.config.jobs.pollMs);
  }

  /** Goes on now rather than at the next poll (the relay here has just published events). */
  wake(): void {
    if (this.config.jobs.pollMs <= 0) return;
    if (this.running) this.wokenDuringRounds = true;
    else this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round; returns how many events it went past (0: nothing new, or another replica's turn). */
  async round(): Promise<number> {
    const token = randomUUID();
    const turn = await fanout.takeTurnWithEvents(this.db.manager, token, TURN_LEASE_MS, BATCH);
    if (turn === null) return 0;
    const { position, events: published } = turn;
    let moved = false;
    const renewal = setInterval(
      () => void fanout.renewTurn(this.db.manager, token, TURN_LEASE_MS).catch(() => undefined),
      TURN_LEASE_MS / 3,
    );
    try {
      const { planned, unread, endpoints } = await this.plan(published);
      const last = published[published.length - 1].publishSeq;
      // the first deliveries are leased to this replica as they are written and attempted from memory: no claim
      const handToken = randomUUID();
      const pending = planned.filter((d) => d.status === 'PENDING');
      await this.dispatcher.waitForRoom(countByEndpoint(pending), PACE_MAX_MS);
      const handed = this.dispatcher.handable(pending);
      for (const d of handed) d.leaseToken = handToken;
      const leasedAt = Date.now();
      let written = new Set<string>();
      moved = await this.db.transaction(async (em) => {
        if (!(await fanout.advance(em, token, position, last))) return false;
        written = await insertDeliveries(em, planned, this.dispatcher.leaseMs());
        for (const job of unread) await enqueueJob(em, READ_LATER_JOB, job);
        return true;
      });
      if (!moved) return 0;
      this.dispatcher.takeLeased(
        handed.filter((d) => written.has(d.id)).map((d) => claimedOf(d, endpoints.get(d.endpointId)!)),
        handToken,
        leasedAt,
      );
      if (planned.length > handed.length) this.dispatcher.wake();
      return published.length;
    } finally {
      clearInterval(renewal);
      // a moved position ended the turn with it
      if (!moved) await fanout.endTurn(this.db.manager, token);
    }
  }

  /**
   * The deliveries of a batch of events: per event, each subscribed endpoint of each organization
   * that may see it; and the (event, organization) pairs whose read failed, to read later.
   */
  private async plan(published: PublishedEvent[]) {
    const publicOnes = published.flatMap((event) => {
      const publicEvent = this.events.publicEventOf(event.aggregateType, event.eventType);
      return publicEvent ? [{ event, publicEvent }] : [];
    });
    // the subscribed endpoints of each type and the resources' parties, read at the same time
    const types = [...new Set(publicOnes.map(({ publicEvent }) => publicEvent.type))];
    const [subscribed, parties] = await Promise.all([
      Promise.all(types.map((type) => fanout.subscribedTo(this.db.manager, type))),
      this.partiesOf(publicOnes),
    ]);
    const subscribers = new Map(types.map((type, i) => [type, subscribed[i]]));
    const addressed: Addressed[] = [];
    const reads = new BatchReads();
    const endpointsById = new Map<string, SubscribedEndpoint>();
    for (const { event, publicEvent } of publicOnes) {
      const endpoints = subscribers.get(publicEvent.type)!;
      for (const e of endpoints) endpointsById.set(e.id, e);
      for (const [organizationId, own] of byOrganization(endpoints, parties.get(event.aggregateId) ?? [])) {
        addressed.push({ event, publicEvent, organizationId, endpoints: own });
        reads.want(publicEvent.resource, readerFor(organizationId, own[0].organizationKind), event.aggregateId);
      }
    }
    await reads.run();
    const planned: NewDelivery[] = [];
    const unread: Array<{ eventId: string; organizationId: string }> = [];
    for (const message of addressed) {
      const { event, publicEvent, organizationId } = message;
      const data = reads.outcome(publicEvent.resource, organizationId, event.aggregateId);
      if (data === FAILED) unread.push({ eventId: event.id, organizationId });
      else if (data) planned.push(...deliveriesOf(message, messageBody(publicEvent.type, event.occurredAt, data)));
    }
    return { planned, unread, endpoints: endpointsById };
  }

  /** The parties of every resource of the batch: one query per kind of resource. */
  private async partiesOf(events: Array<{ event: PublishedEvent; publicEvent: PublicEvent }>) {
    const parties = new Map<string, string[]>();
    const byResource = new Map<PublicEvent['resource'], Set<string>>();
    for (const { event, publicEvent } of events) {
      byResource.set(publicEvent.resource, (byResource.get(publicEvent.resource) ?? new Set()).add(event.aggregateId));
    }
    const perResource = await Promise.all(
      [...byResource].map(([resource, ids]) => resource.parties(this.db.manager, [...ids])),
    );
    for (const found of perResource) for (const [id, orgs] of found) parties.set(id, orgs);
    return parties;
  }

  /**
   * READ_LATER_JOB: one event's message to one organization, whose read failed in its round. A
   * read that fails again fails the job, which the job runner retries with a growing delay.
   */
  private async readLater(payload: Record<string, unknown>, em: EntityManager): Promise<void> {
    const event = await fanout.publishedEvent(em, String(payload.eventId));
    const publicEvent = event && this.events.publicEventOf(event.aggregateType, event.eventType);
    if (!event || !publicEvent) return;
    const endpoints = (await fanout.subscribedTo(em, publicEvent.type)).filter(
      (e) => e.organizationId === payload.organizationId,
    );
    if (endpoints.length === 0) return;
    const reader = readerFor(endpoints[0].organizationId, endpoints[0].organizationKind);
    const data = await readOne(publicEvent.resource, reader, event.aggregateId);
    if (!data) return;
    const message = { event, publicEvent, organizationId: reader.organizationId, endpoints };
    await insertDeliveries(em, deliveriesOf(message, messageBody(publicEvent.type, event.occurredAt, data)));
    this.dispatcher.wake();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    this.wokenDuringRounds = false;
    this.running = (async () => {
      try {
        // a full batch means more is waiting: go on at once
        while (!this.stopped && (await this.round()) === BATCH);
      } catch (error) {
        logger.error({
          msg: 'Fanning out webhook events failed; the next round tries again',
          err: logSafeError(error),
        });
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.wokenDuringRounds ? 0 : this.config.jobs.pollMs);
  }
}
