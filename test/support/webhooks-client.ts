import { assertSuccess, gql } from './api.js';
import { operation, untypedOperation, type ResultOf, type VariablesOf } from './graphql-documents.js';
import type { TestApp } from './test-app.js';

/** GraphQL documents and helpers for the webhook tests. */

/** Selections for the bad-input harness, which writes its own documents around them. */
export const ENDPOINT_FIELDS = 'id url description eventTypes enabled disabledReason secretPrefix createdAt version';
export const DELIVERY_FIELDS = `id messageId eventType payload status nextAttemptAt createdAt
  attempts { at responseStatus durationMs error } endpoint { id }`;

// the documents the specs pass to gql() themselves (their answers are read without narrowing)
export const CREATE_ENDPOINT = untypedOperation('CreateWebhookEndpoint');
export const UPDATE_ENDPOINT = untypedOperation('UpdateWebhookEndpoint');
export const ROTATE_SECRET = untypedOperation('RotateWebhookSecret');
export const DELETE_ENDPOINT = untypedOperation('DeleteWebhookEndpoint');
export const ENDPOINTS = untypedOperation('WebhookEndpoints');
export const DELIVERY = untypedOperation('WebhookDelivery');
export const SEND_TEST = untypedOperation('SendTestWebhook');
export const RETRY = untypedOperation('RetryWebhookDelivery');
export const RECOVER = untypedOperation('RecoverWebhookDeliveries');
export const EVENT_TYPES = untypedOperation('WebhookEventTypes');

export type CreatedEndpoint = Extract<
  ResultOf<'CreateWebhookEndpoint'>['createWebhookEndpoint'],
  { __typename: 'WebhookEndpointWithSecret' }
>;
type Delivery = NonNullable<ResultOf<'WebhookDelivery'>['webhookDelivery']>;

/** Creates an endpoint with the organization's ADMIN key; throws unless it was created. */
export async function createEndpoint(
  t: TestApp,
  adminKey: string,
  url: string,
  eventTypes: string[] = [],
): Promise<CreatedEndpoint> {
  const res = await gql(t, adminKey, operation('CreateWebhookEndpoint'), { input: { url, eventTypes } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return assertSuccess(res.data.createWebhookEndpoint, 'WebhookEndpointWithSecret') as CreatedEndpoint;
}

export async function deliveriesOf(
  t: TestApp,
  key: string,
  filter: VariablesOf<'WebhookDeliveries'>['filter'] = {},
): Promise<Delivery[]> {
  const res = await gql(t, key, operation('WebhookDeliveries'), { filter, first: 100 });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.webhookDeliveries.edges.map((e) => e.node);
}

/** Polls the delivery log until `done` holds for the deliveries matching the filter, or fails after timeoutMs. */
export async function waitForDeliveries(
  t: TestApp,
  key: string,
  filter: VariablesOf<'WebhookDeliveries'>['filter'],
  done: (deliveries: Delivery[]) => boolean,
  timeoutMs = 20000,
): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await deliveriesOf(t, key, filter);
    if (done(found)) return found;
    if (Date.now() > deadline) throw new Error(`delivery log never settled: ${JSON.stringify(found, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
