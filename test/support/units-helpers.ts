import { assertSuccess, gql, UNIT_FIELDS, type GqlResponse } from './api.js';
import type { TestApp } from './test-app.js';

/** Calendar dates in UTC, as docs/rules.md counts them, computed independently of src/. */
export const utcToday = (): string => new Date().toISOString().slice(0, 10);

export function addDaysUtc(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Calendar months, clamped to the month's last day (docs/rules.md: 2024-01-31 + 1 month = 2024-02-29). */
export function addMonthsUtc(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The members of the unit mutation result unions (Unit | GenericError), with the unit's usual fields. */
export const UNIT_RESULT = `__typename
  ... on Unit { ${UNIT_FIELDS} }
  ... on GenericError { errorCode message field }`;

export const REGISTER_UNIT = `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { ${UNIT_RESULT} } }`;
export const TRANSFER_OWNERSHIP = `mutation($input: TransferOwnershipInput!) { transferOwnership(input: $input) {
  ${UNIT_RESULT} ... on VersionConflictError { errorCode message currentVersion } } }`;
export const ATTACH_SERVICE_PLAN = `mutation($input: AttachServicePlanInput!) { attachServicePlan(input: $input) { ${UNIT_RESULT} } }`;
export const UNIT_QUERY = `query($id: ID!) { unit(id: $id) { ${UNIT_FIELDS} } }`;
export const UNIT_HISTORY_QUERY = `query($id: ID!, $first: Int, $after: String) { unit(id: $id) {
  history(first: $first, after: $after) { edges { cursor node { at type summary data actor { id kind } } } pageInfo { hasNextPage endCursor } } } }`;
export const UNITS_QUERY = `query($first: Int, $after: String, $filter: UnitFilter) { units(first: $first, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id serialNumber status product { id } retailer { id } } } } }`;

/** Registers a unit over GraphQL and returns the whole response (for headers and errors). */
export function registerUnitRaw(
  t: TestApp,
  key: string,
  input: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlResponse> {
  return gql(t, key, REGISTER_UNIT, { input }, headers);
}

/** Registers a unit that must be accepted, and returns it. */
export async function mustRegister(t: TestApp, key: string, input: Record<string, unknown>) {
  const res = await registerUnitRaw(t, key, input);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return assertSuccess(res.data.registerUnit, 'Unit');
}

/** The unit as this key sees it over GraphQL (the whole response: data.unit, errors). */
export function unitAs(t: TestApp, key: string, id: string): Promise<GqlResponse> {
  return gql(t, key, UNIT_QUERY, { id });
}

/** Every history event of a unit as the platform-or-owner key sees it, oldest first. */
export async function fullHistory(t: TestApp, key: string, id: string) {
  const res = await gql(t, key, UNIT_HISTORY_QUERY, { id, first: 100 });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.unit.history.edges.map((e: any) => e.node) as {
    at: string;
    type: string;
    summary: string;
    data: unknown;
    actor: { id: string; kind: string } | null;
  }[];
}

export const CREATE_SERVICE_PLAN = `mutation($input: CreateServicePlanInput!) { createServicePlan(input: $input) {
  id name durationMonths startsAfterBaseWarranty coverageTypes excludedFailures eligibleCategories purchaseWindowDays maxClaims
  deductible { amount currency } price { amount currency } provider { id kind } } }`;

export const planInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Care+ 1 year',
  durationMonths: 12,
  startsAfterBaseWarranty: true,
  coverageTypes: ['PARTS', 'LABOR'],
  eligibleCategories: ['FRIDGE'],
  purchaseWindowDays: 3650,
  price: { amount: '99.00', currency: 'USD' },
  ...overrides,
});

/** A service plan that must be created, as the given key's organization. */
export async function createPlan(t: TestApp, key: string, overrides: Record<string, unknown> = {}) {
  const res = await gql(t, key, CREATE_SERVICE_PLAN, { input: planInput(overrides) });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createServicePlan as { id: string; name: string; provider: { id: string } };
}
