import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister } from './support/units-helpers.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  __typename
  ... on WebhookEndpointWithSecret { secret endpoint { id url eventTypes enabled secretPrefix version } }
  ... on GenericError { errorCode message field }
} }`;

describe('webhooks: a signed event reaches a receiver', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let maker: Tenant;
  let seller: Tenant;
  let product: { id: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({ WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`, JOBS_POLL_MS: '50' });
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    product = await createProduct(t, maker.staff);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('sends unit.registered to the retailer, signed, with the unit as GET /units/{id} shows it', async () => {
    const created = await gql(t, seller.admin, CREATE, {
      input: { url: receiver.url, eventTypes: ['unit.registered'] },
    });
    expect(created.errors).toBeUndefined();
    const { secret, endpoint } = created.data.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: receiver.url, eventTypes: ['unit.registered'], enabled: true, version: 1 });
    const unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      serialNumber: uniqueSerial(),
      purchaseDate: new Date().toISOString().slice(0, 10),
    });
    const [message] = await receiver.waitFor(1, (m) => m.json.data?.id === unit.id);
    expect(WebhookReceiver.verify(message, secret)).toMatchObject({ type: 'unit.registered' });
    const asRest = await rest(t, seller.staff).get(`/units/${unit.id}`);
    expect(message.json.data).toEqual(asRest.body);
    expect(message.headers['webhook-id']).toMatch(/^msg_/);
  });
});
