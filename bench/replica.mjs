// A streaming replica beside the bench's PostgreSQL, for the coverage bench's "REST coverage with one
// replica" line. startReplica(primaryUrl) makes one with .ci/replica.sh (or reuses the one already
// running), waits until it has replayed everything the primary had flushed (a freshly seeded bench
// database included) and returns the URL of the same database on the replica: give it to the API as
// DATABASE_REPLICA_URLS. stopReplica() stops the replica again, only if startReplica made it.
// The script runs as root (it starts the server as postgres) or as postgres.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.ci', 'replica.sh');
const run = promisify(execFile);
let made = false;

async function queryOnce(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows[0];
  } finally {
    await client.end();
  }
}

/** Waits until the replica has replayed the primary's WAL up to where it stands now. */
async function caughtUp(primaryUrl, replicaUrl, timeoutMs = 600_000) {
  const { lsn } = await queryOnce(primaryUrl, 'SELECT pg_current_wal_flush_lsn()::text AS lsn');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await queryOnce(replicaUrl, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]).catch(
      () => undefined, // the database may not exist on the replica yet
    );
    if (row?.done) return;
    if (Date.now() > until) throw new Error(`the replica did not replay up to ${lsn} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function startReplica(primaryUrl) {
  const primary = new URL(primaryUrl);
  const { stdout, stderr } = await run('bash', [SCRIPT], {
    env: { ...process.env, PRIMARY_PORT: primary.port || '5432' },
    maxBuffer: 16 * 1024 * 1024,
  });
  made = !/reusing/.test(stderr);
  const replica = new URL(stdout.trim().split('\n').at(-1));
  replica.pathname = primary.pathname;
  await caughtUp(primaryUrl, replica.toString());
  return replica.toString();
}

export async function stopReplica() {
  if (!made) return;
  made = false;
  await run('bash', [SCRIPT, 'stop']);
}
