#!/usr/bin/env node
// Coverage benchmark (not a test). Seeds a fresh PostgreSQL database with 1,000,000 units of 3,000
// products (every tenth with a service plan, 20,000 claims), then measures with autocannon, in one
// run and against the same database: (a) the baseline, a bare Fastify + pg endpoint sending the API's
// own facts query as a named prepared statement on a pool of the same size (the ceiling), and the
// same unprepared; (b) warrantyCoverage over GraphQL; (c) GET /api/v1/coverage; (d) a 500-serial
// batch; (e) REST through a second API reading one streaming replica (.ci/replica.sh), beside the
// primary-only rate; (f) REST and GraphQL on the embedded PGlite (BENCH_PGLITE_UNITS units, default
// 100,000). Prints requests/s, p50/p99, each ratio to the prepared baseline and the API's peak RSS
// while measured; writes bench/results/coverage.json.
// Usage: npm run bench:coverage   (BENCH_DATABASE_URL, BENCH_UNITS, BENCH_PGLITE_UNITS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS,
// BENCH_POOL_MAX (default 10, given to both servers), BENCH_PROFILE=<dir> for a CPU profile of the API:
// then `node bench/cpu-profile.mjs <dir>` shows its CPU per request and self-time per line)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { seedCoverage } from './coverage-seed.mjs';
import { cpuTimesOf, rssKbOf } from './process-stats.mjs';
import { startPgliteServer } from './pglite-server.mjs';
import { startReplica, stopReplica } from './replica.mjs';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UNITS = Number(process.env.BENCH_UNITS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
// the same pool size for the API and the baseline (the API's DB_POOL_MAX default)
const POOL_MAX = process.env.BENCH_POOL_MAX ?? '10';
const KEY = `ac_bench_${randomBytes(16).toString('hex')}`;
const PGLITE_UNITS = Number(process.env.BENCH_PGLITE_UNITS ?? 100_000);
const API_PORT = 3960;
const BASELINE_PORT = 3961;
const REPLICA_API_PORT = 3962;
const PGLITE_PORT = 3963;
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

/** The peak resident set of a process while `during` runs, from /proc (Linux), in MB. */
async function peakRssMb(pid, during) {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, rssKbOf(pid) ?? 0));
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

const serial = (units = UNITS) => `SN-${1 + Math.floor(Math.random() * units)}`;

/** GET /api/v1/coverage of a random seeded serial number, on the API at `port`. */
function restOptionsFor(port, headers, units) {
  return {
    url: `http://127.0.0.1:${port}`,
    headers,
    requests: [{ setupRequest: (r) => ({ ...r, path: `/api/v1/coverage?serialNumber=${serial(units)}` }) }],
  };
}

const COVERAGE_QUERY =
  'query($q: CoverageQuery!) { warrantyCoverage(query: $q) { serialNumber covered asOf reasons coveredUntil coverages { source name startsAt endsAt remainingClaims } } }';

/** warrantyCoverage of a random seeded serial number, on the API at `port`. */
function graphqlOptionsFor(port, headers, units) {
  const body = () => JSON.stringify({ query: COVERAGE_QUERY, variables: { q: { serialNumber: serial(units) } } });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    method: 'POST',
    headers,
    requests: [{ setupRequest: (r) => ({ ...r, body: body() }) }],
  };
}

const apiEnv = (port, extra = {}) => ({
  PORT: String(port),
  AFTERCARE_ADMIN_KEY: KEY,
  NODE_ENV: 'production',
  RATE_LIMIT_PER_MINUTE: '0',
  DB_POOL_MAX: POOL_MAX,
  ...extra,
});

/**
 * REST coverage served by a second API that reads one streaming replica, beside the primary-only
 * API measured right after it (on one machine both share its cores: this shows the routing's cost,
 * not the extra capacity a replica on its own machine adds). Null when no replica could be made.
 */
async function measureWithReplica(auth) {
  let replicaUrl;
  try {
    log('making a streaming replica (.ci/replica.sh) and waiting for it to replay the seeded database');
    replicaUrl = await startReplica(url.toString());
  } catch (error) {
    log(`replica line skipped: ${String(error.message ?? error).split('\n')[0]}`);
    return null;
  }
  const withReplica = start(
    ['dist/main.js'],
    apiEnv(REPLICA_API_PORT, { DATABASE_URL: url.toString(), DATABASE_REPLICA_URLS: replicaUrl }),
  );
  try {
    await waitFor(REPLICA_API_PORT, '/health/ready');
    const options = restOptionsFor(REPLICA_API_PORT, auth, UNITS);
    await autocannon({ connections: CONNECTIONS, ...options, duration: 3 });
    const replicaLine = await measure('REST GET /api/v1/coverage, one read replica', options, withReplica.pid);
    const health = await (await fetch(`http://127.0.0.1:${REPLICA_API_PORT}/health/ready`)).json();
    const primaryLine = await measure(
      'REST GET /api/v1/coverage, primary only (again, beside it)',
      restOptionsFor(API_PORT, auth, UNITS),
      api.pid,
    );
    return {
      replica: replicaLine,
      primaryOnly: primaryLine,
      replicaReads: health.replicas?.[0]?.reads ?? null,
      primaryFallbacks: health.primaryFallbacks ?? null,
    };
  } finally {
    withReplica.kill('SIGTERM');
    await stopReplica().catch(() => undefined);
  }
}

