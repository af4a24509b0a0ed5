import { Logger } from '@nestjs/common';
import pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { pgPoolOptions } from './data-source.js';
import {
  chooseReplica,
  currentReadScope,
  enableReadRouting,
  forgetOldWrites,
  lastWriteOf,
  type ReplicaView,
} from './read-routing.js';

const logger = new Logger('ReadReplicas');

/** A replica's sample that has not answered in this time marks it down. */
const SAMPLE_TIMEOUT_MS = 1000;
/** How long primary samples are kept: enough to tell how far behind a stalled replica is. */
const SAMPLE_HISTORY_MS = 60_000;

/** A PostgreSQL WAL position ("16/B374D848") as a number. */
export function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/** The primary's flushed WAL position, and the time the query asking for it was sent. */
export interface WalSample {
  lsn: bigint;
  at: number;
}

/**
 * The time of the newest primary sample a replica has replayed (samples oldest first), or undefined
 * when it is behind all of them. A commit acknowledged before a sample was sent is at or below the
 * sampled position, so a replica that replayed up to that position holds every such commit: it
 * lags at most `now - that time`.
 */
export function replayedSampleTime(samples: readonly WalSample[], replayLsn: bigint): number | undefined {
  let low = 0;
  let high = samples.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (samples[middle].lsn <= replayLsn) {
      found = samples[middle].at;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** How often the monitor samples: a quarter of the lag allowed, so a replica's lag is known well within it. */
export function sampleIntervalMs(maxLagMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(maxLagMs / 4)));
}

interface Replica extends ReplicaView {
  readonly number: number;
  readonly pool: pg.Pool;
  sampling: boolean;
  /** It answered a sample at least once. */
  answered: boolean;
  reads: number;
  /** Its connections lent to reads right now: cut when it is marked down, so those reads retry on the primary. */
  readonly lending: Set<pg.PoolClient>;
}

export interface ReplicaStatus {
  replica: number;
  state: 'starting' | 'ok' | 'lagging' | 'down';
  /** At most this far behind the primary; null while unknown. */
  lagMs: number | null;
  /** Reads this process sent to the replica. */
  reads: number;
}

type Connection = [client: unknown, release: (error?: unknown) => void];
type PostgresDriver = {
  isReplicated: boolean;
  obtainSlaveConnection: () => Promise<Connection>;
  obtainMasterConnection: () => Promise<Connection>;
};

function connect(pool: pg.Pool): Promise<[pg.PoolClient, (error?: unknown) => void]> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client, release) => (error ? reject(error) : resolve([client!, release])));
  });
}

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * SQLSTATEs a read on a replica can fail with that the primary would not: a conflict with recovery
 * (40001 on a standby), a write that reached it (25006), a server shutting down or starting (57P0x),
 * a broken connection (class 08).
 */
const REPLICA_FAULTS = new Set(['40001', '25006', '57P01', '57P02', '57P03']);

function isReplicaFault(error: unknown, client: pg.PoolClient): boolean {
  if (connectionLost(client)) return true;
  const code = error instanceof pg.DatabaseError ? error.code : undefined;
  return code !== undefined && (REPLICA_FAULTS.has(code) || code.startsWith('08'));
}

function connectionLost(client: pg.PoolClient): boolean {
  const stream = (client as unknown as { connection?: { stream?: { destroyed?: boolean } } }).connection?.stream;
  return stream?.destroyed === true;
}

