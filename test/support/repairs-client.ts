import { gql, type Tenant } from './api.js';
import type { TestApp } from './test-app.js';

export const TICKET_FIELDS = `__typename ... on RepairTicket { id number status nextStates version reportedIssue failureCategory diagnosis laborMinutes overdue dueAt createdAt
  unit { id } serviceCenter { id } technician { id name }
  coverageAtIntake { serialNumber covered reasons unit { id } coverages { source coverageTypes deductible { amount currency } } }
  parts { partNumber description quantity unitCost { amount currency } }
  estimate { total { amount currency } covered { amount currency } customerPays { amount currency } approvedAt }
  warrantyClaim { id status requestedTotal { amount currency } lines { kind description quantity total { amount } } flags }
  history { from to note actor { id } technician { id } } }
  ... on ErrorResult { errorCode message } ... on GenericError { field }`;
const CHANGE_FIELDS = `${TICKET_FIELDS} ... on InvalidStateTransitionError { fromState toState allowedStates } ... on VersionConflictError { currentVersion }`;

export const OPEN = `mutation($input: OpenRepairTicketInput!) { openRepairTicket(input: $input) { ${TICKET_FIELDS} } }`;
export const ASSIGN = `mutation($input: AssignTechnicianInput!) { assignTechnician(input: $input) { ${CHANGE_FIELDS} } }`;
export const UPDATE = `mutation($input: UpdateRepairTicketInput!) { updateRepairTicket(input: $input) { ${CHANGE_FIELDS} } }`;
export const APPROVE = `mutation($input: ApproveRepairEstimateInput!) { approveRepairEstimate(input: $input) { ${CHANGE_FIELDS} } }`;
export const GET = `query($id: ID!) { repairTicket(id: $id) { ${TICKET_FIELDS.replace(/\.\.\. on ErrorResult[\s\S]*$/, '')} } }`;

/** A technician of the center, and a TECHNICIAN key bound to it. */
export async function createTechnician(t: TestApp, center: Tenant, name = 'Tess Tech'): Promise<{ id: string; key: string }> {
  const created = await gql(t, center.admin, `mutation($input: CreateTechnicianInput!) { createTechnician(input: $input) { id } }`, { input: { serviceCenterId: center.id, name } });
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const id = created.data.createTechnician.id as string;
  const key = await gql(t, center.admin, `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, {
    input: { organizationId: center.id, name: `${name} key`, role: 'TECHNICIAN', technicianId: id },
  });
  if (key.errors) throw new Error(JSON.stringify(key.errors));
  return { id, key: key.data.createApiKey.secret as string };
}

/** Runs a mutation and returns its result field, failing loudly on a GraphQL error. */
export async function run(t: TestApp, key: string, mutation: string, input: Record<string, unknown>) {
  const res = await gql(t, key, mutation, { input });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.values(res.data)[0] as any;
}
