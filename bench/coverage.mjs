#!/usr/bin/env node
// Coverage benchmark (not a test). Seeds a fresh PostgreSQL database with 1,000,000 units of 3,000
// products (every tenth with a service plan, 20,000 claims), then measures with autocannon, in one
// run and against the same database: (a) the baseline, a bare Fastify + pg endpoint sending the API's
// own facts query as a named prepared statement on a pool of the same size (the ceiling), and the
// same unprepared; (b) warrantyCoverage over GraphQL; (c) GET /api/v1/coverage; (d) a 500-serial
// batch. Prints requests/s, p50/p99, each ratio to the prepared baseline and the API's peak RSS
// while measured; writes bench/results/coverage.json.
// Usage: npm run bench:coverage   (BENCH_DATABASE_URL, BENCH_UNITS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS,
// BENCH_POOL_MAX (default 10, given to both servers), BENCH_PROFILE=<dir> for a CPU profile of the API:
// then `node bench/cpu-profile.mjs <dir>` shows its CPU per request and self-time per line)
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UNITS = Number(process.env.BENCH_UNITS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
// the same pool size for the API and the baseline (the API's DB_POOL_MAX default)
const POOL_MAX = process.env.BENCH_POOL_MAX ?? '10';
const KEY = `ac_bench_${randomBytes(16).toString('hex')}`;
const API_PORT = 3960;
const BASELINE_PORT = 3961;
const dbName = `aftercare_bench_cov_${Date.now()}`;
const url = new URL(BASE);
url.pathname = `/${dbName}`;
const log = (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

async function admin(sql) {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(sql);
  await client.end();
}

function start(args, env) {
  return spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitFor(port, path) {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing answered on port ${port}`);
}

async function seed() {
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const manufacturer = randomUUID();
  const retailer = randomUUID();
  await db.query(
    `INSERT INTO organizations (id, name, kind) VALUES ($1, 'Bench Manufacturer', 'MANUFACTURER'), ($2, 'Bench Retailer', 'RETAILER')`,
    [manufacturer, retailer],
  );
  await db.query(
    `INSERT INTO products (id, manufacturer_id, sku, name, category, warranty_terms)
     SELECT gen_random_uuid(), $1, 'SKU-' || g, 'Product ' || g, 'CAT-' || (g % 20),
            jsonb_build_object('durationMonths', 12 + (g % 3) * 12, 'startsFrom', 'PURCHASE_DATE', 'coverageTypes', '["PARTS","LABOR"]'::jsonb,
                               'excludedFailures', '[]'::jsonb, 'transferable', true, 'registrationRequiredWithinDays', null, 'maxClaims', 3, 'repairWarrantyDays', 90)
       FROM generate_series(1, 3000) g`,
    [manufacturer],
  );
  const plan = randomUUID();
  await db.query(
    `INSERT INTO service_plans (id, provider_id, name, duration_months, starts_after_base_warranty, coverage_types, eligible_categories, purchase_window_days, price_amount, price_currency)
     VALUES ($1, $2, 'Bench Care', 36, false, '{PARTS,LABOR}', (SELECT array_agg(DISTINCT category) FROM products), 60, 99, 'USD')`,
    [plan, retailer],
  );
  for (let from = 1; from <= UNITS; from += 200_000) {
    const to = Math.min(UNITS, from + 199_999);
    await db.query(
      `WITH p AS (SELECT array_agg(id ORDER BY sku) AS ids FROM products)
       INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, registered_at, owner)
       SELECT gen_random_uuid(), p.ids[1 + g % 3000], $1, $2, 'SN-' || g, date '2023-06-01' + (g % 1200), now(), jsonb_build_object('name', 'Owner ' || g)
         FROM generate_series($3::int, $4::int) g, p`,
      [manufacturer, retailer, from, to],
    );
    log(`seeded ${to} units`);
  }
  await db.query(
    `INSERT INTO unit_service_plans (id, unit_id, service_plan_id, purchased_at, starts_at, ends_at)
     SELECT gen_random_uuid(), u.id, $1, u.purchase_date, u.purchase_date, u.purchase_date + interval '36 months' - interval '1 day'
       FROM units u WHERE right(u.serial_number, 1) = '7'`,
    [plan],
  );
  await db.query(
    `INSERT INTO warranty_claims (id, number, unit_id, claimant_id, manufacturer_id, status, failure_category, failure_date, description, lines, currency, requested_total, coverage_key)
     SELECT gen_random_uuid(), 'WC-B' || u.serial_number, u.id, $1, u.manufacturer_id, 'SUBMITTED', 'ELECTRICAL', u.purchase_date + 30, 'bench', '[]', 'USD', 100, 'base'
       FROM units u WHERE right(u.serial_number, 2) = '13' LIMIT 20000`,
    [retailer],
  );
  await db.query('VACUUM ANALYZE');
  await db.end();
  return { manufacturer, retailer };
}

/** The peak resident set of a process while `during` runs, from /proc (Linux), in MB. */
async function peakRssMb(pid, during) {
  let peak = 0;
  const sample = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb);
    } catch {
      /* no /proc here */
    }
  };
  const timer = setInterval(sample, 200);
  try {
    sample();
    const result = await during();
    sample();
    return { result, mb: peak ? Math.round(peak / 1024) : null };
  } finally {
    clearInterval(timer);
  }
}

const serial = () => `SN-${1 + Math.floor(Math.random() * UNITS)}`;

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The CPU time a process has used, in ms (user + system, from /proc; null elsewhere). On a shared
 * machine requests/s follow the neighbours' load; the CPU a server spends per request does not.
 */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: (Number(fields[11]) * 1000) / CLOCK_TICKS, system: (Number(fields[12]) * 1000) / CLOCK_TICKS };
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux

/** CPU ms per request, and the share of it spent in the kernel (the sockets' system calls). */
function cpuPerRequest(before, after, requests) {
  if (before === null || after === null || !requests)
    return { serverCpuMsPerRequest: null, serverCpuSystemShare: null };
  const user = after.user - before.user;
  const system = after.system - before.system;
  return {
    serverCpuMsPerRequest: +((user + system) / requests).toFixed(3),
    serverCpuSystemShare: user + system ? +(system / (user + system)).toFixed(2) : null,
  };
}

async function measure(name, options, pid) {
  // the same clock as a .cpuprofile's timestamps: bench/cpu-profile.mjs cuts the API's profile per line
  const fromUs = monotonicUs();
  const cpuBefore = cpuMsOf(pid);
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const cpuAfter = cpuMsOf(pid);
  const window = process.env.BENCH_PROFILE ? { windows: [{ fromUs, toUs: monotonicUs() }] } : {};
  const non2xx = result.non2xx + result.errors;
  log(`${name}: ${Math.round(result.requests.average)} req/s`);
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: non2xx,
    total: result.requests.total,
    ...cpuPerRequest(cpuBefore, cpuAfter, result.requests.total),
    ...window,
  };
}

await admin(`CREATE DATABASE ${dbName}`);
const api = start(
  [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), 'dist/main.js'],
  {
    DATABASE_URL: url.toString(),
    PORT: String(API_PORT),
    AFTERCARE_ADMIN_KEY: KEY,
    NODE_ENV: 'production',
    RATE_LIMIT_PER_MINUTE: '0',
    DB_POOL_MAX: POOL_MAX,
  },
);
let baseline;
try {
  await waitFor(API_PORT, '/health/ready');
  log(`seeding ${UNITS} units`);
  const { retailer } = await seed();
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  // the operator key sees everything; a retailer key of the seeded retailer is what a store would use
  const keyRes = await fetch(`http://127.0.0.1:${API_PORT}/api/v1/api-keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ organizationId: retailer, name: 'bench', role: 'STAFF' }),
  });
  const retailerKey = (await keyRes.json()).secret;
  const auth = { authorization: `Bearer ${retailerKey}`, 'content-type': 'application/json' };
  const profileBaseline = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}/baseline`]
    : [];
  baseline = start([...profileBaseline, 'bench/baseline-server.mjs'], {
    DATABASE_URL: url.toString(),
    PORT: String(BASELINE_PORT),
    DB_POOL_MAX: POOL_MAX,
  });
  await waitFor(BASELINE_PORT, '/coverage?serialNumber=SN-1');

  const warm = { duration: 3 };
  const baselineOptions = {
    url: `http://127.0.0.1:${BASELINE_PORT}`,
    requests: [{ setupRequest: (r) => ({ ...r, path: `/coverage?serialNumber=${serial()}` }) }],
  };
  const unpreparedOptions = {
    url: `http://127.0.0.1:${BASELINE_PORT}`,
    requests: [{ setupRequest: (r) => ({ ...r, path: `/coverage/unprepared?serialNumber=${serial()}` }) }],
  };
  const restOptions = {
    url: `http://127.0.0.1:${API_PORT}`,
    headers: auth,
    requests: [{ setupRequest: (r) => ({ ...r, path: `/api/v1/coverage?serialNumber=${serial()}` }) }],
  };
  const query =
    'query($q: CoverageQuery!) { warrantyCoverage(query: $q) { serialNumber covered asOf reasons coveredUntil coverages { source name startsAt endsAt remainingClaims } } }';
  const graphqlOptions = {
    url: `http://127.0.0.1:${API_PORT}/graphql`,
    method: 'POST',
    headers: auth,
    requests: [
      {
        setupRequest: (r) => ({ ...r, body: JSON.stringify({ query, variables: { q: { serialNumber: serial() } } }) }),
      },
    ],
  };
  const batchOptions = {
    url: `http://127.0.0.1:${API_PORT}`,
    method: 'POST',
    headers: auth,
    connections: 1,
    requests: [
      {
        setupRequest: (r) => ({
          ...r,
          path: '/api/v1/coverage:batch',
          body: JSON.stringify({ queries: Array.from({ length: 500 }, () => ({ serialNumber: serial() })) }),
        }),
      },
    ],
  };
  const lines = {
    baseline: ['baseline (Fastify + pg, prepared)', baselineOptions, baseline.pid],
    baselineUnprepared: ['baseline, unprepared', unpreparedOptions, baseline.pid],
    graphql: ['GraphQL warrantyCoverage', graphqlOptions, api.pid],
    rest: ['REST GET /api/v1/coverage', restOptions, api.pid],
  };
  const { result: rounds, mb: apiPeakRssMb } = await peakRssMb(api.pid, async () => {
    for (const options of [restOptions, graphqlOptions, baselineOptions])
      await autocannon({ connections: CONNECTIONS, ...options, ...warm });
    // the lines take turns, ROUNDS times: a neighbour's burst of load falls on all of them alike; and
    // each round starts one line later, because the line measured right after the API was saturated
    // comes out worse (p99 2-3x) whichever it is
    const measuredRounds = [];
    const keys = Object.keys(lines);
    for (let round = 0; round < ROUNDS; round++) {
      const one = {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[(round + i) % keys.length];
        const [name, options, pid] = lines[key];
        one[key] = await measure(name, options, pid);
      }
      measuredRounds.push(one);
    }
    return measuredRounds;
  });
  const median = (values) => {
    const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
  };
  /** A line over its rounds: the median of each figure, every round kept. */
  const combine = (key) => {
    const all = rounds.map((r) => r[key]);
    const figure = (name) => median(all.map((r) => r[name]));
    return {
      name: all[0].name,
      requestsPerSecond: figure('requestsPerSecond'),
      p50Ms: figure('p50Ms'),
      p99Ms: figure('p99Ms'),
      serverCpuMsPerRequest: figure('serverCpuMsPerRequest'),
      serverCpuSystemShare: figure('serverCpuSystemShare'),
      failed: all.reduce((n, r) => n + r.failed, 0),
      total: all.reduce((n, r) => n + r.total, 0),
      ...(all[0].windows ? { windows: all.flatMap((r) => r.windows) } : {}),
      ...(ROUNDS > 1 ? { rounds: all } : {}),
    };
  };
  const measured = Object.fromEntries(Object.keys(lines).map((key) => [key, combine(key)]));
  measured.batch500 = await measure(
    'REST POST /api/v1/coverage:batch, 500 serials, 1 connection',
    batchOptions,
    api.pid,
  );
  /** The median over rounds of a line's rate as a share of the prepared baseline's in the same round. */
  const ratio = (key) => +median(rounds.map((r) => r[key].requestsPerSecond / r.baseline.requestsPerSecond)).toFixed(2);
  const results = {
    date: new Date().toISOString(),
    units: UNITS,
    connections: CONNECTIONS,
    seconds: SECONDS,
    rounds: ROUNDS,
    poolMax: Number(POOL_MAX),
    ...measured,
    ratios: {
      graphqlToBaseline: ratio('graphql'),
      restToBaseline: ratio('rest'),
      unpreparedToBaseline: ratio('baselineUnprepared'),
    },
    apiPeakRssMb,
  };
  const print = (line) => process.stdout.write(`${line}\n`);
  print(
    `coverage bench: ${UNITS} units, ${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s per line (medians), pool ${POOL_MAX}`,
  );
  for (const key of ['baseline', 'baselineUnprepared', 'graphql', 'rest', 'batch500']) {
    const r = results[key];
    const vs = key === 'baseline' || key === 'batch500' ? '' : `, ${ratio(key)} of the prepared baseline`;
    print(
      `  ${r.name}: ${r.requestsPerSecond} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${vs}, server CPU ${r.serverCpuMsPerRequest} ms/request (${Math.round(100 * r.serverCpuSystemShare)}% kernel)${r.failed ? `, ${r.failed} failed` : ''}`,
    );
  }
  print(`  API peak RSS while measured: ${apiPeakRssMb ?? 'unknown'} MB`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/coverage.json', JSON.stringify(results, null, 2) + '\n');
} finally {
  baseline?.kill('SIGTERM');
  api.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
