#!/usr/bin/env node
// The benchmark's baseline: a bare Fastify + node-postgres endpoint that answers the same coverage
// question as GET /api/v1/coverage with one hand-written query and a few lines of date logic.
// No framework, no auth, no validation: the floor to compare the real API against.
import Fastify from 'fastify';
import pg from 'pg';

pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
const app = Fastify({ logger: false });

function endOfMonths(start, months) {
  const [y, m, d] = start.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last)) - 86_400_000).toISOString().slice(0, 10);
}

app.get('/coverage', async (req) => {
  const serial = req.query.serialNumber;
  const asOf = req.query.asOf ?? new Date().toISOString().slice(0, 10);
  const { rows } = await pool.query(
    `SELECT u.status, u.purchase_date, p.warranty_terms,
            (SELECT coalesce(json_agg(json_build_object('name', sp.name, 'startsAt', usp.starts_at, 'endsAt', usp.ends_at)), '[]')
               FROM unit_service_plans usp JOIN service_plans sp ON sp.id = usp.service_plan_id WHERE usp.unit_id = u.id) AS plans,
            (SELECT count(*)::int FROM warranty_claims c WHERE c.unit_id = u.id AND c.status NOT IN ('REJECTED', 'CANCELLED')) AS claims,
            (SELECT coalesce(json_agg(json_build_object('closedOn', (t.closed_at AT TIME ZONE 'UTC')::date, 'failureCategory', t.failure_category)), '[]')
               FROM repair_tickets t WHERE t.unit_id = u.id AND t.status = 'CLOSED') AS repairs
       FROM units u JOIN products p ON p.id = u.product_id WHERE u.serial_number = $1`,
    [serial],
  );
  const unit = rows[0];
  if (!unit) return { serialNumber: serial, covered: false, reasons: ['UNIT_NOT_FOUND'] };
  const baseEnd = endOfMonths(unit.purchase_date, unit.warranty_terms.durationMonths);
  const coverages = [];
  if (
    asOf >= unit.purchase_date &&
    asOf <= baseEnd &&
    (unit.warranty_terms.maxClaims === null || unit.claims < unit.warranty_terms.maxClaims)
  ) {
    coverages.push({ source: 'BASE_WARRANTY', startsAt: unit.purchase_date, endsAt: baseEnd });
  }
  for (const repair of unit.repairs) {
    const endsAt = new Date(Date.parse(repair.closedOn) + (unit.warranty_terms.repairWarrantyDays - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    if (asOf >= repair.closedOn && asOf <= endsAt)
      coverages.push({ source: 'REPAIR_WARRANTY', startsAt: repair.closedOn, endsAt });
  }
  for (const plan of unit.plans)
    if (asOf >= plan.startsAt && asOf <= plan.endsAt) coverages.push({ source: 'SERVICE_PLAN', ...plan });
  const covered = unit.status === 'ACTIVE' && coverages.length > 0;
  return { serialNumber: serial, covered, asOf, coverages, reasons: covered ? [] : ['EXPIRED'] };
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
