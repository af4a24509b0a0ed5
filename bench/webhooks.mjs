#!/usr/bin/env node
// Webhook benchmark (not a test): a server process on PostgreSQL, a local receiver, three endpoints
// subscribed to unit.registered.
// 1. Throughput: 10,000 units imported at once (10,000 events), 30,000 deliveries; deliveries a
//    second from the first commit to the last receipt.
// 2. Latency: units registered one by one at 200 a second; from each registration's answer (its
//    commit is done) to the receipt of its three messages, p50 and p99.
// Beside them, in the same run, the ceiling: a bare loop that POSTs the very bodies the server
// sent to the same receiver paths, signed with the endpoints' secrets by the server's own signing
// code, with the server's headers, keep-alive connections and the dispatcher's limits of requests
// in flight (in all, per endpoint, per organization), with no database and no fan-out. It runs in
// a process of its own, so the CPU of the sender and of the receiver are told apart on both sides.
// Usage: npm run bench:webhooks   (BENCH_DATABASE_URL, default the local PostgreSQL; BENCH_EVENTS;
// BENCH_PROFILE=<dir> writes the server's CPU profile there, and the results then give the two
// phases' windows in the profile's clock, monotonic µs: profileWindow, latencyProfileWindow;
// BENCH_SERVER, the server's entry point, dist/main.js by default)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import pg from 'pg';
import { backendCpuSeconds, cpuSecondsOf } from './process-stats.mjs';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RATE = 200;
const RATE_SECONDS = 10;
const ENDPOINTS = 3;
/** The dispatcher's limits of attempts in flight (src/webhooks/webhook-dispatcher.service.ts). */
const LIMITS = { total: 128, perEndpoint: 32, perOrganization: 64 };
const SERVER = process.env.BENCH_SERVER ?? 'dist/main.js';
const PORT = 3950 + Math.floor(Math.random() * 40);
const KEY = `ac_bench_${randomBytes(16).toString('hex')}`;

// ------------------------------------------------------------------ the receiver
const receipts = new Map(); // unit id -> receipt times (ms)
let received = 0;
let lastReceiptAt = 0;
/** The messages the server sent in the throughput phase (path and body), for the bare loop to send again. */
let captured = null;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const at = performance.now();
    lastReceiptAt = at;
    received++;
    captured?.push({ path: req.url, body });
    try {
      const id = JSON.parse(body).data?.id;
      if (id) (receipts.get(id) ?? receipts.set(id, []).get(id)).push(at);
    } catch {
      // a body that is not JSON counts as received
    }
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverPort = receiver.address().port;

