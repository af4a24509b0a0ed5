import { dataOf, gql, type GqlResponse, rest, roleKeys, type Tenant } from './api.js';
import type { RepairStatus, RepairTicketViewFragment } from './generated/graphql.js';
import { operation, type ResultOf, untypedOperation } from './graphql-documents.js';
import type { Failure, Money, Transport } from './claims-client.js';
import { sqlQuery } from './input-helpers.js';
import { PLATFORM_KEY, type TestApp } from './test-app.js';

// The whole ticket, for the specs that drive a flow step by step.
export const OPEN = untypedOperation('OpenRepairTicket');
export const ASSIGN = untypedOperation('AssignTechnician');
export const UPDATE = untypedOperation('UpdateRepairTicket');
export const APPROVE = untypedOperation('ApproveRepairEstimate');
export const GET = untypedOperation('RepairTicket');

/** A technician of the center, and a TECHNICIAN key bound to it. */
export async function createTechnician(
  t: TestApp,
  center: Tenant,
  name = 'Tess Tech',
): Promise<{ id: string; key: string }> {
  const created = await gql(t, center.admin, operation('CreateTechnician'), {
    input: { serviceCenterId: center.id, name },
  });
  const id = dataOf(created).createTechnician.id;
  const key = await gql(t, center.admin, operation('CreateTenantApiKey'), {
    input: { organizationId: center.id, name: `${name} key`, role: 'TECHNICIAN', technicianId: id },
  });
  return { id, key: dataOf(key).createApiKey.secret };
}

/**
 * Runs a mutation with this input and returns its result field, failing loudly on a GraphQL error.
 * For the specs that drive a flow step by step (see untypedOperation): the answer is `any`.
 */
export async function run(t: TestApp, key: string, mutation: string, input: Record<string, unknown>): Promise<any> {
  return Object.values(dataOf(await gql(t, key, mutation, { input })))[0];
}

// ----------------------------------------------------------------- both transports
// The repair-ticket operations over GraphQL or REST, with the answers normalized to one shape so
// that one test body checks both. Nothing here decides what is right: the tests do.

export interface RepairHistoryRow {
  from: string | null;
  to: string;
  note: string | null;
  actorId: string;
  technicianId: string | null;
}

export interface Ticket {
  id: string;
  number: string;
  status: string;
  nextStates: string[];
  version: number;
  overdue: boolean;
  dueAt: string;
  createdAt: string;
  serviceCenterId: string;
  technicianId: string | null;
  laborMinutes: number;
  estimate: { total: Money; covered: Money; customerPays: Money; approvedAt: string | null } | null;
  history: RepairHistoryRow[];
}

export interface TicketOutcome {
  transport: Transport;
  httpStatus: number;
  headers: Record<string, string>;
  /** The raw answer: data of the GraphQL field, or the REST body. */
  body: any;
  ticket?: Ticket;
  failure?: Failure;
}

export interface TicketListOutcome {
  transport: Transport;
  /** Every ticket of every page. */
  tickets?: Ticket[];
  ids?: string[];
  totalCount?: number;
  failure?: Failure;
}

export interface RepairTicketListFilter {
  status?: RepairStatus;
  technicianId?: string;
  unitId?: string;
  overdue?: boolean;
}

// The ticket view that repairsApi normalizes (graphql/repairs.graphql: RepairsApi...).
export const OPEN_TICKET = operation('RepairsApiOpen');
export const ASSIGN_TICKET = operation('RepairsApiAssign');
export const UPDATE_TICKET = operation('RepairsApiUpdate');
export const APPROVE_TICKET = operation('RepairsApiApprove');
export const TICKET_QUERY = operation('RepairsApiTicket');
export const TICKETS_QUERY = operation('RepairsApiTickets');

/** A ticket operation's answer over GraphQL: the ticket, or an error member of its result union. */
type TicketAnswer =
  | ResultOf<'RepairsApiOpen'>['openRepairTicket']
  | ResultOf<'RepairsApiUpdate'>['updateRepairTicket']
  | RepairTicketViewFragment;

