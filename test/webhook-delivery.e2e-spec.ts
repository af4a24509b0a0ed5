import { assertSuccess, createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister, utcToday } from './support/units-helpers.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import {
  createEndpoint,
  DELIVERY,
  deliveriesOf,
  ENDPOINTS,
  RECOVER,
  RETRY,
  SEND_TEST,
  UPDATE_ENDPOINT,
  waitForDeliveries,
} from './support/webhooks-client.js';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { newId } from '../src/common/ids.js';
import { JobRunner } from '../src/common/jobs/job-runner.service.js';
import { claimDue, insertDeliveries } from '../src/webhooks/webhook-delivery.queries.js';
import { WebhookNetwork } from '../src/webhooks/webhook-network.js';

/**
 * Issue 13: delivery (docs/webhooks.md, "Delivery"): retries on a short schedule with one
 * webhook-id, 410 disables, Retry-After is a floor, a 3xx is a failure, a receiver that never
 * answers times out without holding up another endpoint, manual retry and recovery, and the
 * address checked again at every attempt.
 */
describe('webhook delivery', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let silent: WebhookReceiver;
  let seller: Tenant;

  /** A manufacturer and a retailer with no endpoints yet: their events reach only the test's own endpoints. */
  const freshParties = async () => ({
    maker: await createTenant(t, 'MANUFACTURER'),
    seller: await createTenant(t, 'RETAILER'),
  });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    silent = await WebhookReceiver.start();
    silent.answerWith(() => undefined); // never answers
    t = await startTestApp({
      WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port},127.0.0.1:${silent.port}`,
      WEBHOOK_RETRY_SCHEDULE: '300ms,300ms,300ms',
      WEBHOOK_TIMEOUT_MS: '1500',
      JOBS_POLL_MS: '50',
    });
    seller = await createTenant(t, 'RETAILER');
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await silent?.close();
  });

  /** The receiver answers the n-th message of a test with statuses[n] (the last one after that). */
  const answering = (...statuses: Array<number | [number, Record<string, string>]>) => {
    let n = 0;
    receiver.answerWith((_m, res) => {
      const answer = statuses[Math.min(n++, statuses.length - 1)];
      const [status, headers] = Array.isArray(answer) ? answer : [answer, {}];
      res.writeHead(status, headers).end();
    });
  };

  const sendTest = async (endpointId: string) => {
    const res = await gql(t, seller.staff, SEND_TEST, { endpointId });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.sendTestWebhook;
  };

  const settled = (endpointId: string) =>
    waitForDeliveries(
      t,
      seller.readonly,
      { endpointId },
      (ds) => ds.length > 0 && ds.every((d) => d.status !== 'PENDING'),
    );

  it('retries 500, 500, then 200: SUCCEEDED after three attempts, one webhook-id throughout', async () => {
    answering(500, 500, 200);
    const { endpoint, secret } = await createEndpoint(t, seller.admin, receiver.url);
    const first = await sendTest(endpoint.id);
    expect(first).toMatchObject({ status: 'PENDING', attempts: [{ responseStatus: 500, error: 'answered 500' }] });
    const [delivery] = await settled(endpoint.id);
    expect(delivery.status).toBe('SUCCEEDED');
    expect(delivery.attempts.map((a: any) => a.responseStatus)).toEqual([500, 500, 200]);
    const messages = receiver.received.filter((m) => m.headers['webhook-id'] === first.messageId);
    expect(messages).toHaveLength(3);
    for (const message of messages)
      expect(WebhookReceiver.verify(message, secret)).toMatchObject({ type: 'webhook.test' });
    expect(new Set(messages.map((m) => m.headers['webhook-timestamp'])).size).toBeGreaterThanOrEqual(1);
  });

  it('fails a delivery once the schedule is spent', async () => {
    answering(503);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    await sendTest(endpoint.id);
    const [delivery] = await settled(endpoint.id);
    expect(delivery).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
    expect(delivery.attempts).toHaveLength(4);
  });

  it('disables the endpoint on 410 and tells the organization’s other endpoints', async () => {
    receiver.answerWith((m, res) => res.writeHead(m.url.startsWith('/gone') ? 410 : 200).end());
    const watcher = await createEndpoint(t, seller.admin, receiver.urlOf('watcher'), ['webhook_endpoint.disabled']);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.urlOf('gone'));
    const sent = await sendTest(endpoint.id);
    expect(sent).toMatchObject({ status: 'FAILED', attempts: [{ responseStatus: 410 }] });
    const after = (await rest(t, seller.readonly).get(`/webhook-endpoints/${endpoint.id}`)).body;
    expect(after).toMatchObject({ enabled: false, disabledReason: 'The endpoint answered 410 Gone.' });
    const [notice] = await waitForDeliveries(t, seller.readonly, { endpointId: watcher.endpoint.id }, (ds) =>
      ds.some((d) => d.status === 'SUCCEEDED'),
    );
    expect(notice.payload).toMatchObject({
      type: 'webhook_endpoint.disabled',
      data: { id: endpoint.id, enabled: false, disabledReason: 'The endpoint answered 410 Gone.' },
    });
  });

  it('waits at least the Retry-After of a 429', async () => {
    answering([429, { 'retry-after': '2' }], 200);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    const first = await sendTest(endpoint.id);
    const [delivery] = await settled(endpoint.id);
    expect(delivery.attempts.map((a: any) => a.responseStatus)).toEqual([429, 200]);
    const times = receiver.received.filter((m) => m.headers['webhook-id'] === first.messageId).map((m) => m.at);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1900);
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    answering([302, { location: 'http://169.254.169.254/latest/meta-data/' }], 200);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    await sendTest(endpoint.id);
    const [delivery] = await settled(endpoint.id);
    expect(delivery.attempts).toMatchObject([{ responseStatus: 302, error: 'answered 302' }, { responseStatus: 200 }]);
  });

  it('gives up on a receiver that never answers, without holding up another endpoint', async () => {
    answering(204);
    const { maker, seller } = await freshParties();
    const slow = await createEndpoint(t, maker.admin, silent.url, ['unit.registered']);
    const fast = await createEndpoint(t, maker.admin, receiver.urlOf('fast'), ['unit.registered']);
    const product = await createProduct(t, maker.staff);
    const units: { id: string }[] = [];
    for (let i = 0; i < 3; i++)
      units.push(
        await mustRegister(t, seller.staff, {
          productId: product.id,
          serialNumber: uniqueSerial(),
          purchaseDate: utcToday(),
        }),
      );
    const started = Date.now();
    await receiver.waitFor(3, (m) => m.url === '/fast' && units.some((u) => u.id === m.json.data.id));
    // three messages to the fast endpoint while the slow one holds each of its attempts 1.5 s
    expect(Date.now() - started).toBeLessThan(1500);
    const slowOnes = await waitForDeliveries(
      t,
      maker.readonly,
      { endpointId: slow.endpoint.id },
      (ds) => ds.length === 3 && ds.every((d) => d.attempts.length > 0),
    );
    expect(slowOnes[0].attempts[0]).toMatchObject({ responseStatus: null, error: 'no answer within 1500 ms' });
    expect(slowOnes[0].attempts[0].durationMs).toBeGreaterThanOrEqual(1400);
    const fastOnes = await deliveriesOf(t, maker.readonly, { endpointId: fast.endpoint.id });
    expect(fastOnes.map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('retries one delivery now on request, with the same webhook-id', async () => {
    answering(500);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    const sent = await sendTest(endpoint.id);
    const [failed] = await settled(endpoint.id);
    expect(failed.status).toBe('FAILED');
    answering(200);
    const retried = await gql(t, seller.staff, RETRY, { id: sent.id });
    expect(retried.data.retryWebhookDelivery).toMatchObject({ status: 'SUCCEEDED', messageId: sent.messageId });
    expect(retried.data.retryWebhookDelivery.attempts.at(-1)).toMatchObject({ responseStatus: 200, error: null });
    const readonly = await gql(t, seller.readonly, RETRY, { id: sent.id });
    expect(readonly.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records events for a disabled endpoint as FAILED, and recovers them once it is enabled again', async () => {
    answering(204);
    const { maker, seller } = await freshParties();
    const { endpoint } = await createEndpoint(t, maker.admin, receiver.url, ['unit.registered']);
    const off = await gql(t, maker.admin, UPDATE_ENDPOINT, {
      input: { id: endpoint.id, expectedVersion: 1, enabled: false },
    });
    expect(assertSuccess(off.data.updateWebhookEndpoint, 'WebhookEndpoint').enabled).toBe(false);
    const since = new Date().toISOString();
    const product = await createProduct(t, maker.staff);
    const unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      serialNumber: uniqueSerial(),
      purchaseDate: utcToday(),
    });
    const [missed] = await waitForDeliveries(t, maker.readonly, { endpointId: endpoint.id }, (ds) => ds.length === 1);
    expect(missed).toMatchObject({ status: 'FAILED', eventType: 'unit.registered', attempts: [] });
    await gql(t, maker.admin, UPDATE_ENDPOINT, { input: { id: endpoint.id, expectedVersion: 2, enabled: true } });
    const recovered = await gql(t, maker.staff, RECOVER, { input: { endpointId: endpoint.id, since } });
    expect(recovered.data.recoverWebhookDeliveries).toEqual({ count: 1 });
    const [message] = await receiver.waitFor(1, (m) => m.json.data?.id === unit.id);
    expect(message.headers['webhook-id']).toBe(missed.messageId);
    await waitForDeliveries(t, maker.readonly, { endpointId: endpoint.id }, ([d]) => d.status === 'SUCCEEDED');
    const after = await gql(t, maker.readonly, DELIVERY, { id: missed.id });
    expect(after.data.webhookDelivery).toMatchObject({ status: 'SUCCEEDED', attempts: [{ responseStatus: 204 }] });
  });

  it('checks the address again at the attempt: a name that now resolves inside is refused, nothing is sent', async () => {
    const network = t.app.get(WebhookNetwork);
    const original = network.resolve;
    try {
      network.resolve = async () => [{ address: '93.184.215.14', family: 4 }];
      const { endpoint } = await createEndpoint(t, seller.admin, 'https://hooks.rebinding.test/aftercare');
      network.resolve = async () => [{ address: '127.0.0.1', family: 4 }];
      const sent = await sendTest(endpoint.id);
      expect(sent.attempts[0]).toMatchObject({
        responseStatus: null,
        error: 'URL refused: hooks.rebinding.test does not resolve to public addresses only',
      });
      const arrived = [...receiver.received, ...silent.received].filter(
        (m) => m.headers['webhook-id'] === sent.messageId,
      );
      expect(arrived).toEqual([]);
    } finally {
      network.resolve = original;
    }
  });

  it('lists deliveries newest first, filtered by endpoint, status and event type', async () => {
    answering(204);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    const a = await sendTest(endpoint.id);
    const b = await sendTest(endpoint.id);
    const listed = await deliveriesOf(t, seller.readonly, {
      endpointId: endpoint.id,
      status: 'SUCCEEDED',
      eventType: 'webhook.test',
    });
    expect(listed.map((d) => d.id)).toEqual([b.id, a.id]);
    expect(await deliveriesOf(t, seller.readonly, { endpointId: endpoint.id, status: 'FAILED' })).toEqual([]);
    const viaRest = await rest(t, seller.readonly).get(`/webhook-deliveries?endpointId=${endpoint.id}&first=1`);
    expect(viaRest.body.edges.map((e: any) => e.node.id)).toEqual([b.id]);
    expect(viaRest.body.totalCount).toBe(2);
    const endpoints = await gql(t, seller.readonly, ENDPOINTS, { first: 100 });
    expect(endpoints.data.webhookEndpoints.totalCount).toBeGreaterThan(0);
  });

  it('disables an endpoint that has failed for WEBHOOK_DISABLE_AFTER_HOURS, and says why', async () => {
    answering(500);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.urlOf('failing-for-days'));
    // its failing streak began 121 hours ago (the default limit is 120)
    await t.app
      .get(DataSource)
      .query(`UPDATE webhook_endpoints SET failing_since = now() - interval '121 hours' WHERE id = $1`, [endpoint.id]);
    const sent = await sendTest(endpoint.id);
    expect(sent).toMatchObject({ status: 'FAILED', attempts: [{ responseStatus: 500 }] });
    const after = (await rest(t, seller.readonly).get(`/webhook-endpoints/${endpoint.id}`)).body;
    expect(after).toMatchObject({ enabled: false, disabledReason: 'Every delivery failed for 120 hours.' });
  });

  it('keeps deliveries WEBHOOK_RETENTION_DAYS, then deletes them (not those still waiting)', async () => {
    answering(204);
    const { endpoint } = await createEndpoint(t, seller.admin, receiver.url);
    const old = await sendTest(endpoint.id);
    const recent = await sendTest(endpoint.id);
    const db = t.app.get(DataSource);
    await db.query(`UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
    // the retention task is hourly: a round two hours on runs it
    await t.app.get(JobRunner).runOnce(Date.now() + 2 * 3600_000);
    // (the seller's other tests may fan events out to this endpoint meanwhile: only the test messages count)
    const left = await deliveriesOf(t, seller.readonly, { endpointId: endpoint.id, eventType: 'webhook.test' });
    expect(left.map((d) => d.id)).toEqual([recent.id]);
  });

  it('claims no more of an endpoint or an organization than its share left on this replica', async () => {
    const { seller: org } = await freshParties();
    const { endpoint: a } = await createEndpoint(t, org.admin, receiver.urlOf('share-a'));
    const { endpoint: b } = await createEndpoint(t, org.admin, receiver.urlOf('share-b'));
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.startTransaction();
    try {
      // 40 due deliveries to each, written in this transaction (no dispatcher sees them), a's first
      const due = [a.id, a.id, b.id].flatMap((endpointId, i) =>
        Array.from({ length: i === 2 ? 40 : 20 }, () => {
          const id = newId();
          return { id, endpointId, organizationId: org.id, eventId: null, messageId: `msg_${id}` };
        }),
      );
      await insertDeliveries(
        runner.manager,
        due.map((d) => ({ ...d, eventType: 'webhook.test', body: '{}', status: 'PENDING' as const })),
      );
      // this replica holds 30 deliveries of a (share 32) and 50 of the organization (share 64), in flight or waiting
      const claimed = await claimDue(runner.manager, {
        limit: 128,
        perEndpoint: 32,
        perOrganization: 64,
        heldHere: { endpoints: new Map([[a.id, 30]]), organizations: new Map([[org.id, 50]]) },
        token: randomUUID(),
        leaseMs: 60_000,
      });
      const to = (endpointId: string) => claimed.filter((d) => d.endpointId === endpointId).length;
      // a's other 38 do not take the organization's room from b
      expect([to(a.id), to(b.id)]).toEqual([2, 12]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
