#!/usr/bin/env node
/* eslint-disable no-console -- a benchmark prints its results */
// Bulk import benchmark (not a test). BENCH_ROWS units (default 100,000) go through
// POST /api/v1/units:import (with an Idempotency-Key, as a client that may retry sends it) to a server
// process on PostgreSQL; in the same run, the same rows are written straight to the same tables by
// node-postgres alone: the units with every column the import sets, their REGISTERED history rows and
// their UnitRegistered outbox rows with the same payloads, UUIDv7 ids as the server makes them, in the
// server's batch size, one transaction a batch, the next batch prepared while the previous one is
// written, with a pg.Pool of the server's size. That raw write is measured three ways: COPY and
// INSERT ... SELECT FROM unnest(...) over one connection (a writer like the import, which writes one
// batch at a time), and COPY over two connections at once (for reference: the import does not write
// two batches in parallel). The ratio is the fastest one-connection baseline's time over the import's.
// It also samples the server's memory (an import of a tenth of the rows, then the full one: memory
// stays flat), the CPU seconds the server and the database spent on each, and finally imports
// BENCH_PGLITE_ROWS rows (default 20,000: the embedded database is much slower) into a server on the
// embedded PGlite (DATA_DIR in a temporary folder, no DATABASE_URL).
// Usage: npm run bench:import   (BENCH_DATABASE_URL, default the local PostgreSQL; BENCH_ROWS;
// BENCH_PGLITE_ROWS, 0 to skip; BENCH_PROFILE=dir writes the PostgreSQL server's .cpuprofile there)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { backendCpuSeconds, cpuSecondsOf, rssKbOf } from './process-stats.mjs';
import { newId } from '../dist/common/ids.js';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_ROWS ?? 20_000);
/** The server's batch size (src/units/unit-import.service.ts) and pool size (DB_POOL_MAX's default). */
const BATCH = 2500;
const POOL_SIZE = 10;
const ADMIN_KEY = `ac_bench_${randomBytes(16).toString('hex')}`;
const PURCHASE_DATE = '2026-03-01';

/** The row the bench imports as number i, and what the server stores for it (the baseline writes that). */
function benchRow(prefix, i) {
  return {
    sku: 'BENCH-1',
    serialNumber: `${prefix}-${i}`,
    purchaseDate: PURCHASE_DATE,
    purchasePrice: { amount: '499.00', currency: 'USD' },
    customer: { name: `Customer ${i}`, email: `c${i}@example.com` },
  };
}
function storedOwner(row) {
  const { name, email } = row.customer;
  return { name, email, phone: null, birthDate: null, marketingConsent: false, locale: null };
}

// ---- servers ------------------------------------------------------------------------------------

