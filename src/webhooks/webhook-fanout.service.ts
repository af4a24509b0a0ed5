import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Caller } from '../common/auth/caller.js';
import { DomainError } from '../common/errors/domain-error.js';
import { logSafeError } from '../common/errors/log-safe.js';
import { PublicEvents, type PublicEvent } from '../common/events/public-events.js';
import { newId } from '../common/ids.js';
import { insertDeliveries, type NewDelivery } from './webhook-delivery.queries.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import * as fanout from './webhook-fanout.queries.js';
import type { PublishedEvent, SubscribedEndpoint } from './webhook-fanout.queries.js';

/** Events read per round. */
const BATCH = 500;
/** Events whose resources are read at the same time. */
const READS_AT_ONCE = 8;
/**
 * How long a replica holds the fan-out's turn before another may take it over: what a crashed
 * replica costs the others in delay. A round that outlasts it still ends well while no one else
 * took the turn (the position moves only with the token that took it).
 */
const TURN_LEASE_MS = 10_000;

const logger = new Logger('WebhookFanout');

/**
 * The caller an organization is when it reads a resource for an event: as with a STAFF key, the
 * key an integration works with (its views show the moves that key may take next).
 */
const readerFor = (organizationId: string, organizationKind: Caller['organizationKind']): Caller => ({
  apiKeyId: 'webhook-fanout',
  organizationId,
  organizationKind,
  role: 'STAFF',
  technicianId: null,
});

/** `work` over every item, at most `limit` at a time; the results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The body of a message, as signed and sent. */
export const messageBody = (type: string, occurredAt: Date, data: object): string =>
  JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });

/** A delivery's webhook-id: unique per delivery, the same on every attempt. */
export const messageIdOf = (deliveryId: string) => `msg_${deliveryId.replaceAll('-', '')}`;

/**
 * Fans published outbox events out to webhook endpoints (docs/webhooks.md, "Who gets what"), in
 * publish order, exactly once: one replica at a time holds the turn (a lease), reads the events
 * after its position and the resources as each subscribed organization sees them (outside any
 * transaction: the reads are the resources' own GETs), then writes the deliveries and moves the
 * position in one transaction that commits only if the turn and the position are still as taken.
 */
@Injectable()
export class WebhookFanout implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: PublicEvents,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.jobs.pollMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One round; returns how many events it went past (0: nothing new, or another replica's turn). */
  async round(): Promise<number> {
    const token = randomUUID();
    const position = await fanout.takeTurn(this.db.manager, token, TURN_LEASE_MS);
    if (position === null) return 0;
    try {
      const published = await fanout.publishedAfter(this.db.manager, position, BATCH);
      if (published.length === 0) return 0;
      const planned = await this.plan(published);
      const last = published[published.length - 1].publishSeq;
      const moved = await this.db.transaction(async (em) => {
        if (!(await fanout.advance(em, token, position, last))) return false;
        await insertDeliveries(em, planned);
        return true;
      });
      if (moved && planned.length > 0) this.dispatcher.wake();
      return moved ? published.length : 0;
    } finally {
      await fanout.endTurn(this.db.manager, token);
    }
  }

  /**
   * The deliveries of a batch of events: per event, each subscribed endpoint of each organization
   * that may see it. Events are read a few at a time (the reads are independent; the pool has room).
   */
  private async plan(published: PublishedEvent[]): Promise<NewDelivery[]> {
    const subscribers = new Map<string, Promise<SubscribedEndpoint[]>>();
    const subscribedTo = (type: string) => {
      if (!subscribers.has(type)) subscribers.set(type, fanout.subscribedTo(this.db.manager, type));
      return subscribers.get(type)!;
    };
    const publicOnes = published.flatMap((event) => {
      const publicEvent = this.events.publicEventOf(event.aggregateType, event.eventType);
      return publicEvent ? [{ event, publicEvent }] : [];
    });
    const parties = await this.partiesOf(publicOnes);
    const perEvent = await inParallel(publicOnes, READS_AT_ONCE, async ({ event, publicEvent }) => {
      const endpoints = await subscribedTo(publicEvent.type);
      const own = parties.get(event.aggregateId) ?? [];
      return endpoints.length > 0 ? this.deliveriesOf(event, publicEvent, endpoints, own) : [];
    });
    return perEvent.flat();
  }

  /** The parties of every resource of the batch: one query per kind of resource. */
  private async partiesOf(events: Array<{ event: PublishedEvent; publicEvent: PublicEvent }>) {
    const parties = new Map<string, string[]>();
    const byResource = new Map<PublicEvent['resource'], Set<string>>();
    for (const { event, publicEvent } of events) {
      byResource.set(publicEvent.resource, (byResource.get(publicEvent.resource) ?? new Set()).add(event.aggregateId));
    }
    for (const [resource, ids] of byResource) {
      for (const [id, orgs] of await resource.parties(this.db.manager, [...ids])) parties.set(id, orgs);
    }
    return parties;
  }

  private async deliveriesOf(
    event: PublishedEvent,
    publicEvent: PublicEvent,
    endpoints: SubscribedEndpoint[],
    resourceParties: string[],
  ): Promise<NewDelivery[]> {
    // only the resource's parties (and the platform, which sees everything) can see it: ask only them
    const parties = new Set(resourceParties);
    const candidates = endpoints.filter((e) => parties.has(e.organizationId) || e.organizationKind === 'PLATFORM');
    const planned: NewDelivery[] = [];
    for (const organizationId of new Set(candidates.map((e) => e.organizationId))) {
      const own = candidates.filter((e) => e.organizationId === organizationId);
      const data = await this.readAs(
        publicEvent,
        readerFor(organizationId, own[0].organizationKind),
        event.aggregateId,
      );
      if (!data) continue;
      const body = messageBody(publicEvent.type, event.occurredAt, data);
      for (const endpoint of own) {
        const id = newId();
        planned.push({
          id,
          endpointId: endpoint.id,
          organizationId,
          eventId: event.id,
          messageId: messageIdOf(id),
          eventType: publicEvent.type,
          body,
          status: endpoint.enabled ? 'PENDING' : 'FAILED',
        });
      }
    }
    return planned;
  }

  /** The resource as the organization reads it with GET, or null when it may not (NOT_FOUND, FORBIDDEN). */
  private async readAs(publicEvent: PublicEvent, reader: Caller, id: string): Promise<object | null> {
    try {
      return await publicEvent.resource.read(reader, id);
    } catch (error) {
      if (error instanceof DomainError && (error.category === 'NOT_FOUND' || error.category === 'FORBIDDEN'))
        return null;
      throw error;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.config.jobs.pollMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
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
    this.schedule();
  }
}
