import { postImport } from './input-helpers.js';
import { changedTables, graphqlAnswer, restAnswer, type Answer, type Outcome } from './matrix-client.js';
import { describeArgs, OPERATIONS, type Api, type Args, type Operation, type OperationName } from './matrix-operations.js';
import { ORGS, type Caller, type Fresh, type World } from './matrix-world.js';
import type { TestApp } from './test-app.js';

// Turns a row of the authorization table into calls: every caller, over every API the operation
// has, with the database fingerprinted around every write.

/**
 * How a row treats roles. read: every role reads alike. list: a read where an object outside the
 * caller's view is left out (NF means "not listed"). work: ADMIN and STAFF keys only (READONLY keys
 * never write; TECHNICIAN keys only work tickets). admin: ADMIN keys only. bench: ADMIN and STAFF,
 * and the TECHNICIAN key of the technician the ticket is assigned to.
 */
export type Policy = 'read' | 'list' | 'work' | 'admin' | 'bench';

export interface Row {
  op: OperationName;
  /** What the row checks, in words. */
  about: string;
  policy: Policy;
  /** One cell per organization of ORGS: ok, NF (not found / not listed), FB (forbidden), or E:<errorCode>. */
  cells: string[];
}

export const row = (op: OperationName, about: string, policy: Policy, cells: string): Row => {
  const split = cells.trim().split(/\s+/);
  if (split.length !== ORGS.length) throw new Error(`row ${op}: ${split.length} cells for ${ORGS.length} organizations`);
  if (split.some((c) => !/^(ok|NF|FB|E:[A-Z_]+)$/.test(c))) throw new Error(`row ${op}: unknown cell in "${cells}"`);
  return { op, about, policy, cells: split };
};

export const isWrite = (r: Row) => r.policy === 'work' || r.policy === 'admin' || r.policy === 'bench';

export interface Expectation {
  outcome: Outcome;
  /** Lists: whether the row's object must be in the answer. */
  listed?: boolean;
}

/** The outcome the rules give this caller: no key first, then the caller's view, then the kind of operation, then the role. */
export function expectedFor(r: Row, caller: Caller): Expectation {
  if (!caller.org) return { outcome: 'UNAUTHENTICATED' };
  const cell = r.cells[ORGS.indexOf(caller.org)];
  if (cell === 'NF') return r.policy === 'list' ? { outcome: 'OK', listed: false } : { outcome: 'NOT_FOUND' };
  if (cell === 'FB') return { outcome: 'FORBIDDEN' };
  const role = caller.role;
  const roleRefused =
    (r.policy === 'work' && (role === 'READONLY' || role === 'TECHNICIAN')) ||
    (r.policy === 'admin' && role !== 'ADMIN') ||
    (r.policy === 'bench' && (role === 'READONLY' || (role === 'TECHNICIAN' && !caller.assigned)));
  if (roleRefused) return { outcome: 'FORBIDDEN' };
  if (cell.startsWith('E:')) return { outcome: `ERROR:${cell.slice(2)}` };
  return r.policy === 'list' ? { outcome: 'OK', listed: true } : { outcome: 'OK' };
}

export const apisOf = (op: Operation): Api[] => [...(op.graphql ? ['GraphQL' as const] : []), ...(op.rest ? ['REST' as const] : [])];

/** One call of an operation over one API, as an outcome. */
export async function callOperation(t: TestApp, op: Operation, api: Api, key: string | null, args: Args): Promise<Answer> {
  if (api === 'GraphQL') {
    const gq = op.graphql!;
    let req = t.http.post('/graphql').set('content-type', 'application/json');
    if (key) req = req.set('authorization', `Bearer ${key}`);
    const res = await req.send({ query: gq.document, variables: gq.variables(args) });
    return graphqlAnswer(res, gq.field);
  }
  const spec = op.rest!.request(args);
  if (spec.ndjson !== undefined) {
    const res = await postImport(t, key, spec.ndjson);
    if (res.status < 200 || res.status >= 300) return restAnswer({ status: res.status, body: res.body });
    const failed = res.rows.find((r) => r.status !== 'created');
    const raw = JSON.stringify(res.lines).slice(0, 300);
    return failed ? { outcome: `ERROR:${failed.errorCode}`, body: res.lines, raw } : { outcome: 'OK', body: res.lines, raw };
  }
  const method = spec.method.toLowerCase() as 'get' | 'post' | 'patch';
  let req = t.http[method](`/api/v1${spec.path}`);
  if (spec.query) req = req.query(spec.query);
  if (key) req = req.set('authorization', `Bearer ${key}`);
  const res = spec.method === 'GET' ? await req : await req.send((spec.body ?? {}) as object);
  return restAnswer(res);
}

export interface RowContext {
  t: TestApp;
  w: World;
  fresh: Fresh;
  fingerprint: () => Promise<Record<string, string>>;
}

/**
 * Runs one row for every caller and API, and returns every disagreement with the table (empty
 * when none). Refused callers run first and allowed writes last, each allowed write on a fresh
 * object, so that no call depends on what an allowed write changed.
 */
export async function runRow(ctx: RowContext, r: Row): Promise<string[]> {
  const op: Operation = OPERATIONS[r.op];
  const write = isWrite(r);
  const plan = ctx.w.callers.map((caller) => ({ caller, expected: expectedFor(r, caller) }));
  if (write) plan.sort((a, b) => Number(a.expected.outcome === 'OK') - Number(b.expected.outcome === 'OK'));
  const problems: string[] = [];
  for (const { caller, expected } of plan) {
    for (const api of apisOf(op)) {
      const allowed = write && expected.outcome === 'OK';
      const args = await op.args({ w: ctx.w, fresh: ctx.fresh, caller, allowed });
      const before = write ? await ctx.fingerprint() : null;
      const answer = await callOperation(ctx.t, op, api, caller.key, args);
      const where = `${caller.label} over ${api}`;
      if (answer.outcome !== expected.outcome) problems.push(`${where}: expected ${expected.outcome}, got ${answer.outcome} ${answer.raw} (args ${describeArgs(args)})`);
      if (before) {
        const changed = changedTables(before, await ctx.fingerprint());
        if (answer.outcome !== 'OK' && changed.length > 0) problems.push(`${where}: refused (${answer.outcome}) but changed ${changed.join(', ')}`);
        if (answer.outcome === 'OK' && changed.length === 0) problems.push(`${where}: allowed but the database did not change`);
      }
      if (answer.outcome !== 'OK') continue;
      // a read of a list that names its object (technicians of a center) must list it
      const listed = expected.listed ?? (op.listed ? true : undefined);
      if (listed !== undefined && op.listed && op.listed(answer.body, ctx.w, api) !== listed) {
        problems.push(`${where}: the object is ${listed ? 'missing from' : 'shown in'} the list`);
      }
      for (const leak of op.leaks?.(answer.body, ctx.w, caller, api) ?? []) problems.push(`${where}: ${leak}`);
    }
  }
  return problems;
}
