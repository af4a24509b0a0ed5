import { GraphQLSchemaHost } from '@nestjs/graphql';
import fc from 'fast-check';
import { WebhookNetwork } from '../src/webhooks/webhook-network.js';
import {
  graphqlOperations,
  restOperations,
  type GraphqlOperation,
  type Operation,
  type RestOperation,
} from './support/fuzz-operations.js';
import { fuzzValue, graphqlLiteral, type FuzzContext } from './support/fuzz-values.js';
import { buildFuzzWorld, type FuzzWorld } from './support/fuzz-world.js';
import { WriteWatch } from './support/input-helpers.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Property-based fuzzing of every REST operation and every GraphQL query and mutation, read from
 * the running app (OpenAPI document, GraphQL schema): random inputs, mostly valid with hostile
 * values anywhere (NUL, lone surrogates, bidi controls, huge numbers, deep nesting, wrong types,
 * "__proto__"/"constructor" keys), sent by callers with rights. The properties: no answer is a
 * 5xx (nor a GraphQL INTERNAL_SERVER_ERROR), no prototype is polluted, and a refused write leaves
 * every data table as it was (no row added, changed or removed: WriteWatch in input-helpers.ts;
 * FUZZ_FINGERPRINT_EVERY=n checks one refused write in n).
 *
 * Replay: FUZZ_SEED=<seed printed below> (FUZZ_RUNS=<total cases>, FUZZ_OPERATION=<name> to run one).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const FINGERPRINT_EVERY = Math.max(1, Number(process.env.FUZZ_FINGERPRINT_EVERY ?? 3));
const ONLY = process.env.FUZZ_OPERATION;
const READ_BATCH = 3;

// the operations are read from the app before the tests are declared, so each gets its own test;
// webhooks go to a closed local port (allowed over http) or time out soon
const t: TestApp = await startTestApp({
  JOBS_POLL_MS: '0',
  WEBHOOK_ALLOW_HOSTS: '127.0.0.1:9',
  WEBHOOK_TIMEOUT_MS: '200',
});
// fuzzed https URLs name random hosts: the system resolver would look them up in the DNS (there is
// no network here, and a test must not depend on one), so every host resolves to one public address
t.app.get(WebhookNetwork).resolve = async () => [{ address: '93.184.215.14', family: 4 }];
const fastify = t.app.getHttpAdapter().getInstance();
const openApi = (await fastify.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
const allOperations: Operation[] = [
  ...restOperations(openApi),
  ...graphqlOperations(t.app.get(GraphQLSchemaHost).schema),
];
const operations = ONLY ? allOperations.filter((op) => op.name === ONLY) : allOperations;
const RUNS_PER_OPERATION = Math.ceil(TOTAL_RUNS / allOperations.length);
console.log(
  `fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${operations.length} operations × ${RUNS_PER_OPERATION} cases`,
);

let world: FuzzWorld;
const writes = new WriteWatch(t);
let refusedWrites = 0;

beforeAll(async () => {
  world = await buildFuzzWorld(t);
});

afterAll(async () => {
  await t.close();
});

/** Percent-encoding of the UTF-8 bytes (encodeURIComponent throws on a lone surrogate; the bytes replace it with U+FFFD). */
const percentEncode = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');

const asParam = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

interface Request {
  method: string;
  url: string;
  contentType?: string;
  payload?: string;
}

interface RestCase {
  key: string;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: { json: unknown } | { raw: string } | { rows: unknown[] };
}
interface GraphqlCase {
  key: string;
  inline: boolean;
  args: unknown[];
}

function restCase(op: RestOperation, ctx: FuzzContext, callers: string[]): fc.Arbitrary<RestCase> {
  const id = (name: string) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...ctx.ids), weight: 5 },
      { arbitrary: fuzzValue({ kind: 'string' }, name, ctx, 1), weight: 1 },
    );
  const body =
    op.body?.kind === 'json'
      ? fc.oneof(
          { arbitrary: fuzzValue(op.body.shape, 'body', ctx).map((json) => ({ json })), weight: 12 },
          { arbitrary: fc.string({ maxLength: 30 }).map((raw) => ({ raw })), weight: 1 },
        )
      : op.body?.kind === 'ndjson'
        ? fc.array(fuzzValue(op.body.row, 'row', ctx), { minLength: 1, maxLength: 3 }).map((rows) => ({ rows }))
        : fc.constant(undefined);
  return fc.record({
    key: fc.constantFrom(...callers),
    path: fc.record(Object.fromEntries(op.pathParams.map((p) => [p, id(p)]))),
    query: fc.record(
      Object.fromEntries(op.query.map((q) => [q.name, fc.option(fuzzValue(q.shape, q.name, ctx), { nil: undefined })])),
    ),
    body,
  });
}

