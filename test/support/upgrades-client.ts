import { dataOf, gql, type GqlResponse, rest, type Tenant } from './api.js';
import type { CreateUpgradeProgramInput, UpgradeViewFragment } from './generated/graphql.js';
import { operation, type ResultOf, untypedOperation } from './graphql-documents.js';
import { sqlQuery, tableCounts } from './input-helpers.js';
import type { TestApp } from './test-app.js';

export const CREATE_PROGRAM = operation('CreateUpgradeProgram');
// The whole request, for the specs that drive a flow step by step.
export const ELIGIBILITY = untypedOperation('UpgradeEligibility');
export const REQUEST_UPGRADE = untypedOperation('RequestUpgrade');
export const RECEIVE_TRADE_IN = untypedOperation('ReceiveTradeIn');
export const COMPLETE_UPGRADE = untypedOperation('CompleteUpgrade');
export const CANCEL_UPGRADE = untypedOperation('CancelUpgrade');

/** A program of the owner's with sensible defaults the test may override. */
export async function createProgram(
  t: TestApp,
  owner: Tenant,
  targetProductIds: string[],
  overrides: Partial<CreateUpgradeProgramInput> = {},
) {
  const res = await gql(t, owner.staff, CREATE_PROGRAM, {
    input: {
      name: 'Trade up',
      eligibleCategories: ['FRIDGE'],
      targetProductIds,
      minMonthsOwned: 6,
      validFrom: '2020-01-01',
      tradeInValues: [
        { grade: 'A', value: { amount: '150.00', currency: 'USD' } },
        { grade: 'B', value: { amount: '90.00', currency: 'USD' } },
      ],
      ...overrides,
    },
  });
  return dataOf(res).createUpgradeProgram;
}

// ----------------------------------------------------------------- both transports
// The upgrade operations over GraphQL or REST, with the answers normalized to one shape so that
// one test body checks both. Nothing here decides what is right: the tests do.

export type UpgradesTransport = 'GraphQL' | 'REST';
export const UPGRADES_TRANSPORTS: UpgradesTransport[] = ['GraphQL', 'REST'];

export interface UpgradeOffer {
  programId: string;
  eligible: boolean;
  reasons: string[];
  eligibleFrom: string | null;
  maxTradeInValue: { amount: string; currency: string };
}

export interface Upgrade {
  id: string;
  status: string;
  version: number;
  grade: string | null;
  tradeInValue: { amount: string; currency: string } | null;
  unitId: string;
  newUnitId: string | null;
}