function ticketFromGraphql(node: RepairTicketViewFragment): Ticket {
  return {
    id: node.id,
    number: node.number,
    status: node.status,
    nextStates: node.nextStates,
    version: node.version,
    overdue: node.overdue,
    dueAt: node.dueAt,
    createdAt: node.createdAt,
    serviceCenterId: node.serviceCenter?.id,
    technicianId: node.technician?.id ?? null,
    laborMinutes: node.laborMinutes,
    estimate: node.estimate,
    history: node.history.map((h) => ({
      from: h.from,
      to: h.to,
      note: h.note,
      actorId: h.actor.id,
      technicianId: h.technician?.id ?? null,
    })),
  };
}

function ticketFromRest(body: any): Ticket {
  const money = (m: any): Money => ({ amount: m.amount, currency: m.currency });
  return {
    id: body.id,
    number: body.number,
    status: body.status,
    nextStates: body.nextStates,
    version: body.version,
    overdue: body.overdue,
    dueAt: body.dueAt,
    createdAt: body.createdAt,
    serviceCenterId: body.serviceCenterId,
    technicianId: body.technicianId ?? null,
    laborMinutes: body.laborMinutes,
    estimate: body.estimate
      ? {
          total: money(body.estimate.total),
          covered: money(body.estimate.covered),
          customerPays: money(body.estimate.customerPays),
          approvedAt: body.estimate.approvedAt ?? null,
        }
      : null,
    history: (body.history ?? []).map((h: any) => ({
      from: h.from,
      to: h.to,
      note: h.note,
      actorId: h.actorOrganizationId,
      technicianId: h.technicianId ?? null,
    })),
  };
}

/** A GraphQL failure: the first thrown error's extensions. */
function gqlFailure(res: GqlResponse<unknown>): Failure {
  const ext = res.errors?.[0]?.extensions ?? {};
  const contentType = String(res.headers['content-type'] ?? '');
  return { code: ext.code, errorCode: ext.errorCode, field: ext.field, httpStatus: res.status, contentType };
}

function gqlTicketOutcome(res: GqlResponse<unknown>, result: TicketAnswer | null | undefined): TicketOutcome {
  const base = { transport: 'GraphQL' as const, httpStatus: res.status, headers: res.headers, body: result };
  if (res.errors?.length || !result) return { ...base, failure: gqlFailure(res) };
  if ('__typename' in result && result.__typename !== 'RepairTicket') {
    const { __typename: _type, message: _message, ...rest } = result;
    const contentType = String(res.headers['content-type'] ?? '');
    return { ...base, failure: { ...rest, httpStatus: res.status, contentType } };
  }
  return { ...base, ticket: ticketFromGraphql(result) };
}

function restFailure(res: any): Failure {
  const b = res.body ?? {};
  return {
    code: b.code,
    errorCode: b.errorCode,
    field: b.field,
    currentVersion: b.currentVersion,
    fromState: b.fromState,
    toState: b.toState,
    allowedStates: b.allowedStates,
    httpStatus: res.status,
    contentType: String(res.headers['content-type'] ?? ''),
  };
}

