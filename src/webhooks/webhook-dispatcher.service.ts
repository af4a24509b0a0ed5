import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { logSafeError } from '../common/errors/log-safe.js';
import { recordEvents } from '../common/lifecycle/outbox.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { nextStep } from './delivery-outcome.js';
import * as deliveries from './webhook-delivery.queries.js';
import type { ClaimedDelivery } from './webhook-delivery.queries.js';
import { WebhookNetwork } from './webhook-network.js';
import { attemptDelivery, MAX_OPEN_ATTEMPTS } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';

/**
 * Attempts in flight on this replica at most, and at most per endpoint (one slow endpoint holds
 * only its share). An attempt holds its slot while it is sent; writing its outcome down happens
 * after, in a batch (a slot held through the write waited on the database more than on the receiver).
 */
const MAX_IN_FLIGHT = 128;
const MAX_IN_FLIGHT_PER_ENDPOINT = 32;
/**
 * An attempt without an answer after this long gives its slot back (it keeps its endpoint's and
 * organization's share), so that a few dead endpoints, each holding its share until the timeout,
 * never hold up the others; up to MAX_OPEN attempts in all, a connection each.
 */
const SLOW_AFTER_MS = 1_000;
const MAX_OPEN = MAX_OPEN_ATTEMPTS;
/** And at most two endpoints' shares for one organization, however many endpoints it has. */
const MAX_IN_FLIGHT_PER_ORGANIZATION = 64;
/**
 * Attempts finished since the last look that make the dispatcher look for more at once rather
 * than at the next poll (one look per attempt, most of them finding nothing, cost the database
 * more than the attempts' own writes).
 */
const REFILL_AT = 32;
/**
 * Attempts holding a slot or finished, whose outcome is not written yet, at most: no new attempt
 * starts beyond it (so that outcomes are written well within their leases, however slow the database).
 */
const MAX_UNRECORDED = 2 * MAX_IN_FLIGHT;
/**
 * Deliveries the fan-out may hand over, leased, to wait here for a slot, per endpoint (more are
 * written for a claim later): a fan-out round's worth and more, so that the fan-out can keep pace
 * with delivery; and in all, a bound on the memory they hold.
 */
const MAX_HANDED_PER_ENDPOINT = 32 * MAX_IN_FLIGHT_PER_ENDPOINT;
const MAX_HANDED = 4 * MAX_HANDED_PER_ENDPOINT;
/**
 * An endpoint whose waiting deliveries did not move for this long while the replica had slots free
 * is stalled (its slots, or its organization's, are held by a slow or dead receiver): the fan-out
 * does not wait for room at it, so that such an endpoint never holds up the deliveries of another.
 */
const STALLED_AFTER_MS = 200;
/**
 * Claimed deliveries waiting here for a slot, at most; counted apart from those handed over, so
 * that neither kind takes the other's room (a few slow endpoints' claims, say).
 */
const MAX_CLAIMED = 1_024;
/**
 * A look for due deliveries claims ahead, up to this many times each endpoint's and
 * organization's share of slots (in flight and waiting here), so that a slot freed does not wait
 * for the database: a look is a few round trips, while a local receiver answers in one. One
 * share waiting, no more: a delivery that cannot start within the timeout is given back (its
 * lease must outlive the attempt), which for an endpoint whose answers take half the timeout
 * would be a claim wasted on each.
 */
const CLAIM_AHEAD = 2;
/** Deliveries one look claims at most. */
const CLAIM_AT_MOST = 256;
/**
 * A lease outlives the attempt (its timeout, the address check before it, the write after it)
 * before another replica may take the delivery: twice the timeout and this margin.
 */
const LEASE_MARGIN_MS = 5_000;

const logger = new Logger('WebhookDispatcher');

/** A delivery leased to this replica, waiting for a slot until `startBy`. */
interface Waiting {
  delivery: ClaimedDelivery;
  token: string;
  startBy: number;
  claimed: boolean;
}

