import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Caller } from '../../src/common/auth/caller.js';
import type { ApiKeyRole } from '../../src/organizations/api-key.entity.js';
import type { OrganizationKind } from '../../src/organizations/organization.entity.js';
import type { SqlCondition } from '../../src/common/sql/sql-condition.js';

/**
 * Checks that an access rule's SQL form and its TypeScript form agree: every generated caller
 * against every generated row, the SQL condition evaluated by a real database over a VALUES list
 * that has the table's column names and types (no table, no migrations needed), the TypeScript
 * predicate on the same facts. PostgreSQL when TEST_DATABASE_URL is set, PGlite otherwise.
 */

/** A rule as the module declares it: the SQL condition on an alias and the predicate on a row. */
export interface AccessRule<Facts> {
  sql: (caller: Caller, alias: string, paramIndex: number) => SqlCondition;
  ts: (caller: Caller, facts: Facts) => boolean;
}

/** How a row of facts becomes a row of the table: each column's SQL type and its value. */
export type ColumnTypes<Facts> = Record<string, { type: string; value: (facts: Facts) => unknown }>;

export interface SqlRunner {
  query(text: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function openSqlRunner(): Promise<SqlRunner> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      query: async (text, params) => (await client.query(text, params)).rows,
      close: () => client.end(),
    };
  }
  const db = await PGlite.create();
  return {
    query: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    close: () => db.close(),
  };
}

/** Organization ids the cases draw from: the caller's own (ME) and two others. */
export const ME = '0190a000-0000-7000-8000-000000000001';
export const OTHER = '0190a000-0000-7000-8000-000000000002';
export const THIRD = '0190a000-0000-7000-8000-000000000003';
export const ORGS = [ME, OTHER, THIRD] as const;
/** Technician ids: the caller's technician (MY_TECH) and another. */
export const MY_TECH = '0190a000-0000-7000-8000-0000000000a1';
export const OTHER_TECH = '0190a000-0000-7000-8000-0000000000a2';

const ROLES_BY_KIND: Record<OrganizationKind, ApiKeyRole[]> = {
  PLATFORM: ['ADMIN', 'STAFF', 'READONLY'],
  MANUFACTURER: ['ADMIN', 'STAFF', 'READONLY'],
  RETAILER: ['ADMIN', 'STAFF', 'READONLY'],
  SERVICE_CENTER: ['ADMIN', 'STAFF', 'READONLY', 'TECHNICIAN'],
};

/** Every caller kind and role, as organization ME (a TECHNICIAN key with technician MY_TECH). */
export function everyCaller(): Caller[] {
  return (Object.keys(ROLES_BY_KIND) as OrganizationKind[]).flatMap((kind) =>
    ROLES_BY_KIND[kind].map((role) => ({
      apiKeyId: `key-${kind}-${role}`,
      organizationId: ME,
      organizationKind: kind,
      role,
      technicianId: role === 'TECHNICIAN' ? MY_TECH : null,
    })),
  );
}

/**
 * Every combination of the given choices: `{ a: [1, 2], b: [x] }` gives `[{a:1,b:x}, {a:2,b:x}]`.
 * With ORGS (and null where a party may be absent) as the choices of each party column, this
 * puts the caller in every relation to the row: each party, several parties, none.
 */
export function everyCombination<T extends Record<string, readonly unknown[]>>(
  choices: T,
): Array<{ [K in keyof T]: T[K][number] }> {
  let rows: Array<Record<string, unknown>> = [{}];
  for (const [key, values] of Object.entries(choices)) {
    rows = rows.flatMap((row) => values.map((value) => ({ ...row, [key]: value })));
  }
  return rows as Array<{ [K in keyof T]: T[K][number] }>;
}

const describeCaller = (c: Caller) => `${c.organizationKind}/${c.role}`;

/**
 * The cases where the two forms disagree, each described (caller, facts, what each form said);
 * an empty list when they agree everywhere.
 */
export async function disagreements<Facts>(
  runner: SqlRunner,
  rule: AccessRule<Facts>,
  columns: ColumnTypes<Facts>,
  callers: Caller[],
  rows: Facts[],
): Promise<string[]> {
  const names = Object.keys(columns);
  const values: unknown[] = [];
  const tuples = rows.map((facts, index) => {
    const cells = [`$${values.push(index)}::int`];
    for (const name of names) cells.push(`$${values.push(columns[name].value(facts))}::${columns[name].type}`);
    return `(${cells.join(', ')})`;
  });
  const found: string[] = [];
  for (const caller of callers) {
    const condition = rule.sql(caller, 'r', values.length + 1);
    const selected = await runner.query(
      `SELECT i FROM (VALUES ${tuples.join(', ')}) AS r(i, ${names.join(', ')}) WHERE ${condition.sql}`,
      [...values, ...condition.params],
    );
    const bySql = new Set(selected.map((row) => Number(row.i)));
    rows.forEach((facts, index) => {
      const byTs = rule.ts(caller, facts);
      if (byTs !== bySql.has(index)) {
        found.push(
          `${describeCaller(caller)} on ${JSON.stringify(facts)}: SQL ${bySql.has(index)}, TypeScript ${byTs}`,
        );
      }
    });
  }
  return found;
}
