import { randomBytes } from 'node:crypto';
import { checkedAgainstContract } from './api.js';
import { postImport } from './input-helpers.js';
import { changedTables, graphqlAnswer, refusalShape, restAnswer, type Answer, type Outcome } from './matrix-client.js';
import {
  describeArgs,
  OPERATIONS,
  type Api,
  type Args,
  type Operation,
  type OperationName,
} from './matrix-operations.js';
import { ORGS, type Caller, type Fresh, type World } from './matrix-world.js';
import type { TestApp } from './test-app.js';

// Turns a row of the authorization table into calls: every caller, over every API the operation
// has, with the database fingerprinted around every write.

/**
 * How a row treats roles. read: every role reads alike. list: a read where an object outside the
 * caller's view is left out (NF means "not listed"). work: ADMIN and STAFF keys only (READONLY keys
 * never write; TECHNICIAN keys only work tickets). admin: ADMIN keys only. bench: ADMIN and STAFF,
 * and the TECHNICIAN key of the technician the ticket is assigned to. manage: a read for ADMIN keys
 * only, which changes nothing (the organization's API keys: listing them is managing them).
 * A row made with office() adds one rule to its policy: TECHNICIAN keys are refused outright.
 */
export type Policy = 'read' | 'list' | 'work' | 'admin' | 'bench' | 'manage';

export interface Row {
  op: OperationName;
  /** What the row checks, in words. */
  about: string;
  policy: Policy;
  /** One cell per organization of ORGS: ok, NF (not found / not listed), FB (forbidden), or E:<errorCode>. */
  cells: string[];
  /** An office operation (office()): TECHNICIAN keys are FORBIDDEN whatever the cell. */
  office?: true;
}

export const row = (op: OperationName, about: string, policy: Policy, cells: string): Row => {
  const split = cells.trim().split(/\s+/);
  if (split.length !== ORGS.length)
    throw new Error(`row ${op}: ${split.length} cells for ${ORGS.length} organizations`);
  if (split.some((c) => !/^(ok|NF|FB|E:[A-Z_]+)$/.test(c))) throw new Error(`row ${op}: unknown cell in "${cells}"`);
  return { op, about, policy, cells: split };
};

/**
 * A row of an office feature (webhooks: endpoints and their deliveries): TECHNICIAN keys, which
 * only work tickets, may not use it at all, so they are FORBIDDEN whatever the object, even one
 * outside their view (the feature is closed to the role, and the refusal is the same for every id,
 * so it tells nothing about what exists). Every other caller as the row's policy says: 'read' and
 * 'list' are then read by ADMIN, STAFF and READONLY keys.
 */
export const office = (op: OperationName, about: string, policy: Policy, cells: string): Row => ({
  ...row(op, about, policy, cells),
  office: true,
});

export const isWrite = (r: Row) => r.policy === 'work' || r.policy === 'admin' || r.policy === 'bench';

export interface Expectation {
  outcome: Outcome;
  /** Lists: whether the row's object must be in the answer. */
  listed?: boolean;
}

/**
 * The outcome the rules give this caller: no key first, then a technician's key on an office
 * operation, then the caller's view, then the kind of operation, then the role.
 */
export function expectedFor(r: Row, caller: Caller): Expectation {
  if (!caller.org) return { outcome: 'UNAUTHENTICATED' };
  if (r.office && caller.role === 'TECHNICIAN') return { outcome: 'FORBIDDEN' };
  const cell = r.cells[ORGS.indexOf(caller.org)];
  if (cell === 'NF') return r.policy === 'list' ? { outcome: 'OK', listed: false } : { outcome: 'NOT_FOUND' };
  if (cell === 'FB') return { outcome: 'FORBIDDEN' };
  const role = caller.role;
  const roleRefused =
    (r.policy === 'work' && (role === 'READONLY' || role === 'TECHNICIAN')) ||
    ((r.policy === 'admin' || r.policy === 'manage') && role !== 'ADMIN') ||
    (r.policy === 'bench' && (role === 'READONLY' || (role === 'TECHNICIAN' && !caller.assigned)));
  if (roleRefused) return { outcome: 'FORBIDDEN' };
  if (cell.startsWith('E:')) return { outcome: `ERROR:${cell.slice(2)}` };
  return r.policy === 'list' ? { outcome: 'OK', listed: true } : { outcome: 'OK' };
}

export const apisOf = (op: Operation): Api[] => [
  ...(op.graphql ? ['GraphQL' as const] : []),
  ...(op.rest ? ['REST' as const] : []),
];

/** One call of an operation over one API, as an outcome. */
export async function callOperation(
  t: TestApp,
  op: Operation,
  api: Api,
  key: string | null,
  args: Args,
): Promise<Answer> {
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
    return failed
      ? { outcome: `ERROR:${failed.errorCode}`, body: res.lines, raw }
      : { outcome: 'OK', body: res.lines, raw };
  }
  const method = spec.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  let req = t.http[method](`/api/v1${spec.path}`);
  if (spec.query) req = req.query(spec.query);
  if (key) req = req.set('authorization', `Bearer ${key}`);
  const hasBody = spec.method === 'POST' || spec.method === 'PATCH';
  const res = await checkedAgainstContract(
    spec.method,
    spec.path,
    hasBody ? req.send((spec.body ?? {}) as object) : req,
  );
  return restAnswer(res);
}

export interface RowContext {
  t: TestApp;
  w: World;
  fresh: Fresh;
  fingerprint: () => Promise<Record<string, string>>;
}

/** Reads change nothing: a few callers at a time (two cores, shared with other suites). */
const READS_AT_ONCE = 4;

