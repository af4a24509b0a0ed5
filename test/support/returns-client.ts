import { dataOf, gql, type GqlResponse, rest, type Tenant } from './api.js';
import type { CreateReturnPolicyInput, ReturnPolicyFieldsFragment, ReturnViewFragment } from './generated/graphql.js';
import { operation, type ResultOf, untypedOperation } from './graphql-documents.js';
import { sqlQuery, tableCounts } from './input-helpers.js';
import type { TestApp } from './test-app.js';

export const CREATE_POLICY = operation('CreateReturnPolicy');
// The whole return, for the specs that drive a flow step by step.
export const REQUEST_RETURN = untypedOperation('RequestReturn');
export const TRANSITION_RETURN = untypedOperation('TransitionReturn');
export const INSPECT_RETURN = untypedOperation('InspectReturn');
export const RESOLVE_RETURN = untypedOperation('ResolveReturn');
export const GET_RETURN = untypedOperation('ReturnAuthorization');

/** A policy of the retailer's, with sensible defaults the test may override. */
export async function createPolicy(t: TestApp, retailer: Tenant, overrides: Partial<CreateReturnPolicyInput> = {}) {
  const res = await gql(t, retailer.staff, CREATE_POLICY, {
    input: {
      name: 'Standard 30 days',
      windowDays: 30,
      restockingFeePercent: '15',
      allowedResolutions: ['REFUND', 'EXCHANGE', 'STORE_CREDIT', 'REPAIR'],
      ...overrides,
    },
  });
  return dataOf(res).createReturnPolicy;
}

// ----------------------------------------------------------------- both transports
// The return operations over GraphQL or REST, with the answers normalized to one shape so that
// one test body checks both. Nothing here decides what is right: the tests do.

export type ReturnsTransport = 'GraphQL' | 'REST';
export const RETURNS_TRANSPORTS: ReturnsTransport[] = ['GraphQL', 'REST'];

export interface ReturnMoney {
  amount: string;
  currency: string;
}

export interface RmaLine {
  id: string;
  unitId: string;
  reason: string;
  condition: string;
  requestedResolution: string;
  resolution: string | null;
  expectedRefund: ReturnMoney | null;
  restockingFee: ReturnMoney | null;
  refundedAmount: ReturnMoney | null;
  inspectionGrade: string | null;
  replacementUnitId: string | null;
  repairTicketId: string | null;
}

export interface Rma {
  id: string;
  number: string;
  status: string;
  version: number;
  policyId: string | null;
  rejectionReason: string | null;
  rejectionMessage: string | null;
  rejectedLine: number | null;
  shipBy: string | null;
  trackingNumber: string | null;
  carrier: string | null;
  lines: RmaLine[];
  history: { from: string | null; to: string; note: string | null; actorId: string | null }[];
}

export interface ReturnFailure {
  /** GraphQL extensions.code or the REST problem's code; absent for a GraphQL union member. */
  code?: string;
  errorCode?: string;
  /** null when a GraphQL error member names no field. */
  field?: string | null;
  currentVersion?: number;
  fromState?: string;
  toState?: string;
  allowedStates?: string[];
  httpStatus: number;
}

export interface ReturnOutcome {
  transport: ReturnsTransport;
  httpStatus: number;
  headers: Record<string, string>;
  /** The raw answer: data of the GraphQL field, or the REST body. */
  body: any;
  rma?: Rma;
  failure?: ReturnFailure;
}

// The return view that returnsApi normalizes (graphql/returns.graphql: ReturnsApi...).
export const RMA_REQUEST = operation('ReturnsApiRequest');
export const RMA_TRANSITION = operation('ReturnsApiTransition');
export const RMA_INSPECT = operation('ReturnsApiInspect');
export const RMA_RESOLVE = operation('ReturnsApiResolve');
export const RMA_QUERY = operation('ReturnsApiReturn');
export const POLICIES_QUERY = operation('ReturnPolicies');

