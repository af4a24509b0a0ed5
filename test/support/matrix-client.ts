import { DataSource } from 'typeorm';
import type { TestApp } from './test-app.js';

// The authorization matrix's view of an answer: one outcome word for both APIs, so one table
// cell says what GraphQL and REST must both answer. Nothing here decides what is right.

/** OK, a thrown error's category, or `ERROR:<errorCode>` for a business refusal (union member or 400/409/422). */
export type Outcome = 'OK' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | `ERROR:${string}` | `OTHER:${string}`;

export interface Answer {
  outcome: Outcome;
  /** The result (GraphQL: the operation's field; REST: the JSON body), for leak checks. */
  body: any;
  /** What came back, shortened, for a failure message. */
  raw: string;
  /** A refusal as the client gets it (GraphQL: the first error; REST: the problem body). */
  error?: any;
}

/** A refusal without what differs per request (correlation id, the request's path, its place in the query). */
export function refusalShape(answer: Answer): string {
  const { correlationId: _c, instance: _i, locations: _l, ...rest } = answer.error ?? {};
  const { correlationId: _e, ...extensions } = rest.extensions ?? {};
  return JSON.stringify(rest.extensions ? { ...rest, extensions } : rest);
}

const short = (value: unknown) => {
  const text = JSON.stringify(value ?? null);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** A GraphQL answer as an outcome: the first error's code, or the union member's errorCode, or OK. */
export function graphqlAnswer(res: { status: number; body: any }, field: string): Answer {
  const error = res.body?.errors?.[0];
  if (error) {
    const code = error.extensions?.code as string | undefined;
    if (code === 'BAD_USER_INPUT' || code === 'CONFLICT')
      return {
        outcome: `ERROR:${error.extensions?.errorCode ?? code}`,
        body: null,
        raw: short(res.body.errors),
        error,
      };
    return { outcome: (code as Outcome) ?? `OTHER:${res.status}`, body: null, raw: short(res.body.errors), error };
  }
  const result = res.body?.data?.[field];
  if (result && typeof result === 'object' && typeof result.errorCode === 'string')
    return { outcome: `ERROR:${result.errorCode}`, body: result, raw: short(result) };
  return { outcome: 'OK', body: result, raw: short(result) };
}

const REST_CATEGORY: Record<number, Outcome> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

/** A REST answer as an outcome: 2xx is OK, 401/403/404 their category, 400/409/422 the problem's errorCode. */
export function restAnswer(res: { status: number; body: any; text?: string }): Answer {
  const body = res.body && Object.keys(res.body).length > 0 ? res.body : res.text;
  if (res.status >= 200 && res.status < 300) return { outcome: 'OK', body, raw: short(body) };
  if (REST_CATEGORY[res.status]) return { outcome: REST_CATEGORY[res.status], body, raw: short(body), error: body };
  if ([400, 409, 422].includes(res.status))
    return { outcome: `ERROR:${body?.errorCode ?? body?.code ?? res.status}`, body, raw: short(body), error: body };
  return { outcome: `OTHER:${res.status}`, body, raw: short(body), error: body };
}

// ------------------------------------------------------------------------------ fingerprints

/** Tables whose rows are bookkeeping of the transport, not data a refused request may change. */
const TECHNICAL_TABLE = /^(idempotency|migrations$|typeorm_)/;

/**
 * A fingerprint of every data table: its row count and its newest row version (`xmin`, the
 * transaction that wrote the row). Any insert, update or delete that commits changes one of them,
 * even an update that writes the same values; a rolled-back one changes neither. All tables are
 * read in one statement, and without turning rows into text, so a fingerprint stays cheap as the
 * tables grow (the matrix takes one around every write). The table list is read from the database
 * itself, so a table added later is fingerprinted without anyone remembering to list it.
 */
export async function fingerprinter(t: TestApp): Promise<() => Promise<Record<string, string>>> {
  const db = t.app.get(DataSource);
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const names = tables.map((row) => row.name).filter((name) => !TECHNICAL_TABLE.test(name));
  const sql = `SELECT ${names.map((name, i) => `(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM "${name}") AS c${i}`).join(', ')}`;
  return async () => {
    const [row] = await db.query(sql);
    return Object.fromEntries(names.map((name, i) => [name, row[`c${i}`] as string]));
  };
}

/** The tables whose fingerprint differs between two readings. */
export const changedTables = (before: Record<string, string>, after: Record<string, string>) =>
  Object.keys(after).filter((table) => before[table] !== after[table]);
