import { assertSuccess, dataOf, gql, type GqlResponse } from './api.js';
import type { CreateServicePlanInput, RegisterUnitInput } from './generated/graphql.js';
import { operation, untypedOperation } from './graphql-documents.js';
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

// for the specs that send these themselves
export const REGISTER_UNIT = untypedOperation('RegisterUnit');
export const TRANSFER_OWNERSHIP = untypedOperation('TransferOwnership');
export const ATTACH_SERVICE_PLAN = untypedOperation('AttachServicePlan');
export const UNIT_QUERY = untypedOperation('Unit');
export const UNIT_HISTORY_QUERY = untypedOperation('UnitHistory');
export const UNITS_QUERY = untypedOperation('Units');
export const CREATE_SERVICE_PLAN = untypedOperation('CreateServicePlan');

/**
 * Registers a unit over GraphQL and returns the whole response (for headers and errors). Untyped
 * like untypedOperation: the specs send wrong input with it and read the members unnarrowed.
 */
export function registerUnitRaw(
  t: TestApp,
  key: string,
  input: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlResponse> {
  return gql(t, key, REGISTER_UNIT, { input }, headers);
}

/**
 * Registers a unit that must be accepted, and returns it. Input and answer are untyped like
 * untypedOperation: the specs build the input as plain records and read nullable fields of the
 * unit (its owner) without narrowing.
 */
export async function mustRegister(t: TestApp, key: string, input: Record<string, unknown>): Promise<any> {
  const res = await gql(t, key, operation('RegisterUnit'), { input: input as RegisterUnitInput });
  return assertSuccess(dataOf(res).registerUnit, 'Unit');
}

/** The unit as this key sees it over GraphQL (the whole response: data.unit, errors), untyped like UNIT_QUERY. */
export function unitAs(t: TestApp, key: string, id: string): Promise<GqlResponse> {
  return gql(t, key, UNIT_QUERY, { id });
}

/** Every history event of a unit as the platform-or-owner key sees it, oldest first. */
export async function fullHistory(t: TestApp, key: string, id: string) {
  const { unit } = dataOf(await gql(t, key, operation('UnitHistory'), { id, first: 100 }));
  if (!unit) throw new Error(`unit ${id} is not visible to this key`);
  return unit.history.edges.map((e) => e.node);
}

export const planInput = (overrides: Partial<CreateServicePlanInput> = {}): CreateServicePlanInput => ({
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
export async function createPlan(t: TestApp, key: string, overrides: Partial<CreateServicePlanInput> = {}) {
  const res = await gql(t, key, operation('CreateServicePlan'), { input: planInput(overrides) });
  return dataOf(res).createServicePlan;
}