export interface UpgradeFailure {
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

export interface UpgradeOutcome {
  transport: UpgradesTransport;
  httpStatus: number;
  headers: Record<string, string>;
  /** The raw answer: data of the GraphQL field, or the REST body. */
  body: any;
  upgrade?: Upgrade;
  failure?: UpgradeFailure;
}

export interface EligibilityOutcome {
  transport: UpgradesTransport;
  httpStatus: number;
  body: any;
  asOf?: string;
  unitId?: string;
  offers?: UpgradeOffer[];
  failure?: UpgradeFailure;
}

// The upgrade view that upgradesApi normalizes (graphql/upgrades.graphql: UpgradesApi...).
export const UPG_REQUEST = operation('UpgradesApiRequest');
export const UPG_RECEIVE = operation('UpgradesApiReceive');
export const UPG_COMPLETE = operation('UpgradesApiComplete');
export const UPG_CANCEL = operation('UpgradesApiCancel');
/** Eligibility with the program's owner and target products, so their resolvers are counted too. */
export const UPG_ELIGIBILITY = operation('UpgradesApiEligibility');
const UPG_CREATE_PROGRAM = operation('UpgradesApiCreateProgram');

/** An upgrade operation's answer over GraphQL: the request, or an error member of its result union. */
type UpgradeAnswer =
  ResultOf<'UpgradesApiRequest'>['requestUpgrade'] | ResultOf<'UpgradesApiReceive'>['receiveTradeIn'];

function upgradeFromGraphql(node: UpgradeViewFragment): Upgrade {
  return {
    id: node.id,
    status: node.status,
    version: node.version,
    grade: node.grade ?? null,
    tradeInValue: node.tradeInValue ?? null,
    unitId: node.unit.id,
    newUnitId: node.newUnit?.id ?? null,
  };
}

function upgradeFromRest(body: any): Upgrade {
  return {
    id: body.id,
    status: body.status,
    version: body.version,
    grade: body.grade ?? null,
    tradeInValue: body.tradeInValue ?? null,
    unitId: body.unitId,
    newUnitId: body.newUnitId ?? null,
  };
}

function gqlFailure(res: GqlResponse<unknown>): UpgradeFailure {
  const ext = res.errors?.[0]?.extensions ?? {};
  return { code: ext.code, errorCode: ext.errorCode, field: ext.field, httpStatus: res.status };
}

function restFailure(res: any): UpgradeFailure {
  const b = res.body ?? {};
  const failure: UpgradeFailure = { code: b.code, errorCode: b.errorCode, field: b.field, httpStatus: res.status };
  for (const k of ['currentVersion', 'fromState', 'toState', 'allowedStates'] as const)
    if (b[k] !== undefined) (failure as any)[k] = b[k];
  return failure;
}

function gqlUpgradeOutcome(res: GqlResponse<unknown>, result: UpgradeAnswer | null | undefined): UpgradeOutcome {
  const base = { transport: 'GraphQL' as const, httpStatus: res.status, headers: res.headers, body: result };
  if (res.errors?.length || !result) return { ...base, failure: gqlFailure(res) };
  if (result.__typename !== 'UpgradeRequest') {
    const { __typename: _type, message: _message, ...details } = result;
    return { ...base, failure: { ...details, httpStatus: res.status } };
  }
  return { ...base, upgrade: upgradeFromGraphql(result) };
}

function restUpgradeOutcome(res: any): UpgradeOutcome {
  const base = { transport: 'REST' as const, httpStatus: res.status, headers: res.headers, body: res.body };
  if (res.status >= 200 && res.status < 300) return { ...base, upgrade: upgradeFromRest(res.body) };
  return { ...base, failure: restFailure(res) };
}

/** An offer as GraphQL (program { id }) or REST (program { id }) gives it. */
const offerFrom = (o: {
  program: { id: string };
  eligible: boolean;
  reasons: string[];
  eligibleFrom?: string | null;
  maxTradeInValue: { amount: string; currency: string };
}): UpgradeOffer => ({
  programId: o.program.id,
  eligible: o.eligible,
  reasons: o.reasons,
  eligibleFrom: o.eligibleFrom ?? null,
  maxTradeInValue: o.maxTradeInValue,
});

export interface UpgradesApi {
  transport: UpgradesTransport;
  eligibility(key: string, unitId: string, asOf?: string): Promise<EligibilityOutcome>;
  request(key: string, input: Record<string, unknown>, headers?: Record<string, string>): Promise<UpgradeOutcome>;
  receive(key: string, id: string, expectedVersion: number): Promise<UpgradeOutcome>;
  complete(
    key: string,
    id: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<UpgradeOutcome>;
  cancel(key: string, id: string, expectedVersion: number): Promise<UpgradeOutcome>;
  /** createUpgradeProgram / POST /upgrades/programs: the program's id, or the failure. */
  createProgram(
    key: string,
    input: Record<string, unknown>,
  ): Promise<{ httpStatus: number; id?: string; failure?: UpgradeFailure }>;
}

export function upgradesApi(t: TestApp, transport: UpgradesTransport): UpgradesApi {
  if (transport === 'GraphQL') {
    // the specs send wrong input on purpose through this API (bad input, the workflow's
    // refusals): the server judges it, so the input goes as the spec wrote it
    const input = (value: Record<string, unknown>) => value as any;
    return {
      transport,
      eligibility: async (key, unitId, asOf) => {
        const res = await gql(t, key, UPG_ELIGIBILITY, { unitId, ...(asOf !== undefined ? { asOf } : {}) });
        const e = res.data?.upgradeEligibility;
        if (res.errors?.length || !e)
          return { transport, httpStatus: res.status, body: res.data, failure: gqlFailure(res) };
        return {
          transport,
          httpStatus: res.status,
          body: e,
          asOf: e.asOf,
          unitId: e.unit.id,
          offers: e.offers.map(offerFrom),
        };
      },
      request: async (key, body, headers = {}) => {
        const res = await gql(t, key, UPG_REQUEST, { input: input(body) }, headers);
        return gqlUpgradeOutcome(res, res.data?.requestUpgrade);
      },
      receive: async (key, id, expectedVersion) => {
        const res = await gql(t, key, UPG_RECEIVE, { input: { upgradeId: id, expectedVersion } });
        return gqlUpgradeOutcome(res, res.data?.receiveTradeIn);
      },
      complete: async (key, id, body, headers = {}) => {
        const res = await gql(t, key, UPG_COMPLETE, { input: input({ ...body, upgradeId: id }) }, headers);
        return gqlUpgradeOutcome(res, res.data?.completeUpgrade);
      },
      cancel: async (key, id, expectedVersion) => {
        const res = await gql(t, key, UPG_CANCEL, { id, v: expectedVersion });
        return gqlUpgradeOutcome(res, res.data?.cancelUpgrade);
      },
      createProgram: async (key, body) => {
        const res = await gql(t, key, UPG_CREATE_PROGRAM, { input: input(body) });
        if (res.errors?.length || !res.data?.createUpgradeProgram)
          return { httpStatus: res.status, failure: gqlFailure(res) };
        return { httpStatus: res.status, id: res.data.createUpgradeProgram.id };
      },
    };
  }
  return {
    transport,
    eligibility: async (key, unitId, asOf) => {
      const res = await rest(t, key).get(
        `/upgrades/eligibility/${unitId}${asOf !== undefined ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
      );
      if (res.status !== 200) return { transport, httpStatus: res.status, body: res.body, failure: restFailure(res) };
      return {
        transport,
        httpStatus: res.status,
        body: res.body,
        asOf: res.body.asOf,
        unitId: res.body.unitId,
        offers: res.body.offers.map(offerFrom),
      };
    },
    request: async (key, input, headers = {}) => {
      let req = rest(t, key).post('/upgrades', input);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      return restUpgradeOutcome(await req);
    },
    receive: async (key, id, expectedVersion) =>
      restUpgradeOutcome(await rest(t, key).post(`/upgrades/${id}:receiveTradeIn`, { expectedVersion })),
    complete: async (key, id, body, headers = {}) => {
      let req = rest(t, key).post(`/upgrades/${id}:complete`, body);
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      return restUpgradeOutcome(await req);
    },
    cancel: async (key, id, expectedVersion) =>
      restUpgradeOutcome(await rest(t, key).post(`/upgrades/${id}:cancel`, { expectedVersion })),
    createProgram: async (key, input) => {
      const res = await rest(t, key).post('/upgrades/programs', input);
      if (res.status >= 200 && res.status < 300) return { httpStatus: res.status, id: res.body.id };
      return { httpStatus: res.status, failure: restFailure(res) };
    },
  };
}

/** The upgrade of a successful answer; fails loudly with the answer otherwise. */
export function expectUpgrade(outcome: UpgradeOutcome): Upgrade {
  if (!outcome.upgrade)
    throw new Error(
      `expected an upgrade request over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.body ?? outcome.failure)}`,
    );
  return outcome.upgrade;
}

/** The failure of an answer, checked against the expected parts. */
export function expectUpgradeFailure(outcome: UpgradeOutcome, expected: Partial<UpgradeFailure>): UpgradeFailure {
  if (!outcome.failure)
    throw new Error(
      `expected a failure over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.body)}`,
    );
  expect(outcome.failure).toMatchObject(expected);
  return outcome.failure;
}

/** The offer of one program in an eligibility answer; fails loudly when it is not there. */
export function offerOf(outcome: EligibilityOutcome, programId: string): UpgradeOffer {
  if (!outcome.offers)
    throw new Error(
      `expected eligibility over ${outcome.transport}, got ${outcome.httpStatus} ${JSON.stringify(outcome.body)}`,
    );
  const offer = outcome.offers.find((o) => o.programId === programId);
  if (!offer)
    throw new Error(`program ${programId} is not offered over ${outcome.transport}: ${JSON.stringify(outcome.offers)}`);
  return offer;
}

/** An upgrade request as stored: status, version and counts of its history and outbox rows (read from the database). */
export async function storedUpgrade(t: TestApp, id: string) {
  const [r] = await sqlQuery(t, `SELECT status, version, grade, new_unit_id FROM upgrade_requests WHERE id = $1`, [id]);
  const [h] = await sqlQuery(t, `SELECT count(*)::int AS n FROM upgrade_history WHERE upgrade_id = $1`, [id]);
  const [o] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_type = 'UpgradeRequest' AND aggregate_id = $1`,
    [id],
  );
  return {
    status: r?.status,
    version: r?.version,
    grade: r?.grade ?? null,
    newUnitId: r?.new_unit_id ?? null,
    history: h.n,
    outbox: o.n,
  };
}

/** Row counts of every table an upgrade operation may write, with the summed versions (any change bumps one). */
export async function upgradeTableCounts(t: TestApp) {
  const one = async (sql: string) => (await sqlQuery(t, sql))[0];
  const requests = await one(
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS versions FROM upgrade_requests`,
  );
  const units = await one(
    `SELECT coalesce(sum(version), 0)::int AS versions, count(*) FILTER (WHERE status <> 'ACTIVE')::int AS inactive FROM units`,
  );
  return {
    ...(await tableCounts(t)),
    upgrade_programs: (await one(`SELECT count(*)::int AS n FROM upgrade_programs`)).n,
    upgrade_requests: requests.n,
    upgrade_versions: requests.versions,
    upgrade_history: (await one(`SELECT count(*)::int AS n FROM upgrade_history`)).n,
    unit_versions: units.versions,
    units_inactive: units.inactive,
  };
}
