import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { operation } from './support/graphql-documents.js';
import { sqlQuery } from './support/input-helpers.js';
import { insertJourney, issueCoupon } from './support/outreach-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { addDaysUtc, mustRegister, utcToday } from './support/units-helpers.js';

/**
 * Coupons (docs/outreach.md): only the issuing organization reads or redeems a code (anyone
 * else: null, COUPON_NOT_FOUND), in any case; a coupon is redeemed once, whoever races for it,
 * through its last day (UTC). Coupons are written straight into the tables, as the sender would
 * issue them (test/support/outreach-fixtures.ts).
 */
const COUPON = operation('OutreachCoupon');
const REDEEM = operation('OutreachRedeemCoupon');

describe('coupons', () => {
  let t: TestApp;
  let seller: Tenant;
  let otherSeller: Tenant;
  let maker: Tenant;
  let message: { journeyId: string; senderId: string; unitId: string };

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    const product = await createProduct(t, maker.staff);
    const unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      manufacturerId: maker.id,
      serialNumber: uniqueSerial(),
      purchaseDate: utcToday(),
      customer: { name: 'Ada Owner', email: 'ada.owner@example.com', marketingConsent: true },
    });
    const journeyId = await insertJourney(t, {
      senderId: seller.id,
      coupon: { prefix: 'THANKS', discountPercent: 15, discountAmount: null, discountCurrency: null, validDays: 30 },
    });
    message = { journeyId, senderId: seller.id, unitId: unit.id };
  });
  afterAll(async () => {
    await t?.close();
  });

  const redeem = async (key: string, code: string, orderReference = 'ORDER-1') => {
    const res = await gql(t, key, REDEEM, { input: { code, orderReference } });
    expect(res.errors).toBeUndefined();
    return res.data.redeemCoupon as any;
  };

  it('the issuing organization reads its coupon by code, in any case; anyone else reads null', async () => {
    const { code } = await issueCoupon(t, message, {
      discountAmount: { amount: '20', currency: 'EUR' },
      discountPercent: null,
    });
    const read = await gql(t, seller.readonly, COUPON, { code: ` ${code.toLowerCase()} ` });
    expect(read.data.coupon).toMatchObject({
      code,
      discountPercent: null,
      discountAmount: { amount: '20.00', currency: 'EUR' },
      redeemedAt: null,
      orderReference: null,
      unit: { id: message.unitId },
    });
    expect((await gql(t, otherSeller.admin, COUPON, { code })).data.coupon).toBeNull();
    expect((await gql(t, maker.staff, COUPON, { code })).data.coupon).toBeNull();
    expect((await gql(t, seller.staff, COUPON, { code: 'THANKS-NOSUCHXX' })).data.coupon).toBeNull();
    expect((await rest(t, seller.readonly).get(`/coupons/${code.toLowerCase()}`)).body).toMatchObject({
      code,
      journeyId: message.journeyId,
      unitId: message.unitId,
    });
    const elsewhere = await rest(t, otherSeller.readonly).get(`/coupons/${code}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ code: 'NOT_FOUND', errorCode: 'COUPON_NOT_FOUND' });
  });

  it('redeems once: the order is recorded, a second redemption is COUPON_ALREADY_REDEEMED', async () => {
    const { code } = await issueCoupon(t, message);
    const won = await redeem(seller.staff, code.toLowerCase(), 'ORDER-2026-0042');
    expect(won).toMatchObject({ __typename: 'Coupon', code, orderReference: 'ORDER-2026-0042' });
    expect(Date.parse(won.redeemedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await redeem(seller.admin, code, 'ORDER-2')).toMatchObject({
      __typename: 'GenericError',
      errorCode: 'COUPON_ALREADY_REDEEMED',
      field: 'code',
    });
    const [row] = await sqlQuery(t, 'SELECT order_reference FROM coupons WHERE code = $1', [code]);
    expect(row.order_reference).toBe('ORDER-2026-0042');
  });

  it('of concurrent redemptions exactly one wins, over both APIs', async () => {
    const { code } = await issueCoupon(t, message);
    const answers = await Promise.all([
      ...[1, 2, 3, 4].map((n) => redeem(n % 2 ? seller.staff : seller.admin, code, `ORDER-G${n}`)),
      ...[1, 2, 3, 4].map(async (n) => {
        const res = await rest(t, seller.staff).post(`/coupons/${code}:redeem`, { orderReference: `ORDER-R${n}` });
        return res.status === 200 ? { __typename: 'Coupon', ...res.body } : res.body;
      }),
    ]);
    const winners = answers.filter((a) => a.__typename === 'Coupon');
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.errorCode === 'COUPON_ALREADY_REDEEMED')).toHaveLength(7);
    const [row] = await sqlQuery(t, 'SELECT order_reference FROM coupons WHERE code = $1', [code]);
    expect(row.order_reference).toBe(winners[0].orderReference);
  });

  it('works through its last day (UTC) and is COUPON_EXPIRED the day after', async () => {
    const lastDayToday = await issueCoupon(t, message, { expiresOn: utcToday() });
    expect(await redeem(seller.staff, lastDayToday.code)).toMatchObject({ __typename: 'Coupon' });
    const expired = await issueCoupon(t, message, { expiresOn: addDaysUtc(utcToday(), -1) });
    expect(await redeem(seller.staff, expired.code)).toMatchObject({
      errorCode: 'COUPON_EXPIRED',
      field: 'code',
    });
    const viaRest = await rest(t, seller.staff).post(`/coupons/${expired.code}:redeem`, { orderReference: 'ORDER-3' });
    expect(viaRest.status).toBe(422);
    expect(viaRest.body).toMatchObject({ errorCode: 'COUPON_EXPIRED', field: 'code' });
    const [row] = await sqlQuery(t, 'SELECT redeemed_at FROM coupons WHERE code = $1', [expired.code]);
    expect(row.redeemed_at).toBeNull();
  });

  it("another organization's code, or none, is COUPON_NOT_FOUND and stays unredeemed", async () => {
    const { code } = await issueCoupon(t, message);
    for (const key of [otherSeller.staff, maker.admin])
      expect(await redeem(key, code)).toMatchObject({ errorCode: 'COUPON_NOT_FOUND', field: 'code' });
    expect(await redeem(seller.staff, 'THANKS-NOSUCHXX')).toMatchObject({ errorCode: 'COUPON_NOT_FOUND' });
    const [row] = await sqlQuery(t, 'SELECT redeemed_at FROM coupons WHERE code = $1', [code]);
    expect(row.redeemed_at).toBeNull();
    expect(await redeem(seller.staff, code)).toMatchObject({ __typename: 'Coupon' });
  });

  it('READONLY keys read but do not redeem (FORBIDDEN)', async () => {
    const { code } = await issueCoupon(t, message);
    const res = await gql(t, seller.readonly, REDEEM, { input: { code, orderReference: 'ORDER-4' } });
    expect(res.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await rest(t, seller.readonly).post(`/coupons/${code}:redeem`, { orderReference: 'X' })).status).toBe(403);
  });

  it('an Idempotency-Key replays the first answer instead of failing the retry', async () => {
    const { code } = await issueCoupon(t, message);
    const send = () =>
      t.http
        .post(`/api/v1/coupons/${code}:redeem`)
        .set('authorization', `Bearer ${seller.staff}`)
        .set('idempotency-key', `redeem-${code}`)
        .send({ orderReference: 'ORDER-5' });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
  });
});
