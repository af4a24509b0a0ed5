import { DataSource } from 'typeorm';
import { assertErrorResult, assertSuccess, createTenant, errorCode, gql, rest, type Tenant } from './support/api.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import {
  CREATE_ENDPOINT,
  createEndpoint,
  DELETE_ENDPOINT,
  ENDPOINTS,
  EVENT_TYPES,
  ROTATE_SECRET,
  SEND_TEST,
  UPDATE_ENDPOINT,
} from './support/webhooks-client.js';

/**
 * Issue 13: webhook endpoints (docs/webhooks.md): who manages and reads them, the secret shown
 * once and rotated with an overlap, the catalogue, and the addresses an endpoint may not have.
 */
describe('webhook endpoints', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let seller: Tenant;
  let other: Tenant;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({ WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}` });
    seller = await createTenant(t, 'RETAILER');
    other = await createTenant(t, 'RETAILER');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const endpointRows = async () =>
    Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM webhook_endpoints`))[0].n);

  it('shows the secret once: the endpoint read back has only its prefix', async () => {
    const { secret, endpoint } = await createEndpoint(t, seller.admin, receiver.url, ['unit.registered']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secret.startsWith(endpoint.secretPrefix)).toBe(true);
    const listed = await gql(t, seller.readonly, ENDPOINTS, {});
    const found = listed.data.webhookEndpoints.edges.map((e: any) => e.node).find((n: any) => n.id === endpoint.id);
    expect(found).toMatchObject({ id: endpoint.id, secretPrefix: endpoint.secretPrefix });
    expect(JSON.stringify(listed)).not.toContain(secret);
    const viaRest = await rest(t, seller.staff).get(`/webhook-endpoints/${endpoint.id}`);
    expect(viaRest.status).toBe(200);
    expect(JSON.stringify(viaRest.body)).not.toContain(secret.slice(10));
  });

  it('lets only ADMIN keys manage endpoints; STAFF and READONLY read them; another organization finds none', async () => {
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    for (const key of [seller.staff, seller.readonly]) {
      const res = await gql(t, key, CREATE_ENDPOINT, { input: { url: receiver.url } });
      expect(errorCode(res)).toBe('FORBIDDEN');
    }
    expect((await rest(t, seller.readonly).get(`/webhook-endpoints/${endpoint.id}`)).status).toBe(200);
    expect((await rest(t, other.admin).get(`/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    const update = await gql(t, other.admin, UPDATE_ENDPOINT, {
      input: { id: endpoint.id, expectedVersion: 1, enabled: false },
    });
    expect(errorCode(update)).toBe('NOT_FOUND');
    expect(errorCode(await gql(t, other.admin, DELETE_ENDPOINT, { id: endpoint.id }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(t, other.admin, SEND_TEST, { endpointId: endpoint.id }))).toBe('NOT_FOUND');
    const theirs = await gql(t, other.readonly, ENDPOINTS, {});
    expect(theirs.data.webhookEndpoints.edges.map((e: any) => e.node.id)).not.toContain(endpoint.id);
  });

  it('changes an endpoint under its version, and refuses a stale version', async () => {
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    const changed = await gql(t, seller.admin, UPDATE_ENDPOINT, {
      input: { id: endpoint.id, expectedVersion: 1, description: 'Order system', eventTypes: ['return.authorized'] },
    });
    expect(assertSuccess(changed.data.updateWebhookEndpoint, 'WebhookEndpoint')).toMatchObject({
      description: 'Order system',
      eventTypes: ['return.authorized'],
      version: 2,
    });
    const stale = await gql(t, seller.admin, UPDATE_ENDPOINT, {
      input: { id: endpoint.id, expectedVersion: 1, enabled: false },
    });
    expect(assertErrorResult(stale.data.updateWebhookEndpoint, 'VERSION_CONFLICT')).toMatchObject({
      currentVersion: 2,
    });
    const viaRest = await rest(t, seller.admin)
      .patch(`/webhook-endpoints/${endpoint.id}`)
      .send({ expectedVersion: 2, enabled: false });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toMatchObject({ enabled: false, version: 3 });
  });

  it('refuses an event type outside the catalogue, naming it, and stores nothing', async () => {
    const before = await endpointRows();
    const res = await gql(t, seller.admin, CREATE_ENDPOINT, {
      input: { url: receiver.url, eventTypes: ['unit.registered', 'unit.exploded'] },
    });
    expect(assertErrorResult(res.data.createWebhookEndpoint, 'UNKNOWN_EVENT_TYPE')).toMatchObject({
      field: 'eventTypes.1',
      message: expect.stringContaining('unit.exploded'),
    });
    const viaRest = await rest(t, seller.admin)
      .post('/webhook-endpoints')
      .send({ url: receiver.url, eventTypes: ['unit.exploded'] });
    expect(viaRest.status).toBe(422);
    expect(viaRest.body).toMatchObject({ errorCode: 'UNKNOWN_EVENT_TYPE', field: 'eventTypes.0' });
    expect(await endpointRows()).toBe(before);
  });

  it('lists the catalogue, each type with a description and the JSON Schema of its data', async () => {
    const res = await gql(t, seller.readonly, EVENT_TYPES, {});
    const names = res.data.webhookEventTypes.map((e: any) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'unit.registered',
        'unit.ownership_transferred',
        'unit.status_changed',
        'unit.service_plan_attached',
        'warranty_claim.submitted',
        'warranty_claim.approved',
        'warranty_claim.rejected',
        'warranty_claim.info_requested',
        'warranty_claim.info_provided',
        'warranty_claim.paid',
        'warranty_claim.cancelled',
        'repair_ticket.opened',
        'repair_ticket.status_changed',
        'repair_ticket.estimate_approved',
        'return.authorized',
        'return.rejected',
        'return.shipped',
        'return.received',
        'return.inspected',
        'return.resolved',
        'return.expired',
        'upgrade.requested',
        'upgrade.completed',
        'upgrade.cancelled',
        'webhook.test',
        'webhook_endpoint.disabled',
      ]),
    );
    for (const type of res.data.webhookEventTypes) {
      expect(type.name).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(type.description.length).toBeGreaterThan(10);
      expect(type.dataSchema).toMatchObject({ $ref: expect.stringMatching(/^#\/\$defs\//), $defs: expect.any(Object) });
    }
    const viaRest = await rest(t, seller.readonly).get('/webhook-event-types');
    expect(viaRest.body).toEqual(res.data.webhookEventTypes);
  });

  it('rotates the secret: both secrets sign for a while, each signature verifies with its own secret', async () => {
    const { secret: first, endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    const rotated = await gql(t, seller.admin, ROTATE_SECRET, { input: { id: endpoint.id, expectedVersion: 1 } });
    const { secret: second } = assertSuccess(rotated.data.rotateWebhookSecret, 'WebhookEndpointWithSecret');
    expect(second).not.toBe(first);
    const sent = await gql(t, seller.staff, SEND_TEST, { endpointId: endpoint.id });
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendTestWebhook).toMatchObject({ eventType: 'webhook.test', status: 'SUCCEEDED' });
    const [message] = await receiver.waitFor(1, (m) => m.headers['webhook-id'] === sent.data.sendTestWebhook.messageId);
    expect(String(message.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(WebhookReceiver.verify(message, first)).toMatchObject({ type: 'webhook.test' });
    expect(WebhookReceiver.verify(message, second)).toMatchObject({ type: 'webhook.test' });
    const stale = await gql(t, seller.admin, ROTATE_SECRET, { input: { id: endpoint.id, expectedVersion: 1 } });
    expect(assertErrorResult(stale.data.rotateWebhookSecret, 'VERSION_CONFLICT')).toBeTruthy();
  });

  it('deletes an endpoint with its deliveries', async () => {
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    await gql(t, seller.staff, SEND_TEST, { endpointId: endpoint.id });
    expect((await gql(t, seller.admin, DELETE_ENDPOINT, { id: endpoint.id })).data.deleteWebhookEndpoint).toBe(true);
    expect((await rest(t, seller.admin).get(`/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    const left = await t.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [endpoint.id]);
    expect(Number(left[0].n)).toBe(0);
    const { endpoint: second } = await createEndpoint(t, seller.admin, receiver.url);
    const viaRest = await rest(t, seller.admin).delete(`/webhook-endpoints/${second.id}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual({ id: second.id, deleted: true });
  });

  describe('addresses an endpoint may not have (SSRF)', () => {
    const refused = [
      'https://127.0.0.1/hook',
      'https://127.1/hook',
      'https://2130706433/hook',
      'https://0x7f000001/hook',
      'https://0177.0.0.1/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::ffff:7f00:1]/hook',
      'https://10.1.2.3/hook',
      'https://167772161/hook',
      'https://172.16.0.1/hook',
      'https://172.31.255.254/hook',
      'https://192.168.0.10/hook',
      'https://0xc0a8000a/hook',
      'https://[fc00::1]/hook',
      'https://[fd00:ec2::254]/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fe80::1]/hook',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://[::]/hook',
      'https://224.0.0.251/hook',
      'https://[ff02::1]/hook',
      'https://240.0.0.1/hook',
      'https://[64:ff9b::a9fe:a9fe]/hook',
      'https://user:secret@hooks.example.com/hook',
      'ftp://hooks.example.com/hook',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_INFO',
      'http://hooks.example.com/hook',
      `http://127.0.0.1:${1}/hook`,
    ];
    it.each(refused)('refuses %s with WEBHOOK_URL_NOT_ALLOWED naming url, and stores nothing', async (url) => {
      const before = await endpointRows();
      const res = await gql(t, seller.admin, CREATE_ENDPOINT, { input: { url } });
      expect(assertErrorResult(res.data.createWebhookEndpoint, 'WEBHOOK_URL_NOT_ALLOWED')).toMatchObject({
        field: 'url',
      });
      expect(await endpointRows()).toBe(before);
    });

    it('refuses a private address on update too, over REST', async () => {
      const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
      const res = await rest(t, seller.admin)
        .patch(`/webhook-endpoints/${endpoint.id}`)
        .send({ expectedVersion: 1, url: 'https://169.254.169.254/' });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ errorCode: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url' });
      expect((await rest(t, seller.admin).get(`/webhook-endpoints/${endpoint.id}`)).body.url).toBe(receiver.url);
    });

    it('the platform operator manages only its own endpoints', async () => {
      const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
      expect((await rest(t, PLATFORM_KEY).get(`/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    });
  });
});
