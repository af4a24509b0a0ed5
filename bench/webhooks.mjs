#!/usr/bin/env node
// Webhook benchmark (not a test): a server process on PostgreSQL, a local receiver, three endpoints
// subscribed to unit.registered.
// 1. Throughput: 10,000 units imported at once (10,000 events), 30,000 deliveries; deliveries a
//    second from the first commit to the last receipt.
// 2. Latency: units registered one by one at 200 a second; from each registration's answer (its
//    commit is done) to the receipt of its three messages, p50 and p99.
// Beside them, in the same run, the ceiling: a bare loop that POSTs the same bodies to the same
// receiver with keep-alive connections and as many requests in flight as the dispatcher allows,
// each signed and with the headers the server sends, with no database and no fan-out.
// Usage: npm run bench:webhooks   (BENCH_DATABASE_URL, default the local PostgreSQL; BENCH_EVENTS;
// BENCH_PROFILE=<dir> writes the server's CPU profile there; BENCH_SERVER, the server's entry point,
// dist/main.js by default)
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RATE = 200;
const RATE_SECONDS = 10;
const ENDPOINTS = 3;
/** The dispatcher's limit of attempts in flight (src/webhooks/webhook-dispatcher.service.ts). */
const IN_FLIGHT = 128;
const PORT = 3950 + Math.floor(Math.random() * 40);
const KEY = `ac_bench_${randomBytes(16).toString('hex')}`;

// ------------------------------------------------------------------ the receiver
const receipts = new Map(); // unit id -> receipt times (ms)
let received = 0;
const receiver = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const at = performance.now();
    received++;
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
const server = spawn(
  process.execPath,
  ['--disable-proto=delete', ...profile, process.env.BENCH_SERVER ?? 'dist/main.js'],
  {
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
  },
);
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

/** CPU seconds (user + system) a process has used, from /proc (Linux); null elsewhere. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
/** CPU seconds of the server and of the database's backends serving it (the database on this machine). */
async function cpuNow(client) {
  const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const database = new Map(rows.map((r) => [r.pid, cpuSecondsOf(r.pid) ?? 0]));
  return { server: cpuSecondsOf(server.pid), database };
}
function cpuSince(before, after) {
  let database = 0;
  for (const [pid, seconds] of after.database) database += seconds - (before.database.get(pid) ?? 0);
  return { serverSeconds: round(after.server - before.server), databaseSeconds: round(database) };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const round = (n) => Math.round(n * 10) / 10;

async function waitForReceipts(total, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (received < total && performance.now() < deadline) await sleep(20);
  if (received < total) throw new Error(`only ${received} of ${total} messages arrived`);
}

// ------------------------------------------------------------------ the ceiling: a bare loop
const signingKey = randomBytes(32);
let messages = 0;
/** The headers a delivery carries, signed as the server signs (src/webhooks/webhook-signature.ts). */
function signedHeaders(body) {
  const id = `msg_bare${messages++}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', signingKey).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'user-agent': 'Aftercare-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}
async function bareLoop(bodies) {
  const bareAgent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const sent = performance.now();
      await new Promise((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: receiverPort,
            method: 'POST',
            path: '/bare',
            agent: bareAgent,
            headers: signedHeaders(body),
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  bareAgent.destroy();
  return {
    perSecond: bodies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    // the sender's and the receiver's CPU (one process)
    cpuPerThousand: ((cpu.user + cpu.system) / 1e6) * (1000 / bodies.length),
  };
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
  for (let i = 0; i < ENDPOINTS; i++) {
    await json(
      'POST',
      '/api/v1/webhook-endpoints',
      { url: `http://127.0.0.1:${receiverPort}/hook-${i}`, eventTypes: ['unit.registered'] },
      adminKey,
    );
  }

  // 1. throughput: EVENTS units in one import, every delivery received
  const rows = Array.from({ length: EVENTS }, (_, i) =>
    JSON.stringify({ sku: 'BENCH-1', serialNumber: `TP-${i}`, purchaseDate: '2026-03-01' }),
  ).join('\n');
  // when the fan-out has written every delivery: how the time splits between fan-out and delivery
  const watcher = new pg.Client({ connectionString: url.toString() });
  await watcher.connect();
  let fannedOutSeconds = null;
  const cpuBefore = await cpuNow(watcher);
  const started = performance.now();
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
  const throughputSeconds = (performance.now() - started) / 1000;
  await watching;
  const cpu = cpuSince(cpuBefore, await cpuNow(watcher));
  await watcher.end();
  const bodies = [];
  // the same bodies again, for the ceiling (one per delivery)
  const sample = JSON.stringify({ type: 'unit.registered', timestamp: new Date().toISOString(), data: { id: 'x' } });
  for (let i = 0; i < EVENTS * ENDPOINTS; i++) bodies.push(sample);

  // 2. latency at RATE events a second
  receipts.clear();
  const answered = new Map();
  const before = received;
  const registrations = [];
  const paceStart = performance.now();
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

  // the ceiling, measured after the server has no more work
  const bare = await bareLoop(bodies);

  const deliveriesPerSecond = (EVENTS * ENDPOINTS) / throughputSeconds;
  const results = {
    date: new Date().toISOString(),
    events: EVENTS,
    endpoints: ENDPOINTS,
    throughput: {
      deliveries: EVENTS * ENDPOINTS,
      importSeconds: round(importSeconds),
      fannedOutSeconds: fannedOutSeconds === null ? null : round(fannedOutSeconds),
      seconds: round(throughputSeconds),
      deliveriesPerSecond: Math.round(deliveriesPerSecond),
      // CPU time, whatever else the machine runs: the server's, and its database backends' (the import's too)
      cpu: {
        ...cpu,
        perThousandDeliveries:
          Math.round((((cpu.serverSeconds + cpu.databaseSeconds) * 1000) / (EVENTS * ENDPOINTS)) * 100) / 100,
      },
    },
    latencyAt200EventsPerSecond: {
      deliveries: latencies.length,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
    },
    bareLoop: {
      what: `the same number of signed POSTs to the same receiver, ${IN_FLIGHT} in flight, keep-alive, no database`,
      perSecond: Math.round(bare.perSecond),
      p50Ms: round(bare.p50),
      p99Ms: round(bare.p99),
      cpuSecondsPerThousand: Math.round(bare.cpuPerThousand * 100) / 100,
    },
    ratioToBareLoop: Math.round((deliveriesPerSecond / bare.perSecond) * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/webhooks-${Date.now()}.json`, JSON.stringify(results, null, 2));
} finally {
  agent.destroy();
  await cleanup();
}