/**
 * Runs one row for every caller and API, and returns every disagreement with the table (empty
 * when none). Refused callers run first and allowed writes last, each allowed write on a fresh
 * object; the refusals share the world's objects (or one built for the row, until a call changes
 * the database), so that no call depends on what another changed.
 */
export async function runRow(ctx: RowContext, r: Row): Promise<string[]> {
  const op: Operation = OPERATIONS[r.op];
  if (op.subscription) throw new Error(`${r.op} is a subscription: runSubscriptionRow runs it`);
  const write = isWrite(r);
  const plan = ctx.w.callers.flatMap((caller) =>
    apisOf(op).map((api) => ({ caller, api, expected: expectedFor(r, caller) })),
  );
  if (!write) {
    const problems: string[] = [];
    for (let i = 0; i < plan.length; i += READS_AT_ONCE) {
      const batch = await Promise.all(
        plan.slice(i, i + READS_AT_ONCE).map(async (call) => {
          const args = await op.args({ w: ctx.w, fresh: ctx.fresh, caller: call.caller, allowed: false, cache: {} });
          const answer = await callOperation(ctx.t, op, call.api, call.caller.key, args);
          return [...judge(ctx, op, call, args, answer), ...((await sameAsUnknown(ctx, op, call, args, answer)) ?? [])];
        }),
      );
      problems.push(...batch.flat());
    }
    return problems;
  }
  plan.sort((a, b) => Number(a.expected.outcome === 'OK') - Number(b.expected.outcome === 'OK'));
  const problems: string[] = [];
  // the fingerprint after one call is the one before the next, unless fixtures were built in between
  let fixturesBuilt = true;
  const fresh = Object.fromEntries(
    Object.entries(ctx.fresh).map(([name, build]) => [
      name,
      (...a: unknown[]) => {
        fixturesBuilt = true;
        return (build as (...x: unknown[]) => unknown)(...a);
      },
    ]),
  ) as Fresh;
  let last: Record<string, string> | null = null;
  let cache: Record<string, string> = {};
  for (const call of plan) {
    const args = await op.args({
      w: ctx.w,
      fresh,
      caller: call.caller,
      allowed: call.expected.outcome === 'OK',
      cache,
    });
    const before = fixturesBuilt || !last ? await ctx.fingerprint() : last;
    fixturesBuilt = false;
    const answer = await callOperation(ctx.t, op, call.api, call.caller.key, args);
    last = await ctx.fingerprint();
    const changed = changedTables(before, last);
    if (changed.length > 0) cache = {};
    const where = `${call.caller.label} over ${call.api}`;
    if (answer.outcome !== 'OK' && changed.length > 0)
      problems.push(`${where}: refused (${answer.outcome}) but changed ${changed.join(', ')}`);
    if (answer.outcome === 'OK' && changed.length === 0)
      problems.push(`${where}: allowed but the database did not change`);
    problems.push(...judge(ctx, op, call, args, answer));
    const unknown = await sameAsUnknown(ctx, op, call, args, answer);
    if (unknown) {
      problems.push(...unknown);
      const after = await ctx.fingerprint();
      if (changedTables(last, after).length > 0)
        problems.push(`${where} with an id that names nothing: changed ${changedTables(last, after).join(', ')}`);
      last = after;
    }
  }
  return problems;
}

/** An id like the real one (same version and time part) that names nothing. */
const unknownIdLike = (id: string) => `${id.slice(0, 24)}${randomBytes(6).toString('hex')}`;

/**
 * "Nobody learns what exists elsewhere": a NOT_FOUND for an object outside the caller's view must
 * read exactly like the one for an id that names nothing (checked with each organization's STAFF key).
 */
async function sameAsUnknown(
  ctx: RowContext,
  op: Operation,
  call: { caller: Caller; api: Api },
  args: Args,
  answer: Answer,
): Promise<string[] | null> {
  if (answer.outcome !== 'NOT_FOUND' || typeof args.id !== 'string' || call.caller.role !== 'STAFF') return null;
  const unknown = await callOperation(ctx.t, op, call.api, call.caller.key, { ...args, id: unknownIdLike(args.id) });
  if (unknown.outcome === answer.outcome && refusalShape(unknown) === refusalShape(answer)) return [];
  return [
    `${call.caller.label} over ${call.api}: answers an object outside its view (${answer.raw}) unlike an id that names nothing (${unknown.raw})`,
  ];
}

/** The disagreements of one answer with the table: its outcome, and for a successful read what it lists and shows. */
function judge(
  ctx: RowContext,
  op: Operation,
  call: { caller: Caller; api: Api; expected: Expectation },
  args: Args,
  answer: Answer,
): string[] {
  const where = `${call.caller.label} over ${call.api}`;
  if (answer.outcome !== call.expected.outcome)
    return [
      `${where}: expected ${call.expected.outcome}, got ${answer.outcome} ${answer.raw} (args ${describeArgs(args)})`,
    ];
  if (answer.outcome !== 'OK') return [];
  const problems: string[] = [];
  // a read of a list that names its object (technicians of a center) must list it
  const listed = call.expected.listed ?? (op.listed ? true : undefined);
  if (listed !== undefined && op.listed && op.listed(answer.body, ctx.w, call.api) !== listed) {
    problems.push(`${where}: the object is ${listed ? 'missing from' : 'shown in'} the list`);
  }
  for (const leak of op.leaks?.(answer.body, ctx.w, call.caller, call.api) ?? []) problems.push(`${where}: ${leak}`);
  return problems;
}
