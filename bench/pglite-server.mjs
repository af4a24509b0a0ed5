// The coverage benchmark on the embedded database: a server on PGlite in a temporary DATA_DIR, holding
// the same kind of data as the PostgreSQL run, so the bench can print the embedded default's rates
// beside PostgreSQL's. The server creates the schema on first start; it is then stopped (one process
// at a time may open DATA_DIR), the data is written in-process with PGlite, and it is started again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { seedCoverage } from './coverage-seed.mjs';

function startServer(dataDir, port, adminKey) {
  return spawn(process.execPath, ['--disable-proto=delete', 'dist/main.js'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: dataDir,
      PORT: String(port),
      AFTERCARE_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitReady(port) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the PGlite server on port ${port} never became ready`);
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** A seeded server on PGlite: { port, retailerKey, pid, stop() }. */
export async function startPgliteServer({ units, port, adminKey, log }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aftercare-bench-pglite-'));
  let server = startServer(dataDir, port, adminKey);
  await waitReady(port);
  await stopServer(server);
  log(`PGlite: seeding ${units} units in ${dataDir}`);
  const db = await PGlite.create(dataDir);
  const { retailer } = await seedCoverage((sql, params) => db.query(sql, params), units, log);
  await db.close();
  server = startServer(dataDir, port, adminKey);
  await waitReady(port);
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ organizationId: retailer, name: 'bench', role: 'STAFF' }),
  });
  if (!res.ok) throw new Error(`PGlite: creating the retailer key answered ${res.status}`);
  const retailerKey = (await res.json()).secret;
  return {
    port,
    retailerKey,
    pid: server.pid,
    stop: async () => {
      await stopServer(server);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
