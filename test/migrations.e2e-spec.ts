import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config.js';
import { createDataSource } from '../src/database/data-source.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { createPostgresDatabase } from './support/postgres-database.js';

/** Every table the migrations create. */
const TABLES = [
  'api_keys',
  'app_secrets',
  'coupons',
  'outreach_journeys',
  'outreach_messages',
  'outreach_recipients',
  'product_resources',
  'survey_responses',
  'idempotency_keys',
  'jobs',
  'organizations',
  'outbox_events',
  'products',
  'repair_ticket_history',
  'repair_tickets',
  'return_authorizations',
  'return_history',
  'return_lines',
  'return_policies',
  'service_plans',
  'technicians',
  'unit_events',
  'unit_service_plans',
  'units',
  'upgrade_history',
  'upgrade_programs',
  'upgrade_requests',
  'warranty_claim_history',
  'warranty_claims',
  'webhook_deliveries',
  'webhook_endpoints',
  'webhook_fanout_position',
].sort();

/** A fresh, empty database: a new PostgreSQL database, or an in-memory PGlite. */
async function freshDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { env: { DATA_DIR: `memory://${randomBytes(6).toString('hex')}` }, drop: async () => {} };
  const database = await createPostgresDatabase(base, 'aftercare_mig');
  return { env: { DATABASE_URL: database.url, DATA_DIR: './data-unused' }, drop: database.drop };
}

async function publicTables(ds: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function executedMigrations(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query(`SELECT name FROM migrations ORDER BY id`);
  return rows.map((r) => r.name);
}

describe(`migrations on a fresh ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'} database`, () => {
  let ds: DataSource;
  let drop: () => Promise<void> = async () => {};
  const names = MIGRATIONS.map((M) => new M().name ?? M.name);

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    ds = createDataSource(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...db.env }));
    await ds.initialize();
  });

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await drop();
  });

  it('the fresh database has none of the tables', async () => {
    const tables = await publicTables(ds);
    expect(tables.filter((t) => TABLES.includes(t))).toEqual([]);
  });

  it('running the migrations applies each of them once, oldest first, and creates every table', async () => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(names);
    expect(await executedMigrations(ds)).toEqual(names);
    const tables = await publicTables(ds);
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    expect(tables.filter((t) => !TABLES.includes(t))).toEqual(['migrations']);
  });

  it('running the migrations again changes nothing', async () => {
    expect(await ds.showMigrations()).toBe(false);
    expect(await ds.runMigrations()).toEqual([]);
    expect(await executedMigrations(ds)).toEqual(names);
  });

  it('undoing the migrations one by one removes every table; only the migrations table remains', async () => {
    let left = (await executedMigrations(ds)).length;
    expect(left).toBe(MIGRATIONS.length);
    while (left > 0) {
      await ds.undoLastMigration({ transaction: 'each' });
      const now = (await executedMigrations(ds)).length;
      expect(now).toBe(left - 1);
      left = now;
    }
    expect(await publicTables(ds)).toEqual(['migrations']);
    expect(await ds.showMigrations()).toBe(true);
  });

  it('undoing with no migration left is a no-op', async () => {
    await ds.undoLastMigration();
    expect(await publicTables(ds)).toEqual(['migrations']);
    expect(await executedMigrations(ds)).toEqual([]);
  });

  it('the migrations run up again after a full undo and bring every table back', async () => {
    const applied = await ds.runMigrations({ transaction: 'all' });
    expect(applied.map((m) => m.name)).toEqual(names);
    expect(await publicTables(ds)).toEqual([...TABLES, 'migrations'].sort());
    expect(await executedMigrations(ds)).toEqual(names);
  });

  it('the re-created schema takes rows: an organization, a product and a unit', async () => {
    const org = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51';
    const product = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e52';
    const unit = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e53';
    await ds.query(`INSERT INTO organizations (id, name, kind) VALUES ($1, 'Northwind', 'MANUFACTURER')`, [org]);
    await ds.query(
      `INSERT INTO products (id, manufacturer_id, sku, name, category, warranty_terms) VALUES ($1, $2, 'NW-1', 'Fridge', 'FRIDGE', '{}'::jsonb)`,
      [product, org],
    );
    await ds.query(
      `INSERT INTO units (id, product_id, manufacturer_id, serial_number, purchase_date) VALUES ($1, $2, $3, 'NW5-1', '2024-02-29')`,
      [unit, product, org],
    );
    const rows: { purchase_date: string; status: string; version: number }[] = await ds.query(
      `SELECT purchase_date, status, version FROM units WHERE id = $1`,
      [unit],
    );
    expect(rows).toEqual([{ purchase_date: '2024-02-29', status: 'ACTIVE', version: 1 }]);
  });
});