async function startServer(env) {
  const port = 3950 + Math.floor(Math.random() * 40);
  const profile = env.DATABASE_URL && process.env.BENCH_PROFILE;
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), 'dist/main.js'],
    {
      env: {
        ...withoutDatabaseSettings(process.env),
        ...env,
        PORT: String(port),
        AFTERCARE_ADMIN_KEY: ADMIN_KEY,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        RATE_LIMIT_PER_MINUTE: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const server = { child, port };
  for (let i = 0; i < 300; i++) {
    const ready = await request(server, 'GET', '/health/ready').catch(() => null);
    if (ready?.status === 200) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not get ready');
}
function withoutDatabaseSettings(env) {
  const { DATABASE_URL: _url, DATA_DIR: _dir, DATABASE_REPLICA_URLS: _replicas, ...rest } = env;
  return rest;
}
async function stopServer(server) {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
}

function request(server, method, path, body, { key = ADMIN_KEY, ...headers } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...headers,
        },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A manufacturer, its STAFF key and its product BENCH-1. */
async function setUp(server) {
  const post = async (path, body, key) =>
    JSON.parse((await request(server, 'POST', path, body, key ? { key } : {})).body);
  const org = await post('/api/v1/organizations', { name: 'Bench Manufacturer', kind: 'MANUFACTURER' });
  const { secret: key, apiKey } = await post('/api/v1/api-keys', {
    organizationId: org.id,
    name: 'bench',
    role: 'STAFF',
  });
  const product = await post(
    '/api/v1/products',
    {
      sku: 'BENCH-1',
      name: 'Bench fridge',
      category: 'FRIDGE',
      warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
    },
    key,
  );
  return { org, key, apiKeyId: apiKey.id, product };
}

// ---- measuring ----------------------------------------------------------------------------------

/** CPU seconds of the database's backends serving `dbName`, from `before` (a snapshot of this function) on. */
async function databaseCpu(admin, dbName, before = new Map()) {
  const now = await backendCpuSeconds(admin, dbName);
  let spent = 0;
  for (const [pid, seconds] of now) {
    if (seconds === null) return { now, spent: null };
    spent += seconds - (before.get(pid) ?? 0);
  }
  return { now, spent };
}

/** Runs `work`, timing it and counting the CPU of the server process and of the database. */
async function measured(admin, dbName, serverPid, work) {
  const db = admin ? await databaseCpu(admin, dbName) : null;
  const server = serverPid ? cpuSecondsOf(serverPid) : null;
  const self = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const own = process.cpuUsage(self);
  return {
    ...result,
    seconds: round(seconds),
    rowsPerSecond: Math.round(result.rows / seconds),
    cpuSeconds: {
      server: serverPid ? round(cpuSecondsOf(serverPid) - server) : undefined,
      bench: round((own.user + own.system) / 1e6),
      database: admin ? round((await databaseCpu(admin, dbName, db.now)).spent) : undefined,
    },
  };
}
const round = (x) => (x === null || x === undefined ? x : +x.toFixed(2));

/** Streams `count` generated NDJSON rows to the import endpoint; returns created count, summary and peak server RSS. */
async function importRows(server, key, prefix, count, idempotencyKey) {
  let peak = rssKbOf(server.child.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKbOf(server.child.pid))), 100);
  const result = await new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/v1/units:import',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/x-ndjson',
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
      },
      (res) => {
        let created = 0;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          const lines = (tail + chunk).split('\n');
          tail = lines.pop();
          for (const line of lines) {
            if (line.includes('"status":"created"')) created++;
            else if (line.startsWith('{"summary"') || line.includes('"aborted"')) tail = line;
          }
        });
        res.on('end', () => resolve({ status: res.statusCode, created, summary: tail }));
      },
    );
    req.on('error', reject);
    let i = 0;
    const write = () => {
      let ok = true;
      while (i < count && ok) ok = req.write(JSON.stringify(benchRow(prefix, ++i)) + '\n');
      if (i < count) req.once('drain', write);
      else req.end();
    };
    write();
  });
  clearInterval(sampler);
  return { rows: count, ...result, peakServerRssMb: Math.round(peak / 1024) };
}

// ---- the raw-write baseline ---------------------------------------------------------------------

/** A batch as the server writes it: each unit with its history row and outbox row, UUIDv7 ids. */
function baselineBatch(setup, prefix, from, count, importKey) {
  const { org, product } = setup;
  return Array.from({ length: count }, (_, j) => {
    const row = benchRow(prefix, from + j + 1);
    const id = newId();
    return {
      id,
      eventId: newId(),
      serialNumber: row.serialNumber,
      owner: JSON.stringify(storedOwner(row)),
      summary: `Registered with serial number ${row.serialNumber} (bulk import)`,
      payload: JSON.stringify({
        unitId: id,
        productId: product.id,
        manufacturerId: org.id,
        retailerId: null,
        serialNumber: row.serialNumber,
        purchaseDate: PURCHASE_DATE,
      }),
      importKey,
    };
  });
}

/** COPY text format: tab-separated, \N for null, backslash escapes. */
const copyField = (value) =>
  value === null
    ? '\\N'
    : String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
const copyLines = (rows, fields) => rows.map((row) => fields(row).map(copyField).join('\t')).join('\n') + '\n';

async function copy(client, sql, text) {
  const stream = client.query(copyFrom(sql));
  await new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(text);
  });
}