/** Adds to a key's count, forgetting it at zero. */
function count(counts: Map<string, number>, key: string, by: 1 | -1): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/**
 * Delivers webhooks (docs/webhooks.md, "Delivery"): takes due deliveries under a lease (so one
 * replica at a time attempts each, and a crashed replica's are attempted again once the lease
 * runs out, with the same webhook-id: at least once), attempts them concurrently, each endpoint
 * limited to its share of the slots, and records each outcome with its consequence.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Attempts in flight here, by endpoint and by organization. */
  private readonly inFlight = new Map<string, number>();
  private readonly inFlightByOrganization = new Map<string, number>();
  /**
   * Attempts from start to their written outcome (so shutdown waits for them); `sending` of them
   * hold a slot, `slow` more wait for an answer past SLOW_AFTER_MS without one.
   */
  private readonly attempts = new Set<Promise<void>>();
  private sending = 0;
  private slow = 0;
  /** Deliveries leased to this replica waiting for a slot, by endpoint, each to start by a time (else its lease is given back). */
  private readonly handed = new Map<string, Waiting[]>();
  /** Per endpoint with deliveries waiting, when the last of them started (or the first came). */
  private readonly movedAt = new Map<string, number>();
  /** How many of them the fan-out handed over, and how many were claimed. */
  private readonly waiting = { handed: 0, claimed: 0 };
  /** What the last look for due deliveries found: whether it took any, and who was at its share after it. */
  private lastLook = { took: false, atShare: new Set<string>(), finishedSince: 0 };
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lookAgain = false;
  /** Fan-out rounds waiting for room to hand their deliveries over, each with what it would hand to each endpoint. */
  private readonly roomWaiters = new Set<{ counts: Map<string, number>; done: () => void }>();
  private stopped = false;
  private readonly recorder: AttemptRecorder;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly network: WebhookNetwork,
  ) {
    this.recorder = new AttemptRecorder(db);
  }

  onApplicationBootstrap(): void {
    if (this.config.jobs.pollMs > 0) this.schedule(this.config.jobs.pollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const waiter of this.roomWaiters) waiter.done();
    await this.polling;
    // handed deliveries not started yet go back at once, rather than once their leases run out
    const waiting = [...this.handed.values()].flatMap((q) => q.map((h) => ({ id: h.delivery.id, token: h.token })));
    this.handed.clear();
    this.movedAt.clear();
    this.waiting.handed = this.waiting.claimed = 0;
    await deliveries.releaseLeases(this.db.manager, waiting).catch(() => undefined);
    await Promise.allSettled([...this.attempts]);
  }

  /** Looks for due deliveries now rather than at the next poll (new deliveries were just fanned out). */
  wake(): void {
    if (!this.stopped && this.config.jobs.pollMs > 0) this.schedule(0);
  }

  /** How many deliveries a look may claim now to wait here. */
  private claimRoom(): number {
    return this.stopped ? 0 : MAX_CLAIMED - this.waiting.claimed;
  }

  /**
   * Resolves once each endpoint may be handed its count of new deliveries (see `handable`), or is
   * stalled, or after `maxMs`. The fan-out waits here so that in a burst it keeps pace with
   * delivery: what it writes is handed over and attempted from memory, rather than left in the
   * table for a claim, one more write each. A stalled endpoint is not waited for: its new
   * deliveries beyond its room are left for a claim.
   */
  waitForRoom(counts: Map<string, number>, maxMs: number): Promise<void> {
    if (!this.delivering() || this.hasRoomFor(counts)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        counts,
        done: () => {
          clearTimeout(timer);
          clearInterval(stallCheck);
          this.roomWaiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, maxMs);
      // an endpoint stalls with time alone, with nothing finishing to look again
      const stallCheck = setInterval(() => this.hasRoomFor(counts) && waiter.done(), STALLED_AFTER_MS);
      this.roomWaiters.add(waiter);
    });
  }

  private hasRoomFor(counts: Map<string, number>): boolean {
    const now = Date.now();
    for (const [endpointId, n] of counts) {
      const queue = this.handed.get(endpointId);
      if (!queue) continue;
      const fits = queue.length + Math.min(n, MAX_HANDED_PER_ENDPOINT) <= MAX_HANDED_PER_ENDPOINT;
      if (!fits && !this.stalled(endpointId, now)) return false;
    }
    return true;
  }

  /**
   * Whether an endpoint's waiting deliveries have not moved for a while though this replica has
   * slots free (every delivery that could start has: see startHanded): its own or its
   * organization's share is held by a slow or dead receiver.
   */
  private stalled(endpointId: string, now: number): boolean {
    const since = this.movedAt.get(endpointId);
    return since !== undefined && now - since >= STALLED_AFTER_MS && this.freeSlots() > 0;
  }

  /**
   * Of these new deliveries, those the fan-out may hand over now, leased to this replica: each
   * endpoint's up to its room, in order (none when this replica does not deliver).
   */
  handable<T extends { endpointId: string }>(deliveries: T[]): T[] {
    if (!this.delivering()) return [];
    let room = MAX_HANDED - this.waiting.handed - this.waiting.claimed;
    const roomAt = new Map<string, number>();
    return deliveries.filter(({ endpointId }) => {
      const left = roomAt.get(endpointId) ?? MAX_HANDED_PER_ENDPOINT - (this.handed.get(endpointId)?.length ?? 0);
      if (left <= 0 || room <= 0) return false;
      roomAt.set(endpointId, left - 1);
      room--;
      return true;
    });
  }

  private delivering(): boolean {
    return !this.stopped && this.config.jobs.pollMs > 0;
  }

  /**
   * Deliveries leased to this replica under `token`, from `leasedAt` (just written by the fan-out,
   * or claimed): attempted from here as slots free up. One that cannot start within the timeout
   * (its lease must outlive the attempt) has its lease given back, for any replica to claim.
   * `claimed`: taken by this dispatcher's own look (counted against its room for claims).
   */
  takeLeased(handed: ClaimedDelivery[], token: string, leasedAt: number, claimed = false): void {
    const startBy = leasedAt + this.config.webhooks.timeoutMs;
    for (const delivery of handed) {
      let queue = this.handed.get(delivery.endpointId);
      if (!queue) {
        this.handed.set(delivery.endpointId, (queue = []));
        this.movedAt.set(delivery.endpointId, Date.now());
      }
      queue.push({ delivery, token, startBy, claimed });
    }
    this.waiting[claimed ? 'claimed' : 'handed'] += handed.length;
    this.startHanded();
  }

  /**
   * Starts handed deliveries while slots are free, a turn per endpoint (the one that started least
   * recently first), each endpoint and organization within its share.
   */
  private startHanded(): void {
    const late: Array<{ id: string; token: string }> = [];
    let progress = true;
    while (progress && this.handed.size > 0 && this.freeSlots() > 0 && !this.stopped) {
      progress = false;
      for (const [endpointId, queue] of this.handed) {
        if (this.freeSlots() <= 0) break;
        const { delivery, token, startBy, claimed } = queue[0];
        const tooLate = Date.now() > startBy;
        if (!tooLate && this.atShare(delivery)) continue;
        queue.shift();
        this.waiting[claimed ? 'claimed' : 'handed']--;
        if (queue.length === 0) {
          this.handed.delete(endpointId);
          this.movedAt.delete(endpointId);
        }
        progress = true;
        if (tooLate) late.push({ id: delivery.id, token });
        else {
          this.start(delivery, token);
          if (queue.length > 0) {
            this.movedAt.set(endpointId, Date.now());
            // to the back of the turns: endpoints that share an organization's slots take them in turn
            this.handed.delete(endpointId);
            this.handed.set(endpointId, queue);
          }
        }
      }
    }
    for (const waiter of this.roomWaiters) if (this.hasRoomFor(waiter.counts)) waiter.done();
    this.giveBack(late);
  }

  /** Whether a delivery's endpoint or organization has its share of slots in flight. */
  private atShare(delivery: ClaimedDelivery): boolean {
    return (
      (this.inFlight.get(delivery.endpointId) ?? 0) >= MAX_IN_FLIGHT_PER_ENDPOINT ||
      (this.inFlightByOrganization.get(delivery.organizationId) ?? 0) >= MAX_IN_FLIGHT_PER_ORGANIZATION
    );
  }

  private giveBack(leases: Array<{ id: string; token: string }>): void {
    if (leases.length === 0) return;
    deliveries
      .releaseLeases(this.db.manager, leases)
      .catch((error) => logger.error({ msg: 'Giving back webhook leases failed', err: logSafeError(error) }));
  }

  /** Claims due deliveries ahead, to wait here for a slot, and starts what it can. */
  private async poll(): Promise<number> {
    const room = this.claimRoom();
    if (room <= 0) return 0;
    this.lastLook.finishedSince = 0;
    const token = randomUUID();
    const held = this.heldHere();
    const leasedAt = Date.now();
    const claimed = await deliveries.claimDue(this.db.manager, {
      limit: Math.min(room, CLAIM_AT_MOST),
      perEndpoint: CLAIM_AHEAD * MAX_IN_FLIGHT_PER_ENDPOINT,
      perOrganization: CLAIM_AHEAD * MAX_IN_FLIGHT_PER_ORGANIZATION,
      heldHere: held,
      token,
      leaseMs: this.leaseMs(),
    });
    this.takeLeased(claimed, token, leasedAt, true);
    const atShare = new Set<string>();
    for (const delivery of claimed) {
      count(held.endpoints, delivery.endpointId, +1);
      count(held.organizations, delivery.organizationId, +1);
    }
    for (const [id, n] of held.endpoints) if (n >= CLAIM_AHEAD * MAX_IN_FLIGHT_PER_ENDPOINT) atShare.add(id);
    for (const [id, n] of held.organizations) if (n >= CLAIM_AHEAD * MAX_IN_FLIGHT_PER_ORGANIZATION) atShare.add(id);
    this.lastLook = { took: claimed.length > 0, atShare, finishedSince: this.lastLook.finishedSince };
    return claimed.length;
  }

  /** Deliveries in flight or waiting here, by endpoint and by organization. */
  private heldHere() {
    const endpoints = new Map(this.inFlight);
    const organizations = new Map(this.inFlightByOrganization);
    for (const [endpointId, queue] of this.handed) {
      endpoints.set(endpointId, (endpoints.get(endpointId) ?? 0) + queue.length);
      for (const { delivery } of queue) count(organizations, delivery.organizationId, +1);
    }
    return { endpoints, organizations };
  }

  /**
   * Whether an attempt that just finished makes looking for more worth it before the next poll:
   * enough attempts finished since the last look, there is room to wait here, its endpoint has
   * less than a share of slots waiting, and the database may hold more (the last look took some,
   * or found its endpoint or organization at its share).
   */
  private worthLooking(delivery: ClaimedDelivery): boolean {
    const look = this.lastLook;
    return (
      ++look.finishedSince >= REFILL_AT &&
      this.claimRoom() >= REFILL_AT &&
      (this.handed.get(delivery.endpointId)?.length ?? 0) < MAX_IN_FLIGHT_PER_ENDPOINT &&
      (look.took || look.atShare.has(delivery.endpointId) || look.atShare.has(delivery.organizationId))
    );
  }

  /** One attempt of one delivery now, whatever its status (retryWebhookDelivery, sendTestWebhook). */
  async attemptNow(id: string): Promise<void> {
    const token = randomUUID();
    const delivery = await deliveries.claimOne(this.db.manager, id, token, this.leaseMs());
    if (delivery) await this.attempt(delivery, token);
  }

  /** How long a delivery is leased for one attempt. */
  leaseMs(): number {
    return 2 * this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
  }

  /** Attempts that may start now: slots free, and not too many outcomes waiting to be written. */
  private freeSlots(): number {
    return Math.min(
      MAX_IN_FLIGHT - this.sending,
      MAX_OPEN - this.sending - this.slow,
      MAX_UNRECORDED - (this.attempts.size - this.slow),
    );
  }

  private start(delivery: ClaimedDelivery, token: string): void {
    count(this.inFlight, delivery.endpointId, +1);
    count(this.inFlightByOrganization, delivery.organizationId, +1);
    this.sending++;
    let holding = true;
    let slow = false;
    const slowTimer = setTimeout(() => {
      slow = true;
      this.sending--;
      this.slow++;
      this.startHanded();
    }, SLOW_AFTER_MS);
    const freeSlot = () => {
      if (!holding) return;
      holding = false;
      clearTimeout(slowTimer);
      if (slow) this.slow--;
      else this.sending--;
      count(this.inFlight, delivery.endpointId, -1);
      count(this.inFlightByOrganization, delivery.organizationId, -1);
      this.startHanded();
      if (this.worthLooking(delivery)) this.wake();
    };
    const running = this.attempt(delivery, token, freeSlot)
      .catch((error) => logger.error({ msg: 'A webhook attempt could not be recorded', err: logSafeError(error) }))
      .finally(() => {
        this.attempts.delete(running);
        freeSlot();
        // a written outcome may be what held the next attempts back (MAX_UNRECORDED)
        this.startHanded();
      });
    this.attempts.add(running);
  }

  /** One attempt and its outcome written down; `sent` is called once nothing more goes to the endpoint. */
  private async attempt(delivery: ClaimedDelivery, token: string, sent: () => void = () => undefined): Promise<void> {
    const at = new Date().toISOString();
    if (!delivery.enabled) {
      sent();
      // recorded, not sent: recoverWebhookDeliveries sends it once the endpoint is enabled again
      const attempt = { at, responseStatus: null, durationMs: 0, error: 'endpoint disabled' };
      const failed = { status: 'FAILED' as const, nextAttemptAt: null, scheduledRetries: delivery.scheduledRetries };
      await this.recorder.record({ id: delivery.id, token, attempt, ...failed, succeeded: false });
      return;
    }
    const outcome = await this.send(delivery);
    sent();
    const next = nextStep({
      outcome,
      scheduledRetries: delivery.scheduledRetries,
      schedule: this.config.webhooks.retrySchedule,
      now: new Date(),
      failingSince: delivery.failingSince,
      disableAfterMs: this.config.webhooks.disableAfterHours * 3_600_000,
    });
    const recorded = {
      id: delivery.id,
      token,
      attempt: { at, responseStatus: outcome.responseStatus, durationMs: outcome.durationMs, error: outcome.error },
      status: next.status,
      nextAttemptAt: next.nextAttemptAt,
      scheduledRetries: next.scheduledRetries,
      succeeded: next.endpointSucceeded,
    };
    // written with others in one statement; in a transaction of its own when the endpoint is disabled with it
    if (!next.disableEndpoint) {
      await this.recorder.record(recorded);
      return;
    }
    await this.db.transaction(async (em) => {
      if ((await deliveries.recordAttempts(em, [recorded])).size === 0) return;
      await this.disable(em, delivery.endpointId, next.disableEndpoint!);
    });
  }

  private async send(delivery: ClaimedDelivery) {
    const timestamp = Math.floor(Date.now() / 1000);
    return attemptDelivery({
      url: delivery.url,
      body: delivery.body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Aftercare-Webhooks/1',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(delivery.secrets, delivery.messageId, timestamp, delivery.body),
      },
      timeoutMs: this.config.webhooks.timeoutMs,
      allowedHosts: this.config.webhooks.allowHosts,
      resolve: this.network.resolve,
    });
  }

  /** Disables the endpoint and tells the organization's endpoints (webhook_endpoint.disabled). */
  private async disable(em: EntityManager, endpointId: string, reason: string) {
    const organizationId = await deliveries.disableEndpoint(em, endpointId, reason);
    if (!organizationId) return;
    await recordEvents(em, null, [
      {
        type: 'WebhookEndpointDisabled',
        aggregateType: 'WebhookEndpoint',
        aggregateId: endpointId,
        payload: { reason },
      },
    ]);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.polling) {
      // woken during a look: look again once it is done (what woke it may have come after its query)
      this.lookAgain = true;
      return;
    }
    this.lookAgain = false;
    this.polling = this.poll()
      .then(() => undefined)
      .catch((error) => logger.error({ msg: 'Taking due webhook deliveries failed', err: logSafeError(error) }))
      .finally(() => {
        this.polling = null;
        this.schedule(this.lookAgain ? 0 : this.config.jobs.pollMs);
      });
    await this.polling;
  }
}