/** The embedded default: REST and GraphQL coverage on a server on PGlite holding PGLITE_UNITS units. */
async function measurePglite() {
  const server = await startPgliteServer({ units: PGLITE_UNITS, port: PGLITE_PORT, adminKey: KEY, log });
  try {
    const auth = { authorization: `Bearer ${server.retailerKey}`, 'content-type': 'application/json' };
    const rest = restOptionsFor(PGLITE_PORT, auth, PGLITE_UNITS);
    const graphql = graphqlOptionsFor(PGLITE_PORT, auth, PGLITE_UNITS);
    // a server that has just started on PGlite answers slowly for its first seconds (its background
    // work's first rounds share the one embedded session): warm it up longer than the others
    await autocannon({ connections: CONNECTIONS, ...rest, duration: 15 });
    return {
      rest: await measure(`PGlite (embedded), ${PGLITE_UNITS} units: REST GET /api/v1/coverage`, rest, server.pid),
      graphql: await measure(`PGlite (embedded), ${PGLITE_UNITS} units: GraphQL warrantyCoverage`, graphql, server.pid),
    };
  } finally {
    await server.stop();
  }
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The server's CPU ms per request (from /proc, which a loaded shared machine skews less than
 * requests/s), and the share of it spent in the kernel (the sockets' system calls).
 */
function cpuPerRequest(before, after, requests) {
  if (before === null || after === null || !requests)
    return { serverCpuMsPerRequest: null, serverCpuSystemShare: null };
  const user = after.user - before.user;
  const system = after.system - before.system;
  return {
    serverCpuMsPerRequest: +((1000 * (user + system)) / requests).toFixed(3),
    serverCpuSystemShare: user + system ? +(system / (user + system)).toFixed(2) : null,
  };
}

async function measure(name, options, pid) {
  // the same clock as a .cpuprofile's timestamps: bench/cpu-profile.mjs cuts the API's profile per line
  const fromUs = monotonicUs();
  const cpuBefore = cpuTimesOf(pid);
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options });
  const cpuAfter = cpuTimesOf(pid);
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
  apiEnv(API_PORT, { DATABASE_URL: url.toString() }),
);
let baseline;
try {
  await waitFor(API_PORT, '/health/ready');
  log(`seeding ${UNITS} units`);
  const seedDb = new pg.Client({ connectionString: url.toString() });
  await seedDb.connect();
  const { retailer } = await seedCoverage((sql, params) => seedDb.query(sql, params), UNITS, log);
  await seedDb.end();
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
  const restOptions = restOptionsFor(API_PORT, auth, UNITS);
  const graphqlOptions = graphqlOptionsFor(API_PORT, auth, UNITS);
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
  const replicaLines = await measureWithReplica(auth);
  const pglite = await measurePglite();
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
    replica: replicaLines,
    pglite,
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
  const plain = (r, vs = '') =>
    `  ${r.name}: ${r.requestsPerSecond} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${vs}${r.failed ? `, ${r.failed} failed` : ''}`;
  const share = (a, b) => (b.requestsPerSecond ? +(a.requestsPerSecond / b.requestsPerSecond).toFixed(2) : null);
  if (replicaLines) {
    print(
      plain(
        replicaLines.replica,
        `, ${share(replicaLines.replica, replicaLines.primaryOnly)} of the primary-only rate beside it; the replica served ${replicaLines.replicaReads} reads, ${replicaLines.primaryFallbacks} fell back to the primary`,
      ),
    );
    print(plain(replicaLines.primaryOnly));
  } else print('  REST with one read replica: skipped (no replica could be made here; see the log above)');
  print(plain(pglite.rest, `, ${share(pglite.rest, results.rest)} of REST on PostgreSQL`));
  print(plain(pglite.graphql, `, ${share(pglite.graphql, results.graphql)} of GraphQL on PostgreSQL`));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/coverage.json', JSON.stringify(results, null, 2) + '\n');
} finally {
  baseline?.kill('SIGTERM');
  api.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
