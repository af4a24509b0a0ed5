import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { operation, type VariablesOf } from './support/graphql-documents.js';
import { insertCoupon, insertJourney, insertMessage } from './support/outreach-fixtures.js';
import { createTechnician } from './support/repairs-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister, utcToday } from './support/units-helpers.js';
import { UnitsService } from '../src/units/units.service.js';
import { CouponsService } from '../src/outreach/coupons.service.js';

/**
 * The message log of a sender's journeys (docs/outreach.md), over GraphQL and REST: only the
 * sender's messages, the address masked, the unit and the coupon resolved in one batch a page.
 * Messages are written straight into the tables (test/support/outreach-fixtures.ts), as the
 * planner and the sender would.
 */
const PAGE = operation('OutreachMessagesPage');

/** Counts the calls of a provider's method (the loaders' batch functions) until restored. */
function countCalls<T extends object>(target: T, method: keyof T & string) {
  const original = target[method] as (...args: unknown[]) => unknown;
  const counter = {
    calls: 0,
    restore: () => {
      target[method] = original as T[keyof T & string];
    },
  };
  target[method] = function (this: unknown, ...args: unknown[]) {
    counter.calls++;
    return original.apply(this, args);
  } as T[keyof T & string];
  return counter;
}

describe('outreach messages', () => {
  let t: TestApp;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let units: { id: string; serialNumber: string }[];
  let journeyId: string;
  let otherJourneyId: string;
  const ids: Record<'sent' | 'suppressed' | 'queued' | 'elsewhere', string> = {} as never;
  let code: string;

  beforeAll(async () => {
    // no planner or sender at work: the messages are the test's own
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    const maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    const product = await createProduct(t, maker.staff);
    const register = (key: string, email: string | null) =>
      mustRegister(t, key, {
        productId: product.id,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: utcToday(),
        customer: { name: 'Ada Owner', email, marketingConsent: true },
      });
    units = [await register(seller.staff, 'ada.owner@example.com'), await register(seller.staff, null)];
    const strangersUnit = await register(otherSeller.staff, 'bob@example.org');
    journeyId = await insertJourney(t, { senderId: seller.id, kind: 'COUPON', coupon: { prefix: 'THANKS' } });
    otherJourneyId = await insertJourney(t, { senderId: otherSeller.id });
    const mine = { journeyId, senderId: seller.id };
    ids.sent = await insertMessage(t, { ...mine, unitId: units[0].id, recipient: 'Ada.Owner@Example.com' });
    code = await insertCoupon(t, { message: { ...mine, id: ids.sent, unitId: units[0].id } });
    ids.suppressed = await insertMessage(t, {
      ...mine,
      unitId: units[1].id,
      status: 'SUPPRESSED',
      suppressionReason: 'NO_EMAIL',
      recipient: null,
    });
    ids.queued = await insertMessage(t, {
      ...mine,
      unitId: units[0].id,
      status: 'QUEUED',
      locale: null,
      subject: null,
    });
    ids.elsewhere = await insertMessage(t, {
      journeyId: otherJourneyId,
      senderId: otherSeller.id,
      unitId: strangersUnit.id,
      recipient: 'bob@example.org',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const page = async (key: string, variables: VariablesOf<'OutreachMessagesPage'> = {}) => {
    const res = await gql(t, key, PAGE, variables);
    expect(res.errors).toBeUndefined();
    return res.data.outreachMessages;
  };

  it("lists the sender's own messages only, the address masked, with the unit and the coupon", async () => {
    const list = await page(seller.readonly, { first: 10 });
    expect(list.totalCount).toBe(3);
    const byId = new Map(list.edges.map((e: any) => [e.node.id, e.node]));
    expect([...byId.keys()].sort()).toEqual([ids.sent, ids.suppressed, ids.queued].sort());
    expect(byId.get(ids.sent)).toMatchObject({
      journey: { id: journeyId, kind: 'COUPON' },
      recipient: 'A***@Example.com',
      status: 'SENT',
      locale: 'en',
      subject: 'Your warranty, in short',
      occasion: utcToday(),
      unit: { id: units[0].id, serialNumber: units[0].serialNumber, owner: { name: 'Ada Owner' } },
      coupon: { code, discountPercent: 15, redeemedAt: null, unit: { id: units[0].id }, journey: { id: journeyId } },
    });
    expect(byId.get(ids.sent)).toHaveProperty('sentAt', expect.any(String));
    expect(byId.get(ids.suppressed)).toMatchObject({
      recipient: null,
      status: 'SUPPRESSED',
      suppressionReason: 'NO_EMAIL',
      sentAt: null,
      coupon: null,
    });
    // nothing in the answer is the whole address
    expect(JSON.stringify(list)).not.toMatch(/ada\.owner@/i);
    expect((await page(otherSeller.staff)).edges.map((e: any) => e.node.id)).toEqual([ids.elsewhere]);
  });

  it('filters by journey, unit and status, and pages with cursors', async () => {
    expect((await page(seller.staff, { filter: { status: 'SUPPRESSED' } })).totalCount).toBe(1);
    const ofUnit = await page(seller.staff, { filter: { unitId: units[0].id, journeyId } });
    expect(ofUnit.edges.map((e: any) => e.node.id).sort()).toEqual([ids.sent, ids.queued].sort());
    const first = await page(seller.staff, { first: 2 });
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = await page(seller.staff, { first: 2, after: first.pageInfo.endCursor });
    expect(second.pageInfo.hasNextPage).toBe(false);
    const all = [...first.edges, ...second.edges].map((e: any) => e.node.id);
    expect(new Set(all).size).toBe(3);
  });

  it("another organization's journey in the filter is NOT_FOUND, naming it", async () => {
    const res = await gql(t, otherSeller.staff, PAGE, { filter: { journeyId } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'filter.journeyId' });
    const viaRest = await rest(t, otherSeller.staff).get(`/outreach-messages?journeyId=${journeyId}`);
    expect(viaRest.status).toBe(404);
  });

  it('service centers and technician keys have no outreach (FORBIDDEN)', async () => {
    expect((await gql(t, center.staff, PAGE, {})).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const technician = await createTechnician(t, center, 'Tess Outreach');
    expect((await gql(t, technician.key, PAGE, {})).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await rest(t, center.readonly).get('/outreach-messages')).status).toBe(403);
  });

  it('REST lists and reads one message as GraphQL does; another sender gets 404', async () => {
    const list = await rest(t, seller.readonly).get(`/outreach-messages?first=10&journeyId=${journeyId}&status=SENT`);
    expect(list.status).toBe(200);
    expect(list.body.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({
        id: ids.sent,
        journeyId,
        unitId: units[0].id,
        couponCode: code,
        recipient: 'A***@Example.com',
      }),
    ]);
    const one = await rest(t, seller.readonly).get(`/outreach-messages/${ids.queued}`);
    expect(one.status).toBe(200);
    // a message waiting to be sent has no language or subject yet
    expect(one.body).toMatchObject({ status: 'QUEUED', locale: '', subject: '', couponCode: null, sentAt: null });
    expect((await rest(t, otherSeller.admin).get(`/outreach-messages/${ids.sent}`)).status).toBe(404);
    expect((await rest(t, seller.admin).get(`/outreach-messages/${ids.elsewhere}`)).status).toBe(404);
  });

  it('a page of 50 messages reads their units and coupons in one batch each', async () => {
    const mine = { journeyId, senderId: seller.id };
    for (let i = 0; i < 50; i++) {
      const id = await insertMessage(t, { ...mine, unitId: units[i % 2].id });
      await insertCoupon(t, { message: { ...mine, id, unitId: units[i % 2].id } });
    }
    const unitsLookup = countCalls(t.app.get(UnitsService), 'findRecordUnits');
    const couponsLookup = countCalls(t.app.get(CouponsService), 'findOwn');
    try {
      const list = await page(seller.staff, { first: 50, filter: { status: 'SENT' } });
      expect(list.edges).toHaveLength(50);
      expect(list.edges.every((e: any) => e.node.coupon?.code && e.node.unit?.id)).toBe(true);
      expect(unitsLookup.calls).toBe(1);
      expect(couponsLookup.calls).toBe(1);
    } finally {
      unitsLookup.restore();
      couponsLookup.restore();
    }
  });
});