/** A return operation's answer over GraphQL: the return, or an error member of its result union. */
type ReturnAnswer =
  | ResultOf<'ReturnsApiRequest'>['requestReturn']
  | ResultOf<'ReturnsApiTransition'>['transitionReturn']
  | ReturnViewFragment;

const moneyOf = (m: ReturnMoney | null | undefined): ReturnMoney | null =>
  m ? { amount: m.amount, currency: m.currency } : null;

function rmaFromGraphql(node: ReturnViewFragment): Rma {
  return {
    id: node.id,
    number: node.number,
    status: node.status,
    version: node.version,
    policyId: node.policy?.id ?? null,
    rejectionReason: node.rejectionReason,
    rejectionMessage: node.rejectionMessage,
    rejectedLine: node.rejectedLine,
    shipBy: node.shipBy,
    trackingNumber: node.trackingNumber,
    carrier: node.carrier,
    lines: node.lines.map((l) => ({
      id: l.id,
      unitId: l.unit.id,
      reason: l.reason,
      condition: l.condition,
      requestedResolution: l.requestedResolution,
      resolution: l.resolution,
      expectedRefund: moneyOf(l.expectedRefund),
      restockingFee: moneyOf(l.restockingFee),
      refundedAmount: moneyOf(l.refundedAmount),
      inspectionGrade: l.inspectionGrade,
      replacementUnitId: l.replacementUnit?.id ?? null,
      repairTicketId: l.repairTicket?.id ?? null,
    })),
    history: node.history.map((h) => ({ from: h.from, to: h.to, note: h.note, actorId: h.actor?.id ?? null })),
  };
}

function rmaFromRest(body: any): Rma {
  return {
    id: body.id,
    number: body.number,
    status: body.status,
    version: body.version,
    policyId: body.policyId ?? null,
    rejectionReason: body.rejectionReason ?? null,
    rejectionMessage: body.rejectionMessage ?? null,
    rejectedLine: body.rejectedLine ?? null,
    shipBy: body.shipBy ?? null,
    trackingNumber: body.trackingNumber ?? null,
    carrier: body.carrier ?? null,
    lines: (body.lines ?? []).map((l: any) => ({
      id: l.id,
      unitId: l.unitId,
      reason: l.reason,
      condition: l.condition,
      requestedResolution: l.requestedResolution,
      resolution: l.resolution ?? null,
      expectedRefund: moneyOf(l.expectedRefund),
      restockingFee: moneyOf(l.restockingFee),
      refundedAmount: moneyOf(l.refundedAmount),
      inspectionGrade: l.inspectionGrade ?? null,
      replacementUnitId: l.replacementUnitId ?? null,
      repairTicketId: l.repairTicketId ?? null,
    })),
    history: (body.history ?? []).map((h: any) => ({
      from: h.from ?? null,
      to: h.to,
      note: h.note ?? null,
      actorId: h.actorOrganizationId ?? null,
    })),
  };
}

/** A GraphQL failure: the first thrown error's extensions. */
function gqlFailure(res: GqlResponse<unknown>): ReturnFailure {
  const ext = res.errors?.[0]?.extensions ?? {};
  return { code: ext.code, errorCode: ext.errorCode, field: ext.field, httpStatus: res.status };
}

function gqlReturnOutcome(res: GqlResponse<unknown>, result: ReturnAnswer | null | undefined): ReturnOutcome {
  const base = { transport: 'GraphQL' as const, httpStatus: res.status, headers: res.headers, body: result };
  if (res.errors?.length || !result) return { ...base, failure: gqlFailure(res) };
  if ('__typename' in result && result.__typename !== 'ReturnAuthorization') {
    const { __typename: _type, message: _message, ...details } = result;
    return { ...base, failure: { ...details, httpStatus: res.status } };
  }
  return { ...base, rma: rmaFromGraphql(result) };
}