function restRequest(op: RestOperation, c: RestCase): Request {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(asParam(c.path[name])));
  const query = Object.entries(c.query)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((item) => `${percentEncode(k)}=${percentEncode(asParam(item))}`),
    )
    .join('&');
  const url = query ? `${path}?${query}` : path;
  if (!c.body) return { method: op.method, url };
  if ('rows' in c.body)
    return {
      method: op.method,
      url,
      contentType: 'application/x-ndjson',
      payload: c.body.rows.map((r) => JSON.stringify(r) ?? 'null').join('\n') + '\n',
    };
  return {
    method: op.method,
    url,
    contentType: 'application/json',
    payload: 'raw' in c.body ? c.body.raw : (JSON.stringify(c.body.json) ?? 'null'),
  };
}

function graphqlCase(op: GraphqlOperation, ctx: FuzzContext, callers: string[]): fc.Arbitrary<GraphqlCase> {
  return fc.record({
    key: fc.constantFrom(...callers),
    inline: fc.boolean(),
    args: fc.tuple(
      ...op.args.map((a) =>
        a.required ? fuzzValue(a.shape, a.name, ctx) : fc.option(fuzzValue(a.shape, a.name, ctx), { nil: undefined }),
      ),
    ),
  });
}

function graphqlRequest(op: GraphqlOperation, c: GraphqlCase): Request {
  const given = op.args.map((arg, i) => ({ arg, value: c.args[i] })).filter((a) => a.value !== undefined);
  let query: string;
  let variables: Record<string, unknown> = {};
  if (c.inline) {
    const args = given.map(({ arg, value }) => `${arg.name}: ${graphqlLiteral(value, arg.type)}`).join(', ');
    query = `${op.operation} { ${op.field}${args ? `(${args})` : ''} ${op.selection} }`;
  } else {
    const declared = given.map(({ arg }) => `$${arg.name}: ${arg.typeName}`).join(', ');
    const args = given.map(({ arg }) => `${arg.name}: $${arg.name}`).join(', ');
    query = `${op.operation} Fuzz${declared ? `(${declared})` : ''} { ${op.field}${args ? `(${args})` : ''} ${op.selection} }`;
    variables = Object.fromEntries(given.map(({ arg, value }) => [arg.name, value]));
  }
  return {
    method: 'POST',
    url: '/graphql',
    contentType: 'application/json',
    payload: JSON.stringify({ query, variables }),
  };
}

const SERVER_SIDE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);
const show = (text: string | undefined, max = 600) =>
  text && text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : (text ?? '');

/** Sends one case and checks the properties; throws, with the request and the answer, when one fails. */
async function check(op: Operation, key: string, request: Request, watch: boolean) {
  const before = watch && op.writes ? await writes.mark() : null;
  const res = await fastify.inject({
    method: request.method as 'GET',
    url: request.url,
    payload: request.payload,
    headers: {
      authorization: `Bearer ${key}`,
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
    },
  });
  let body: any;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = null; // an NDJSON or empty answer
  }
  const fail = (why: string) =>
    new Error(
      `${op.name}: ${why}\nrequest: ${request.method} ${show(request.url, 300)}\n${show(request.payload)}\nanswer: ${res.statusCode} ${show(res.body)}`,
    );
  if (res.statusCode >= 500) throw fail(`answered ${res.statusCode}`);
  // GraphQL's errors (a REST problem's `errors` lists the validation failures instead)
  const errors: { extensions?: { code?: string } }[] =
    op.api === 'GraphQL' && Array.isArray(body?.errors) ? body.errors : [];
  if (errors.some((e) => !e.extensions?.code || SERVER_SIDE_CODES.has(e.extensions.code)))
    throw fail('answered a GraphQL error from our side');
  if (/"status":"aborted"/.test(res.body)) throw fail('the import stopped on our side');
  if (({} as Record<string, unknown>).polluted !== undefined || ({} as Record<string, unknown>).isAdmin !== undefined)
    throw fail('Object.prototype was polluted');
  const refused =
    op.api === 'REST'
      ? res.statusCode >= 400
      : errors.length > 0 || /Error$/.test(String(body?.data?.[(op as GraphqlOperation).field]?.__typename ?? ''));
  if (op.writes && refused) refusedWrites++;
  if (before && refused) {
    const changed = await writes.changedSince(before);
    if (changed.length) throw fail(`a refused write changed ${changed.join(', ')}`);
  }
}

