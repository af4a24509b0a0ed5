import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/** A scrape never waits longer than this for the database: a stuck database must not hang it. */
export const DATABASE_READ_TIMEOUT_MS = 1000;

/** The counters node-postgres' Pool keeps (the embedded database's pool keeps the same). */
interface PoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

interface BacklogRow {
  jobs_due: string | number;
  jobs_lag: string | number | null;
  outbox_unpublished: string | number;
  outbox_age: string | number | null;
}

interface Backlog {
  jobsDue: number;
  jobsLagSeconds: number;
  outboxUnpublished: number;
  outboxOldestAgeSeconds: number;
}

/**
 * Due work and the outbox, in one statement on the partial indexes jobs_due_idx and
 * outbox_events_unpublished_idx. The lag is how long the oldest due, unfinished job has waited
 * (0 when none is due); jobs waiting for a retry are not due yet.
 */
const BACKLOG_SQL = `
  SELECT (SELECT count(*) FROM jobs WHERE done_at IS NULL AND run_at <= now()) AS jobs_due,
         (SELECT EXTRACT(EPOCH FROM now() - min(run_at)) FROM jobs WHERE done_at IS NULL AND run_at <= now()) AS jobs_lag,
         (SELECT count(*) FROM outbox_events WHERE published_at IS NULL) AS outbox_unpublished,
         (SELECT EXTRACT(EPOCH FROM now() - occurred_at) FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT 1) AS outbox_age`;

async function readBacklog(db: DataSource): Promise<Backlog> {
  const [row] = (await db.query(BACKLOG_SQL)) as BacklogRow[];
  return {
    jobsDue: Number(row.jobs_due),
    jobsLagSeconds: Math.max(0, Number(row.jobs_lag ?? 0)),
    outboxUnpublished: Number(row.outbox_unpublished),
    outboxOldestAgeSeconds: Math.max(0, Number(row.outbox_age ?? 0)),
  };
}

/** The read's answer, or null when it failed or did not answer within `ms` (it may still finish later). */
async function within<T>(read: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([read.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One read at a time: the gauges of a scrape share it, and while a read hangs on a stuck
 * database later scrapes wait for that same read (up to the timeout) instead of taking more
 * connections from the pool.
 */
export function singleFlight<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    if (!inFlight) {
      const started = read();
      inFlight = started;
      const clear = () => {
        if (inFlight === started) inFlight = null;
      };
      started.then(clear, clear);
    }
    return inFlight;
  };
}

interface GaugeSpec<Source> {
  name: string;
  help: string;
  value: (source: Source) => number | undefined;
}

const POOL_GAUGES: GaugeSpec<PoolCounters>[] = [
  {
    name: 'aftercare_db_pool_connections',
    help: 'Open connections in the database pool (the embedded database: 1 session once opened).',
    value: (p) => p.totalCount,
  },
  { name: 'aftercare_db_pool_idle_connections', help: 'Open connections not in use.', value: (p) => p.idleCount },
  {
    name: 'aftercare_db_pool_waiting_clients',
    help: 'Requests waiting for a connection (the pool is exhausted while this is above 0).',
    value: (p) => p.waitingCount,
  },
  {
    name: 'aftercare_db_pool_max_connections',
    help: 'The pool size limit (DB_POOL_MAX; 1 for the embedded database).',
    value: (p) => p.options?.max,
  },
];

const BACKLOG_GAUGES: GaugeSpec<Backlog>[] = [
  { name: 'aftercare_jobs_due', help: 'Background jobs due and not done (all replicas).', value: (b) => b.jobsDue },
  {
    name: 'aftercare_jobs_lag_seconds',
    help: 'How long the oldest due job has waited to run: how far behind the job runners are.',
    value: (b) => b.jobsLagSeconds,
  },
  {
    name: 'aftercare_outbox_unpublished_events',
    help: 'Outbox events committed but not yet published by the relay.',
    value: (b) => b.outboxUnpublished,
  },
  {
    name: 'aftercare_outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox event (0 when none).',
    value: (b) => b.outboxOldestAgeSeconds,
  },
];

/** The driver's pool counters, read without a query; undefined before the pool exists. */
function poolCounters(db: DataSource): PoolCounters | undefined {
  const master = (db.driver as { master?: Partial<PoolCounters> }).master;
  return typeof master?.totalCount === 'number' ? (master as PoolCounters) : undefined;
}

function registerPoolGauges(registry: Registry, db: DataSource): void {
  for (const { name, help, value } of POOL_GAUGES) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const pool = poolCounters(db);
        this.set((pool ? value(pool) : undefined) ?? Number.NaN);
      },
    });
  }
}

function registerBacklogGauges(registry: Registry, db: DataSource, timeoutMs: number): void {
  const read = singleFlight(() => readBacklog(db));
  const backlog = () => within(read(), timeoutMs);
  for (const { name, help, value } of BACKLOG_GAUGES) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const b = await backlog();
        this.set((b ? value(b) : undefined) ?? Number.NaN);
      },
    });
  }
  new Gauge({
    name: 'aftercare_database_metrics_up',
    help: `1 when the backlog gauges were read from the database within ${timeoutMs} ms on this scrape, else 0.`,
    registers: [registry],
    async collect() {
      this.set((await backlog()) ? 1 : 0);
    },
  });
}

/**
 * Pool use (read from the driver's counters, no query), the job runner's lag and the outbox
 * backlog (one query, bounded by `timeoutMs`). The backlog describes the shared database: every
 * replica reports the same values, so aggregate them with max(), not sum(). When the database
 * does not answer in time the backlog gauges read NaN and aftercare_database_metrics_up reads 0.
 */
export function registerDatabaseMetrics(
  registry: Registry,
  db: DataSource,
  timeoutMs = DATABASE_READ_TIMEOUT_MS,
): void {
  registerPoolGauges(registry, db);
  registerBacklogGauges(registry, db, timeoutMs);
}
