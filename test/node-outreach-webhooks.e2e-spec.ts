import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createProduct,
  createTenant,
  errorCode,
  gql,
  registerUnit,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * node(id) for the types of the webhooks and outreach contracts that implement Node: the owner
 * organization reads its endpoint, delivery, journey, message and survey answer; anyone else, a
 * service center (to which the whole area is FORBIDDEN) included, gets the NOT_FOUND of an id that
 * exists nowhere.
 */
describe('node(id) for webhooks and outreach', () => {
  let t: TestApp;
  let shop: Tenant;
  let otherShop: Tenant;
  let center: Tenant;
  const ids: Record<string, string> = {};
  const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1:9' });
    const maker = await createTenant(t, 'MANUFACTURER');
    shop = await createTenant(t, 'RETAILER');
    otherShop = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    const product = await createProduct(t, maker.staff);
    const unit = await registerUnit(t, shop.staff, {
      productId: product.id,
      serialNumber: uniqueSerial(),
      purchaseDate: new Date().toISOString().slice(0, 10),
      customer: { name: 'Ada', email: 'ada@example.com' },
    });
    const journey = await rest(t, shop.staff).post('/outreach-journeys', {
      name: 'Survey',
      kind: 'SURVEY',
      trigger: 'UNIT_REGISTERED',
      survey: { question: 'How did we do?', scale: 'CSAT' },
    });
    expect(journey.status).toBe(201);
    ids.OutreachJourney = journey.body.id;
    const endpoint = await rest(t, shop.admin).post('/webhook-endpoints', { url: 'http://127.0.0.1:9/hook' });
    expect(endpoint.status).toBe(201);
    ids.WebhookEndpoint = endpoint.body.endpoint.id;
    // a sent message and its answer, as the sender and the survey page record them
    const db = t.app.get(DataSource);
    ids.OutreachMessage = randomUUID();
    await db.query(
      `INSERT INTO outreach_messages (id, journey_id, sender_id, unit_id, occasion, dedup_key, channel, status, sent_at)
       VALUES ($1, $2, $3, $4::uuid, current_date, $4::text, 'EMAIL', 'SENT', now())`,
      [ids.OutreachMessage, ids.OutreachJourney, shop.id, unit.id],
    );
    ids.SurveyResponse = randomUUID();
    await db.query(
      `INSERT INTO survey_responses (id, message_id, journey_id, sender_id, unit_id, score) VALUES ($1, $2, $3, $4, $5, 4)`,
      [ids.SurveyResponse, ids.OutreachMessage, ids.OutreachJourney, shop.id, unit.id],
    );
  });

  afterAll(() => t?.close());

  it.each(['OutreachJourney', 'OutreachMessage', 'SurveyResponse', 'WebhookEndpoint'])(
    'the organization that owns a %s reads it through node(id)',
    async (type) => {
      const res = await gql(t, shop.staff, NODE, { id: ids[type] });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toEqual({ __typename: type, id: ids[type] });
    },
  );

  it('another retailer and a service center get the NOT_FOUND of an id that exists nowhere', async () => {
    const nowhere = await gql(t, otherShop.staff, NODE, { id: randomUUID() });
    expect(errorCode(nowhere)).toBe('NOT_FOUND');
    for (const key of [otherShop.staff, center.staff, center.readonly]) {
      for (const id of Object.values(ids)) {
        const res = await gql(t, key, NODE, { id });
        expect(errorCode(res)).toBe('NOT_FOUND');
        expect(res.errors?.[0]?.message).toBe(nowhere.errors?.[0]?.message);
      }
    }
  });
});
