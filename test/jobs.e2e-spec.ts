import { DataSource } from 'typeorm';
import { enqueueJob, JobRunner } from '../src/common/jobs/job-runner.service.js';
import { createTenant } from './support/api.js';
import { sqlQuery } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';

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
});