function restReturnOutcome(res: any): ReturnOutcome {
  const base = { transport: 'REST' as const, httpStatus: res.status, headers: res.headers, body: res.body };
  if (res.status >= 200 && res.status < 300) return { ...base, rma: rmaFromRest(res.body) };
  const b = res.body ?? {};
  const failure: ReturnFailure = { code: b.code, errorCode: b.errorCode, field: b.field, httpStatus: res.status };
  for (const k of ['currentVersion', 'fromState', 'toState', 'allowedStates'] as const)
    if (b[k] !== undefined) (failure as any)[k] = b[k];
  return { ...base, failure };
}

export interface ReturnsApi {
  transport: ReturnsTransport;
  request(key: string, input: Record<string, unknown>, headers?: Record<string, string>): Promise<ReturnOutcome>;
  get(key: string, id: string): Promise<ReturnOutcome>;
  transition(key: string, id: string, body: Record<string, unknown>): Promise<ReturnOutcome>;
  inspect(key: string, id: string, body: Record<string, unknown>): Promise<ReturnOutcome>;
  resolve(key: string, id: string, body: Record<string, unknown>): Promise<ReturnOutcome>;
  /** createReturnPolicy / POST /return-policies: the policy, or the failure. */
  createPolicy(
    key: string,
    input: Record<string, unknown>,
  ): Promise<{ httpStatus: number; policy?: ReturnPolicyFieldsFragment; failure?: ReturnFailure }>;
  /** returnPolicies / GET /return-policies: the policies' ids. */
  policyIds(key: string): Promise<string[]>;
}

