import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { logSafeError } from '../errors/log-safe.js';

interface PublishedEvent {
  seq: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

const logger = new Logger('EventFeed');

/**
 * Every replica reads the published outbox events in publish order and hands them to its own
 * listeners (GraphQL subscriptions): a change made on any replica reaches subscribers on all.
 * It reads only while somebody listens, from the newest event when the first listener came:
 * subscribers get what is published after they subscribed.
 */
@Injectable()
export class EventFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly emitter = new EventEmitter();
  private cursor: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` with each event of the aggregate published from now on, until the returned function is called. */
  async subscribe(aggregateId: string, listener: (event: PublishedEvent) => void): Promise<() => void> {
    if (this.cursor === null) {
      const [{ seq }] = await this.db.query(`SELECT coalesce(max(publish_seq), 0)::text AS seq FROM outbox_events`);
      this.cursor ??= seq;
    }
    this.emitter.on(aggregateId, listener);
    return () => this.emitter.off(aggregateId, listener);
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One read. Public so tests can drive it. */
  async poll(): Promise<void> {
    if (this.emitter.eventNames().length === 0) {
      // nobody listens: no reads; the next subscriber starts from the newest event
      this.cursor = null;
      return;
    }
    if (this.cursor === null) return;
    const rows: {
      seq: string;
      event_type: string;
      aggregate_type: string;
      aggregate_id: string;
      payload: Record<string, unknown>;
    }[] = await this.db.query(
      `SELECT publish_seq::text AS seq, event_type, aggregate_type, aggregate_id, payload FROM outbox_events
        WHERE publish_seq > $1 ORDER BY publish_seq LIMIT 1000`,
      [this.cursor],
    );
    for (const row of rows) {
      this.cursor = row.seq;
      this.emitter.emit(row.aggregate_id, {
        seq: row.seq,
        type: row.event_type,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        payload: row.payload,
      });
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((error) => logger.warn({ msg: 'reading the event feed failed', err: logSafeError(error) }))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.config.jobs.feedPollMs);
    this.timer.unref();
  }
}
