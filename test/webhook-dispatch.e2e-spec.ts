import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../src/common/ids.js';
import { claimDue, insertDeliveries, type NewDelivery } from '../src/webhooks/webhook-delivery.queries.js';
import { WebhookDispatcher } from '../src/webhooks/webhook-dispatcher.service.js';
import { messageBody, messageIdOf } from '../src/webhooks/webhook-fanout.service.js';
import { createProduct, createTenant, uniqueSerial, type Tenant } from './support/api.js';
import { ndjson, postImport, utcDate } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { WebhookReceiver, type Received } from './support/webhook-receiver.js';
import { createEndpoint } from './support/webhooks-client.js';

/**
 * Issue 13, delivery at volume (docs/webhooks.md, "Delivery"): a claim reads the due index in the
 * order deliveries may be taken (never past the ones leased to dispatchers) and takes those whose
 * lease ran out; the dispatcher claims a backlog ahead yet never has more than 32 attempts in
 * flight to one endpoint, 64 to one organization, 128 in all (512 with those slower than a
 * second); the fan-out of a burst delivers every message once per endpoint; slow and dead
 * endpoints hold up neither a fan-out round nor other endpoints; a wake during a look makes
 * another look right after it.
 */

/** Webhook deliveries written straight to the table, PENDING and due now (leased when `leaseToken` is given). */
function pendingTo(
  endpointId: string,
  organizationId: string,
  count: number,
  leaseToken: string | null = null,
): NewDelivery[] {
  return Array.from({ length: count }, (_, n) => {
    const id = newId();
    return {
      id,
      endpointId,
      organizationId,
      eventId: null,
      messageId: messageIdOf(id),
      eventType: 'webhook.test',
      body: messageBody('webhook.test', new Date(), { n }),
      status: 'PENDING' as const,
      leaseToken,
    };
  });
}

/** The plan nodes of an EXPLAIN (FORMAT JSON) answer, depth first. */
function planNodes(node: Record<string, any>): Array<Record<string, any>> {
  return [node, ...((node.Plans as Array<Record<string, any>> | undefined) ?? []).flatMap(planNodes)];
}

/** An EntityManager that runs as `em` does and records the statements run in its transactions. */
function recording(em: EntityManager, statements: Array<{ sql: string; params?: unknown[] }>): EntityManager {
  const recordingTx = (tx: EntityManager) =>
    new Proxy(tx, {
      get: (target, prop) =>
        prop === 'query'
          ? (sql: string, params?: unknown[]) => {
              statements.push({ sql, params });
              return target.query(sql, params);
            }
          : Reflect.get(target, prop),
    });
  return new Proxy(em, {
    get: (target, prop) =>
      prop === 'transaction'
        ? (run: (tx: EntityManager) => Promise<unknown>) => target.transaction((tx) => run(recordingTx(tx)))
        : Reflect.get(target, prop),
  });
}

/**
 * Answers every request after `holdMs` with 200, counting the requests in flight at once, at
 * most, per group (`groupsOf` a message: its endpoint's path, its organization, "all").
 */
function holdAndCount(receiver: WebhookReceiver, holdMs: number, groupsOf: (m: Received) => string[]) {
  const now = new Map<string, number>();
  const most = new Map<string, number>();
  receiver.answerWith((m, res) => {
    const groups = groupsOf(m);
    for (const g of groups) {
      now.set(g, (now.get(g) ?? 0) + 1);
      most.set(g, Math.max(most.get(g) ?? 0, now.get(g)!));
    }
    setTimeout(() => {
      for (const g of groups) now.set(g, now.get(g)! - 1);
      res.writeHead(200).end();
    }, holdMs);
  });
  return most;
}