// ------------------------------------------------------------------ the server
const dbName = `aftercare_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: BASE });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const url = new URL(BASE);
url.pathname = `/${dbName}`;

const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const server = spawn(process.execPath, ['--disable-proto=delete', ...profile, SERVER], {
  env: {
    ...process.env,
    DATABASE_URL: url.toString(),
    PORT: String(PORT),
    AFTERCARE_ADMIN_KEY: KEY,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    RATE_LIMIT_PER_MINUTE: '0',
    WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiverPort}`,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const cleanup = async () => {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  receiver.close();
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await c.end();
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(method, path, body, key = KEY, contentType = 'application/json') {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        agent,
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}
const json = async (...args) => {
  const res = await request(...args);
  if (res.status >= 300) throw new Error(`${args[0]} ${args[1]} answered ${res.status}: ${res.body}`);
  return JSON.parse(res.body);
};

/**
 * CPU seconds of the server and of the database's backends serving it (the database on this
 * machine), not counting the backend of `client` (the bench's own watcher).
 */
async function cpuNow(client) {
  const database = await backendCpuSeconds(client, client.database);
  database.delete(client.processID);
  return { server: cpuSecondsOf(server.pid), database };
}
function cpuSince(before, after) {
  let database = 0;
  for (const [pid, seconds] of after.database) database += (seconds ?? 0) - (before.database.get(pid) ?? 0);
  return { serverSeconds: round(after.server - before.server), databaseSeconds: round(database) };
}
/** What the database did: transactions, and rows written to the deliveries (hot: updated in place). */
async function databaseCounts(client) {
  const {
    rows: [counts],
  } = await client.query(
    `SELECT d.xact_commit::int AS commits, d.tup_inserted::int AS inserted, d.tup_updated::int AS updated,
            d.tup_returned::bigint AS returned, d.tup_fetched::bigint AS fetched,
            t.n_tup_ins::int AS delivery_inserts, t.n_tup_upd::int AS delivery_updates, t.n_tup_hot_upd::int AS delivery_hot_updates,
            (SELECT json_object_agg(indexrelname || ' scans', idx_scan) FROM pg_stat_user_indexes WHERE relname = 'webhook_deliveries') AS scans,
            (SELECT json_object_agg(indexrelname || ' entries read', idx_tup_read) FROM pg_stat_user_indexes WHERE relname = 'webhook_deliveries') AS entries
       FROM pg_stat_database d, pg_stat_user_tables t
      WHERE d.datname = current_database() AND t.relname = 'webhook_deliveries'`,
  );
  const { scans, entries, ...rest } = counts;
  return { ...rest, ...scans, ...entries };
}
const countsSince = (before, after) =>
  Object.fromEntries(Object.keys(after).map((key) => [key, Number(after[key]) - Number(before[key])]));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const round = (n) => Math.round(n * 10) / 10;
/** Per 1,000 deliveries of the throughput phase, to hundredths. */
const perThousand = (n) => Math.round(((n * 1000) / (EVENTS * ENDPOINTS)) * 100) / 100;

/**
 * Where the latency phase's time went, p50 and p99 in ms, by the database's clock: from the
 * registration's commit to its event's publishing by the outbox relay, and from there to the
 * transaction that wrote its deliveries (the fan-out); the rest is the dispatcher's and the network's.
 */
async function latencyStages(databaseUrl, unitIds) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT extract(epoch FROM o.published_at - o.occurred_at) * 1000 AS published,
              extract(epoch FROM min(d.created_at) - o.published_at) * 1000 AS fanned_out
         FROM outbox_events o JOIN webhook_deliveries d ON d.event_id = o.id
        WHERE o.aggregate_id = ANY($1::uuid[]) AND o.event_type = 'UnitRegistered'
        GROUP BY o.id`,
      [unitIds],
    );
    const stage = (key) => {
      const values = rows.map((r) => Number(r[key]));
      return { p50Ms: Math.round(percentile(values, 50)), p99Ms: Math.round(percentile(values, 99)) };
    };
    return { toPublished: stage('published'), publishedToFannedOut: stage('fanned_out') };
  } finally {
    await client.end();
  }
}

async function waitForReceipts(total, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (received < total && performance.now() < deadline) await sleep(20);
  if (received < total) throw new Error(`only ${received} of ${total} messages arrived`);
}

// ------------------------------------------------------------------ the ceiling: a bare loop
/** Runs bench/webhook-bare-loop.mjs on the messages; its result, and the receiver's CPU meanwhile. */
async function bareLoop(messages) {
  const file = join(tmpdir(), `aftercare-bare-loop-${process.pid}.json`);
  writeFileSync(
    file,
    JSON.stringify({ build: resolvePath(dirname(SERVER)), port: receiverPort, limits: LIMITS, messages }),
  );
  const receiverBefore = process.cpuUsage();
  const child = spawn(process.execPath, [new URL('./webhook-bare-loop.mjs', import.meta.url).pathname, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const receiverCpu = process.cpuUsage(receiverBefore);
  rmSync(file, { force: true });
  if (code !== 0) throw new Error(`the bare loop exited with ${code}`);
  return { ...JSON.parse(output), receiverSeconds: (receiverCpu.user + receiverCpu.system) / 1e6 };
}

try {
  for (let i = 0; i < 600; i++) {
    const ready = await request('GET', '/health/ready').catch(() => null);
    if (ready?.status === 200) break;
    await sleep(200);
  }
  const org = await json('POST', '/api/v1/organizations', { name: 'Bench maker', kind: 'MANUFACTURER' });
  const adminKey = (await json('POST', '/api/v1/api-keys', { organizationId: org.id, name: 'a', role: 'ADMIN' }))
    .secret;
  const staffKey = (await json('POST', '/api/v1/api-keys', { organizationId: org.id, name: 's', role: 'STAFF' }))
    .secret;
  const product = await json(
    'POST',
    '/api/v1/products',
    {
      sku: 'BENCH-1',
      name: 'Bench fridge',
      category: 'FRIDGE',
      warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
    },
    staffKey,
  );
  const secrets = new Map(); // receiver path -> the endpoint's secret
  for (let i = 0; i < ENDPOINTS; i++) {
    const endpoint = await json(
      'POST',
      '/api/v1/webhook-endpoints',
      { url: `http://127.0.0.1:${receiverPort}/hook-${i}`, eventTypes: ['unit.registered'] },
      adminKey,
    );
    secrets.set(`/hook-${i}`, endpoint.secret);
  }

  // 1. throughput: EVENTS units in one import, every delivery received
  const rows = Array.from({ length: EVENTS }, (_, i) =>
    JSON.stringify({ sku: 'BENCH-1', serialNumber: `TP-${i}`, purchaseDate: '2026-03-01' }),
  ).join('\n');
  // when the fan-out has written every delivery: how the time splits between fan-out and delivery
  const watcher = new pg.Client({ connectionString: url.toString() });
  await watcher.connect();
  let fannedOutSeconds = null;
  const countsBefore = await databaseCounts(watcher);
  const {
    rows: [{ lastEventId }],
  } = await watcher.query(`SELECT coalesce(max(id), 0)::text AS "lastEventId" FROM outbox_events`);
  const cpuBefore = await cpuNow(watcher);
  const receiverBefore = process.cpuUsage();
  captured = [];
  const started = performance.now();
  const fromUs = monotonicUs();
  const watching = (async () => {
    while (fannedOutSeconds === null && received < EVENTS * ENDPOINTS) {
      const [{ n }] = (await watcher.query('SELECT count(*)::int AS n FROM webhook_deliveries')).rows;
      if (n >= EVENTS * ENDPOINTS) fannedOutSeconds = (performance.now() - started) / 1000;
      else await sleep(100);
    }
  })();
  const imported = await request('POST', '/api/v1/units:import', rows, staffKey, 'application/x-ndjson');
  if (imported.status !== 200) throw new Error(`the import answered ${imported.status}`);
  const importSeconds = (performance.now() - started) / 1000;
  await waitForReceipts(EVENTS * ENDPOINTS, 600_000);
  const cpu = cpuSince(cpuBefore, await cpuNow(watcher));
  const profileWindow = { fromUs, toUs: monotonicUs() };
  const receiverCpu = process.cpuUsage(receiverBefore);
  const requestSeconds = (lastReceiptAt - started) / 1000;
  await watching;
  // from the first commit (the import writes 2,500 units a transaction), in the receiver's clock
  const {
    rows: [{ first }],
  } = await watcher.query(
    `SELECT extract(epoch FROM min(occurred_at)) * 1000 AS first FROM outbox_events WHERE id > $1`,
    [lastEventId],
  );
  const throughputSeconds = (performance.timeOrigin + lastReceiptAt - Number(first)) / 1000;
  await sleep(1500); // the backends report their counts within a second
  const counts = countsSince(countsBefore, await databaseCounts(watcher));
  await watcher.end();
  // the very messages the server sent, with their endpoints' secrets, for the ceiling
  const messages = captured.map(({ path, body }) => ({ path, body, secret: secrets.get(path) }));
  captured = null;

  // 2. latency at RATE events a second
  receipts.clear();
  const answered = new Map();
  const before = received;
  const registrations = [];
  const paceStart = performance.now();
  const latencyFromUs = monotonicUs();
  for (let i = 0; i < RATE * RATE_SECONDS; i++) {
    const due = paceStart + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    registrations.push(
      json(
        'POST',
        '/api/v1/units',
        { productId: product.id, serialNumber: `LAT-${i}`, purchaseDate: '2026-03-01' },
        staffKey,
      ).then((unit) => answered.set(unit.id, performance.now())),
    );
  }
  await Promise.all(registrations);
  await waitForReceipts(before + RATE * RATE_SECONDS * ENDPOINTS, 120_000);
  const latencies = [];
  for (const [id, at] of answered) for (const receipt of receipts.get(id) ?? []) latencies.push(receipt - at);
  const latencyProfileWindow = { fromUs: latencyFromUs, toUs: monotonicUs() };
  const stages = await latencyStages(url.toString(), [...answered.keys()]);

  // the ceiling, measured after the server has no more work
  const bare = await bareLoop(messages);

  const deliveriesPerSecond = (EVENTS * ENDPOINTS) / throughputSeconds;
  const results = {
    date: new Date().toISOString(),
    events: EVENTS,
    endpoints: ENDPOINTS,
    throughput: {
      deliveries: EVENTS * ENDPOINTS,
      importSeconds: round(importSeconds),
      fannedOutSeconds: fannedOutSeconds === null ? null : round(fannedOutSeconds),
      secondsFromRequest: round(requestSeconds),
      seconds: round(throughputSeconds),
      deliveriesPerSecond: Math.round(deliveriesPerSecond),
      // CPU time, whatever else the machine runs: the server's, and its database backends' (the import's too)
      cpu: {
        ...cpu,
        perThousandDeliveries:
          Math.round((((cpu.serverSeconds + cpu.databaseSeconds) * 1000) / (EVENTS * ENDPOINTS)) * 100) / 100,
        perThousandByProcess: {
          server: perThousand(cpu.serverSeconds),
          database: perThousand(cpu.databaseSeconds),
          receiver: perThousand((receiverCpu.user + receiverCpu.system) / 1e6),
        },
      },
      // per 1,000 deliveries
      database: Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, perThousand(n)])),
    },
    latencyAt200EventsPerSecond: {
      deliveries: latencies.length,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      stages,
    },
    bareLoop: {
      what: `the server's messages sent again, signed, to the same receiver paths, ${bare.inFlight} in flight (the dispatcher's limit for one organization), keep-alive, no database`,
      perSecond: Math.round(bare.perSecond),
      p50Ms: round(bare.p50),
      p99Ms: round(bare.p99),
      cpuPerThousandByProcess: {
        sender: perThousand(bare.cpuSeconds),
        receiver: perThousand(bare.receiverSeconds),
      },
    },
    ...(process.env.BENCH_PROFILE ? { profileWindow, latencyProfileWindow } : {}),
    ratioToBareLoop: Math.round((deliveriesPerSecond / bare.perSecond) * 100) / 100,
    // the same ratio from CPU alone, as if nothing else ran on the 2 cores: the server, its database and
    // the receiver share them; the bare loop's sender and receiver each have one (the wall-clock ratio
    // on a shared machine swings with the neighbours' load)
    ratioIfCpuBound:
      Math.round(
        ((2 * Math.max(bare.cpuSeconds, bare.receiverSeconds)) /
          (cpu.serverSeconds + cpu.databaseSeconds + (receiverCpu.user + receiverCpu.system) / 1e6)) *
          100,
      ) / 100,
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/webhooks-${Date.now()}.json`, JSON.stringify(results, null, 2));
} finally {
  agent.destroy();
  await cleanup();
}
