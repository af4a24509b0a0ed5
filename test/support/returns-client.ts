import { gql, type Tenant } from './api.js';
import type { TestApp } from './test-app.js';

export const RETURN_FIELDS = `__typename ... on ReturnAuthorization { id number status version rejectionReason rejectionMessage rejectedLine shipBy trackingNumber carrier
  retailer { id } policy { id name }
  warrantyAlternative { covered serialNumber coverages { source endsAt } reasons }
  lines { id reason condition requestedResolution resolution inspectionGrade inspectedCondition
    expectedRefund { amount currency } restockingFee { amount currency } refundedAmount { amount currency }
    unit { id status } replacementUnit { id serialNumber status } repairTicket { id status serviceCenter { id } } }
  history { from to note actor { id } } }
  ... on ErrorResult { errorCode message } ... on GenericError { field }`;
const CHANGE_FIELDS = `${RETURN_FIELDS} ... on InvalidStateTransitionError { fromState toState allowedStates } ... on VersionConflictError { currentVersion }`;

export const CREATE_POLICY = `mutation($input: CreateReturnPolicyInput!) { createReturnPolicy(input: $input) { id name categories windowDays unopenedWindowDays
  windowStartsFrom restockingFeePercent waiveFeeWhenRetailerAtFault allowedResolutions shipWithinDays holidayPurchaseStart holidayPurchaseEnd holidayReturnUntil retailer { id } } }`;
export const REQUEST_RETURN = `mutation($input: RequestReturnInput!) { requestReturn(input: $input) { ${RETURN_FIELDS} } }`;
export const TRANSITION_RETURN = `mutation($input: TransitionReturnInput!) { transitionReturn(input: $input) { ${CHANGE_FIELDS} } }`;
export const INSPECT_RETURN = `mutation($input: InspectReturnInput!) { inspectReturn(input: $input) { ${CHANGE_FIELDS} } }`;
export const RESOLVE_RETURN = `mutation($input: ResolveReturnInput!) { resolveReturn(input: $input) { ${CHANGE_FIELDS} } }`;
export const GET_RETURN = `query($id: ID!) { returnAuthorization(id: $id) { ${RETURN_FIELDS.replace(/\.\.\. on ErrorResult[\s\S]*$/, '')} } }`;

/** A policy of the retailer's, with sensible defaults the test may override. */
export async function createPolicy(t: TestApp, retailer: Tenant, overrides: Record<string, unknown> = {}) {
  const res = await gql(t, retailer.staff, CREATE_POLICY, {
    input: { name: 'Standard 30 days', windowDays: 30, restockingFeePercent: '15', allowedResolutions: ['REFUND', 'EXCHANGE', 'STORE_CREDIT', 'REPAIR'], ...overrides },
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createReturnPolicy;
}
