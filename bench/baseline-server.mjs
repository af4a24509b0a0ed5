#!/usr/bin/env node
// The benchmark's baseline: a bare Fastify + node-postgres endpoint that answers the same coverage
// question as GET /api/v1/coverage with the API's own facts query, sent as the same NAMED PREPARED
// statement on a pool of the same size, and a few lines of plain date logic (base warranty, repair
// warranties, service plans, claim limits). No framework, no auth, no validation, no logs: the
// fastest plain code doing the same database work, the ceiling to compare the real API against.
// GET /coverage/unprepared sends the same text unprepared (PostgreSQL parses and plans it every time).
import Fastify from 'fastify';
import pg from 'pg';
import { coverageFactsSql } from '../dist/warranty/coverage.queries.js';

pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
const app = Fastify({ logger: false });
const text = coverageFactsSql('serial');
const DAY = 86_400_000;

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const addDays = (day, n) => isoDay(Date.parse(day) + n * DAY);

function endOfMonths(start, months) {
  const [y, m, d] = start.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoDay(Date.UTC(year, month, Math.min(d, last)) - DAY);
}

function coverageOf(unit, asOf) {
  const terms = unit.warranty_terms;
  const candidates = [
    {
      key: 'base',
      source: 'BASE_WARRANTY',
      name: `Manufacturer warranty (${terms.durationMonths} months)`,
      startsAt: unit.purchase_date,
      endsAt: endOfMonths(unit.purchase_date, terms.durationMonths),
      coverageTypes: terms.coverageTypes,
      maxClaims: terms.maxClaims,
    },
    ...unit.repairs.map((r) => ({
      key: `repair:${r.ticketId}`,
      source: 'REPAIR_WARRANTY',
      name: `Repair warranty (ticket ${r.ticketNumber})`,
      startsAt: r.closedOn,
      endsAt: addDays(r.closedOn, terms.repairWarrantyDays - 1),
      coverageTypes: ['PARTS', 'LABOR'],
      maxClaims: null,
    })),
    ...unit.plans.map((p) => ({ key: `plan:${p.servicePlanId}`, source: 'SERVICE_PLAN', ...p })),
  ];
  const coverages = [];
  let coveredUntil = null;
  for (const c of candidates) {
    if (coveredUntil === null || c.endsAt > coveredUntil) coveredUntil = c.endsAt;
    const remainingClaims = c.maxClaims === null ? null : Math.max(c.maxClaims - (unit.claims[c.key] ?? 0), 0);
    if (asOf >= c.startsAt && asOf <= c.endsAt && remainingClaims !== 0) coverages.push({ ...c, remainingClaims });
  }
  const covered = unit.status === 'ACTIVE' && coverages.length > 0;
  return {
    serialNumber: unit.serial_number,
    covered,
    asOf,
    coverages,
    reasons: covered ? [] : ['EXPIRED'],
    coveredUntil,
  };
}

async function answer(req, prepared) {
  const serial = req.query.serialNumber;
  const asOf = req.query.asOf ?? new Date().toISOString().slice(0, 10);
  const query = prepared
    ? { name: 'coverage-facts-by-serial', text, values: [[serial]] }
    : { text, values: [[serial]] };
  const { rows } = await pool.query(query);
  if (!rows[0]) return { serialNumber: serial, covered: false, asOf, coverages: [], reasons: ['UNIT_NOT_FOUND'] };
  return coverageOf(rows[0], asOf);
}

app.get('/coverage', (req) => answer(req, true));
app.get('/coverage/unprepared', (req) => answer(req, false));

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
