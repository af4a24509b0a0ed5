import { createClient, type Client } from 'graphql-ws';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import {
  assertSuccess,
  createProduct,
  createTenant,
  gql,
  registerUnit,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { utcDate } from './support/input-helpers.js';
import { OPEN, run, UPDATE } from './support/repairs-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SUBSCRIBE = `subscription($id: ID!) { repairTicketUpdated(ticketId: $id) { id status version nextStates serviceCenter { id } } }`;
const FAST = { JOBS_POLL_MS: '20', EVENT_FEED_POLL_MS: '20', GRAPHQL_MAX_DEPTH: '5' };

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `ws://127.0.0.1:${port}/graphql`;
}

/** A graphql-ws client with an API key; messages and errors of one subscription are collected. */
function subscriber(url: string, key: string) {
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
  });
  return {
    client,
    follow(ticketId: string) {
      const messages: any[] = [];
      const errors: any[] = [];
      let done = false;
      const stop = client.subscribe(
        { query: SUBSCRIBE, variables: { id: ticketId } },
        {
          next: (message) =>
            message.errors ? errors.push(...message.errors) : messages.push(message.data!.repairTicketUpdated),
          error: (error) => errors.push(error),
          complete: () => {
            done = true;
          },
        },
      );
      return { messages, errors, stop, isDone: () => done };
    },
  };
}

/**
 * Gives a subscription just sent time to be registered on the server (graphql-ws acknowledges none):
 * half a second, as 200 ms was not always enough with the whole suite running on the embedded database.
 */
const subscribed = () => new Promise((resolve) => setTimeout(resolve, 500));

/** Polls until `check` holds; 15 s, as the outbox relay may be that slow with the whole suite running. */
async function until(check: () => boolean, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('repairTicketUpdated: live ticket status over graphql-ws, fed from the outbox', () => {
  let t: TestApp;
  let url: string;
  let maker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let productId: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp(FAST);
    url = await listen(t);
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    productId = (await createProduct(t, maker.staff)).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  const connect = (key: string) => {
    const s = subscriber(url, key);
    clients.push(s.client);
    return s;
  };

  async function openTicket(at: TestApp = t) {
    const unit = assertSuccess(
      await registerUnit(at, seller.staff, {
        productId,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: utcDate(-30),
      }),
      'Unit',
    );
    return run(at, seller.staff, OPEN, {
      unitId: unit.id,
      serviceCenterId: center.id,
      reportedIssue: 'Not cooling',
      failureCategory: 'MECHANICAL',
    });
  }

  it("the retailer that opened the ticket receives each status change, in order, with the caller's nextStates", async () => {
    const ticket = await openTicket();
    const feed = connect(seller.staff).follow(ticket.id);
    // the subscription is live once the server answered the subscribe: give it a moment
    await subscribed();
    let current = ticket;
    for (const status of ['DIAGNOSING', 'IN_REPAIR', 'QUALITY_CHECK']) {
      current = await run(t, center.staff, UPDATE, { ticketId: current.id, expectedVersion: current.version, status });
      await until(() => feed.messages.some((m) => m.status === status), `a message with ${status}`);
    }
    expect(feed.errors).toEqual([]);
    expect(feed.messages.map((m) => m.status)).toEqual(['DIAGNOSING', 'IN_REPAIR', 'QUALITY_CHECK']);
    expect(feed.messages.map((m) => m.version)).toEqual([2, 3, 4]);
    // the retailer only follows: it may not move the ticket
    expect(feed.messages.every((m) => m.nextStates.length === 0 && m.serviceCenter.id === center.id)).toBe(true);
    feed.stop();
  });

  it('a subscriber of one ticket receives nothing of another ticket', async () => {
    const followed = await openTicket();
    const other = await openTicket();
    const feed = connect(seller.staff).follow(followed.id);
    await subscribed();
    await run(t, center.staff, UPDATE, { ticketId: other.id, expectedVersion: other.version, status: 'DIAGNOSING' });
    await run(t, center.staff, UPDATE, {
      ticketId: followed.id,
      expectedVersion: followed.version,
      status: 'DIAGNOSING',
    });
    await until(() => feed.messages.length > 0, "the followed ticket's message");
    await subscribed();
    expect(feed.messages.map((m) => m.id)).toEqual([followed.id]);
    feed.stop();
  });

  it('an organization that may not see the ticket gets NOT_FOUND and no messages', async () => {
    const ticket = await openTicket();
    const feed = connect(otherSeller.staff).follow(ticket.id);
    await until(() => feed.errors.length > 0 || feed.isDone(), 'the refusal');
    await run(t, center.staff, UPDATE, { ticketId: ticket.id, expectedVersion: ticket.version, status: 'DIAGNOSING' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(feed.errors[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(feed.messages).toEqual([]);
  });

  it('a subscription deeper than GRAPHQL_MAX_DEPTH is refused as over HTTP', async () => {
    const ticket = await openTicket();
    const { client } = connect(seller.staff);
    const errors: any[] = [];
    let ended = false;
    client.subscribe(
      {
        query: `subscription($id: ID!) { repairTicketUpdated(ticketId: $id) { warrantyClaim { repairTicket { warrantyClaim { repairTicket { warrantyClaim { id } } } } } } }`,
        variables: { id: ticket.id },
      },
      {
        next: () => {},
        error: (error) => {
          errors.push(...(Array.isArray(error) ? error : [error]));
        },
        complete: () => {
          ended = true;
        },
      },
    );
    await until(() => errors.length > 0 || ended, 'the refusal');
    expect(errors[0]).toMatchObject({
      message: expect.stringContaining('levels deep'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('revoking the key ends its subscriptions: the next change sends nothing and completes the stream', async () => {
    const ticket = await openTicket();
    const created = await gql(
      t,
      seller.admin,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
      {
        input: { organizationId: seller.id, name: 'store display', role: 'READONLY' },
      },
    );
    const { secret, apiKey } = created.data.createApiKey;
    const feed = connect(secret).follow(ticket.id);
    await subscribed();
    const first = await run(t, center.staff, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'DIAGNOSING',
    });
    await until(() => feed.messages.length === 1, 'the first message');
    await gql(t, seller.admin, `mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKey.id });
    await run(t, center.staff, UPDATE, { ticketId: ticket.id, expectedVersion: first.version, status: 'IN_REPAIR' });
    await until(() => feed.isDone(), 'the end of the stream');
    expect(feed.messages.map((m) => m.status)).toEqual(['DIAGNOSING']);
  });

  it('a connection without a valid API key is closed with 4403 Forbidden', async () => {
    const feed = connect('ac_not_a_real_key_000000000000000000000').follow('0190e4b2-0000-7000-8000-000000000000');
    await until(() => feed.errors.length > 0, 'the closed connection');
    expect(feed.errors[0]).toMatchObject({ code: 4403 });
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)(
    'a change made on another replica reaches the subscriber (two servers on one PostgreSQL database)',
    async () => {
      const replica = await startTestApp({ ...FAST, DATABASE_URL: t.config.databaseUrl! });
      try {
        const ticket = await openTicket();
        const feed = connect(seller.staff).follow(ticket.id);
        await subscribed();
        await run(replica, center.staff, UPDATE, {
          ticketId: ticket.id,
          expectedVersion: ticket.version,
          status: 'DIAGNOSING',
        });
        await until(() => feed.messages.length > 0, 'the message from the other replica');
        expect(feed.messages[0]).toMatchObject({ id: ticket.id, status: 'DIAGNOSING' });
        feed.stop();
      } finally {
        await replica.close();
      }
    },
  );
});