describe('webhook dispatch at volume', () => {
  let t: TestApp;
  let db: DataSource;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({
      WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`,
      WEBHOOK_RETRY_SCHEDULE: '300ms,300ms,300ms',
      WEBHOOK_TIMEOUT_MS: '5000',
      JOBS_POLL_MS: '50',
    });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  /** Waits until none of these deliveries is PENDING any more; returns how many SUCCEEDED. */
  async function settled(ids: string[], timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ pending, succeeded }] = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
                count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded
           FROM webhook_deliveries WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      if (pending === 0) return succeeded;
      if (Date.now() > deadline) throw new Error(`${pending} of ${ids.length} deliveries still PENDING`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The messages the receiver got for these deliveries' webhook-ids. */
  const messagesOf = (written: NewDelivery[]) => {
    const ids = new Set(written.map((d) => d.messageId));
    return receiver.received.filter((m) => ids.has(String(m.headers['webhook-id'])));
  };

  /** Endpoints at the receiver (paths `<name>-<n>`) for a new organization; the table is written to directly. */
  async function endpointsOf(name: string, count: number): Promise<{ org: Tenant; ids: string[] }> {
    const org = await createTenant(t, 'RETAILER');
    const ids: string[] = [];
    for (let n = 0; n < count; n++)
      ids.push((await createEndpoint(t, org.admin, receiver.urlOf(`${name}-${n}`), ['unit.registered'])).endpoint.id);
    return { org, ids };
  }

  /** Deliveries written leased to this replica and handed straight to its dispatcher, as a fan-out round does. */
  async function handOver(organizationId: string, endpointId: string, path: string, count: number) {
    const dispatcher = t.app.get(WebhookDispatcher);
    const token = randomUUID();
    const written = pendingTo(endpointId, organizationId, count, token);
    await insertDeliveries(db.manager, written, dispatcher.leaseMs());
    const leased = written.map((d) => ({
      ...d,
      scheduledRetries: 0,
      url: receiver.urlOf(path),
      enabled: true,
      failingSince: null,
      secrets: ['whsec_' + Buffer.from('handed-test-secret-32-bytes-long').toString('base64')],
    }));
    dispatcher.takeLeased(leased, token, Date.now());
    return written;
  }

  it('claims exactly the due deliveries not leased, and those whose lease ran out, reading the due index from them on', async () => {
    const { org, ids } = await endpointsOf('claim', 1);
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      // written in this transaction (no dispatcher sees them): 3,000 leased to a dispatcher for a minute,
      // written first; 5 due and not leased; 3 whose lease ran out; 4 whose next attempt is later
      const lease = randomUUID();
      await insertDeliveries(runner.manager, pendingTo(ids[0], org.id, 3000, lease), 60_000);
      const free = pendingTo(ids[0], org.id, 5);
      const expired = pendingTo(ids[0], org.id, 3, randomUUID());
      const later = pendingTo(ids[0], org.id, 4);
      await insertDeliveries(runner.manager, [...free, ...expired, ...later], 60_000);
      await runner.query(`UPDATE webhook_deliveries SET lease_until = now() - interval '1 second' WHERE id = ANY($1)`, [
        expired.map((d) => d.id),
      ]);
      await runner.query(
        `UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 minute' WHERE id = ANY($1)`,
        [later.map((d) => d.id)],
      );
      await runner.query('SAVEPOINT before_claim');
      const statements: Array<{ sql: string; params?: unknown[] }> = [];
      const token = randomUUID();
      const claimed = await claimDue(recording(runner.manager, statements), {
        limit: 128,
        perEndpoint: 128,
        perOrganization: 256,
        heldHere: { endpoints: new Map(), organizations: new Map() },
        token,
        leaseMs: 60_000,
      });
      expect(claimed.map((d) => d.id).sort()).toEqual([...free, ...expired].map((d) => d.id).sort());
      const leasedNow: { id: string }[] = await runner.query(
        `SELECT id FROM webhook_deliveries WHERE lease_token = $1 AND lease_until > now()`,
        [token],
      );
      expect(leasedNow).toHaveLength(8);

      // the same statement again, as it was before the claim: an index scan of the due index that
      // reads the 8 due entries, not the 3,000 leased ones nor the 4 not due yet
      await runner.query('ROLLBACK TO SAVEPOINT before_claim');
      const [setting, claim] = statements;
      expect(setting.sql).toMatch(/^SET LOCAL/);
      await runner.query(setting.sql);
      const [row] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${claim.sql}`, claim.params);
      const explained = row['QUERY PLAN'];
      const plan = (typeof explained === 'string' ? JSON.parse(explained) : explained)[0].Plan;
      const dueScans = planNodes(plan).filter((n) => n['Index Name'] === 'webhook_deliveries_due_idx');
      const earliest = dueScans.find((n) => /GREATEST\(next_attempt_at, lease_until\)/.test(n['Index Cond'] ?? ''));
      expect(earliest).toMatchObject({ 'Node Type': 'Index Scan', 'Actual Rows': 8, 'Actual Loops': 1 });
      expect(earliest!['Rows Removed by Filter'] ?? 0).toBe(0);
      // every scan of the due index together stays short of the leased ones (a scan that went past
      // them would read 3,000 more), and the rows taken are locked through the primary key, not by a
      // scan of the table or of the due index per row (as a join was once planned on a table
      // without statistics)
      const read = (n: Record<string, any>) =>
        (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'];
      expect(dueScans.reduce((sum, n) => sum + read(n), 0)).toBeLessThan(100);
      const fullScans = planNodes(plan).filter(
        (n) => n['Relation Name'] === 'webhook_deliveries' && /Seq|Bitmap/.test(n['Node Type']),
      );
      expect(fullScans).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('delivers a backlog of 400 to one endpoint, each once, never more than 32 at once', async () => {
    const { org, ids } = await endpointsOf('backlog', 1);
    // each answer held long enough for the whole share to be sent meanwhile, even on a loaded machine
    const most = holdAndCount(receiver, 250, (m) => [m.url]);
    const written = pendingTo(ids[0], org.id, 400);
    await insertDeliveries(db.manager, written);
    t.app.get(WebhookDispatcher).wake();
    expect(await settled(written.map((d) => d.id))).toBe(400);
    const messages = messagesOf(written);
    expect(messages).toHaveLength(400);
    expect(new Set(messages.map((m) => m.headers['webhook-id'])).size).toBe(400);
    // the claim takes a few shares ahead: the endpoint has its 32 at once, and never more
    expect(most.get('/backlog-0')).toBe(32);
  });

  /**
   * Deliveries to organizations of three endpoints each (`count` per endpoint), all due at once,
   * answered after 400 ms: waits until each is delivered exactly once, and gives the most requests
   * the receiver had at once per endpoint path, per organization and in all ("all").
   */
  async function burst(name: string, organizations: number, count: number) {
    const parties = [];
    for (let o = 0; o < organizations; o++) parties.push(await endpointsOf(`${name}-${o}`, 3));
    const organizationOf = new Map<string, string>(
      parties.flatMap(({ org }, o) => [0, 1, 2].map((n) => [`/${name}-${o}-${n}`, org.id] as const)),
    );
    // each answer held long enough for every slot's request to arrive meanwhile, even on a loaded
    // machine (at 60 ms, the first answers went back before the last requests of a burst came)
    const most = holdAndCount(receiver, 400, (m) =>
      organizationOf.has(m.url) ? [m.url, organizationOf.get(m.url)!, 'all'] : ['all'],
    );
    const written = parties.flatMap(({ org, ids }) => ids.flatMap((id) => pendingTo(id, org.id, count)));
    await insertDeliveries(db.manager, written);
    t.app.get(WebhookDispatcher).wake();
    expect(
      await settled(
        written.map((d) => d.id),
        60_000,
      ),
    ).toBe(written.length);
    const messages = messagesOf(written);
    expect(new Set(messages.map((m) => m.headers['webhook-id'])).size).toBe(written.length);
    expect(messages).toHaveLength(written.length);
    for (const path of organizationOf.keys()) expect(most.get(path)).toBeLessThanOrEqual(32);
    for (const { org } of parties) expect(most.get(org.id)).toBeLessThanOrEqual(64);
    return { most, parties };
  }

  it('holds each endpoint to 32 attempts at once, and an organization of three endpoints to 64', async () => {
    // the three endpoints want 96 at once
    const { most, parties } = await burst('org-limit', 1, 120);
    expect(most.get(parties[0].org.id)).toBe(64);
  }, 90_000);

  it('holds the replica to 128 attempts answered promptly, however many organizations want more', async () => {
    // four organizations that want 64 at once each, 256 in all
    const { most } = await burst('replica-limit', 4, 60);
    // on a loaded machine, answers slower than a second give their slots to more (never beyond 512 open)
    expect(most.get('all')).toBeGreaterThanOrEqual(128);
    expect(most.get('all')).toBeLessThanOrEqual(512);
  }, 90_000);

  it('fans a 1,000-unit import out to three endpoints: every message once per endpoint, each its own webhook-id', async () => {
    receiver.answerWith((_m, res) => res.writeHead(204).end());
    const maker = await createTenant(t, 'MANUFACTURER');
    const product = await createProduct(t, maker.staff);
    const paths = ['import-a', 'import-b', 'import-c'];
    for (const p of paths) await createEndpoint(t, maker.admin, receiver.urlOf(p), ['unit.registered']);
    const rows = Array.from({ length: 1000 }, () => ({
      sku: product.sku,
      serialNumber: uniqueSerial(),
      purchaseDate: utcDate(-1),
    }));
    const answer = await postImport(t, maker.staff, ndjson(rows));
    expect(answer.summary).toEqual({ rows: 1000, created: 1000, failed: 0 });
    const unitIds = new Set(answer.rows.map((r) => String(r.id)));
    expect(unitIds.size).toBe(1000);
    const ours = (m: Received) => m.json.type === 'unit.registered' && unitIds.has(String(m.json.data.id));
    await receiver.waitFor(3000, ours, 45_000);
    const written: { id: string }[] = await db.query(`SELECT id FROM webhook_deliveries WHERE organization_id = $1`, [
      maker.id,
    ]);
    expect(written).toHaveLength(3000);
    expect(await settled(written.map((d) => d.id))).toBe(3000);
    const messages = receiver.received.filter(ours);
    expect(messages).toHaveLength(3000);
    expect(new Set(messages.map((m) => m.headers['webhook-id'])).size).toBe(3000);
    for (const p of paths) {
      const units = messages.filter((m) => m.url === `/${p}`).map((m) => String(m.json.data.id));
      expect(units).toHaveLength(1000);
      expect(new Set(units)).toEqual(unitIds);
    }
  }, 90_000);

  it('does not hold a fan-out round for a stalled endpoint: a dead one keeps its waiting deliveries, a live one gets its room', async () => {
    const { org, ids } = await endpointsOf('stall', 2);
    const [dead, live] = ids;
    const dispatcher = t.app.get(WebhookDispatcher);
    // the dead endpoint never answers (its attempts wait out the 5 s timeout); the live one answers after 10 ms
    receiver.answerWith((m, res) => {
      if (m.url === '/stall-1') setTimeout(() => res.writeHead(204).end(), 10);
    });
    const newOnes = (endpointId: string, count: number) => pendingTo(endpointId, org.id, count);

    // the dead endpoint's room is full: 32 attempts hang, 1,024 wait behind them
    await handOver(org.id, dead, 'stall-0', 32 + 1024);
    expect(dispatcher.handable(newOnes(dead, 10))).toEqual([]);
    // a round that would hand both endpoints more waits for the stalled one no longer than it takes to see it stalled
    let started = Date.now();
    await dispatcher.waitForRoom(
      new Map([
        [dead, 500],
        [live, 500],
      ]),
      5_000,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    const round = [...newOnes(dead, 500), ...newOnes(live, 500)];
    expect(dispatcher.handable(round).map((d) => d.endpointId)).toEqual(Array(500).fill(live));

    // a live endpoint's backlog is waited for while it drains, and the round then has its room
    const backlog = await handOver(org.id, live, 'stall-1', 1024);
    started = Date.now();
    await dispatcher.waitForRoom(new Map([[live, 700]]), 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(dispatcher.handable(newOnes(live, 700))).toHaveLength(700);
    expect(await settled(backlog.map((d) => d.id))).toBe(1024);
  }, 60_000);

  it('does not hold a fan-out round for an endpoint whose organization share its dead siblings hold', async () => {
    const { org, ids } = await endpointsOf('sibling', 3);
    const dispatcher = t.app.get(WebhookDispatcher);
    receiver.answerWith((m, res) => {
      if (m.url === '/sibling-2') res.writeHead(204).end();
    });
    // two endpoints that never answer hold the organization's 64 slots; the third's deliveries wait, unmoving
    await handOver(org.id, ids[0], 'sibling-0', 32);
    await handOver(org.id, ids[1], 'sibling-1', 32);
    await handOver(org.id, ids[2], 'sibling-2', 1024);
    const started = Date.now();
    await dispatcher.waitForRoom(new Map([[ids[2], 500]]), 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(dispatcher.handable(pendingTo(ids[2], org.id, 10))).toEqual([]);
  });

  it("gives an organization's endpoints its slots in turn: none waits for its siblings' backlogs to drain", async () => {
    const { org, ids } = await endpointsOf('turns', 3);
    // two endpoints' shares fill the organization's 64 before the third has anything; answers take 300 ms
    receiver.answerWith((_m, res) => setTimeout(() => res.writeHead(204).end(), 300));
    const started = Date.now();
    const written = [
      ...(await handOver(org.id, ids[0], 'turns-0', 200)),
      ...(await handOver(org.id, ids[1], 'turns-1', 200)),
      ...(await handOver(org.id, ids[2], 'turns-2', 200)),
    ];
    // the first two backlogs take about two seconds to drain; the third starts as their first answers come back
    const [first] = await receiver.waitFor(1, (m) => m.url === '/turns-2', 10_000);
    expect(first.at - started).toBeLessThan(1_000);
    expect(await settled(written.map((d) => d.id))).toBe(600);
  }, 60_000);

  it('delivers to a live endpoint at once while ten dead ones hold their shares of slots', async () => {
    // five organizations of two endpoints that never answer (their attempts wait out the 5 s timeout)
    const dead = [];
    for (const name of [...'abcde']) dead.push(await endpointsOf(`dead-${name}`, 2));
    const live = await endpointsOf('alive', 1);
    receiver.answerWith((m, res) => {
      if (m.url === '/alive-0') res.writeHead(204).end();
    });
    const hanging = dead.flatMap(({ org, ids }) => ids.flatMap((id) => pendingTo(id, org.id, 40)));
    await insertDeliveries(db.manager, hanging);
    t.app.get(WebhookDispatcher).wake();
    // the dead endpoints have their 320 attempts open first (each gives its slot back after a second)
    await receiver.waitFor(10 * 32, (m) => m.url.startsWith('/dead-'), 10_000);
    const wanted = pendingTo(live.ids[0], live.org.id, 50);
    await insertDeliveries(db.manager, wanted);
    t.app.get(WebhookDispatcher).wake();
    // all delivered before the first dead attempt has timed out
    expect(
      await settled(
        wanted.map((d) => d.id),
        4_000,
      ),
    ).toBe(50);
  }, 60_000);
});

/** Polls `probe` until it gives something, or fails after `timeoutMs`. */
async function waitUntil<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL)
  console.log(
    'webhook-dispatch: holding a look mid-way takes a second session on the database (PostgreSQL, TEST_DATABASE_URL); PGlite has one session: skipped',
  );

onPostgres('webhook dispatch: a wake during a look', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // no poll within the test: only wakes make the dispatcher look
    t = await startTestApp({ WEBHOOK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`, JOBS_POLL_MS: '60000' });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('makes another look right after it, not at the next poll: what woke it came after its query began', async () => {
    const db = t.app.get(DataSource);
    const dispatcher = t.app.get(WebhookDispatcher);
    const org = await createTenant(t, 'RETAILER');
    const { endpoint } = await createEndpoint(t, org.admin, receiver.urlOf('look-again'), ['unit.registered']);
    // a delivery due a second from now (the database's clock)
    const [delivery] = pendingTo(endpoint.id, org.id, 1);
    await insertDeliveries(db.manager, [delivery]);
    await db.query(
      `UPDATE webhook_deliveries SET next_attempt_at = clock_timestamp() + interval '1 second' WHERE id = $1`,
      [delivery.id],
    );
    // another session holds the table: a look begun now waits in its claim
    const locker = db.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    try {
      await locker.query('LOCK TABLE webhook_deliveries IN SHARE MODE');
      dispatcher.wake();
      const look = await waitUntil(async () => {
        const rows: { began: Date }[] = await db.query(
          `SELECT xact_start AS began FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH earliest%'`,
        );
        return rows[0];
      }, 'a look waiting for the table');
      // the look's now() is its transaction's start, before the delivery is due: it cannot take it
      const [premise] = await db.query(
        `SELECT next_attempt_at > $1::timestamptz AS later FROM webhook_deliveries WHERE id = $2`,
        [look.began, delivery.id],
      );
      expect(premise.later).toBe(true);
      await waitUntil(async () => {
        const [row] = await db.query(
          `SELECT next_attempt_at <= clock_timestamp() AS due FROM webhook_deliveries WHERE id = $1`,
          [delivery.id],
        );
        return row.due ? true : undefined;
      }, 'the delivery due');
      // the delivery is due now, and the dispatcher is told so while its look still waits
      dispatcher.wake();
      await new Promise((resolve) => setTimeout(resolve, 10)); // the wake's timer (0 ms) fires first
      await locker.commitTransaction();
    } finally {
      if (locker.isTransactionActive) await locker.rollbackTransaction();
      await locker.release();
    }
    // delivered by the look right after (the next poll is a minute away)
    const [message] = await receiver.waitFor(1, (m) => m.headers['webhook-id'] === delivery.messageId, 5000);
    expect(message.json).toMatchObject({ type: 'webhook.test', data: { n: 0 } });
  });
});
