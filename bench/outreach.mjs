#!/usr/bin/env node
// Outreach benchmark (not a test). Seeds a fresh PostgreSQL database with 1,000,000 units (800,000
// owners, every third with marketing consent, five languages) and nine journeys, one of each kind,
// active since a week ago (so the first round catches up that week); starts the server against a
// local SMTP server (smtp-server, in this process), with the default OUTREACH_INTERVAL_MS, and
// measures, in one run:
//   (a) planning: from the server's start to every journey planned through today (its first round);
//   (b) sending: messages received by the SMTP server per second over BENCH_SEND_SECONDS;
//   (c) the ceiling for (b): nodemailer alone, pooled, sending the same number of messages to the
//       same SMTP server with no database (the same work minus Aftercare).
// Targets on 2 cores (issue 14): planning under 60 s, at least 100 messages/s.
// Usage: npm run bench:outreach   (BENCH_DATABASE_URL, BENCH_UNITS, BENCH_SEND_SECONDS, BENCH_PROFILE)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UNITS = Number(process.env.BENCH_UNITS ?? 1_000_000);
const OWNERS = Math.max(1, Math.round(UNITS * 0.8));
const SEND_SECONDS = Number(process.env.BENCH_SEND_SECONDS ?? 30);
const KEY = `ac_bench_${randomBytes(16).toString('hex')}`;
const API_PORT = 3970;
const dbName = `aftercare_bench_outreach_${Date.now()}`;
const url = new URL(BASE);
url.pathname = `/${dbName}`;
const log = (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function admin(sql) {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(sql);
  await client.end();
}

/** A local SMTP server that accepts everything and counts what arrives. */
async function startSmtpServer() {
  const received = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 1_000_000,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push(performance.now());
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: server.server.address().port, received };
}

async function waitFor(port, path) {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  throw new Error(`nothing answered on port ${port}`);
}

const IN_A_MONTH = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

async function seed(db) {
  const { rows } = await db.query(
    `INSERT INTO organizations (id, name, kind) VALUES (gen_random_uuid(), 'Bench Manufacturer', 'MANUFACTURER'), (gen_random_uuid(), 'Bench Retailer', 'RETAILER')
     RETURNING id, kind`,
  );
  const manufacturer = rows.find((r) => r.kind === 'MANUFACTURER').id;
  const retailer = rows.find((r) => r.kind === 'RETAILER').id;
  await db.query(
    `INSERT INTO products (id, manufacturer_id, sku, name, category, warranty_terms)
     SELECT gen_random_uuid(), $1, 'SKU-' || g, 'Product ' || g, 'CAT-' || (g % 20),
            jsonb_build_object('durationMonths', 12 + (g % 3) * 12, 'startsFrom', 'PURCHASE_DATE', 'coverageTypes', '["PARTS","LABOR"]'::jsonb,
                               'excludedFailures', '[]'::jsonb, 'transferable', true, 'registrationRequiredWithinDays', null, 'maxClaims', 3, 'repairWarrantyDays', 90)
       FROM generate_series(1, 3000) g`,
    [manufacturer],
  );
  for (let from = 1; from <= UNITS; from += 200_000) {
    const to = Math.min(UNITS, from + 199_999);
    // purchases spread over 1,200 days before today; registered a day after purchase
    await db.query(
      `WITH p AS (SELECT array_agg(id ORDER BY sku) AS ids FROM products)
       INSERT INTO units (id, product_id, manufacturer_id, retailer_id, serial_number, purchase_date, registered_at, owner)
       SELECT gen_random_uuid(), p.ids[1 + g % 3000], $1, $2, 'SN-' || g, current_date - (g % 1200),
              (current_date - (g % 1200) + 1)::timestamptz,
              jsonb_build_object('name', 'Owner ' || (g % $5), 'email', 'owner' || (g % $5) || '@example.test', 'phone', null,
                                 'marketingConsent', g % 3 = 0, 'locale', (ARRAY['en','it','es','ru','sv'])[1 + g % 5],
                                 'birthDate', (date '1970-01-01' + (g % 15000))::text)
         FROM generate_series($3::int, $4::int) g, p`,
      [manufacturer, retailer, from, to, OWNERS],
    );
    log(`seeded ${to} units`);
  }
  await db.query('VACUUM ANALYZE');
  return { manufacturer, retailer };
}

/** One journey of each kind; the sender and trigger are what a store or a maker would choose. */
const JOURNEYS = [
  ['WARRANTY_INFO', 'SERVICE', 'UNIT_REGISTERED', 0, null, 'manufacturer'],
  ['PRODUCT_TRAINING', 'SERVICE', 'DAYS_AFTER_PURCHASE', 7, null, 'manufacturer'],
  ['REPAIR_OR_UPGRADE_OFFER', 'MARKETING', 'BEFORE_WARRANTY_ENDS', -30, null, 'retailer'],
  ['REVIEW_REQUEST', 'MARKETING', 'DAYS_AFTER_PURCHASE', 14, null, 'retailer'],
  ['RETURN_POLICY', 'SERVICE', 'DAYS_AFTER_PURCHASE', 1, null, 'retailer'],
  ['SUPPORT_RESOURCES', 'SERVICE', 'DAYS_AFTER_PURCHASE', 30, null, 'manufacturer'],
  ['COUPON', 'MARKETING', 'BIRTHDAY', 0, null, 'retailer'],
  ['SURVEY', 'MARKETING', 'DAYS_AFTER_PURCHASE', 60, null, 'retailer'],
  // a holiday a month ahead: planned every round like the others, due on its day (a greeting to every owner on one
  // day is a burst of its own, hundreds of thousands of messages, and is not what this measures)
  ['GREETING', 'MARKETING', 'ANNUAL_DATE', 0, IN_A_MONTH.slice(5), 'retailer'],
];

