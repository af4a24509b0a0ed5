import { DataSource } from 'typeorm';
import { createProduct, dataOf, gql, type GqlResponse, rest, type Tenant, uniqueSerial } from './api.js';
import type { ClaimStatus, FailureCategory, WarrantyClaimFieldsFragment } from './generated/graphql.js';
import { operation, type ResultOf, untypedOperation } from './graphql-documents.js';
import type { TestApp } from './test-app.js';
import { createPlan, mustRegister } from './units-helpers.js';

/**
 * The warranty-claim operations over either transport, with the answers normalized to one shape
 * so that one test body checks GraphQL and REST alike. Nothing here decides what is right: the
 * tests do.
 */
export type Transport = 'GraphQL' | 'REST';
export const TRANSPORTS: Transport[] = ['GraphQL', 'REST'];

export interface Money {
  amount: string;
  currency: string;
}

export interface ClaimHistoryRow {
  from: string | null;
  to: string;
  at: string;
  actorId: string;
  reasonCode: string | null;
  note: string | null;
}

export interface Claim {
  id: string;
  number: string;
  status: string;
  flags: string[];
  version: number;
  failureCategory: string;
  failureDate: string;
  description: string;
  unitId: string;
  claimantId: string;
  manufacturerId: string;
  lines: { kind: string; quantity: string; unitAmount: Money; total: Money }[];
  requestedTotal: Money;
  approvedTotal: Money | null;
  coverage: { source: string; remainingClaims: number | null; deductible: Money | null } | null;
  history: ClaimHistoryRow[];
}

/** A refusal as the client sees it: a thrown error (code) or a union member / problem+json (errorCode). */
export interface Failure {
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
  contentType: string;
}

export interface Outcome {
  transport: Transport;
  httpStatus: number;
  headers: Record<string, string>;
  claim?: Claim;
  failure?: Failure;
}

