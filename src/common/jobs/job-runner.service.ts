import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { describeSafely, logSafeError } from '../errors/log-safe.js';
import { newId } from '../ids.js';

/** Work a replica does on a schedule (or when woken); one replica at a time runs each task. */
export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(em: EntityManager): Promise<void>;
  /** Called once the transaction `run` ran in has committed. */
  committed?(): void;
}

export type JobHandler = (payload: Record<string, unknown>, em: EntityManager) => Promise<void>;

const MAX_ATTEMPTS = 10;
const logger = new Logger('JobRunner');

/** Puts a job in the queue, in the caller's transaction: it runs only if the change commits. */
export async function enqueueJob(
  em: EntityManager,
  name: string,
  payload: Record<string, unknown>,
  runAt: Date = new Date(),
): Promise<void> {
  await em.query(`INSERT INTO jobs (id, name, payload, run_at) VALUES ($1, $2, $3::jsonb, $4)`, [
    newId(),
    name,
    JSON.stringify(payload),
    runAt,
  ]);
}

/**
 * The background job runner, on the database alone so it works on PostgreSQL and the embedded
 * database, with any number of replicas:
 * - periodic tasks run in a transaction holding a transaction-level advisory lock named after the
 *   task, so one replica at a time runs each (the others skip that round);
 * - queued jobs (table jobs) are claimed with FOR UPDATE SKIP LOCKED, so each runs once; a failure
 *   is kept with the job and retried later, with a growing delay, up to MAX_ATTEMPTS.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly tasks: PeriodicTask[] = [];
  private readonly lastRun = new Map<string, number>();
  /**
   * Runs of periodic tasks in progress, by name; wakes waiting to run; and wakes that came during
   * a run, with the shortest delay they asked for.
   */
  private readonly taskRuns = new Map<string, Promise<void>>();
  private readonly wakes = new Map<string, NodeJS.Timeout>();
  private readonly wokenDuringRun = new Map<string, number>();
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  every(task: PeriodicTask): void {
    this.tasks.push(task);
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  onApplicationBootstrap(): void {
    if (this.config.jobs.pollMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const wake of this.wakes.values()) clearTimeout(wake);
    await this.running;
    await Promise.all(this.taskRuns.values());
  }

  /**
   * Runs a periodic task in `delayMs` rather than at its next turn (the wakes that come meanwhile
   * make one run); a wake while it runs makes it run once more, `delayMs` after. Nothing when the
   * runner does not run on its own (JOBS_POLL_MS=0: tests drive it with runOnce).
   */
  wake(name: string, delayMs = 0): void {
    const task = this.tasks.find((t) => t.name === name);
    if (!task || this.stopped || this.config.jobs.pollMs <= 0) return;
    if (this.taskRuns.has(name))
      this.wokenDuringRun.set(name, Math.min(delayMs, this.wokenDuringRun.get(name) ?? delayMs));
    else if (!this.wakes.has(name)) {
      const wake = setTimeout(() => {
        this.wakes.delete(name);
        void this.runTask(task, Date.now());
      }, delayMs);
      wake.unref();
      this.wakes.set(name, wake);
    }
  }

  /** One round: due periodic tasks, then due queued jobs. Public so tests and scripts can drive it. */
  async runOnce(now = Date.now()): Promise<void> {
    for (const task of this.tasks) {
      if (now - (this.lastRun.get(task.name) ?? 0) < task.everyMs) continue;
      await this.runTask(task, now);
    }
    while (!this.stopped && (await this.runOneJob())) {
      /* until no job is due */
    }
  }

  /**
   * Runs a periodic task; after the run in progress here, if any (it may have begun before what
   * the caller wants it to see, as a wake's run may have begun before a test's commit).
   */
  private async runTask(task: PeriodicTask, now: number): Promise<void> {
    while (this.taskRuns.has(task.name)) await this.taskRuns.get(task.name);
    this.lastRun.set(task.name, now);
    const run = this.runLocked(task).finally(() => {
      this.taskRuns.delete(task.name);
      const delayMs = this.wokenDuringRun.get(task.name);
      this.wokenDuringRun.delete(task.name);
      if (delayMs !== undefined) this.wake(task.name, delayMs);
    });
    this.taskRuns.set(task.name, run);
    return run;
  }

  /** A task's run in a transaction holding its advisory lock (another replica holding it: no run). */
  private async runLocked(task: PeriodicTask): Promise<void> {
    try {
      const ran = await this.db.transaction(async (em) => {
        const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
          `aftercare:${task.name}`,
        ]);
        if (locked) await task.run(em);
        return Boolean(locked);
      });
      if (ran) task.committed?.();
    } catch (error) {
      // one failing task must not starve the others nor the queue
      logger.error({ msg: 'periodic task failed', task: task.name, err: logSafeError(error) });
    }
  }

  private async runOneJob(): Promise<boolean> {
    let failed: { id: string; attempts: number; error: string } | null = null;
    const ran = await this.db.transaction(async (em) => {
      const [job] = await em.query(
        `SELECT id, name, payload, attempts FROM jobs WHERE done_at IS NULL AND run_at <= now() ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!job) return false;
      const handler = this.handlers.get(job.name);
      try {
        if (!handler) throw new Error(`no handler for job "${job.name}"`);
        await em.query('SAVEPOINT job');
        await handler(job.payload, em);
        await em.query('RELEASE SAVEPOINT job');
        await em.query(`UPDATE jobs SET done_at = now(), attempts = attempts + 1 WHERE id = $1`, [job.id]);
      } catch (error) {
        if (handler) await em.query('ROLLBACK TO SAVEPOINT job');
        // kept with the job and logged: what failed, never the values of a failed statement
        failed = { id: job.id, attempts: job.attempts + 1, error: describeSafely(error) };
        // retry later with a growing delay; after MAX_ATTEMPTS the job stays, marked done, with its error
        const retryInSeconds = Math.min(2 ** failed.attempts, 3600);
        await em.query(
          `UPDATE jobs SET attempts = $2::int, last_error = $3, run_at = now() + make_interval(secs => $4::int),
                           done_at = CASE WHEN $2::int >= $5::int THEN now() END WHERE id = $1`,
          [job.id, failed.attempts, failed.error, retryInSeconds, MAX_ATTEMPTS],
        );
      }
      return true;
    });
    if (failed) logger.warn({ msg: 'background job failed', job: failed });
    return ran;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error) => logger.error({ msg: 'background job round failed', err: logSafeError(error) }))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.config.jobs.pollMs);
    this.timer.unref();
  }
}
