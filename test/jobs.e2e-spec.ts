import { DataSource } from 'typeorm';
import { enqueueJob, JobRunner, type PeriodicTask } from '../src/common/jobs/job-runner.service.js';
import { createTenant } from './support/api.js';
import { sqlQuery } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Resolves once `condition` holds (checked every few ms); fails after `timeoutMs`, saying what it waited for. */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * What must NOT happen cannot be awaited: after the awaited runs, a task gets this long to run
 * again when it should not (a wake's timer, a run queued after a run, all fire within a few ms).
 */
const QUIET_MS = 250;
const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

/**
 * A periodic task that is due once a day (so only runOnce or a wake runs it), recording its runs
 * in order ("start", "end", "committed"); `hold()` makes the next run wait until `release()`.
 */
function recordedTask(name: string) {
  const log: string[] = [];
  /** When each entry of the log happened (Date.now()). */
  const at: number[] = [];
  const note = (entry: string) => {
    log.push(entry);
    at.push(Date.now());
  };
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  const task: PeriodicTask & {
    log: string[];
    at: number[];
    runs: () => number;
    commits: () => number;
  } = {
    name,
    everyMs: 24 * 3600_000,
    log,
    at,
    runs: () => log.filter((e) => e === 'start').length,
    commits: () => log.filter((e) => e === 'committed').length,
    async run() {
      note('start');
      if (gate) await gate;
      note('end');
    },
    committed() {
      note('committed');
    },
  };
  return {
    task,
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => {
      gate = null;
      open();
    },
  };
}

/** The background job runner: queued jobs run once across runners, failures retry, periodic tasks one runner at a time. */
describe('the background job runner', () => {
  let t: TestApp;
  let runner: JobRunner;
  let second: JobRunner;

  beforeAll(async () => {
    // no automatic rounds: the tests drive the runners
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    runner = t.app.get(JobRunner);
    second = new JobRunner(t.app.get(DataSource), t.config);
  });
  afterAll(async () => {
    await t.close();
  });

  it('each queued job runs exactly once when two runners work the queue at the same time', async () => {
    const runs: number[] = [];
    for (const r of [runner, second])
      r.handle('count', async (payload) => {
        runs.push(payload.n as number);
      });
    const db = t.app.get(DataSource);
    await db.transaction(async (em) => {
      for (let n = 0; n < 20; n++) await enqueueJob(em, 'count', { n });
    });
    await Promise.all([runner.runOnce(), second.runOnce()]);
    expect([...runs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    const [{ open }] = await sqlQuery(
      t,
      `SELECT count(*)::int AS open FROM jobs WHERE name = 'count' AND done_at IS NULL`,
    );
    expect(open).toBe(0);
  });

  it('a failing job keeps its error and is retried later; what it wrote is rolled back', async () => {
    runner.handle('fails', async (_payload, em) => {
      await em.query(`INSERT INTO jobs (id, name) VALUES (gen_random_uuid(), 'written-by-failed-job')`);
      throw new Error('the carrier API is down');
    });
    const db = t.app.get(DataSource);
    await db.transaction((em) => enqueueJob(em, 'fails', {}));
    await runner.runOnce();
    const [job] = await sqlQuery(
      t,
      `SELECT attempts, last_error, done_at, run_at > now() AS later FROM jobs WHERE name = 'fails'`,
    );
    expect(job).toMatchObject({ attempts: 1, last_error: 'the carrier API is down', done_at: null, later: true });
    expect(await sqlQuery(t, `SELECT id FROM jobs WHERE name = 'written-by-failed-job'`)).toEqual([]);
  });

  it('a job enqueued in a transaction that rolls back never exists', async () => {
    const db = t.app.get(DataSource);
    await expect(
      db.transaction(async (em) => {
        await enqueueJob(em, 'count', { n: 99 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await sqlQuery(t, `SELECT id FROM jobs WHERE payload->>'n' = '99'`)).toEqual([]);
  });

  it('the outbox relay numbers committed events in order, once each', async () => {
    await createTenant(t, 'RETAILER');
    await runner.runOnce(Date.now() + 60_000);
    await second.runOnce(Date.now() + 60_000);
    const rows = await sqlQuery(t, `SELECT id::text AS id, publish_seq::text AS seq FROM outbox_events ORDER BY id`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r: { seq: string | null }) => r.seq !== null)).toBe(true);
    const seqs = rows.map((r: { seq: string }) => Number(r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('a periodic task that fails does not stop the other tasks nor the queue that round', async () => {
    const runs: string[] = [];
    const lone = new JobRunner(t.app.get(DataSource), t.config);
    lone.every({
      name: 'always-fails',
      everyMs: 1,
      run: async () => {
        throw new Error('the report service is down');
      },
    });
    lone.every({
      name: 'runs-after',
      everyMs: 1,
      run: async () => {
        runs.push('task');
      },
    });
    lone.handle('queued', async () => {
      runs.push('job');
    });
    await t.app.get(DataSource).transaction((em) => enqueueJob(em, 'queued', {}));
    await lone.runOnce();
    expect(runs).toEqual(['task', 'job']);
  });

  it('the hourly idempotency purge drops keys older than IDEMPOTENCY_TTL_HOURS and keeps the others', async () => {
    await sqlQuery(
      t,
      `INSERT INTO idempotency_keys (api_key_id, key, request_hash, created_at) VALUES
      (gen_random_uuid(), 'old-key', 'h', now() - interval '25 hours'), (gen_random_uuid(), 'new-key', 'h', now() - interval '1 hour')`,
    );
    await runner.runOnce(Date.now() + 2 * 3600_000);
    const keys = await sqlQuery(t, `SELECT key FROM idempotency_keys WHERE key IN ('old-key', 'new-key')`);
    expect(keys.map((k: { key: string }) => k.key)).toEqual(['new-key']);
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'a periodic task runs on one runner at a time (the other skips the round)',
    async () => {
      let running = 0;
      let runs = 0;
      let overlapped = false;
      const task = {
        name: 'slow-report',
        everyMs: 1,
        run: async () => {
          running++;
          runs++;
          if (running > 1) overlapped = true;
          await new Promise((resolve) => setTimeout(resolve, 150));
          running--;
        },
      };
      runner.every(task);
      second.every(task);
      await Promise.all([runner.runOnce(Date.now() + 120_000), second.runOnce(Date.now() + 120_000)]);
      expect({ runs, overlapped }).toEqual({ runs: 1, overlapped: false });
    },
  );

  /**
   * JobRunner.wake: a periodic task runs soon after a wake rather than at its next turn; the wakes
   * before it runs make one run, a wake during a run one more run after it; committed() follows
   * the commit of a run that held the task's lock. These runners are never bootstrapped: nothing
   * runs them but the wakes and the test's own runOnce.
   */
  describe('wake', () => {
    const started: JobRunner[] = [];
    /** A runner of its own, as if JOBS_POLL_MS were `pollMs`. */
    const runnerWith = (pollMs: number, ...tasks: PeriodicTask[]) => {
      const r = new JobRunner(t.app.get(DataSource), { ...t.config, jobs: { ...t.config.jobs, pollMs } });
      for (const task of tasks) r.every(task);
      started.push(r);
      return r;
    };
    afterEach(async () => {
      for (const r of started.splice(0)) await r.onApplicationShutdown();
    });

    it('a task due once a day runs soon after a wake (JOBS_POLL_MS 60 s), after the delay asked for', async () => {
      const { task } = recordedTask('woken-report');
      const live = runnerWith(60_000, task);
      const woken = Date.now();
      live.wake(task.name);
      await until(() => task.commits() === 1, 'the woken run');
      expect(Date.now() - woken).toBeLessThan(2000);
      const later = Date.now();
      live.wake(task.name, 120);
      await until(() => task.commits() === 2, 'the second woken run');
      // setTimeout may fire a millisecond early (rounding)
      expect(Date.now() - later).toBeGreaterThanOrEqual(115);
      expect(task.log).toEqual(['start', 'end', 'committed', 'start', 'end', 'committed']);
    });

    it('the wakes that come before the task runs make one run', async () => {
      const { task } = recordedTask('gathered-report');
      const live = runnerWith(60_000, task);
      // the first wake sets when it runs; the later ones, even sooner or later, join it
      live.wake(task.name, 60);
      live.wake(task.name, 0);
      live.wake(task.name, 20);
      live.wake(task.name, 120);
      live.wake(task.name);
      await until(() => task.commits() === 1, 'the gathered run');
      await quiet();
      expect(task.runs()).toBe(1);
      // a wake after that run is a new run
      live.wake(task.name);
      await until(() => task.commits() === 2, 'the next run');
      await quiet();
      expect(task.log).toEqual(['start', 'end', 'committed', 'start', 'end', 'committed']);
    });

    it('wakes during a run make exactly one more run, right after it (a polled run as well as a woken one)', async () => {
      const { task, hold, release } = recordedTask('rerun-report');
      const live = runnerWith(60_000, task);
      // the polled round's `now` is past the task's turn (the woken run counted as its turn)
      const polled = () => void live.runOnce(Date.now() + 2 * task.everyMs);
      for (const start of [() => live.wake(task.name), polled]) {
        const before = task.runs();
        hold();
        start();
        await until(() => task.runs() === before + 1, 'the held run to start');
        live.wake(task.name);
        live.wake(task.name, 50);
        live.wake(task.name);
        expect(task.runs()).toBe(before + 1);
        release();
        await until(() => task.commits() === before + 2, 'the run after the held one');
        await quiet();
        expect(task.runs()).toBe(before + 2);
      }
      // never two at once: each run ended and committed before the next began
      expect(task.log).toEqual(Array.from({ length: 4 }, () => ['start', 'end', 'committed']).flat());
    });

    it('the run after wakes during a run waits the shortest delay they asked for (commits gathered again)', async () => {
      const { task, hold, release } = recordedTask('delayed-rerun-report');
      const live = runnerWith(60_000, task);
      hold();
      live.wake(task.name);
      await until(() => task.runs() === 1, 'the held run to start');
      live.wake(task.name, 5000);
      live.wake(task.name, 150);
      release();
      await until(() => task.runs() === 2, 'the run after it to start');
      // from the held run's commit to the next start, as the task saw them (not when this test's polling did)
      const waited = task.at[task.log.lastIndexOf('start')] - task.at[task.log.indexOf('committed')];
      // setTimeout may fire a millisecond early (rounding); the longer delay asked for is not waited
      expect(waited).toBeGreaterThanOrEqual(145);
      expect(waited).toBeLessThan(2500);
      await until(() => task.commits() === 2, 'the run after it to commit');
    });

    it('committed() comes after the commit: what the run wrote is visible to another connection', async () => {
      const db = t.app.get(DataSource);
      const marker = `written-by-${Date.now()}`;
      let seen: Promise<Array<{ n: number }>> | null = null;
      const task: PeriodicTask = {
        name: 'writing-report',
        everyMs: 24 * 3600_000,
        run: async (em) => {
          await em.query(`INSERT INTO jobs (id, name, done_at) VALUES (gen_random_uuid(), $1, now())`, [marker]);
        },
        committed: () => {
          // a query on the pool, not in the run's transaction: it sees only what was committed
          seen ??= db.query(`SELECT count(*)::int AS n FROM jobs WHERE name = $1`, [marker]);
        },
      };
      const live = runnerWith(60_000, task);
      live.wake(task.name);
      await until(() => seen !== null, 'committed()');
      expect(await seen).toEqual([{ n: 1 }]);
    });

    it('committed() is not called when the run threw: what it wrote is rolled back', async () => {
      const marker = `written-by-failed-${Date.now()}`;
      const calls: string[] = [];
      const failing: PeriodicTask = {
        name: 'failing-report',
        everyMs: 24 * 3600_000,
        run: async (em) => {
          calls.push('run');
          await em.query(`INSERT INTO jobs (id, name, done_at) VALUES (gen_random_uuid(), $1, now())`, [marker]);
          throw new Error('the report service is down');
        },
        committed: () => void calls.push('committed'),
      };
      await runnerWith(60_000, failing).runOnce();
      expect(calls).toEqual(['run']);
      expect(await sqlQuery(t, `SELECT id FROM jobs WHERE name = $1`, [marker])).toEqual([]);
    });

    // PGlite is one session: a second connection holding the lock would hold the whole database
    // (the runner's transaction would queue behind it forever), and a session never excludes itself
    (process.env.TEST_DATABASE_URL ? it : it.skip)(
      'no run and no committed() while another session holds the task’s advisory lock (PostgreSQL only)',
      async () => {
        const { task } = recordedTask('locked-report');
        const live = runnerWith(60_000, task);
        const holder = t.app.get(DataSource).createQueryRunner();
        await holder.connect();
        try {
          await holder.query(`SELECT pg_advisory_lock(hashtext($1))`, [`aftercare:${task.name}`]);
          await live.runOnce();
          expect(task.log).toEqual([]);
          await holder.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`aftercare:${task.name}`]);
        } finally {
          await holder.release();
        }
        // the lock was why: free, the task runs and hears of its commit
        await live.runOnce(Date.now() + 2 * task.everyMs);
        expect(task.log).toEqual(['start', 'end', 'committed']);
      },
    );

    it('with JOBS_POLL_MS=0 a wake does nothing (the tests drive runOnce)', async () => {
      const idle = recordedTask('unwoken-report').task;
      const control = recordedTask('woken-control').task;
      const driven = runnerWith(0, idle);
      const live = runnerWith(60_000, control);
      driven.wake(idle.name);
      driven.wake(idle.name, 10);
      live.wake(control.name);
      await until(() => control.commits() === 1, 'the control task woken at the same time');
      await quiet();
      expect(idle.log).toEqual([]);
      await driven.runOnce();
      expect(idle.log).toEqual(['start', 'end', 'committed']);
    });
  });
});
