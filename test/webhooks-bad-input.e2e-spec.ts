import { createTenant, gql, type Tenant } from './support/api.js';
import {
  bad400,
  G,
  itAcceptsTheBaselines,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type GqlResult,
  type OpSpec,
  type RestRefusal,
} from './support/bad-input-table.js';
import { longText, sqlQuery, tableCounts } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createEndpoint, DELIVERY_FIELDS, ENDPOINT_FIELDS, SEND_TEST } from './support/webhooks-client.js';

/**
 * Malformed input to the webhook operations (docs/webhooks.md), over GraphQL (variables) and REST
 * (JSON bodies, paths and query strings). docs/rules.md, "Always": bad input is a clear error
 * naming the field, and nothing is stored. README, "Errors": GraphQL answers extensions.code
 * BAD_USER_INPUT (or a GenericError union member for a URL or an event type the rules refuse),
 * REST answers problem+json with `code` and `field` (400 invalid input, 422 refused by a rule).
 */

interface Fixtures {
  org: Tenant;
  /** The endpoint a case acts on: the shared one, or a fresh one made by the op's setup (a change bumps its version). */
  endpoint: { id: string; version: number };
  delivery: { id: string };
  newEndpoint: () => Promise<{ id: string; version: number }>;
}

type OpName =
  | 'createWebhookEndpoint'
  | 'updateWebhookEndpoint'
  | 'rotateWebhookSecret'
  | 'deleteWebhookEndpoint'
  | 'sendTestWebhook'
  | 'recoverWebhookDeliveries'
  | 'retryWebhookDelivery'
  | 'webhookDeliveries'
  | 'webhookDelivery';

/** Nothing listens there: an attempt fails at once, and the app is told to allow plain http to it. */
const URL = 'http://127.0.0.1:9/hook';
const ERRORS = '... on ErrorResult { errorCode message } ... on GenericError { field }';
const WITH_SECRET = `__typename ... on WebhookEndpointWithSecret { secret endpoint { ${ENDPOINT_FIELDS} } }`;
const anHourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();

const freshEndpoint = async (f: Fixtures): Promise<Fixtures> => ({ ...f, endpoint: await f.newEndpoint() });
/** The REST path of an endpoint's action, with the endpoint's id out of the body. */
const endpointAction =
  (action: string) =>
  ({ id, ...body }: Record<string, any>) => ({ path: `/webhook-endpoints/${id}:${action}`, body });