export function returnsApi(t: TestApp, transport: ReturnsTransport): ReturnsApi {
  if (transport === 'GraphQL') {
    // the specs send wrong input on purpose through this API (bad input, the workflow's
    // refusals): the server judges it, so the input goes as the spec wrote it
    const input = (value: Record<string, unknown>) => value as any;
    return {
      transport,
      request: async (key, body, headers = {}) => {
        const res = await gql(t, key, RMA_REQUEST, { input: input(body) }, headers);
        return gqlReturnOutcome(res, res.data?.requestReturn);
      },
      get: async (key, id) => {
        const res = await gql(t, key, RMA_QUERY, { id });
        return gqlReturnOutcome(res, res.data?.returnAuthorization);
      },
      transition: async (key, id, body) => {
        const res = await gql(t, key, RMA_TRANSITION, { input: input({ ...body, returnId: id }) });
        return gqlReturnOutcome(res, res.data?.transitionReturn);
      },
      inspect: async (key, id, body) => {
        const res = await gql(t, key, RMA_INSPECT, { input: input({ ...body, returnId: id }) });
        return gqlReturnOutcome(res, res.data?.inspectReturn);
      },
      resolve: async (key, id, body) => {
        const res = await gql(t, key, RMA_RESOLVE, { input: input({ ...body, returnId: id }) });
        return gqlReturnOutcome(res, res.data?.resolveReturn);
      },
      createPolicy: async (key, body) => {
        const res = await gql(t, key, CREATE_POLICY, { input: input(body) });
        if (res.errors?.length || !res.data?.createReturnPolicy)
          return { httpStatus: res.status, failure: gqlFailure(res) };
        return { httpStatus: res.status, policy: res.data.createReturnPolicy };
      },
      policyIds: async (key) => dataOf(await gql(t, key, POLICIES_QUERY, {})).returnPolicies.map((p) => p.id),
    };
  }
  return {
    transport,
    request: async (key, input, headers = {}) => {
      let req = rest(t, key).post('/returns', input);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      return restReturnOutcome(await req);
    },
    get: async (key, id) => restReturnOutcome(await rest(t, key).get(`/returns/${id}`)),
    transition: async (key, id, body) => restReturnOutcome(await rest(t, key).post(`/returns/${id}:transition`, body)),
    inspect: async (key, id, body) => restReturnOutcome(await rest(t, key).post(`/returns/${id}:inspect`, body)),
    resolve: async (key, id, body) => restReturnOutcome(await rest(t, key).post(`/returns/${id}:resolve`, body)),
    createPolicy: async (key, input) => {
      const res = await rest(t, key).post('/return-policies', input);
      if (res.status >= 200 && res.status < 300) return { httpStatus: res.status, policy: res.body };
      const b = res.body ?? {};
      return {
        httpStatus: res.status,
        failure: { code: b.code, errorCode: b.errorCode, field: b.field, httpStatus: res.status },
      };
    },
    policyIds: async (key) => {
      const res = await rest(t, key).get('/return-policies');
      if (res.status !== 200) throw new Error(`GET /return-policies: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.map((p: { id: string }) => p.id);
    },
  };
}

/** The return of a successful answer; fails loudly with the answer otherwise. */
export function expectReturn(outcome: ReturnOutcome): Rma {
  if (!outcome.rma)
    throw new Error(
      `expected a return over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.body ?? outcome.failure)}`,
    );
  return outcome.rma;
}

/** The failure of an answer, checked against the expected parts. */
export function expectReturnFailure(
  outcome: ReturnOutcome,
  expected: Partial<Omit<ReturnFailure, 'httpStatus'>> & { httpStatus?: number },
): ReturnFailure {
  if (!outcome.failure)
    throw new Error(
      `expected a failure over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.body)}`,
    );
  expect(outcome.failure).toMatchObject(expected);
  return outcome.failure;
}

/** A return as stored: status, version and counts of its history and outbox rows (read from the database). */
export async function storedReturn(t: TestApp, id: string) {
  const [r] = await sqlQuery(
    t,
    `SELECT status, version, tracking_number, ship_by::text AS ship_by FROM return_authorizations WHERE id = $1`,
    [id],
  );
  const [h] = await sqlQuery(t, `SELECT count(*)::int AS n FROM return_history WHERE return_id = $1`, [id]);
  const [o] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_type = 'ReturnAuthorization' AND aggregate_id = $1`,
    [id],
  );
  const lines = await sqlQuery(
    t,
    `SELECT id, resolution, inspection_grade, replacement_unit_id, repair_ticket_id FROM return_lines WHERE return_id = $1 ORDER BY position`,
    [id],
  );
  return {
    status: r?.status,
    version: r?.version,
    trackingNumber: r?.tracking_number ?? null,
    shipBy: r?.ship_by ?? null,
    history: h.n,
    outbox: o.n,
    lines,
  };
}

/** Row counts of every table a return operation may write, with the returns' summed versions (any change bumps one). */
export async function returnTableCounts(t: TestApp) {
  const one = async (sql: string) => (await sqlQuery(t, sql))[0];
  const returns = await one(
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS versions FROM return_authorizations`,
  );
  const lines = await one(
    `SELECT count(*)::int AS n, count(resolution)::int AS resolved, count(inspection_grade)::int AS inspected FROM return_lines`,
  );
  const units = await one(
    `SELECT coalesce(sum(version), 0)::int AS versions, count(*) FILTER (WHERE status <> 'ACTIVE')::int AS inactive FROM units`,
  );
  return {
    ...(await tableCounts(t)),
    return_policies: (await one(`SELECT count(*)::int AS n FROM return_policies`)).n,
    return_authorizations: returns.n,
    return_versions: returns.versions,
    return_lines: lines.n,
    return_lines_resolved: lines.resolved,
    return_lines_inspected: lines.inspected,
    return_history: (await one(`SELECT count(*)::int AS n FROM return_history`)).n,
    repair_tickets: (await one(`SELECT count(*)::int AS n FROM repair_tickets`)).n,
    idempotency_keys: (await one(`SELECT count(*)::int AS n FROM idempotency_keys`)).n,
    unit_versions: units.versions,
    units_inactive: units.inactive,
  };
}
