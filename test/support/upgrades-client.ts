import { gql, type Tenant } from './api.js';
import type { TestApp } from './test-app.js';

export const UPGRADE_FIELDS = `__typename ... on UpgradeRequest { id status grade version tradeInValue { amount currency } unit { id status } newUnit { id serialNumber status purchaseDate owner { name } product { id } }
  program { id name } targetProduct { id } }
  ... on ErrorResult { errorCode message } ... on GenericError { field }`;
const CHANGE_FIELDS = `${UPGRADE_FIELDS} ... on InvalidStateTransitionError { fromState toState allowedStates } ... on VersionConflictError { currentVersion }`;

export const CREATE_PROGRAM = `mutation($input: CreateUpgradeProgramInput!) { createUpgradeProgram(input: $input) { id name owner { id } eligibleCategories targetProducts { id }
  minMonthsOwned maxUnitAgeMonths requiresActiveCoverage tradeInValues { grade value { amount currency } } validFrom validUntil } }`;
export const ELIGIBILITY = `query($unitId: ID!, $asOf: Date) { upgradeEligibility(unitId: $unitId, asOf: $asOf) { asOf unit { id }
  offers { program { id name } eligible reasons eligibleFrom maxTradeInValue { amount currency } } } }`;
export const REQUEST_UPGRADE = `mutation($input: RequestUpgradeInput!) { requestUpgrade(input: $input) { ${UPGRADE_FIELDS} } }`;
export const RECEIVE_TRADE_IN = `mutation($input: ReceiveTradeInInput!) { receiveTradeIn(input: $input) { ${CHANGE_FIELDS} } }`;
export const COMPLETE_UPGRADE = `mutation($input: CompleteUpgradeInput!) { completeUpgrade(input: $input) { ${CHANGE_FIELDS} } }`;
export const CANCEL_UPGRADE = `mutation($id: ID!, $v: Int!) { cancelUpgrade(upgradeId: $id, expectedVersion: $v) { ${CHANGE_FIELDS} } }`;

/** A program of the owner's with sensible defaults the test may override. */
export async function createProgram(t: TestApp, owner: Tenant, targetProductIds: string[], overrides: Record<string, unknown> = {}) {
  const res = await gql(t, owner.staff, CREATE_PROGRAM, {
    input: {
      name: 'Trade up', eligibleCategories: ['FRIDGE'], targetProductIds, minMonthsOwned: 6, validFrom: '2020-01-01',
      tradeInValues: [{ grade: 'A', value: { amount: '150.00', currency: 'USD' } }, { grade: 'B', value: { amount: '90.00', currency: 'USD' } }],
      ...overrides,
    },
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createUpgradeProgram;
}