/** A query string of the input's values that are set. */
const queryOf = (input: Record<string, any>) =>
  new URLSearchParams(
    Object.entries(input)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  createWebhookEndpoint: {
    mutation: `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { ${WITH_SECRET} ${ERRORS} } }`,
    key: (f) => f.org.admin,
    valid: () => ({ url: URL, description: 'Order system', eventTypes: ['unit.registered'] }),
    rest: (input) => ({ path: '/webhook-endpoints', body: input }),
    restStatus: 201,
  },
  updateWebhookEndpoint: {
    mutation: `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) {
      __typename ... on WebhookEndpoint { ${ENDPOINT_FIELDS} } ${ERRORS} } }`,
    key: (f) => f.org.admin,
    valid: (f) => ({
      id: f.endpoint.id,
      expectedVersion: f.endpoint.version,
      description: 'Renamed',
      eventTypes: [],
      enabled: true,
    }),
    rest: ({ id, ...body }) => ({ path: `/webhook-endpoints/${id}`, body }),
    restMethod: 'patch',
    restStatus: 200,
    setup: freshEndpoint,
  },
  rotateWebhookSecret: {
    mutation: `mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { ${WITH_SECRET} ... on ErrorResult { errorCode message } } }`,
    key: (f) => f.org.admin,
    valid: (f) => ({ id: f.endpoint.id, expectedVersion: f.endpoint.version }),
    rest: endpointAction('rotateSecret'),
    restStatus: 200,
    setup: freshEndpoint,
  },
  deleteWebhookEndpoint: {
    mutation: `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
    key: (f) => f.org.admin,
    valid: (f) => ({ id: f.endpoint.id }),
    variables: (input) => input,
    rest: ({ id }) => ({ path: `/webhook-endpoints/${id}`, body: undefined }),
    restMethod: 'delete',
    restStatus: 200,
    setup: freshEndpoint,
  },
  sendTestWebhook: {
    mutation: `mutation($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { ${DELIVERY_FIELDS} } }`,
    key: (f) => f.org.staff,
    valid: (f) => ({ endpointId: f.endpoint.id }),
    variables: (input) => input,
    rest: ({ endpointId, ...body }) => ({ path: `/webhook-endpoints/${endpointId}:sendTest`, body }),
    restStatus: 200,
  },
  recoverWebhookDeliveries: {
    mutation: `mutation($input: RecoverWebhookDeliveriesInput!) { recoverWebhookDeliveries(input: $input) { count } }`,
    key: (f) => f.org.staff,
    valid: (f) => ({ endpointId: f.endpoint.id, since: anHourAgo() }),
    rest: ({ endpointId, ...body }) => ({ path: `/webhook-endpoints/${endpointId}:recoverDeliveries`, body }),
    restStatus: 200,
  },
  retryWebhookDelivery: {
    mutation: `mutation($id: ID!) { retryWebhookDelivery(id: $id) { ${DELIVERY_FIELDS} } }`,
    key: (f) => f.org.staff,
    valid: (f) => ({ id: f.delivery.id }),
    variables: (input) => input,
    rest: ({ id, ...body }) => ({ path: `/webhook-deliveries/${id}:retry`, body }),
    restStatus: 200,
  },
  webhookDeliveries: {
    mutation: `query($filter: WebhookDeliveryFilter, $first: Int) { webhookDeliveries(filter: $filter, first: $first) { totalCount } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ first: 10, filter: { endpointId: f.endpoint.id, status: 'PENDING', eventType: 'webhook.test' } }),
    variables: (input) => input,
    // over REST the filter's fields are query parameters beside the page's
    rest: ({ filter, ...page }) => ({
      path: `/webhook-deliveries?${queryOf({ ...page, ...filter })}`,
      body: undefined,
    }),
    restMethod: 'get',
    restStatus: 200,
  },
  webhookDelivery: {
    mutation: `query($id: ID!) { webhookDelivery(id: $id) { id status } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ id: f.delivery.id }),
    variables: (input) => input,
    rest: ({ id }) => ({ path: `/webhook-deliveries/${id}`, body: undefined }),
    restMethod: 'get',
    restStatus: 200,
  },
};

const urlRefused: GqlResult = { result: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url' };
const url422: RestRefusal = { status: 422, errorCode: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url' };
const unknownType: GqlResult = { result: 'UNKNOWN_EVENT_TYPE', field: 'eventTypes.0' };
const unknownType422: RestRefusal = { status: 422, errorCode: 'UNKNOWN_EVENT_TYPE', field: 'eventTypes.0' };

const CASES: BadCase<OpName>[] = [
  // createWebhookEndpoint
  G('createWebhookEndpoint', 'url', 'ftp://hooks.example.com/x', urlRefused, 'an ftp:// url'),
  G('createWebhookEndpoint', 'url', 'https://169.254.169.254/latest/meta-data', urlRefused, 'the metadata address'),
  G('createWebhookEndpoint', 'url', 'https://user:pw@hooks.example.com/', urlRefused, 'a url with credentials'),
  G('createWebhookEndpoint', 'url', 'not a url', urlRefused),
  G('createWebhookEndpoint', 'url', '   ', refused('url'), 'a blank url'),
  G('createWebhookEndpoint', 'url', `https://hooks.example.com/${longText(2000)}`, refused('url')),
  G('createWebhookEndpoint', 'url', 42, mentioned('url'), 'url as a number'),
  G('createWebhookEndpoint', 'eventTypes', ['unit.exploded'], unknownType, 'an event type not in the catalogue'),
  G('createWebhookEndpoint', 'eventTypes', ['Unit Registered'], refused('eventTypes'), 'an event type misspelt'),
  G('createWebhookEndpoint', 'eventTypes', [42], mentioned('eventTypes'), 'an event type as a number'),
  G('createWebhookEndpoint', 'description', longText(501), refused('description')),
  G('createWebhookEndpoint', 'secret', 'whsec_mine', mentioned('secret'), 'an unknown field "secret"'),
  R('createWebhookEndpoint', 'url', 'http://10.0.0.1/hook', url422, 'a private address'),
  R('createWebhookEndpoint', 'url', 'https://0x7f000001/hook', url422, 'loopback spelt in hex'),
  R('createWebhookEndpoint', 'url', 'javascript:alert(1)', url422, 'a javascript: url'),
  R('createWebhookEndpoint', 'url', '', bad400('url'), 'an empty url'),
  R('createWebhookEndpoint', 'url', 42, bad400('url'), 'url as a number'),
  R('createWebhookEndpoint', 'url', ['https://hooks.example.com/'], bad400('url'), 'url as an array'),
  R('createWebhookEndpoint', 'eventTypes', ['unit.exploded'], unknownType422, 'an event type not in the catalogue'),
  R('createWebhookEndpoint', 'eventTypes', 'unit.registered', bad400('eventTypes'), 'eventTypes as a string'),
  R('createWebhookEndpoint', 'eventTypes', ['unit.registered', 42], bad400('eventTypes'), 'an event type as a number'),
  R('createWebhookEndpoint', 'description', longText(501), bad400('description')),
  R('createWebhookEndpoint', 'enabled', false, bad400('enabled'), 'an unknown field "enabled" (create has none)'),
  R(
    'createWebhookEndpoint',
    '__proto__',
    { isAdmin: true },
    bad400('body'),
    'a "__proto__" key (the whole body is refused)',
  ),

  // updateWebhookEndpoint
  G('updateWebhookEndpoint', 'expectedVersion', 0, refused('expectedVersion')),
  G('updateWebhookEndpoint', 'expectedVersion', '1', mentioned('expectedVersion'), 'expectedVersion as a string'),
  G('updateWebhookEndpoint', 'id', 'nope', refused('id')),
  G('updateWebhookEndpoint', 'enabled', 'yes', mentioned('enabled'), 'enabled as a string "yes"'),
  G('updateWebhookEndpoint', 'url', 'http://[::ffff:127.0.0.1]/hook', urlRefused, 'loopback as IPv4-mapped IPv6'),
  G('updateWebhookEndpoint', 'eventTypes', ['claim.teleported'], unknownType, 'an event type not in the catalogue'),
  R('updateWebhookEndpoint', 'expectedVersion', -1, bad400('expectedVersion')),
  R('updateWebhookEndpoint', 'expectedVersion', 'one', bad400('expectedVersion')),
  R('updateWebhookEndpoint', 'id', 'nope', bad400('id'), 'an id in the path that is not an id'),
  R('updateWebhookEndpoint', 'enabled', 'yes', bad400('enabled'), 'enabled as a string "yes"'),
  R('updateWebhookEndpoint', 'url', 'https://192.168.1.10/hook', url422, 'a private address'),
  R('updateWebhookEndpoint', 'url', '  ', bad400('url'), 'a blank url'),
  R('updateWebhookEndpoint', 'eventTypes', ['claim.teleported'], unknownType422, 'an event type not in the catalogue'),
  R('updateWebhookEndpoint', 'secret', 'whsec_mine', bad400('secret'), 'an unknown field "secret"'),

  // rotateWebhookSecret
  G('rotateWebhookSecret', 'expectedVersion', -1, refused('expectedVersion')),
  G('rotateWebhookSecret', 'id', 'nope', refused('id')),
  R('rotateWebhookSecret', 'expectedVersion', 'one', bad400('expectedVersion')),
  R('rotateWebhookSecret', 'expectedVersion', 1.5, bad400('expectedVersion')),
  R('rotateWebhookSecret', 'id', 'nope', bad400('id'), 'an id in the path that is not an id'),
  R('rotateWebhookSecret', 'secret', 'whsec_mine', bad400('secret'), 'an unknown field "secret"'),

  // deleteWebhookEndpoint
  G('deleteWebhookEndpoint', 'id', 'nope', refused('id')),
  R('deleteWebhookEndpoint', 'id', "x'; DROP TABLE webhook_endpoints; --", bad400('id'), 'an id made of SQL'),

  // sendTestWebhook
  G('sendTestWebhook', 'endpointId', 'nope', refused('endpointId')),
  R('sendTestWebhook', 'endpointId', 'nope', bad400('id'), 'an id in the path that is not an id'),

  // recoverWebhookDeliveries
  G('recoverWebhookDeliveries', 'since', '22/11/2026', mentioned('since')),
  G('recoverWebhookDeliveries', 'since', tomorrow(), refused('since'), 'a since in the future'),
  G('recoverWebhookDeliveries', 'endpointId', 'nope', refused('endpointId')),
  R('recoverWebhookDeliveries', 'since', 'yesterday', bad400('since')),
  R('recoverWebhookDeliveries', 'since', '2026-02-30T00:00:00Z', bad400('since'), 'since "2026-02-30" (no such day)'),
  R('recoverWebhookDeliveries', 'since', 1764633600, bad400('since'), 'since as a number'),
  R('recoverWebhookDeliveries', 'since', tomorrow(), bad400('since'), 'a since in the future'),
  R('recoverWebhookDeliveries', 'endpointId', 'nope', bad400('id'), 'an id in the path that is not an id'),
  R('recoverWebhookDeliveries', 'status', 'FAILED', bad400('status'), 'an unknown field "status"'),

  // retryWebhookDelivery
  G('retryWebhookDelivery', 'id', 'nope', refused('id')),
  R('retryWebhookDelivery', 'id', 'nope', bad400('id'), 'an id in the path that is not an id'),

  // the delivery log
  G('webhookDeliveries', 'filter.status', 'LOST', mentioned('status'), 'an unknown status "LOST"'),
  // the filter's fields are named as in the REST query string, as an input's are without "input."
  G('webhookDeliveries', 'filter.endpointId', 'nope', refused('endpointId')),
  G('webhookDeliveries', 'filter.eventType', longText(101), refused('eventType')),
  G('webhookDeliveries', 'first', -1, refused('first')),
  R('webhookDeliveries', 'filter.status', 'LOST', bad400('status'), 'an unknown status "LOST"'),
  R('webhookDeliveries', 'filter.endpointId', 'nope', bad400('endpointId')),
  R('webhookDeliveries', 'filter.eventType', longText(101), bad400('eventType')),
  R('webhookDeliveries', 'first', 0, bad400('first')),
  G('webhookDelivery', 'id', 'nope', refused('id')),
  R('webhookDelivery', 'id', 'nope', bad400('id')),
];

