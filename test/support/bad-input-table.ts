import { gql, rest, type GqlResponse } from './api.js';
import { tableCounts } from './input-helpers.js';
import type { TestApp } from './test-app.js';

/**
 * The table-driven "bad input" harness: each case takes an operation's valid baseline input,
 * changes one value, sends it over GraphQL or REST, and expects a clear error naming the field
 * with nothing stored (row counts before and after). Nothing here decides what is right: the
 * cases do.
 */

/** One operation of a table: how to call it with an input over both APIs. */
export interface OpSpec<F> {
  /** The GraphQL operation text (a mutation, or a query for read-only operations). */
  mutation: string;
  key: (f: F) => string;
  valid: (f: F) => Record<string, any>;
  /** The REST route and JSON body for the same input. */
  rest: (input: Record<string, any>) => { path: string; body: unknown };
  restStatus: number;
  /** The GraphQL variables for an input; `{ input }` unless said. */
  variables?: (input: Record<string, any>) => Record<string, unknown>;
  /** The field of `data` that holds the answer; the operation's table name unless said. */
  resultField?: string;
  /** Fresh fixtures for each case of this operation, made before the rows are counted (e.g. a new claim to review). */
  setup?: (f: F) => Promise<F>;
  /** The REST method; POST unless said (PATCH /repair-tickets/{id}; GET and DELETE send no body: the path carries the input). */
  restMethod?: 'post' | 'patch' | 'get' | 'delete';
}

/** A copy of `input` with the value at a dotted path replaced (or added). */
export function withValue(input: Record<string, any>, path: string, value: unknown): Record<string, any> {
  const copy = structuredClone(input);
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] ??= {};
  target[keys[keys.length - 1]] = value;
  return copy;
}

/** GraphQL refused the operation with a thrown error (field: extensions.field; mentions: words of the message). */
export interface GqlRefusal {
  error: 'BAD_USER_INPUT' | 'NOT_FOUND';
  field?: string;
  mentions?: string;
}
/** GraphQL answered the union's GenericError member. */
export interface GqlResult {
  result: string;
  field: string;
}
/** REST answered problem+json (`code` BAD_USER_INPUT unless said). */
export interface RestRefusal {
  status: number;
  code?: string;
  errorCode?: string;
  field?: string;
}

export interface BadCase<Op extends string = string> {
  op: Op;
  via: 'GraphQL' | 'REST';
  path: string;
  value: unknown;
  label?: string;
  expect: GqlRefusal | GqlResult | RestRefusal;
}

const show = (value: unknown) => {
  if (typeof value === 'string' && value.length > 40) return `a ${value.length}-character string`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export function title(c: BadCase): string {
  const what = c.label ?? `${c.path} = ${show(c.value)}`;
  const e = c.expect;
  const outcome =
    'status' in e
      ? `${e.status}${e.errorCode ? ` ${e.errorCode}` : ''}${e.field ? ` naming "${e.field}"` : ''}`
      : 'result' in e
        ? `GenericError ${e.result} naming "${e.field}"`
        : `${e.error}${e.field ? ` naming "${e.field}"` : e.mentions ? ` mentioning "${e.mentions}"` : ''}`;
  return `${c.op} over ${c.via}: ${what} is refused (${outcome}) and nothing is stored`;
}

export const G = <Op extends string>(
  op: Op,
  path: string,
  value: unknown,
  expect: GqlRefusal | GqlResult,
  label?: string,
): BadCase<Op> => ({ op, via: 'GraphQL', path, value, expect, label });
export const R = <Op extends string>(
  op: Op,
  path: string,
  value: unknown,
  expect: RestRefusal,
  label?: string,
): BadCase<Op> => ({ op, via: 'REST', path, value, expect, label });
export const refused = (field: string): GqlRefusal => ({ error: 'BAD_USER_INPUT', field });
export const mentioned = (mentions: string): GqlRefusal => ({ error: 'BAD_USER_INPUT', mentions });
export const bad400 = (field: string): RestRefusal => ({ status: 400, errorCode: 'VALIDATION_ERROR', field });

export function expectGqlRefusal(resultField: string, res: GqlResponse, e: GqlRefusal) {
  const error = res.errors?.[0];
  // a refused input is the client's error: never a 5xx
  expect({
    clientError: res.status === 200 || res.status === 400,
    status: res.status,
    code: error?.extensions?.code,
  }).toEqual({ clientError: true, status: res.status, code: e.error });
  expect(res.data?.[resultField] ?? null).toBeNull();
  expect(typeof error?.message).toBe('string');
  if (e.field) expect(error?.extensions?.field).toBe(e.field);
  if (e.mentions) expect(error?.message).toContain(e.mentions);
}

export function expectGqlResult(resultField: string, res: GqlResponse, e: GqlResult) {
  expect(res.errors).toBeUndefined();
  expect(res.data[resultField]).toMatchObject({ __typename: 'GenericError', errorCode: e.result, field: e.field });
  expect(res.data[resultField].message).toEqual(expect.any(String));
}

export function expectProblem(res: any, e: RestRefusal) {
  expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
    status: e.status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.body).toMatchObject({
    status: e.status,
    code: e.code ?? 'BAD_USER_INPUT',
    detail: expect.any(String),
    correlationId: res.headers['x-request-id'],
  });
  if (e.errorCode) expect(res.body.errorCode).toBe(e.errorCode);
  if (e.field) expect(res.body.field).toBe(e.field);
}