describe('fuzzing every operation of both APIs', () => {
  it('reads the operations from the running app: every REST route of the OpenAPI document and every GraphQL query and mutation', () => {
    const names = allOperations.map((op) => op.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/units',
        'POST /api/v1/units:import',
        'PATCH /api/v1/repair-tickets/{id}',
        'mutation registerUnit',
        'query unitBySerial',
      ]),
    );
    expect(allOperations.filter((op) => op.api === 'REST').length).toBeGreaterThanOrEqual(40);
    expect(allOperations.filter((op) => op.api === 'GraphQL').length).toBeGreaterThanOrEqual(40);
    expect(RUNS_PER_OPERATION * allOperations.length).toBeGreaterThanOrEqual(Math.min(TOTAL_RUNS, 10_000));
  });

  it('the write watch sees a write, and sees nothing after a read or a refused write', async () => {
    const mark = await writes.mark();
    const org = await fastify.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${PLATFORM_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        query: 'mutation { createOrganization(input: { name: "Watched", kind: RETAILER }) { id } }',
      }),
    });
    expect(org.json().data.createOrganization.id).toEqual(expect.any(String));
    expect(await writes.changedSince(mark)).toEqual(['organizations', 'outbox_events']);
    const quiet = await writes.mark();
    await fastify.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${PLATFORM_KEY}` } });
    await fastify.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: { authorization: `Bearer ${PLATFORM_KEY}`, 'content-type': 'application/json' },
      payload: '{"name":"","kind":"RETAILER"}',
    });
    expect(await writes.changedSince(quiet)).toEqual([]);
  });

  it.each(operations.map((op) => [op.name, op, allOperations.indexOf(op)] as const))(
    '%s: no 5xx, no polluted prototype, refused writes store nothing',
    async (_name, op, index) => {
      // reads go a few at a time (they change nothing, so nothing to watch); writes one by one
      const batch = op.writes ? 1 : READ_BATCH;
      let n = 0;
      const run = async (requests: { key: string; request: Request }[]) => {
        await Promise.all(
          requests.map(({ key, request }) => check(op, key, request, op.writes && n++ % FINGERPRINT_EVERY === 0)),
        );
      };
      // one seed per operation, derived from the printed one: FUZZ_SEED replays them all
      const params = { seed: SEED + index, numRuns: Math.ceil(RUNS_PER_OPERATION / batch), endOnFailure: true };
      if (op.api === 'REST') {
        const cases = fc.array(restCase(op, world.context, world.callers), { minLength: batch, maxLength: batch });
        await fc.assert(
          fc.asyncProperty(cases, (cs) => run(cs.map((c) => ({ key: c.key, request: restRequest(op, c) })))),
          params,
        );
      } else {
        const cases = fc.array(graphqlCase(op, world.context, world.callers), { minLength: batch, maxLength: batch });
        await fc.assert(
          fc.asyncProperty(cases, (cs) => run(cs.map((c) => ({ key: c.key, request: graphqlRequest(op, c) })))),
          params,
        );
      }
    },
  );

  it('refused writes were among the cases (the unchanged-database check had something to check)', () => {
    expect(refusedWrites).toBeGreaterThan(ONLY ? 0 : 100);
  });
});
