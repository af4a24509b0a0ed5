import { DataSource } from 'typeorm';
import { JobRunner } from '../src/common/jobs/job-runner.service.js';
import { ReturnsService } from '../src/returns/returns.service.js';
import { assertSuccess, createProduct, createTenant, registerUnit, uniqueSerial, type Tenant } from './support/api.js';
import { sqlQuery, utcDate } from './support/input-helpers.js';
import {
  createPolicy,
  expectReturn,
  expectReturnFailure,
  returnsApi,
  RETURNS_TRANSPORTS,
  storedReturn,
} from './support/returns-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * docs/rules.md, "Returns": AUTHORIZED → EXPIRED when not shipped within `shipWithinDays`; EXPIRED
 * is final. "Always": every change lands with its history row and its outbox event. README,
 * "Scaling out": periodic tasks run on one replica at a time, and the expiry's guarded UPDATE
 * expires each return once even when two runs overlap.
 */
describe('returns: authorized returns not shipped in time expire, once', () => {
  let t: TestApp;
  let maker: Tenant;
  let seller: Tenant;
  let productId: string;
  let runner: JobRunner;
  let second: JobRunner;
  let service: ReturnsService;
  let db: DataSource;
  /** A clock far enough ahead of every earlier round that each runner finds the task due again. */
  let clock = Date.now();
  const nextRound = () => (clock += 120_000);

  beforeAll(async () => {
    // no automatic rounds: the tests drive the runners
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    db = t.app.get(DataSource);
    runner = t.app.get(JobRunner);
    service = t.app.get(ReturnsService);
    // a second replica's runner, with the same task the returns module registers on the app's runner
    second = new JobRunner(db, t.config);
    second.every({
      name: 'return-expiry',
      everyMs: 60_000,
      run: async (em) => {
        await service.expireOverdue(em);
      },
    });
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    productId = (await createProduct(t, maker.staff)).id;
    await createPolicy(t, seller, { shipWithinDays: 7 });
    // the expiry of any earlier rounds (nothing is due yet) is out of the way
    await runner.runOnce(nextRound());
  });
  afterAll(async () => {
    await t.close();
  });

  const gqlApi = () => returnsApi(t, 'GraphQL');
  const newUnit = async () =>
    assertSuccess(
      await registerUnit(t, seller.staff, {
        productId,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: utcDate(-10),
        purchasePrice: { amount: '100.00', currency: 'USD' },
      }),
      'Unit',
    );
  const authorized = async () => {
    const unit = await newUnit();
    const rma = expectReturn(
      await gqlApi().request(seller.staff, {
        lines: [{ unitId: unit.id, reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' }],
      }),
    );
    expect({ status: rma.status, shipBy: rma.shipBy }).toEqual({ status: 'AUTHORIZED', shipBy: utcDate(7) });
    return { rma, unitId: unit.id as string };
  };
  const setShipBy = (id: string, date: string) =>
    sqlQuery(t, `UPDATE return_authorizations SET ship_by = $2::date WHERE id = $1`, [id, date]);
  const expiryHistory = (id: string) =>
    sqlQuery(
      t,
      `SELECT from_status, to_status, note FROM return_history WHERE return_id = $1 AND to_status = 'EXPIRED'`,
      [id],
    );
  const expiryEvents = (id: string) =>
    sqlQuery(
      t,
      `SELECT event_type, aggregate_type, payload FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'ReturnExpired'`,
      [id],
    );

  it('two job runners running at the same time expire an overdue AUTHORIZED return exactly once: one history row, one ReturnExpired event', async () => {
    const { rma, unitId } = await authorized();
    await setShipBy(rma.id, utcDate(-1));
    const now = nextRound();
    await Promise.all([runner.runOnce(now), second.runOnce(now)]);

    expect(await storedReturn(t, rma.id)).toMatchObject({ status: 'EXPIRED', version: rma.version + 1 });
    expect(await expiryHistory(rma.id)).toEqual([
      { from_status: 'AUTHORIZED', to_status: 'EXPIRED', note: expect.stringContaining(utcDate(-1)) },
    ]);
    const events = await expiryEvents(rma.id);
    expect(events).toEqual([
      {
        event_type: 'ReturnExpired',
        aggregate_type: 'ReturnAuthorization',
        payload: expect.objectContaining({ returnId: rma.id, from: 'AUTHORIZED', to: 'EXPIRED' }),
      },
    ]);

    // a later round finds nothing more to do
    const again = nextRound();
    await Promise.all([runner.runOnce(again), second.runOnce(again)]);
    expect(await expiryHistory(rma.id)).toHaveLength(1);
    expect(await expiryEvents(rma.id)).toHaveLength(1);

    // the API shows it, with the change in the history (its actor is an organization: the contract's actor is non-null)
    for (const via of RETURNS_TRANSPORTS) {
      const seen = expectReturn(await returnsApi(t, via).get(seller.staff, rma.id));
      expect({ via, status: seen.status, version: seen.version }).toEqual({
        via,
        status: 'EXPIRED',
        version: rma.version + 1,
      });
      expect(seen.history.map((h) => [h.from, h.to])).toEqual([
        [null, 'REQUESTED'],
        ['REQUESTED', 'AUTHORIZED'],
        ['AUTHORIZED', 'EXPIRED'],
      ]);
      expect(seen.history[2].actorId).toEqual(expect.any(String));
    }
    // an expired return no longer holds its unit: it may go on a new return
    const fresh = expectReturn(
      await gqlApi().request(seller.staff, {
        lines: [{ unitId, reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' }],
      }),
    );
    expect(fresh.status).toBe('AUTHORIZED');
  });

  it('a shipped (IN_TRANSIT) return and a return whose ship-by date is today are not expired', async () => {
    const shipped = await authorized();
    const inTransit = expectReturn(
      await gqlApi().transition(seller.staff, shipped.rma.id, {
        to: 'IN_TRANSIT',
        expectedVersion: shipped.rma.version,
        trackingNumber: '1Z-EXP-1',
        carrier: 'UPS',
      }),
    );
    expect(inTransit.status).toBe('IN_TRANSIT');
    await setShipBy(shipped.rma.id, utcDate(-3));
    const dueToday = await authorized();
    await setShipBy(dueToday.rma.id, utcDate(0));
    const dueTomorrow = await authorized();
    await setShipBy(dueTomorrow.rma.id, utcDate(1));

    const now = nextRound();
    await Promise.all([runner.runOnce(now), second.runOnce(now)]);

    expect(await storedReturn(t, shipped.rma.id)).toMatchObject({ status: 'IN_TRANSIT', version: inTransit.version });
    expect(await storedReturn(t, dueToday.rma.id)).toMatchObject({
      status: 'AUTHORIZED',
      version: dueToday.rma.version,
    });
    expect(await storedReturn(t, dueTomorrow.rma.id)).toMatchObject({
      status: 'AUTHORIZED',
      version: dueTomorrow.rma.version,
    });
    for (const id of [shipped.rma.id, dueToday.rma.id, dueTomorrow.rma.id]) {
      expect(await expiryHistory(id)).toEqual([]);
      expect(await expiryEvents(id)).toEqual([]);
    }
  });

  it('an expired return cannot be shipped, received or cancelled (InvalidStateTransitionError, nothing allowed), over GraphQL and REST; nothing changes', async () => {
    const { rma } = await authorized();
    await setShipBy(rma.id, utcDate(-2));
    await runner.runOnce(nextRound());
    const before = await storedReturn(t, rma.id);
    expect(before).toMatchObject({ status: 'EXPIRED', version: rma.version + 1 });
    for (const via of RETURNS_TRANSPORTS) {
      const api = returnsApi(t, via);
      for (const to of ['IN_TRANSIT', 'RECEIVED', 'CANCELLED']) {
        const body = {
          to,
          expectedVersion: before.version,
          ...(to === 'IN_TRANSIT' ? { trackingNumber: '1Z-LATE', carrier: 'UPS' } : {}),
        };
        const refused = await api.transition(seller.staff, rma.id, body);
        expectReturnFailure(refused, {
          errorCode: 'INVALID_STATE_TRANSITION',
          fromState: 'EXPIRED',
          toState: to,
          allowedStates: [],
        });
        if (via === 'GraphQL') expect(refused.body.__typename).toBe('InvalidStateTransitionError');
        else expect(refused.httpStatus).toBe(422);
      }
    }
    expect(await storedReturn(t, rma.id)).toEqual(before);
  });

  it('ReturnsService.expireOverdue called twice in a row: the first expires the overdue return, the second expires nothing', async () => {
    const { rma } = await authorized();
    const other = await authorized();
    await setShipBy(rma.id, utcDate(-1));
    await setShipBy(other.rma.id, utcDate(-30));
    const first = await db.transaction((em) => service.expireOverdue(em));
    const secondRun = await db.transaction((em) => service.expireOverdue(em));
    expect({ first, secondRun }).toEqual({ first: 2, secondRun: 0 });
    for (const id of [rma.id, other.rma.id]) {
      expect(await storedReturn(t, id)).toMatchObject({ status: 'EXPIRED', version: 2 });
      expect(await expiryHistory(id)).toHaveLength(1);
      expect(await expiryEvents(id)).toHaveLength(1);
    }
  });
});