/** What a refused webhook call must leave as it was: the written tables, the endpoints' versions and every delivery's attempts. */
async function webhookTableCounts(t: TestApp) {
  const [endpoints] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS versions FROM webhook_endpoints`,
  );
  const [deliveries] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n, coalesce(sum(jsonb_array_length(attempts)), 0)::int AS attempts,
            count(*) FILTER (WHERE status = 'PENDING')::int AS pending
       FROM webhook_deliveries`,
  );
  return { ...(await tableCounts(t)), endpoints, deliveries };
}

describe('webhook bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    // no background delivery (the counts change only by the calls), and plain http to a closed local port
    t = await startTestApp({ JOBS_POLL_MS: '0', WEBHOOK_ALLOW_HOSTS: '127.0.0.1:9', WEBHOOK_TIMEOUT_MS: '2000' });
    const org = await createTenant(t, 'RETAILER');
    const newEndpoint = async () => {
      const { endpoint } = await createEndpoint(t, org.admin, URL);
      return { id: endpoint.id, version: endpoint.version };
    };
    const endpoint = await newEndpoint();
    const sent = await gql(t, org.staff, SEND_TEST, { endpointId: endpoint.id });
    if (sent.errors) throw new Error(JSON.stringify(sent.errors));
    f = { org, endpoint, delivery: { id: sent.data.sendTestWebhook.id }, newEndpoint };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f, counts: webhookTableCounts });

  itAcceptsTheBaselines({ ops: OPS, app: () => t, fixtures: () => f }, (op, answer, via) => {
    if (op === 'createWebhookEndpoint' || op === 'rotateWebhookSecret')
      expect(answer).toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
    else if (op === 'deleteWebhookEndpoint') expect(via === 'GraphQL' ? answer : answer.deleted).toBe(true);
    else if (op === 'webhookDeliveries') expect(answer.totalCount).toBeGreaterThanOrEqual(1);
    else if (op === 'recoverWebhookDeliveries') expect(answer).toEqual({ count: 0 });
    else expect(answer).toMatchObject({ id: expect.any(String) });
  });
});