/** The three tables' rows of a batch, written by COPY. */
function copyWriter(setup) {
  const { org, product } = setup;
  return {
    prepare: (batch) => ({
      units: copyLines(batch, (u) => [
        u.id,
        product.id,
        org.id,
        null,
        u.serialNumber,
        PURCHASE_DATE,
        null,
        '499.00',
        'USD',
        null,
        u.owner,
        u.importKey,
      ]),
      history: copyLines(batch, (u) => [u.eventId, u.id, 'REGISTERED', org.id, null, u.summary]),
      outbox: copyLines(batch, (u) => ['UnitRegistered', 'Unit', u.id, org.id, u.payload]),
    }),
    async write(client, prepared) {
      await copy(
        client,
        `COPY units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                     purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, import_key) FROM STDIN`,
        prepared.units,
      );
      await copy(
        client,
        'COPY unit_events (id, unit_id, type, actor_organization_id, technician_id, summary) FROM STDIN',
        prepared.history,
      );
      await copy(
        client,
        'COPY outbox_events (event_type, aggregate_type, aggregate_id, actor_organization_id, payload) FROM STDIN',
        prepared.outbox,
      );
    },
  };
}

/** The three tables' rows of a batch, written by INSERT ... SELECT FROM unnest(arrays). */
function unnestWriter(setup) {
  const { org, product } = setup;
  return {
    prepare: (batch) => batch,
    async write(client, batch) {
      const column = (f) => batch.map(f);
      await client.query(
        `INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, delivery_date,
                            purchase_price_amount, purchase_price_currency, proof_of_purchase_ref, owner, import_key)
         SELECT id, $2, $3, NULL, serial_number, $4, NULL, 499.00, 'USD', NULL, owner, $6
           FROM unnest($1::uuid[], $5::text[], $7::jsonb[]) AS t(id, serial_number, owner)`,
        [
          column((u) => u.id),
          product.id,
          org.id,
          PURCHASE_DATE,
          column((u) => u.serialNumber),
          batch[0].importKey,
          column((u) => u.owner),
        ],
      );
      await client.query(
        `INSERT INTO unit_events (id, unit_id, type, actor_organization_id, technician_id, summary)
         SELECT event_id, unit_id, 'REGISTERED', $3, NULL, summary FROM unnest($1::uuid[], $2::uuid[], $4::text[]) AS t(event_id, unit_id, summary)`,
        [column((u) => u.eventId), column((u) => u.id), org.id, column((u) => u.summary)],
      );
      await client.query(
        `INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, actor_organization_id, payload)
         SELECT 'UnitRegistered', 'Unit', unit_id, $2, payload FROM unnest($1::uuid[], $3::jsonb[]) AS t(unit_id, payload)`,
        [column((u) => u.id), org.id, column((u) => u.payload)],
      );
    },
  };
}

/**
 * The baseline: `count` rows in batches of BATCH, one transaction a batch, each batch's data made
 * while the previous one is written; `connections` batches are written at once.
 */
async function baseline(pool, setup, writer, prefix, count, connections) {
  const importKey = `${setup.apiKeyId}:bench-${prefix}-${Date.now()}`; // as long as the import's
  const offsets = [];
  for (let offset = 0; offset < count; offset += BATCH) offsets.push(offset);
  const lane = async (first) => {
    const client = await pool.connect();
    try {
      const make = (i) =>
        writer.prepare(baselineBatch(setup, prefix, offsets[i], Math.min(BATCH, count - offsets[i]), importKey));
      let next = first < offsets.length ? make(first) : null;
      for (let i = first; i < offsets.length; i += connections) {
        const prepared = next;
        await client.query('BEGIN');
        const writing = writer.write(client, prepared);
        next = i + connections < offsets.length ? make(i + connections) : null;
        await writing;
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, first) => lane(first)));
  return { rows: count };
}

// ---- the run ------------------------------------------------------------------------------------