export interface BadInputTable<Op extends string, F> {
  ops: Record<Op, OpSpec<F>>;
  /** The running app and the fixtures, read when a case runs (they are made in beforeAll). */
  app: () => TestApp;
  fixtures: () => F;
  /** What "nothing is stored" compares before and after; the written tables' row counts unless said. */
  counts?: (t: TestApp) => Promise<unknown>;
}

/** Sends one input of an operation over one API. */
export async function callOp<Op extends string, F>(
  table: BadInputTable<Op, F>,
  f: F,
  op: Op,
  via: 'GraphQL' | 'REST',
  input: Record<string, any>,
) {
  const t = table.app();
  const spec = table.ops[op];
  if (via === 'GraphQL')
    return { gqlRes: await gql(t, spec.key(f), spec.mutation, spec.variables ? spec.variables(input) : { input }) };
  const { path, body } = spec.rest(input);
  const client = rest(t, spec.key(f));
  const send = {
    post: () => client.post(path, body),
    patch: () => client.patch(path, body),
    get: () => client.get(path),
    delete: () => client.delete(path),
  };
  return { restRes: await send[spec.restMethod ?? 'post']() };
}

/** One test per case: the refusal it expects, and the same row counts before and after. */
export function itRefusesEach<Op extends string, F>(cases: BadCase<Op>[], table: BadInputTable<Op, F>) {
  it.each(cases.map((c) => [title(c), c] as const))('%s', async (_title, c) => {
    const t = table.app();
    const spec = table.ops[c.op];
    const f = spec.setup ? await spec.setup(table.fixtures()) : table.fixtures();
    const counts = table.counts ?? tableCounts;
    const before = await counts(t);
    // a case value may be a function of the fixtures (another center's id, another center's technician)
    const value = typeof c.value === 'function' ? (c.value as (fixtures: F) => unknown)(f) : c.value;
    const input = withValue(spec.valid(f), c.path, value);
    const { gqlRes, restRes } = await callOp(table, f, c.op, c.via, input);
    expect(await counts(t)).toEqual(before);
    const resultField = spec.resultField ?? c.op;
    if (gqlRes) {
      if ('result' in c.expect) expectGqlResult(resultField, gqlRes, c.expect);
      else expectGqlRefusal(resultField, gqlRes, c.expect as GqlRefusal);
    } else {
      expectProblem(restRes, c.expect as RestRefusal);
    }
  });
}

/**
 * The baseline inputs the table changes one value of are accepted over GraphQL and REST, so each
 * refusal in the table is about its one value. `expectAccepted` checks one answer's content (the
 * GraphQL field's value, or the REST body) beyond "no error".
 */
export function itAcceptsTheBaselines<Op extends string, F>(
  table: BadInputTable<Op, F>,
  expectAccepted: (op: Op, answer: any, via: 'GraphQL' | 'REST') => void,
) {
  it('the baseline inputs the table changes one value of are accepted, over GraphQL and REST (so each refusal is about that one value)', async () => {
    for (const op of Object.keys(table.ops) as Op[]) {
      const spec = table.ops[op];
      for (const via of ['GraphQL', 'REST'] as const) {
        const fixtures = spec.setup ? await spec.setup(table.fixtures()) : table.fixtures();
        const { gqlRes, restRes } = await callOp(
          { ...table, fixtures: () => fixtures },
          fixtures,
          op,
          via,
          spec.valid(fixtures),
        );
        if (gqlRes) {
          expect({ op, errors: gqlRes.errors }).toEqual({ op, errors: undefined });
          expectAccepted(op, gqlRes.data[spec.resultField ?? op], via);
        } else {
          expect({ op, status: restRes.status, detail: restRes.body.detail }).toEqual({
            op,
            status: spec.restStatus,
            detail: undefined,
          });
          expectAccepted(op, restRes.body, via);
        }
      }
    }
  });
}
