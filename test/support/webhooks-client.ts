import { assertSuccess, gql, type GqlResponse } from './api.js';
import type { TestApp } from './test-app.js';

/** GraphQL documents and helpers for the webhook tests. */

export const ENDPOINT_FIELDS = 'id url description eventTypes enabled disabledReason secretPrefix createdAt version';
export const DELIVERY_FIELDS = `id messageId eventType payload status nextAttemptAt createdAt
  attempts { at responseStatus durationMs error } endpoint { id }`;

export const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename
  ... on WebhookEndpointWithSecret { secret endpoint { ${ENDPOINT_FIELDS} } }
  ... on GenericError { errorCode message field }
} }`;
export const UPDATE_ENDPOINT = `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) {
  __typename
  ... on WebhookEndpoint { ${ENDPOINT_FIELDS} }
  ... on GenericError { errorCode message field }
  ... on VersionConflictError { errorCode currentVersion }
} }`;
export const ROTATE_SECRET = `mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) {
  __typename
  ... on WebhookEndpointWithSecret { secret endpoint { ${ENDPOINT_FIELDS} } }
  ... on VersionConflictError { errorCode currentVersion }
} }`;
export const DELETE_ENDPOINT = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
export const ENDPOINTS = `query($first: Int, $after: String) { webhookEndpoints(first: $first, after: $after) {
  totalCount edges { node { ${ENDPOINT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
export const DELIVERIES = `query($filter: WebhookDeliveryFilter, $first: Int) { webhookDeliveries(filter: $filter, first: $first) {
  totalCount edges { node { ${DELIVERY_FIELDS} } } } }`;
export const DELIVERY = `query($id: ID!) { webhookDelivery(id: $id) { ${DELIVERY_FIELDS} } }`;
export const SEND_TEST = `mutation($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { ${DELIVERY_FIELDS} } }`;
export const RETRY = `mutation($id: ID!) { retryWebhookDelivery(id: $id) { ${DELIVERY_FIELDS} } }`;
export const RECOVER = `mutation($input: RecoverWebhookDeliveriesInput!) { recoverWebhookDeliveries(input: $input) { count } }`;
export const EVENT_TYPES = `{ webhookEventTypes { name description dataSchema } }`;

export interface CreatedEndpoint {
  secret: string;
  endpoint: { id: string; url: string; eventTypes: string[]; enabled: boolean; version: number; secretPrefix: string };
}

/** Creates an endpoint with the organization's ADMIN key; throws unless it was created. */
export async function createEndpoint(
  t: TestApp,
  adminKey: string,
  url: string,
  eventTypes: string[] = [],
): Promise<CreatedEndpoint> {
  const res = await gql(t, adminKey, CREATE_ENDPOINT, { input: { url, eventTypes } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return assertSuccess(res.data.createWebhookEndpoint, 'WebhookEndpointWithSecret');
}

export async function deliveriesOf(t: TestApp, key: string, filter: Record<string, unknown> = {}): Promise<any[]> {
  const res: GqlResponse = await gql(t, key, DELIVERIES, { filter, first: 100 });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.webhookDeliveries.edges.map((e: { node: unknown }) => e.node);
}

/** Polls the delivery log until `done` holds for the deliveries matching the filter, or fails after timeoutMs. */
export async function waitForDeliveries(
  t: TestApp,
  key: string,
  filter: Record<string, unknown>,
  done: (deliveries: any[]) => boolean,
  timeoutMs = 20000,
): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await deliveriesOf(t, key, filter);
    if (done(found)) return found;
    if (Date.now() > deadline) throw new Error(`delivery log never settled: ${JSON.stringify(found, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
