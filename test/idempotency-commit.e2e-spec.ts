import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IdempotencyService } from '../src/common/idempotency/idempotency.service.js';
import { currentRequestScope, runInRequestScope, type KeyClaim } from '../src/common/idempotency/request-scope.js';
import { createProduct, createTenant, rest, uniqueSerial, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TcpProxy } from './support/tcp-proxy.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const describeWithPostgres = pgUrl ? describe : describe.skip;
if (!pgUrl) process.stdout.write('idempotency-commit: skipped, these tests need PostgreSQL (TEST_DATABASE_URL)\n');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Finding 4: the mark that an Idempotency-Key's change committed is written in that change's own
 * transaction, fenced by the claim's token; a failed request releases its key, a dead one lets
 * its lease run out. Tested with real lost COMMITs: a TCP proxy between the server and PostgreSQL
 * cuts the connection as the COMMIT goes by.
 */
describeWithPostgres('Idempotency-Key across a lost COMMIT', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let db: DataSource;
  let maker: Tenant;
  let productId: string;

  beforeAll(async () => {
    const target = new URL(pgUrl!);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    // no background jobs: the only COMMITs on the wire are the requests' own
    t = await startTestApp(
      { JOBS_POLL_MS: '0', IDEMPOTENCY_LEASE_SECONDS: '3' },
      { databaseUrl: (url) => proxy.urlFor(url) },
    );
    db = t.app.get(DataSource);
    maker = await createTenant(t, 'MANUFACTURER');
    productId = (await createProduct(t, maker.staff)).id;
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  const register = (key: string, serialNumber: string) =>
    rest(t, maker.staff)
      .post('/units', { productId, serialNumber, purchaseDate: '2026-03-01' })
      .set('Idempotency-Key', key);

  const unitsWithSerial = async (serialNumber: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM units WHERE serial_number = $1`, [serialNumber]))[0].n);

  /** Sends the request again while the first is still being wound up (409 in progress), as a client would. */
  async function retry(key: string, serialNumber: string) {
    for (let attempt = 0; ; attempt++) {
      const res = await register(key, serialNumber);
      if (res.body?.errorCode !== 'IDEMPOTENT_REQUEST_IN_PROGRESS' || attempt >= 50) return res;
      await sleep(100);
    }
  }

  it('a COMMIT that went through but whose answer was lost: the retry is told so and nothing is done twice', async () => {
    const key = `lost-answer-${randomUUID()}`;
    const serialNumber = uniqueSerial();
    const cut = proxy.cutAtNextCommit({ deliver: true });
    const first = await register(key, serialNumber);
    await cut;
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBeDefined();
    expect(await unitsWithSerial(serialNumber)).toBe(1);

    const again = await retry(key, serialNumber);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'CONFLICT',
      errorCode: 'IDEMPOTENT_ANSWER_LOST',
      field: 'Idempotency-Key',
    });
    expect((await retry(key, serialNumber)).body.errorCode).toBe('IDEMPOTENT_ANSWER_LOST');
    expect(await unitsWithSerial(serialNumber)).toBe(1);
  });

  it('a COMMIT that never reached the database: the key is released and the retry makes the change once', async () => {
    const key = `lost-commit-${randomUUID()}`;
    const serialNumber = uniqueSerial();
    const cut = proxy.cutAtNextCommit({ deliver: false });
    const first = await register(key, serialNumber);
    await cut;
    expect(first.status).toBe(503);
    expect(await unitsWithSerial(serialNumber)).toBe(0);

    const again = await retry(key, serialNumber);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ serialNumber });
    const replay = await register(key, serialNumber);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(again.body.id);
    expect(await unitsWithSerial(serialNumber)).toBe(1);
  });

  describe('claims, leases and the fence', () => {
    let idempotency: IdempotencyService;
    const apiKeyId = randomUUID();
    const fingerprint = 'test-fingerprint';
    beforeAll(() => {
      idempotency = t.app.get(IdempotencyService);
    });

    async function claim(key: string): Promise<KeyClaim> {
      const outcome = await idempotency.claim(apiKeyId, key, fingerprint);
      if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
      return outcome.claim;
    }

    /** A change made as the request holding `held` would make it: in a transaction, in its request scope. */
    const changeAs = (held: KeyClaim, name: string) =>
      runInRequestScope(async () => {
        currentRequestScope()!.claim = held;
        await db.transaction((em) =>
          em.query(`INSERT INTO organizations (id, name, kind) VALUES ($1, $2, 'RETAILER')`, [randomUUID(), name]),
        );
      });
    const organizationsNamed = async (name: string) =>
      Number((await db.query(`SELECT count(*) AS n FROM organizations WHERE name = $1`, [name]))[0].n);

    it('a request whose lease ran out and whose key a retry took over cannot commit after it', async () => {
      const key = `fenced-${randomUUID()}`;
      const stale = await claim(key);
      await db.query(`UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = $1`, [
        key,
      ]);
      const current = await claim(key);
      expect(current.token).not.toBe(stale.token);

      await expect(changeAs(stale, `stale ${key}`)).rejects.toMatchObject({
        category: 'CONFLICT',
        details: { errorCode: 'IDEMPOTENCY_KEY_TAKEN_OVER' },
      });
      expect(await organizationsNamed(`stale ${key}`)).toBe(0);
      await changeAs(current, `current ${key}`);
      expect(await organizationsNamed(`current ${key}`)).toBe(1);
    });

    it('a dead request frees its key when its lease runs out, unless its change committed', async () => {
      const idle = `dead-idle-${randomUUID()}`;
      const committed = `dead-committed-${randomUUID()}`;
      await claim(idle);
      await changeAs(await claim(committed), `dead ${committed}`);
      // neither request answers or releases: both keys are taken while their leases run
      await expect(idempotency.claim(apiKeyId, idle, fingerprint)).rejects.toMatchObject({
        details: { errorCode: 'IDEMPOTENT_REQUEST_IN_PROGRESS' },
      });
      await expect(idempotency.claim(apiKeyId, committed, fingerprint)).rejects.toMatchObject({
        details: { errorCode: 'IDEMPOTENT_REQUEST_IN_PROGRESS' },
      });
      await sleep(3200);
      expect((await idempotency.claim(apiKeyId, idle, fingerprint)).kind).toBe('claimed');
      await expect(idempotency.claim(apiKeyId, committed, fingerprint)).rejects.toMatchObject({
        details: { errorCode: 'IDEMPOTENT_ANSWER_LOST' },
      });
      expect(await organizationsNamed(`dead ${committed}`)).toBe(1);
    });

    it('a running request keeps its key by renewing the lease', async () => {
      const key = `renewed-${randomUUID()}`;
      const held = await claim(key);
      await sleep(2000);
      expect(await idempotency.renew(held)).toBe(true);
      await sleep(2000);
      await expect(idempotency.claim(apiKeyId, key, fingerprint)).rejects.toMatchObject({
        details: { errorCode: 'IDEMPOTENT_REQUEST_IN_PROGRESS' },
      });
    });
  });
});