async function createJourneys(db, senders) {
  // active since a week ago: the first planning round catches up the week (OUTREACH.md: up to 7 days)
  for (const [kind, purpose, trigger, offset, annualDate, sender] of JOURNEYS) {
    await db.query(
      `INSERT INTO outreach_journeys (id, sender_id, name, kind, purpose, trigger, offset_days, annual_date, channel,
                                     coupon, survey, review_url, active_since)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, 'EMAIL', $8, $9, $10, current_date - 7)`,
      [
        senders[sender],
        `Bench ${kind}`,
        kind,
        purpose,
        trigger,
        offset,
        annualDate,
        kind === 'COUPON'
          ? { prefix: 'BDAY', discountPercent: 15, discountAmount: null, discountCurrency: null, validDays: 30 }
          : null,
        kind === 'SURVEY' ? { question: 'How likely are you to recommend us?', scale: 'NPS', askComment: true } : null,
        kind === 'REVIEW_REQUEST' ? 'https://reviews.example.test/bench' : null,
      ],
    );
  }
}

async function untilPlanned(db) {
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS behind FROM outreach_journeys WHERE planned_through IS NULL OR planned_through < current_date`,
    );
    if (rows[0].behind === 0) return;
    await sleep(100);
  }
}

/** The ceiling: nodemailer alone, pooled like the server's transport, the same number of messages, no database. */
async function bareLoop(port, count, body) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    pool: true,
    maxConnections: 5,
  });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await transport.sendMail({
        from: '"Bench Retailer" <aftercare@localhost>',
        to: `owner${next}@example.test`,
        subject: 'Bench',
        text: body,
        html: `<p>${body}</p>`,
      });
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  transport.close();
  return Math.round(count / ((performance.now() - started) / 1000));
}

await admin(`CREATE DATABASE ${dbName}`);
const smtp = await startSmtpServer();
/** The server, with the default OUTREACH_INTERVAL_MS: its first planning round runs as it starts. */
const startServer = () =>
  spawn(
    process.execPath,
    [
      '--disable-proto=delete',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      'dist/main.js',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        PORT: String(API_PORT),
        AFTERCARE_ADMIN_KEY: KEY,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
const stopServer = async (server) => {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
};
// once to create the tables, then stopped while the data and the journeys go in
let api = startServer();
const db = new pg.Client({ connectionString: url.toString() });
try {
  await waitFor(API_PORT, '/health/ready');
  await stopServer(api);
  await db.connect();
  log(`seeding ${UNITS} units`);
  const senders = await seed(db);
  await createJourneys(db, senders);
  const planningStarted = performance.now();
  api = startServer();
  await untilPlanned(db);
  const planningSeconds = +((performance.now() - planningStarted) / 1000).toFixed(1);
  const { rows: planned } = await db.query(`SELECT count(*)::int AS n FROM outreach_messages`);
  log(`planned ${planned[0].n} messages for nine journeys in ${planningSeconds} s`);

  const before = smtp.received.length;
  const sendStarted = performance.now();
  await sleep(SEND_SECONDS * 1000);
  const sent = smtp.received.length - before;
  const messagesPerSecond = Math.round(sent / ((performance.now() - sendStarted) / 1000));
  log(`sending: ${messagesPerSecond} messages/s over ${SEND_SECONDS} s (${sent} received)`);
  const { rows: statuses } = await db.query(
    `SELECT status, coalesce(suppression_reason, '') AS reason, count(*)::int AS n FROM outreach_messages GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  api.kill('SIGTERM');

  const ceiling = await bareLoop(
    smtp.port,
    Math.max(sent, 1000),
    'A bench message of about the size of a short after-sales email. '.repeat(12),
  );
  log(`bare loop (nodemailer alone, no database): ${ceiling} messages/s`);
  const results = {
    date: new Date().toISOString(),
    units: UNITS,
    owners: OWNERS,
    journeys: JOURNEYS.length,
    planning: { seconds: planningSeconds, messagesPlanned: planned[0].n, target: 'under 60 s' },
    sending: { messagesPerSecond, seconds: SEND_SECONDS, received: sent, target: 'at least 100/s' },
    bareLoop: { messagesPerSecond: ceiling },
    ratioToBareLoop: +(messagesPerSecond / ceiling).toFixed(2),
    statuses,
  };
  console.log(JSON.stringify(results, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/outreach.json', JSON.stringify(results, null, 2) + '\n');
} finally {
  api.kill('SIGTERM');
  await db.end().catch(() => {});
  smtp.server.close();
  await sleep(1000);
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