function cut(client: pg.PoolClient): void {
  (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

/**
 * Why a replica is down, for the log: never its address (a network error's message names the host,
 * a server's may name the user), only the error's code, else its message (a timeout, not a standby).
 */
function downReason(error: unknown): string {
  if (error instanceof pg.DatabaseError) return `PostgreSQL error ${error.code}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return `network error ${code}`;
  return error instanceof Error ? error.message : 'unknown error';
}

/** The replica connections whose query already falls back to the primary (see fallBackToPrimary). */
const guarded = new WeakSet<pg.PoolClient>();

function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The read replicas of the PostgreSQL database (DATABASE_REPLICA_URLS). TypeORM sends reads that
 * may go to a replica (query builders outside a transaction, readRunner) through the driver's
 * slave connection; this takes that choice over with chooseReplica, falling back to the primary.
 * A monitor samples the primary's WAL position and each replica's replayed position to bound how
 * far each replica lags; one that errors or does not answer is down until its next good sample.
 */
export class ReadReplicas {
  private readonly replicas: Replica[];
  private readonly samples: WalSample[] = [];
  private readonly maxLagMs: number;
  private readonly intervalMs: number;
  private readonly poolMax: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private next = 0;
  private primaryFallbacks = 0;
  private disableRouting: (() => void) | undefined;
  private driverBefore: Pick<PostgresDriver, 'isReplicated' | 'obtainSlaveConnection'> | undefined;

  constructor(
    private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.maxLagMs = config.replicas.maxLagMs;
    this.intervalMs = sampleIntervalMs(this.maxLagMs);
    this.poolMax = config.db.poolMax;
    const urls = config.databaseUrl ? config.replicas.urls : [];
    if (!config.databaseUrl && config.replicas.urls.length > 0) {
      logger.warn('DATABASE_REPLICA_URLS is ignored: the embedded database (no DATABASE_URL) has no replicas');
    }
    const connectionTimeoutMillis = Math.min(config.db.connectTimeoutMs, 1000);
    this.replicas = urls.map((connectionString, index) => {
      const pool = new pg.Pool({
        connectionString,
        max: this.poolMax,
        // a replica that does not answer must not hold a read long: the read falls back to the primary
        connectionTimeoutMillis,
        application_name: 'aftercare',
        ...pgPoolOptions(config),
      });
      pool.on('error', () => undefined); // an idle connection that dies is dropped; the monitor reports the replica
      return {
        number: index + 1,
        pool,
        down: false,
        replayedAt: undefined,
        sampling: false,
        answered: false,
        reads: 0,
        lending: new Set<pg.PoolClient>(),
      };
    });
  }

  get enabled(): boolean {
    return this.replicas.length > 0;
  }

  /** Takes over the driver's choice of read connection and starts the monitor. */
  start(): void {
    if (!this.enabled) return;
    const driver = this.db.driver as unknown as PostgresDriver;
    this.driverBefore = { isReplicated: driver.isReplicated, obtainSlaveConnection: driver.obtainSlaveConnection };
    driver.isReplicated = true;
    driver.obtainSlaveConnection = () => this.obtainReadConnection(driver);
    this.disableRouting = enableReadRouting(this.maxLagMs);
    logger.log(`${this.replicas.length} read replica(s), at most ${this.maxLagMs} ms behind the primary`);
    void this.monitor();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.driverBefore) Object.assign(this.db.driver, this.driverBefore);
    this.disableRouting?.();
    await Promise.all(this.replicas.map((replica) => replica.pool.end().catch(() => undefined)));
  }

  /** Each replica's state, for readiness details and metrics. */
  status(now = Date.now()): { replicas: ReplicaStatus[]; primaryFallbacks: number } {
    const replicas = this.replicas.map((replica): ReplicaStatus => {
      const lagMs = replica.replayedAt === undefined ? null : Math.max(0, now - replica.replayedAt);
      return { replica: replica.number, state: this.stateOf(replica, lagMs), lagMs, reads: replica.reads };
    });
    return { replicas, primaryFallbacks: this.primaryFallbacks };
  }

  private stateOf(replica: Replica, lagMs: number | null): ReplicaStatus['state'] {
    if (replica.down) return 'down';
    if (!replica.answered) return 'starting';
    return lagMs === null || lagMs > this.maxLagMs ? 'lagging' : 'ok';
  }

  /** The policy's choice for the read being started; a replica that cannot be reached is skipped. */
  private async obtainReadConnection(driver: PostgresDriver): Promise<Connection> {
    const scope = currentReadScope();
    const request = scope && { readOnly: scope.readOnly, wrote: scope.wrote, lastWriteAt: lastWriteOf(scope) };
    const index = chooseReplica(request, this.replicas, Date.now(), this.maxLagMs, this.next++);
    if (index >= 0) {
      const replica = this.replicas[index];
      // a pool busy to its limit is no sign of a replica down: the read just waits, or spills to the primary
      const busy = replica.pool.totalCount >= this.poolMax;
      try {
        const [client, release] = await connect(replica.pool);
        replica.reads++;
        this.fallBackToPrimary(replica, client, driver);
        replica.lending.add(client);
        const returned = (error?: unknown) => {
          replica.lending.delete(client);
          release(error);
        };
        return [client, returned];
      } catch (error) {
        if (!busy) this.markDown(replica, error);
      }
    }
    if (request?.readOnly) this.primaryFallbacks++;
    return driver.obtainMasterConnection();
  }

  /**
   * A read the replica fails for a reason of its own (lost or cut connection, conflict with
   * recovery, a write it refuses) runs again on the primary: a replica never fails a request.
   * Installed once on each replica connection; promise-style queries only (TypeORM's).
   */
  private fallBackToPrimary(replica: Replica, client: pg.PoolClient, driver: PostgresDriver): void {
    if (guarded.has(client)) return;
    guarded.add(client);
    const query = client.query.bind(client) as AnyQuery;
    const withFallback: AnyQuery = (...args) => {
      if (typeof args.at(-1) === 'function') return query(...args);
      const result = query(...args);
      if (!(result instanceof Promise)) return result; // a submittable (a stream) keeps its own errors
      return result.catch(async (error: unknown) => {
        if (this.stopped || !isReplicaFault(error, client)) throw error;
        if (connectionLost(client)) this.markDown(replica, error);
        this.primaryFallbacks++;
        const [primary, release] = await driver.obtainMasterConnection();
        try {
          return await (primary as pg.PoolClient).query(...(args as Parameters<pg.PoolClient['query']>));
        } finally {
          release();
        }
      });
    };
    Object.assign(client, { query: withFallback });
  }

  private markDown(replica: Replica, error: unknown): void {
    if (this.stopped) return; // its pool was just closed: not news
    if (!replica.down) logger.warn(`read replica ${replica.number} is down: ${downReason(error)}`);
    replica.down = true;
    // reads waiting on a replica that hangs would wait out the query timeout: cut, they retry on the primary
    for (const client of replica.lending) cut(client);
  }

  private async monitor(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    forgetOldWrites(now);
    await this.samplePrimary(now);
    // a hung replica keeps its sample in flight; the others are sampled meanwhile
    await Promise.all(
      this.replicas.filter((replica) => !replica.sampling).map((replica) => this.sampleReplica(replica)),
    );
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.monitor(), this.intervalMs);
    this.timer.unref();
  }

  private async samplePrimary(at: number): Promise<void> {
    try {
      const [row] = await withinTimeout(
        this.db.query<{ lsn: string }[]>('SELECT pg_current_wal_flush_lsn()::text AS lsn'),
        SAMPLE_TIMEOUT_MS,
      );
      this.samples.push({ lsn: parseLsn(row.lsn), at });
    } catch {
      return; // no new sample: the replicas' lag grows, and they stop serving once past the bound
    }
    while (this.samples.length > 1 && this.samples[0].at < at - SAMPLE_HISTORY_MS) this.samples.shift();
  }

  private async sampleReplica(replica: Replica): Promise<void> {
    replica.sampling = true;
    // its own query timeout: a replica that hangs drops this connection (FailFastClient) instead of holding it
    const query = replica.pool.query<{ standby: boolean; lsn: string | null }>({
      text: 'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn',
      query_timeout: SAMPLE_TIMEOUT_MS,
    } as pg.QueryConfig);
    try {
      const { rows } = await withinTimeout(query, SAMPLE_TIMEOUT_MS);
      const [{ standby, lsn }] = rows;
      if (!standby || lsn === null) throw new Error('it is not a standby (promoted, or not a replica)');
      replica.replayedAt = replayedSampleTime(this.samples, parseLsn(lsn));
      if (replica.down) logger.log(`read replica ${replica.number} answers again`);
      replica.down = false;
      replica.answered = true;
    } catch (error) {
      this.markDown(replica, error);
    } finally {
      // a timed-out query is still running: the replica is sampled again only once it settles
      void query.then(
        () => (replica.sampling = false),
        () => (replica.sampling = false),
      );
    }
  }
}

/** Prometheus gauges of the replicas' state, read from the monitor's last samples (no query). */
export function registerReplicaGauges(registry: Registry, replicas: ReadReplicas): void {
  if (!replicas.enabled) return;
  new Gauge({
    name: 'aftercare_db_replica_lag_seconds',
    help: 'How far each read replica is behind the primary at most (NaN while unknown), by its position in DATABASE_REPLICA_URLS.',
    labelNames: ['replica'] as const,
    registers: [registry],
    collect() {
      for (const r of replicas.status().replicas)
        this.set({ replica: r.replica }, r.lagMs === null ? Number.NaN : r.lagMs / 1000);
    },
  });
  new Gauge({
    name: 'aftercare_db_replica_serving',
    help: '1 when a read replica answers within REPLICA_MAX_LAG_MS and takes reads, else 0 (its reads go to the primary).',
    labelNames: ['replica'] as const,
    registers: [registry],
    collect() {
      for (const r of replicas.status().replicas) this.set({ replica: r.replica }, r.state === 'ok' ? 1 : 0);
    },
  });
}