export interface ClaimPage {
  totalCount: number;
  ids: string[];
  claims: Claim[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ListOutcome {
  page?: ClaimPage;
  failure?: Failure;
}

export interface CoverageAnswer {
  covered: boolean;
  reasons: string[];
  coverages: { source: string; remainingClaims: number | null; deductible: Money | null }[];
}

// for the specs that send a claim themselves
export const SUBMIT_CLAIM = untypedOperation('SubmitWarrantyClaim');
export const REVIEW_CLAIM = untypedOperation('ReviewWarrantyClaim');

const SUBMIT = operation('SubmitWarrantyClaim');
const REVIEW = operation('ReviewWarrantyClaim');
const ANSWER = operation('AnswerClaimInfoRequest');
const CANCEL = operation('CancelWarrantyClaim');
const CLAIM_QUERY = operation('WarrantyClaim');
const CLAIMS_QUERY = operation('WarrantyClaims');
const COVERAGE_QUERY = operation('WarrantyCoverage');

/** A claim operation's answer over GraphQL: the claim, or an error member of its result union. */
type ClaimAnswer =
  | ResultOf<'SubmitWarrantyClaim'>['submitWarrantyClaim']
  | ResultOf<'ReviewWarrantyClaim'>['reviewWarrantyClaim']
  | WarrantyClaimFieldsFragment;

function fromGraphql(node: WarrantyClaimFieldsFragment): Claim {
  return {
    id: node.id,
    number: node.number,
    status: node.status,
    flags: node.flags,
    version: node.version,
    failureCategory: node.failureCategory,
    failureDate: node.failureDate,
    description: node.description,
    unitId: node.unit.id,
    claimantId: node.claimant.id,
    manufacturerId: node.manufacturer.id,
    lines: node.lines,
    requestedTotal: node.requestedTotal,
    approvedTotal: node.approvedTotal,
    coverage: node.coverage,
    history: node.history.map((h) => ({
      from: h.from,
      to: h.to,
      at: h.at,
      actorId: h.actor.id,
      reasonCode: h.reasonCode,
      note: h.note,
    })),
  };
}

function fromRest(body: any): Claim {
  return {
    id: body.id,
    number: body.number,
    status: body.status,
    flags: body.flags,
    version: body.version,
    failureCategory: body.failureCategory,
    failureDate: body.failureDate,
    description: body.description,
    unitId: body.unitId,
    claimantId: body.claimantId,
    manufacturerId: body.manufacturerId,
    lines: (body.lines ?? []).map((l: any) => ({
      kind: l.kind,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      total: l.total,
    })),
    requestedTotal: body.requestedTotal,
    approvedTotal: body.approvedTotal,
    coverage: body.coverage
      ? {
          source: body.coverage.source,
          remainingClaims: body.coverage.remainingClaims,
          deductible: body.coverage.deductible ?? null,
        }
      : null,
    history: (body.history ?? []).map((h: any) => ({
      from: h.from,
      to: h.to,
      at: h.at,
      actorId: h.actorOrganizationId,
      reasonCode: h.reasonCode,
      note: h.note,
    })),
  };
}

/** A GraphQL failure: the first thrown error's extensions. */
function gqlFailure(res: GqlResponse<unknown>): Failure {
  const ext = res.errors?.[0]?.extensions ?? {};
  const contentType = String(res.headers['content-type'] ?? '');
  return { code: ext.code, errorCode: ext.errorCode, field: ext.field, httpStatus: res.status, contentType };
}

function gqlOutcome(res: GqlResponse<unknown>, result: ClaimAnswer | null | undefined): Outcome {
  const base = { transport: 'GraphQL' as const, httpStatus: res.status, headers: res.headers };
  if (res.errors?.length || !result) return { ...base, failure: gqlFailure(res) };
  if ('__typename' in result && result.__typename !== 'WarrantyClaim') {
    const { __typename: _type, message: _message, ...rest } = result;
    const contentType = String(res.headers['content-type'] ?? '');
    return { ...base, failure: { ...rest, httpStatus: res.status, contentType } };
  }
  return { ...base, claim: fromGraphql(result) };
}

function restOutcome(res: any): Outcome {
  const base = { transport: 'REST' as const, httpStatus: res.status, headers: res.headers };
  if (res.status >= 200 && res.status < 300) return { ...base, claim: fromRest(res.body) };
  const b = res.body ?? {};
  return {
    ...base,
    failure: {
      code: b.code,
      errorCode: b.errorCode,
      field: b.field,
      currentVersion: b.currentVersion,
      fromState: b.fromState,
      toState: b.toState,
      allowedStates: b.allowedStates,
      httpStatus: res.status,
      contentType: String(res.headers['content-type'] ?? ''),
    },
  };
}

/** Drops keys whose value is undefined, so toMatchObject compares only what the transport said. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export interface ClaimsApi {
  transport: Transport;
  submit(key: string, input: Record<string, unknown>, headers?: Record<string, string>): Promise<Outcome>;
  review(key: string, claimId: string, body: Record<string, unknown>): Promise<Outcome>;
  answer(key: string, claimId: string, body: Record<string, unknown>): Promise<Outcome>;
  cancel(key: string, claimId: string, body: Record<string, unknown>): Promise<Outcome>;
  get(key: string, claimId: string): Promise<Outcome>;
  list(
    key: string,
    args?: { first?: number; after?: string | null; status?: ClaimStatus; unitId?: string },
  ): Promise<ListOutcome>;
  coverage(
    key: string,
    query: { serialNumber: string; manufacturerId?: string; asOf?: string; failureCategory?: FailureCategory },
  ): Promise<CoverageAnswer>;
}

export function claimsApi(t: TestApp, transport: Transport): ClaimsApi {
  if (transport === 'GraphQL') {
    // the specs send wrong input on purpose through this API (bad input, the claims workflow's
    // refusals): the server judges it, so the input goes as the spec wrote it
    const input = (value: Record<string, unknown>) => value as any;
    return {
      transport,
      submit: async (key, body, headers = {}) => {
        const res = await gql(t, key, SUBMIT, { input: input(body) }, headers);
        return gqlOutcome(res, res.data?.submitWarrantyClaim);
      },
      review: async (key, claimId, body) => {
        const res = await gql(t, key, REVIEW, { input: input({ ...body, claimId }) });
        return gqlOutcome(res, res.data?.reviewWarrantyClaim);
      },
      answer: async (key, claimId, body) => {
        const res = await gql(t, key, ANSWER, { input: input({ ...body, claimId }) });
        return gqlOutcome(res, res.data?.answerClaimInfoRequest);
      },
      cancel: async (key, claimId, body) => {
        const res = await gql(t, key, CANCEL, { input: input({ ...body, claimId }) });
        return gqlOutcome(res, res.data?.cancelWarrantyClaim);
      },
      get: async (key, claimId) => {
        const res = await gql(t, key, CLAIM_QUERY, { id: claimId });
        return gqlOutcome(res, res.data?.warrantyClaim);
      },
      list: async (key, args = {}) => {
        const filter = defined({ status: args.status, unitId: args.unitId });
        const res = await gql(t, key, CLAIMS_QUERY, {
          first: args.first,
          after: args.after ?? null,
          filter: Object.keys(filter).length ? filter : null,
        });
        if (res.errors?.length) return { failure: gqlFailure(res) };
        const conn = res.data.warrantyClaims;
        const claims = conn.edges.map((e) => fromGraphql(e.node));
        return {
          page: {
            totalCount: conn.totalCount,
            ids: claims.map((c) => c.id),
            claims,
            hasNextPage: conn.pageInfo.hasNextPage,
            endCursor: conn.pageInfo.endCursor,
          },
        };
      },
      coverage: async (key, query) => {
        const res = await gql(t, key, COVERAGE_QUERY, { query });
        if (res.errors?.length) throw new Error(`coverage check failed: ${JSON.stringify(res.errors)}`);
        return res.data.warrantyCoverage;
      },
    };
  }
  return {
    transport,
    submit: async (key, input, headers = {}) => {
      let req = rest(t, key).post('/warranty-claims', input);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      return restOutcome(await req);
    },
    review: async (key, claimId, body) =>
      restOutcome(await rest(t, key).post(`/warranty-claims/${claimId}:review`, body)),
    answer: async (key, claimId, body) =>
      restOutcome(await rest(t, key).post(`/warranty-claims/${claimId}:answer`, body)),
    cancel: async (key, claimId, body) =>
      restOutcome(await rest(t, key).post(`/warranty-claims/${claimId}:cancel`, body)),
    get: async (key, claimId) => restOutcome(await rest(t, key).get(`/warranty-claims/${claimId}`)),
    list: async (key, args = {}) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(args))
        if (value !== undefined && value !== null) params.set(name, String(value));
      const qs = params.toString();
      const res = await rest(t, key).get(`/warranty-claims${qs ? `?${qs}` : ''}`);
      if (res.status !== 200) return { failure: restOutcome(res).failure };
      const claims = res.body.edges.map((e: any) => fromRest(e.node));
      return {
        page: {
          totalCount: res.body.totalCount,
          ids: claims.map((c: Claim) => c.id),
          claims,
          hasNextPage: res.body.pageInfo.hasNextPage,
          endCursor: res.body.pageInfo.endCursor,
        },
      };
    },
    coverage: async (key, query) => {
      const params = new URLSearchParams(defined(query) as Record<string, string>);
      const res = await rest(t, key).get(`/coverage?${params.toString()}`);
      if (res.status !== 200) throw new Error(`coverage check failed: ${res.status} ${JSON.stringify(res.body)}`);
      return {
        covered: res.body.covered,
        reasons: res.body.reasons,
        coverages: res.body.coverages.map((c: any) => ({
          source: c.source,
          remainingClaims: c.remainingClaims,
          deductible: c.deductible ?? null,
        })),
      };
    },
  };
}

/** The claim of a successful outcome; fails the test with what came back otherwise. */
export function expectClaim(outcome: Outcome): Claim {
  if (!outcome.claim)
    throw new Error(
      `expected a warranty claim over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.failure)}`,
    );
  return outcome.claim;
}

/** REST statuses of refusals, as the API's conventions fix them. */
const REST_STATUS_BY_CODE: Record<string, number> = { FORBIDDEN: 403, NOT_FOUND: 404, UNAUTHENTICATED: 401 };
const UNION_ONLY = new Set(['VERSION_CONFLICT', 'INVALID_STATE_TRANSITION']);
const REST_STATUS_BY_ERROR_CODE: Record<string, number> = {
  VALIDATION_ERROR: 400,
  VERSION_CONFLICT: 409,
  INVALID_STATE_TRANSITION: 422,
};

/**
 * Asserts a refusal with these properties. Over REST it must also be problem+json with the status
 * the conventions give the code (403, 404; 400 VALIDATION_ERROR, 409 VERSION_CONFLICT, 422
 * INVALID_STATE_TRANSITION).
 */
export function expectFailure(
  outcome: Outcome | ListOutcome,
  expected: Partial<Omit<Failure, 'httpStatus' | 'contentType'>>,
): Failure {
  const failure = outcome.failure;
  if (!failure) {
    const got = 'claim' in outcome ? outcome.claim : (outcome as ListOutcome).page;
    throw new Error(`expected a refusal ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
  expect(defined(failure)).toMatchObject(expected);
  const transport =
    'transport' in outcome ? outcome.transport : failure.contentType.includes('problem+json') ? 'REST' : 'GraphQL';
  if (transport === 'GraphQL' && expected.errorCode && UNION_ONLY.has(expected.errorCode)) {
    // the contract: expected business failures are union members, not thrown errors
    expect(failure.code).toBeUndefined();
  }
  if (transport === 'REST') {
    expect(failure.contentType).toContain('application/problem+json');
    const status =
      (expected.code && REST_STATUS_BY_CODE[expected.code]) ??
      (expected.errorCode && REST_STATUS_BY_ERROR_CODE[expected.errorCode]);
    if (status) expect(failure.httpStatus).toBe(status);
  }
  return failure;
}

// ------------------------------------------------------------------------------- fixtures

export const USD_LINES = [
  {
    kind: 'PART',
    description: 'Compressor',
    partNumber: 'C-1',
    quantity: '1',
    unitAmount: { amount: '120.50', currency: 'USD' },
  },
  {
    kind: 'LABOR',
    description: 'Fit the compressor',
    laborCode: 'L-9',
    quantity: '1.5',
    unitAmount: { amount: '80', currency: 'USD' },
  },
];
/** Σ of USD_LINES: 120.50 + 1.5 × 80.00. */
export const USD_LINES_TOTAL = '240.50';

export const claimInput = (unitId: string, overrides: Record<string, unknown> = {}) => ({
  unitId,
  failureCategory: 'MECHANICAL',
  failureDate: '2026-06-01',
  description: 'Does not cool',
  lines: USD_LINES,
  ...overrides,
});

/** A product of this manufacturer: 24 months of PARTS and LABOR from the purchase date unless overridden. */
export function claimsProduct(t: TestApp, maker: Tenant, terms: Record<string, unknown> = {}) {
  return createProduct(t, maker.staff, {
    warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'], ...terms },
  });
}

/** A unit of the product sold by the retailer. */
export async function soldUnit(
  t: TestApp,
  seller: Tenant,
  maker: Tenant,
  productId: string,
  purchaseDate = '2026-01-10',
) {
  const unit = await mustRegister(t, seller.staff, {
    productId,
    manufacturerId: maker.id,
    serialNumber: uniqueSerial(),
    purchaseDate,
  });
  return { id: unit.id as string, serialNumber: unit.serialNumber as string };
}

/** A service plan of the key's organization, attached to the unit as bought on purchasedAt. */
export async function attachNewPlan(
  t: TestApp,
  planOwnerKey: string,
  attacherKey: string,
  unitId: string,
  purchasedAt: string,
  plan: Record<string, unknown>,
) {
  const created = await createPlan(t, planOwnerKey, plan);
  const res = await gql(t, attacherKey, operation('AttachServicePlan'), {
    input: { unitId, servicePlanId: created.id, purchasedAt },
  });
  const unit = dataOf(res).attachServicePlan;
  if (unit.__typename !== 'Unit') throw new Error(`attach failed: ${JSON.stringify(unit)}`);
  return { plan: created, unit };
}

// ------------------------------------------------------------------------------ database

const db = (t: TestApp) => t.app.get(DataSource);

/** Claims stored for a unit, read straight from the database. */
export async function storedClaimCount(t: TestApp, unitId?: string): Promise<number> {
  const [{ n }] = unitId
    ? await db(t).query(`SELECT count(*)::int AS n FROM warranty_claims WHERE unit_id = $1`, [unitId])
    : await db(t).query(`SELECT count(*)::int AS n FROM warranty_claims`);
  return n;
}

/** Outbox rows of one claim (or of every claim). */
export async function claimOutboxCount(t: TestApp, claimId?: string): Promise<number> {
  const [{ n }] = claimId
    ? await db(t).query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_type = 'WarrantyClaim' AND aggregate_id = $1`,
        [claimId],
      )
    : await db(t).query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_type = 'WarrantyClaim'`);
  return n;
}

/** History rows of one claim in the database, oldest first. */
export async function storedHistory(
  t: TestApp,
  claimId: string,
): Promise<{ from: string | null; to: string; actor: string; reason_code: string | null; note: string | null }[]> {
  return db(t).query(
    `SELECT from_status AS "from", to_status AS "to", actor_organization_id AS actor, reason_code, note FROM warranty_claim_history WHERE claim_id = $1 ORDER BY id`,
    [claimId],
  );
}