async function postgresRun() {
  const dbName = `aftercare_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(BASE);
  url.pathname = `/${dbName}`;
  let server = null;
  const pool = new pg.Pool({ connectionString: url.toString(), max: POOL_SIZE });
  try {
    server = await startServer({ DATABASE_URL: url.toString() });
    const setup = await setUp(server);
    const pid = server.child.pid;
    const run = (work) => measured(admin, dbName, pid, work);
    const tenthRows = Math.max(1, Math.floor(ROWS / 10));
    const tenth = await run(() => importRows(server, setup.key, 'TENTH', tenthRows, `bench-tenth-${Date.now()}`));
    const copyOne = await run(() => baseline(pool, setup, copyWriter(setup), 'COPY1', ROWS, 1));
    const full = await run(() => importRows(server, setup.key, 'FULL', ROWS, `bench-full-${Date.now()}`));
    const unnestOne = await run(() => baseline(pool, setup, unnestWriter(setup), 'UNNEST1', ROWS, 1));
    const copyTwo = await run(() => baseline(pool, setup, copyWriter(setup), 'COPY2', ROWS, 2));
    return { tenth, full, copyOne, unnestOne, copyTwo };
  } finally {
    await pool.end();
    if (server) await stopServer(server);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

async function pgliteRun() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aftercare-bench-pglite-'));
  let server = null;
  try {
    server = await startServer({ DATA_DIR: dataDir });
    const setup = await setUp(server);
    return await measured(null, null, server.child.pid, () =>
      importRows(server, setup.key, 'PGLITE', PGLITE_ROWS, `bench-pglite-${Date.now()}`),
    );
  } finally {
    if (server) await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(pgRun, pglite) {
  const { tenth, full, copyOne, unnestOne, copyTwo } = pgRun;
  const best = copyOne.seconds <= unnestOne.seconds ? 'copyOne' : 'unnestOne';
  const ratio = round(pgRun[best].seconds / full.seconds);
  const results = {
    date: new Date().toISOString(),
    rows: ROWS,
    batch: BATCH,
    import: { ...full, summary: undefined },
    importTenth: { ...tenth, summary: undefined },
    baselines: {
      copyOneConnection: copyOne,
      unnestOneConnection: unnestOne,
      copyTwoConnections: copyTwo,
    },
    ratioUses: best === 'copyOne' ? 'copyOneConnection' : 'unnestOneConnection',
    ratio,
    ratioToTwoConnections: round(copyTwo.seconds / full.seconds),
    pglite: pglite ? { ...pglite, summary: undefined } : null,
  };
  const cpu = (m) =>
    `CPU s: server ${m.cpuSeconds.server ?? '-'}, database ${m.cpuSeconds.database ?? '-'}, bench ${m.cpuSeconds.bench}`;
  const line = (label, m) =>
    `${label.padEnd(66)} ${String(m.seconds).padStart(6)} s ${String(m.rowsPerSecond).padStart(7)} rows/s  ${cpu(m)}`;
  console.log(JSON.stringify(results, null, 2));
  console.log('');
  console.log(`PostgreSQL, ${ROWS} rows, batches of ${BATCH}:`);
  console.log(line(`baseline: node-postgres COPY, 1 connection${best === 'copyOne' ? ' (ratio)' : ''}`, copyOne));
  console.log(
    line(`baseline: node-postgres INSERT ... unnest, 1 connection${best === 'unnestOne' ? ' (ratio)' : ''}`, unnestOne),
  );
  console.log(line('baseline: node-postgres COPY, 2 connections at once', copyTwo));
  console.log(line('POST /api/v1/units:import', full));
  console.log(
    `ratio (baseline / import) ${ratio} (target >= 0.8); against the 2-connection COPY ${results.ratioToTwoConnections}`,
  );
  console.log(
    `server peak RSS ${full.peakServerRssMb} MB at ${ROWS} rows vs ${tenth.peakServerRssMb} MB at ${tenth.rows} (import of a tenth: ${tenth.seconds} s)`,
  );
  if (pglite)
    console.log(
      line(`PGlite (embedded), ${PGLITE_ROWS} rows (BENCH_PGLITE_ROWS): import`, pglite) +
        `; ${round(pglite.rowsPerSecond / full.rowsPerSecond)} of PostgreSQL's rate`,
    );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/import.json', JSON.stringify(results, null, 2) + '\n');
  for (const [what, m, rows] of [
    ['PostgreSQL import', full, ROWS],
    ['PGlite import', pglite, PGLITE_ROWS],
  ]) {
    if (m && m.created !== rows) {
      console.error(`${what}: expected ${rows} created rows, got ${m.created}: ${m.summary}`);
      process.exitCode = 1;
    }
  }
}

const pgRun = await postgresRun();
const pglite = PGLITE_ROWS > 0 ? await pgliteRun() : null;
report(pgRun, pglite);
