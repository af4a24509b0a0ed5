#!/usr/bin/env node
// Bulk import benchmark (not a test): 100,000 units through POST /api/v1/units:import against a
// server process on PostgreSQL, next to a baseline measured in the same run: the same rows written
// straight to the same tables with node-postgres, in the same batches, with no HTTP, parsing or
// checks. Also samples the server's memory at 10,000 and 100,000 rows to show it stays flat.
// Usage: npm run bench:import   (BENCH_DATABASE_URL, default the local PostgreSQL; BENCH_ROWS)
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PORT = 3950 + Math.floor(Math.random() * 40);
const KEY = `ac_bench_${randomBytes(16).toString('hex')}`;

const dbName = `aftercare_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: BASE });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const url = new URL(BASE);
url.pathname = `/${dbName}`;

const server = spawn(
  process.execPath,
  [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), 'dist/main.js'],
  {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      PORT: String(PORT),
      AFTERCARE_ADMIN_KEY: KEY,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const cleanup = async () => {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await c.end();
};

function request(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        headers: { authorization: `Bearer ${headers.key ?? KEY}`, 'content-type': 'application/json', ...headers },
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

function rssKb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.replace(/\D+/g, ''));
}

/** Streams `count` generated NDJSON rows to the import endpoint; returns time, created count and peak server RSS. */
async function importRows(key, sku, prefix, count) {
  let peak = rssKb(server.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(server.pid))), 100);
  const started = process.hrtime.bigint();
  const result = await new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method: 'POST',
        path: '/api/v1/units:import',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      },
      (res) => {
        let created = 0;
        let tail = '';
        res.on('data', (chunk) => {
          const text = tail + chunk;
          const lines = text.split('\n');
          tail = lines.pop();
          for (const line of lines) if (line.includes('"status":"created"')) created++;
        });
        res.on('end', () => resolve({ status: res.statusCode, created, summary: tail }));
      },
    );
    req.on('error', reject);
    let i = 0;
    const write = () => {
      let ok = true;
      while (i < count && ok) {
        i++;
        const row = {
          sku,
          serialNumber: `${prefix}-${i}`,
          purchaseDate: '2026-03-01',
          purchasePrice: { amount: '499.00', currency: 'USD' },
          customer: { name: `Customer ${i}`, email: `c${i}@example.com` },
        };
        ok = req.write(JSON.stringify(row) + '\n');
      }
      if (i < count) req.once('drain', write);
      else req.end();
    };
    write();
  });
  clearInterval(sampler);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, ...result, peakRssMb: Math.round(peak / 1024) };
}

/** The baseline: the same rows inserted by node-postgres alone, 1,000 per transaction, with history and outbox rows. */
async function baseline(productId, manufacturerId, count) {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < count; offset += 1000) {
    const n = Math.min(1000, count - offset);
    const ids = Array.from({ length: n }, () => randomUUID());
    const serials = ids.map((_, j) => `BASE-${offset + j + 1}`);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO units (id, product_id, manufacturer_id, serial_number, purchase_date, purchase_price_amount, purchase_price_currency, owner)
       SELECT id, $2, $3, serial, '2026-03-01', 499.00, 'USD', owner FROM unnest($1::uuid[], $4::text[], $5::jsonb[]) AS t(id, serial, owner)`,
      [
        ids,
        productId,
        manufacturerId,
        serials,
        serials.map((_, j) => JSON.stringify({ name: `Customer ${offset + j}`, email: `c${offset + j}@example.com` })),
      ],
    );
    await client.query(
      `INSERT INTO unit_events (id, unit_id, type, summary) SELECT gen_random_uuid(), id, 'REGISTERED', 'baseline' FROM unnest($1::uuid[]) AS t(id)`,
      [ids],
    );
    await client.query(
      `INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, payload) SELECT 'UnitRegistered', 'Unit', id, '{}' FROM unnest($1::uuid[]) AS t(id)`,
      [ids],
    );
    await client.query('COMMIT');
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.end();
  return { seconds };
}

try {
  for (let i = 0; i < 100; i++) {
    const ready = await request('GET', '/health/ready').catch(() => null);
    if (ready?.status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const org = JSON.parse(
    (await request('POST', '/api/v1/organizations', { name: 'Bench Manufacturer', kind: 'MANUFACTURER' })).body,
  );
  const key = JSON.parse(
    (await request('POST', '/api/v1/api-keys', { organizationId: org.id, name: 'bench', role: 'STAFF' })).body,
  ).secret;
  const product = JSON.parse(
    (
      await request(
        'POST',
        '/api/v1/products',
        {
          sku: 'BENCH-1',
          name: 'Bench fridge',
          category: 'FRIDGE',
          warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
        },
        { key },
      )
    ).body,
  );

  const base = await baseline(product.id, org.id, ROWS);
  const small = await importRows(key, 'BENCH-1', 'SMALL', Math.max(1, Math.floor(ROWS / 10)));
  const full = await importRows(key, 'BENCH-1', 'FULL', ROWS);
  const results = {
    date: new Date().toISOString(),
    rows: ROWS,
    baseline: {
      what: 'node-postgres inserting the same rows, 1,000 per transaction, no HTTP/parsing/checks',
      seconds: +base.seconds.toFixed(2),
      rowsPerSecond: Math.round(ROWS / base.seconds),
    },
    import: {
      seconds: +full.seconds.toFixed(2),
      rowsPerSecond: Math.round(ROWS / full.seconds),
      created: full.created,
      status: full.status,
      peakServerRssMb: full.peakRssMb,
    },
    importTenth: { rows: Math.floor(ROWS / 10), seconds: +small.seconds.toFixed(2), peakServerRssMb: small.peakRssMb },
    ratioImportToBaseline: +(full.seconds / base.seconds).toFixed(2),
  };
  console.log(JSON.stringify(results, null, 2));
  console.log(
    `\n${ROWS} rows imported in ${results.import.seconds} s (${results.import.rowsPerSecond}/s); baseline ${results.baseline.seconds} s; ratio ${results.ratioImportToBaseline}x; server peak RSS ${full.peakRssMb} MB at ${ROWS} rows vs ${small.peakRssMb} MB at ${Math.floor(ROWS / 10)}.`,
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/import.json', JSON.stringify(results, null, 2) + '\n');
  if (full.created !== ROWS) {
    console.error(`expected ${ROWS} created rows, got ${full.created}: ${full.summary}`);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}
