import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxSignals } from '../src/common/events/outbox-signals.js';
import { JobRunner } from '../src/common/jobs/job-runner.service.js';
import { recordEvents } from '../src/common/lifecycle/outbox.js';
import { WebhookFanout } from '../src/webhooks/webhook-fanout.service.js';
import { createProduct, createTenant, rest, uniqueSerial, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { utcToday } from './support/units-helpers.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { createEndpoint, type CreatedEndpoint } from './support/webhooks-client.js';

/**
 * An event moves on when it can, not at the next poll (docs/webhooks.md): a transaction that
 * wrote outbox events wakes the relay once it has committed (not at a savepoint's release, not on
 * a rollback), the relay's published events wake the fan-out, whose deliveries go out at once.
 * And the fan-out's idle round writes nothing.
 */

/** Resolves with `read()`'s value once `done` holds for it (read every 20 ms); fails after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An outbox event no resource publishes (no webhook, no subscription reads it), for aggregate `id`. */
const markerEvent = (id: string) => ({
  type: 'wake.marker',
  aggregateType: 'wake_marker',
  aggregateId: id,
  payload: {},
});

describe('the wake chain: commit -> relay -> fan-out -> dispatcher, with no poll in between', () => {
  const POLL_MS = 60_000;
  let t: TestApp;
  let db: DataSource;
  let receiver: WebhookReceiver;
  let maker: Tenant;
  let product: { id: string };
  let endpoint: CreatedEndpoint;
  let startedAt: number;
  /** How many times the app's OutboxSignals said: a commit wrote events / the relay published. */
  const heard = { committed: 0, published: 0 };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    startedAt = Date.now();
    // the first poll of the job runner, the fan-out and the dispatcher is a minute away
    t = await startTestApp({
      WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      WEBHOOK_TIMEOUT_MS: '5000',
      JOBS_POLL_MS: String(POLL_MS),
    });
    db = t.app.get(DataSource);
    const signals = t.app.get(OutboxSignals);
    signals.onCommitted(() => heard.committed++);
    signals.onPublished(() => heard.published++);
    maker = await createTenant(t, 'MANUFACTURER');
    product = await createProduct(t, maker.staff);
    endpoint = await createEndpoint(t, maker.admin, receiver.url, ['unit.registered']);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** The outbox events of aggregate `id`: published or not. */
  const outboxOf = (id: string): Promise<Array<{ publish_seq: string | null }>> =>
    db.query(`SELECT publish_seq::text AS publish_seq FROM outbox_events WHERE aggregate_id = $1`, [id]);

  it('a unit registered over REST reaches the manufacturer’s endpoint within seconds, signed', async () => {
    const before = { ...heard };
    const registered = Date.now();
    const res = await rest(t, maker.staff).post('/units', {
      productId: product.id,
      serialNumber: uniqueSerial(),
      purchaseDate: utcToday(),
    });
    expect(res.status).toBe(201);
    // each link of the chain in turn, so that a broken one is named: the commit woke the relay...
    expect(heard.committed).toBeGreaterThan(before.committed);
    const [event] = await eventually(
      () => outboxOf(res.body.id),
      ([e]) => e?.publish_seq != null,
      'the unit.registered event published by the woken relay',
    );
    // ...whose run, once committed, told the fan-out (committed() comes right after the commit)...
    await eventually(
      async () => heard.published,
      (n) => n > before.published,
      'the relay’s run telling the fan-out it published',
      1000,
    );
    // ...which fanned it out, and the dispatcher sent it
    const [message] = await receiver.waitFor(
      1,
      (m) => m.json.type === 'unit.registered' && m.json.data?.id === res.body.id,
      5000,
    );
    expect(WebhookReceiver.verify(message, endpoint.secret)).toMatchObject({
      type: 'unit.registered',
      data: { id: res.body.id },
    });
    expect(message.at - registered).toBeLessThan(5000);
    // before any poll could have run: only the wakes moved it
    expect(message.at).toBeLessThan(startedAt + POLL_MS);
    const [{ position }] = await db.query(`SELECT last_publish_seq::text AS position FROM webhook_fanout_position`);
    expect(BigInt(position)).toBeGreaterThanOrEqual(BigInt(event.publish_seq!));
  });

  it('a transaction that wrote events and rolled back signals nothing, and nothing of it is published', async () => {
    const before = { ...heard };
    const id = randomUUID();
    await expect(
      db.transaction(async (em) => {
        await recordEvents(em, null, [markerEvent(id)]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // the commit signal is heard before the transaction's promise settles: none came
    expect(heard.committed).toBe(before.committed);
    expect(await outboxOf(id)).toEqual([]);
    // the same, committed: signalled once, and published by the woken relay, still before any poll
    const committed = randomUUID();
    await db.transaction((em) => recordEvents(em, null, [markerEvent(committed)]));
    expect(heard.committed).toBe(before.committed + 1);
    const [published] = await eventually(
      () => outboxOf(committed),
      ([e]) => e?.publish_seq != null,
      'the committed event published',
    );
    expect(Date.now()).toBeLessThan(startedAt + POLL_MS);
    expect(published.publish_seq).not.toBeNull();
    expect(heard.published).toBeGreaterThan(before.published);
  });

  it('a savepoint’s release is not the commit: the signal comes once, when the outer transaction commits', async () => {
    const before = heard.committed;
    const id = randomUUID();
    await db.transaction(async (em: EntityManager) => {
      await em.transaction((inner) => recordEvents(inner, null, [markerEvent(id)]));
      // released, not committed: nobody else can see the event yet
      expect(heard.committed).toBe(before);
    });
    // the outer commit is what the inner write signals: the release did not use the mark up
    expect(heard.committed).toBe(before + 1);
    const [event] = await eventually(
      () => outboxOf(id),
      ([e]) => e?.publish_seq != null,
      'the event published',
    );
    expect(event.publish_seq).not.toBeNull();
  });
});

describe('the fan-out’s idle round', () => {
  let t: TestApp;
  let db: DataSource;
  let fanout: WebhookFanout;

  beforeAll(async () => {
    // no rounds of their own: the test drives the relay (runOnce) and the fan-out (round)
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    db = t.app.get(DataSource);
    fanout = t.app.get(WebhookFanout);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The fan-out's one row, with the transaction that last wrote it (xmin: any UPDATE changes it). */
  const position = async () =>
    (
      await db.query(
        `SELECT last_publish_seq::text AS last_publish_seq, lease_token, lease_until, xmin::text AS xmin
           FROM webhook_fanout_position`,
      )
    )[0];
  /** Writes events and has the relay publish them. */
  const publishSome = async () => {
    await createTenant(t, 'RETAILER');
    await t.app.get(JobRunner).runOnce();
  };

  it('with nothing new published, a round returns 0 and leaves its position row as it was (no write)', async () => {
    await publishSome();
    expect(await fanout.round()).toBeGreaterThan(0);
    const before = await position();
    expect(before).toMatchObject({ lease_token: null, lease_until: null });
    const [{ newest }] = await db.query(`SELECT max(publish_seq)::text AS newest FROM outbox_events`);
    expect(before.last_publish_seq).toBe(newest);
    for (let n = 0; n < 3; n++) expect(await fanout.round()).toBe(0);
    expect(await position()).toEqual(before);
  });

  it('while another replica holds the turn, a round returns 0 and writes nothing, however much is new', async () => {
    await publishSome();
    const other = randomUUID();
    await db.query(`UPDATE webhook_fanout_position SET lease_token = $1, lease_until = now() + interval '1 minute'`, [
      other,
    ]);
    const held = await position();
    expect(await fanout.round()).toBe(0);
    expect(await position()).toEqual(held);
    // its lease ended, the round goes on from the same position
    await db.query(`UPDATE webhook_fanout_position SET lease_token = NULL, lease_until = NULL`);
    expect(await fanout.round()).toBeGreaterThan(0);
    const after = await position();
    expect(BigInt(after.last_publish_seq)).toBeGreaterThan(BigInt(held.last_publish_seq));
    expect(after.lease_token).toBeNull();
  });
});
