import { DataSource } from 'typeorm';
import { checkedAgainstContract } from './api.js';
import type { TestApp } from './test-app.js';

/** Every table a refused request could have written to. */
export const WRITTEN_TABLES = [
  'organizations',
  'api_keys',
  'technicians',
  'products',
  'service_plans',
  'units',
  'unit_events',
  'unit_service_plans',
  'outbox_events',
] as const;

export type TableCounts = Record<(typeof WRITTEN_TABLES)[number], number>;

/** Row counts of the tables, read straight from the database (not through the API). */
export async function tableCounts(t: TestApp): Promise<TableCounts> {
  const db = t.app.get(DataSource);
  const counts = {} as TableCounts;
  for (const table of WRITTEN_TABLES) {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = n;
  }
  return counts;
}

/** The tables that exist in the database's public schema, among those asked for. */
export async function existingTables(t: TestApp, names: readonly string[]): Promise<string[]> {
  const rows: { name: string | null }[] = await t.app
    .get(DataSource)
    .query(`SELECT to_regclass(n)::text AS name FROM unnest($1::text[]) AS n`, [[...names]]);
  return rows
    .map((r) => r.name)
    .filter((n): n is string => n !== null)
    .sort();
}

export function sqlQuery<T = any>(t: TestApp, sql: string, params: unknown[] = []): Promise<T[]> {
  return t.app.get(DataSource).query(sql, params);
}

/** A string of `length` characters, for fields with a length limit. */
export const longText = (length = 10_000) => 'x'.repeat(length);

/** Today and other calendar dates in UTC, computed here and not by src/. */
export const utcDate = (offsetDays = 0) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
};

/** True when any error of a GraphQL answer or anywhere in a JSON body carries a stack trace. */
export function hasStackTrace(body: unknown): boolean {
  const text = JSON.stringify(body ?? null);
  return /"stacktrace"|"stack"|\n\s+at |\\n\s+at /.test(text);
}

/** One streamed import answer, split into its NDJSON lines. */
export interface ImportAnswer {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: any;
  lines: any[];
  rows: any[];
  summary: { rows: number; created: number; failed: number } | undefined;
}

export async function postImport(
  t: TestApp,
  key: string | null,
  body: string,
  options: { contentType?: string; idempotencyKey?: string } = {},
): Promise<ImportAnswer> {
  let req = t.http.post('/api/v1/units:import').set('content-type', options.contentType ?? 'application/x-ndjson');
  if (key) req = req.set('authorization', `Bearer ${key}`);
  if (options.idempotencyKey) req = req.set('idempotency-key', options.idempotencyKey);
  // the answer is NDJSON: read it as text whatever its type
  const res = await checkedAgainstContract(
    'POST',
    '/units:import',
    req
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      })
      .send(body),
  );
  const contentType = String(res.headers['content-type'] ?? '');
  const text = typeof res.body === 'string' ? res.body : '';
  const isNdjson = contentType.startsWith('application/x-ndjson');
  const lines = isNdjson
    ? text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l))
    : [];
  let parsedBody: any = text;
  if (!isNdjson) {
    try {
      parsedBody = JSON.parse(text);
    } catch {
      parsedBody = text;
    }
  }
  return {
    status: res.status,
    contentType,
    headers: res.headers as Record<string, string>,
    body: parsedBody,
    lines,
    rows: lines.filter((l) => 'row' in l),
    summary: lines.find((l) => 'summary' in l)?.summary,
  };
}

/** NDJSON text of these rows; strings are written as they are (for lines that are not JSON). */
export const ndjson = (rows: (Record<string, unknown> | unknown[] | string)[]) =>
  rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** Bookkeeping tables that are not the application's data: the migrations run and stored Idempotency-Key answers. */
export const TECHNICAL_TABLES = ['migrations', 'idempotency_keys'] as const;

/** The first transaction id not yet taken: any insert, update or delete takes one; reads take none. */
async function nextTransactionId(t: TestApp): Promise<string> {
  const [{ xid }] = await t.app.get(DataSource).query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid');
  return xid;
}

const dataTables = new WeakMap<TestApp, Promise<string[]>>();
function tablesOf(t: TestApp): Promise<string[]> {
  let tables = dataTables.get(t);
  if (!tables) {
    tables = t.app
      .get(DataSource)
      .query(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
      )
      .then((rows: { name: string }[]) =>
        rows.map((r) => r.name).filter((name) => !(TECHNICAL_TABLES as readonly string[]).includes(name)),
      );
    dataTables.set(t, tables);
  }
  return tables;
}

/** A point to compare the database with later: the next transaction id and each data table's row count. */
export interface WriteMark {
  xid: string;
  counts: Record<string, number>;
}

/**
 * A cheap, exact "was anything written?" for many checks in a row: a row inserted or updated
 * since a mark carries a newer transaction id (xmin), a deleted row lowers its table's count, and
 * when no transaction id was taken at all (reads take none) nothing can have changed, so no table
 * is read. Sound while nothing else writes meanwhile (no background jobs, one request at a time).
 */
export class WriteWatch {
  private last: WriteMark | null = null;

  constructor(private readonly t: TestApp) {}

  private async read(since: string): Promise<{ name: string; n: number; newer: number }[]> {
    const tables = await tablesOf(this.t);
    const sql = tables
      .map(
        (name) =>
          `SELECT '${name}' AS name, count(*)::int AS n, (count(*) FILTER (WHERE xmin::text::bigint >= $1::bigint))::int AS newer FROM "${name}"`,
      )
      .join(' UNION ALL ');
    return this.t.app.get(DataSource).query(sql, [since]);
  }

  async mark(): Promise<WriteMark> {
    const xid = await nextTransactionId(this.t);
    if (this.last?.xid !== xid)
      this.last = { xid, counts: Object.fromEntries((await this.read(xid)).map((r) => [r.name, r.n])) };
    return this.last;
  }

  /** The tables with a row added, changed or removed since the mark. */
  async changedSince(mark: WriteMark): Promise<string[]> {
    if ((await nextTransactionId(this.t)) === mark.xid) return [];
    return (await this.read(mark.xid)).filter((r) => r.newer > 0 || r.n !== mark.counts[r.name]).map((r) => r.name);
  }
}