function restTicketOutcome(res: any): TicketOutcome {
  const base = { transport: 'REST' as const, httpStatus: res.status, headers: res.headers, body: res.body };
  if (res.status >= 200 && res.status < 300) return { ...base, ticket: ticketFromRest(res.body) };
  return { ...base, failure: restFailure(res) };
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export interface RepairsApi {
  transport: Transport;
  open(key: string, input: Record<string, unknown>, headers?: Record<string, string>): Promise<TicketOutcome>;
  get(key: string, id: string): Promise<TicketOutcome>;
  update(key: string, id: string, body: Record<string, unknown>): Promise<TicketOutcome>;
  assign(key: string, id: string, body: Record<string, unknown>): Promise<TicketOutcome>;
  approve(key: string, id: string, body: Record<string, unknown>): Promise<TicketOutcome>;
  /** Every page of the caller's tickets with this filter. */
  list(key: string, filter?: RepairTicketListFilter): Promise<TicketListOutcome>;
}

export function repairsApi(t: TestApp, transport: Transport): RepairsApi {
  if (transport === 'GraphQL') {
    // the specs send wrong input on purpose through this API (bad input, input hardening): the
    // server judges it, so the input goes as the spec wrote it
    const input = (value: Record<string, unknown>) => value as any;
    return {
      transport,
      open: async (key, body, headers = {}) => {
        const res = await gql(t, key, OPEN_TICKET, { input: input(body) }, headers);
        return gqlTicketOutcome(res, res.data?.openRepairTicket);
      },
      get: async (key, id) => {
        const res = await gql(t, key, TICKET_QUERY, { id });
        return gqlTicketOutcome(res, res.data?.repairTicket);
      },
      update: async (key, id, body) => {
        const res = await gql(t, key, UPDATE_TICKET, { input: input({ ...body, ticketId: id }) });
        return gqlTicketOutcome(res, res.data?.updateRepairTicket);
      },
      assign: async (key, id, body) => {
        const res = await gql(t, key, ASSIGN_TICKET, { input: input({ ...body, ticketId: id }) });
        return gqlTicketOutcome(res, res.data?.assignTechnician);
      },
      approve: async (key, id, body) => {
        const res = await gql(t, key, APPROVE_TICKET, { input: input({ ...body, ticketId: id }) });
        return gqlTicketOutcome(res, res.data?.approveRepairEstimate);
      },
      list: async (key, filter = {}) => {
        const tickets: Ticket[] = [];
        let after: string | null = null;
        let totalCount = 0;
        for (let page = 0; page < 100; page++) {
          const res: GqlResponse<ResultOf<'RepairsApiTickets'>> = await gql(t, key, TICKETS_QUERY, {
            first: 100,
            after,
            filter: withoutUndefined(filter),
          });
          if (res.errors?.length) return { transport, failure: gqlFailure(res) };
          const conn = res.data.repairTickets;
          totalCount = conn.totalCount;
          tickets.push(...conn.edges.map((e) => ticketFromGraphql(e.node)));
          if (!conn.pageInfo.hasNextPage) break;
          after = conn.pageInfo.endCursor;
        }
        return { transport, tickets, ids: tickets.map((x) => x.id), totalCount };
      },
    };
  }
  return {
    transport,
    open: async (key, input, headers = {}) => {
      let req = rest(t, key).post('/repair-tickets', input);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      return restTicketOutcome(await req);
    },
    get: async (key, id) => restTicketOutcome(await rest(t, key).get(`/repair-tickets/${id}`)),
    update: async (key, id, body) => restTicketOutcome(await rest(t, key).patch(`/repair-tickets/${id}`, body)),
    assign: async (key, id, body) =>
      restTicketOutcome(await rest(t, key).post(`/repair-tickets/${id}:assignTechnician`, body)),
    approve: async (key, id, body) =>
      restTicketOutcome(await rest(t, key).post(`/repair-tickets/${id}:approveEstimate`, body)),
    list: async (key, filter = {}) => {
      const tickets: Ticket[] = [];
      let after: string | null = null;
      let totalCount = 0;
      for (let page = 0; page < 100; page++) {
        const params = new URLSearchParams({ first: '100' });
        for (const [name, value] of Object.entries(filter))
          if (value !== undefined && value !== null) params.set(name, String(value));
        if (after) params.set('after', after);
        const res: any = await rest(t, key).get(`/repair-tickets?${params.toString()}`);
        if (res.status !== 200) return { transport, failure: restFailure(res) };
        totalCount = res.body.totalCount;
        tickets.push(...res.body.edges.map((e: any) => ticketFromRest(e.node)));
        if (!res.body.pageInfo.hasNextPage) break;
        after = res.body.pageInfo.endCursor;
      }
      return { transport, tickets, ids: tickets.map((x) => x.id), totalCount };
    },
  };
}

/** The ticket of a successful outcome; fails the test with what came back otherwise. */
export function expectTicket(outcome: TicketOutcome): Ticket {
  if (!outcome.ticket)
    throw new Error(
      `expected a repair ticket over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.failure)}`,
    );
  return outcome.ticket;
}

/** REST statuses of refusals, as the API's conventions fix them. */
const REST_STATUS_BY_CODE: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404, UNAUTHENTICATED: 401 };
const REST_STATUS_BY_ERROR_CODE: Record<string, number> = {
  VALIDATION_ERROR: 400,
  VERSION_CONFLICT: 409,
  INVALID_STATE_TRANSITION: 422,
  REPAIR_ALREADY_OPEN: 422,
  UNIT_NOT_ACTIVE: 422,
  ESTIMATE_NOT_APPROVED: 422,
};
/** Business refusals the contract returns as union members over GraphQL, never as thrown errors. */
const UNION_ONLY = new Set([
  'VERSION_CONFLICT',
  'INVALID_STATE_TRANSITION',
  'REPAIR_ALREADY_OPEN',
  'UNIT_NOT_ACTIVE',
  'ESTIMATE_NOT_APPROVED',
]);

/**
 * Asserts a refusal with these properties. Over REST it must be problem+json with the status the
 * conventions give the code; over GraphQL a business refusal is a union member (no thrown code).
 */
export function expectRefusal(
  outcome: TicketOutcome | TicketListOutcome,
  expected: Partial<Omit<Failure, 'httpStatus' | 'contentType'>>,
): Failure {
  const failure = outcome.failure;
  if (!failure) {
    const got = 'ticket' in outcome ? outcome.ticket : (outcome as TicketListOutcome).ids;
    throw new Error(
      `expected a refusal ${JSON.stringify(expected)} over ${outcome.transport}, got ${JSON.stringify(got)}`,
    );
  }
  expect(withoutUndefined(failure)).toMatchObject(expected);
  if (outcome.transport === 'GraphQL' && expected.errorCode && UNION_ONLY.has(expected.errorCode))
    expect(failure.code).toBeUndefined();
  if (outcome.transport === 'REST') {
    expect(failure.contentType).toContain('application/problem+json');
    const status =
      (expected.code && REST_STATUS_BY_CODE[expected.code]) ??
      (expected.errorCode && REST_STATUS_BY_ERROR_CODE[expected.errorCode]);
    if (status) expect(failure.httpStatus).toBe(status);
  }
  return failure;
}

// ---------------------------------------------------------------------- database

/** What a change leaves behind, read straight from the database (not through the API). */
export interface StoredTicket {
  status: string;
  version: number;
  technicianId: string | null;
  history: number;
  outbox: number;
}

export async function storedTicket(t: TestApp, id: string): Promise<StoredTicket> {
  const [row] = await sqlQuery(
    t,
    `SELECT status, version, technician_id AS "technicianId",
      (SELECT count(*)::int FROM repair_ticket_history h WHERE h.ticket_id = r.id) AS history,
      (SELECT count(*)::int FROM outbox_events o WHERE o.aggregate_type = 'RepairTicket' AND o.aggregate_id = r.id) AS outbox
    FROM repair_tickets r WHERE r.id = $1`,
    [id],
  );
  if (!row) throw new Error(`no repair ticket ${id} in the database`);
  return row;
}

/** Row counts of the repair tables and of their outbox rows. */
export async function repairCounts(
  t: TestApp,
): Promise<{ tickets: number; history: number; outbox: number; units: number; unitEvents: number }> {
  const [row] = await sqlQuery(
    t,
    `SELECT
      (SELECT count(*)::int FROM repair_tickets) AS tickets,
      (SELECT count(*)::int FROM repair_ticket_history) AS history,
      (SELECT count(*)::int FROM outbox_events WHERE aggregate_type = 'RepairTicket') AS outbox,
      (SELECT count(*)::int FROM units) AS units,
      (SELECT count(*)::int FROM unit_events) AS "unitEvents"`,
  );
  return row;
}

/** A service center with its own labor rate and turnaround target, with ADMIN, STAFF and READONLY keys. */
export async function createServiceCenter(
  t: TestApp,
  options: { name?: string; turnaroundDays?: number; laborRate?: Money } = {},
): Promise<Tenant> {
  const org = await gql(t, PLATFORM_KEY, operation('CreateTenantOrganization'), {
    input: {
      name: options.name ?? `Service center ${Date.now().toString(36)}`,
      kind: 'SERVICE_CENTER',
      laborRate: options.laborRate ?? { amount: '90.00', currency: 'USD' },
      ...(options.turnaroundDays !== undefined ? { turnaroundDays: options.turnaroundDays } : {}),
    },
  });
  const id = dataOf(org).createOrganization.id;
  return { id, kind: 'SERVICE_CENTER', ...(await roleKeys(t, id)) };
}
