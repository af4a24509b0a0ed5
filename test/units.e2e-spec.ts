import {
  assertErrorResult,
  assertSuccess,
  createProduct,
  createTenant,
  errorCode,
  gql,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import {
  addDaysUtc,
  addMonthsUtc,
  ATTACH_SERVICE_PLAN,
  createPlan,
  fullHistory,
  mustRegister,
  registerUnitRaw,
  TRANSFER_OWNERSHIP,
  UNIT_HISTORY_QUERY,
  UNITS_QUERY,
  unitAs,
  utcToday,
} from './support/units-helpers.js';

const BIRTH_DATE = '1990-05-17';

describe('units: registration, visibility, ownership, service plans and history', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** The units with this serial number that exist at all (the platform sees everything). */
  const unitsWithSerial = async (serialNumber: string) => {
    const res = await gql(t, PLATFORM_KEY, UNITS_QUERY, { filter: { serialNumber }, first: 100 });
    expect(res.errors).toBeUndefined();
    return res.data.units.edges.map((e: any) => e.node) as {
      id: string;
      serialNumber: string;
      product: { id: string };
    }[];
  };

  const transfer = (
    key: string,
    unitId: string,
    newOwner: Record<string, unknown>,
    expectedVersion?: number,
    headers: Record<string, string> = {},
  ) =>
    gql(
      t,
      key,
      TRANSFER_OWNERSHIP,
      { input: { unitId, newOwner, ...(expectedVersion === undefined ? {} : { expectedVersion }) } },
      headers,
    );

  const attach = (key: string, unitId: string, servicePlanId: string, purchasedAt: string) =>
    gql(t, key, ATTACH_SERVICE_PLAN, { input: { unitId, servicePlanId, purchasedAt } });

  // ------------------------------------------------------------------------------------------
  describe('registerUnit', () => {
    let maker: Tenant;
    let otherMaker: Tenant;
    let retailer: Tenant;
    let otherRetailer: Tenant;
    let center: Tenant;
    let product: { id: string; sku: string };
    let otherProduct: { id: string; sku: string };

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      otherMaker = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      otherRetailer = await createTenant(t, 'RETAILER');
      center = await createTenant(t, 'SERVICE_CENTER');
      product = await createProduct(t, maker.staff);
      otherProduct = await createProduct(t, otherMaker.staff);
    });

    it('a manufacturer registers by productId without manufacturerId: ACTIVE, version 1, no retailer, the fields as given', async () => {
      const serialNumber = uniqueSerial();
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber,
        purchaseDate: '2024-01-31',
        deliveryDate: '2024-02-02',
        purchasePrice: { amount: '899.5', currency: 'USD' },
      });
      expect(unit).toMatchObject({
        serialNumber,
        status: 'ACTIVE',
        version: 1,
        purchaseDate: '2024-01-31',
        deliveryDate: '2024-02-02',
        product: { id: product.id },
        retailer: null,
        purchasePrice: { amount: '899.50', currency: 'USD' },
        owner: null,
        servicePlans: [],
      });
      expect(new Date(unit.registeredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('a manufacturer registers by sku alone: its own catalog is searched', async () => {
      const unit = await mustRegister(t, maker.admin, {
        sku: product.sku,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(unit.product.id).toBe(product.id);
    });

    it('a retailer registers by sku with manufacturerId, and by productId: the retailer of the unit is itself', async () => {
      const bySku = await mustRegister(t, retailer.staff, {
        sku: product.sku,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(bySku).toMatchObject({ product: { id: product.id }, retailer: { id: retailer.id } });
      const byId = await mustRegister(t, retailer.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(byId.retailer).toEqual({ id: retailer.id });
      const naming = await mustRegister(t, retailer.staff, {
        productId: product.id,
        retailerId: retailer.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(naming.retailer).toEqual({ id: retailer.id });
    });

    it('a retailer registering by sku without manufacturerId is VALIDATION_ERROR naming manufacturerId (REST 400)', async () => {
      const serialNumber = uniqueSerial();
      const res = assertErrorResult(
        (await registerUnitRaw(t, retailer.staff, { sku: product.sku, serialNumber, purchaseDate: '2024-03-01' })).data
          .registerUnit,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('manufacturerId');
      const r = await rest(t, retailer.staff).post('/units', {
        sku: product.sku,
        serialNumber,
        purchaseDate: '2024-03-01',
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'manufacturerId' });
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('a retailer naming another organization as retailerId is VALIDATION_ERROR naming retailerId, and nothing is stored', async () => {
      const serialNumber = uniqueSerial();
      const input = { productId: product.id, retailerId: otherRetailer.id, serialNumber, purchaseDate: '2024-03-01' };
      const res = assertErrorResult(
        (await registerUnitRaw(t, retailer.staff, input)).data.registerUnit,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('retailerId');
      const r = await rest(t, retailer.staff).post('/units', input);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'retailerId' });
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('a manufacturer may set retailerId to a RETAILER organization; that retailer then sees the unit', async () => {
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        retailerId: retailer.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(unit.retailer).toEqual({ id: retailer.id });
      const seen = await unitAs(t, retailer.readonly, unit.id);
      expect(seen.errors).toBeUndefined();
      expect(seen.data.unit.id).toBe(unit.id);
    });

    it('a manufacturer setting retailerId to a non-retailer (manufacturer, service center, unknown id) gets VALIDATION_ERROR naming retailerId', async () => {
      for (const retailerId of [otherMaker.id, center.id, maker.id, '01890000-0000-7000-8000-000000000001']) {
        const serialNumber = uniqueSerial();
        const res = assertErrorResult(
          (
            await registerUnitRaw(t, maker.staff, {
              productId: product.id,
              retailerId,
              serialNumber,
              purchaseDate: '2024-03-01',
            })
          ).data.registerUnit,
          'VALIDATION_ERROR',
        );
        expect(res.field).toBe('retailerId');
        expect(await unitsWithSerial(serialNumber)).toEqual([]);
      }
      const r = await rest(t, maker.staff).post('/units', {
        productId: product.id,
        retailerId: center.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'retailerId' });
    });

    it("a manufacturer cannot register another manufacturer's product, by productId or by sku and manufacturerId", async () => {
      const serialNumber = uniqueSerial();
      const byId = (
        await registerUnitRaw(t, maker.staff, { productId: otherProduct.id, serialNumber, purchaseDate: '2024-03-01' })
      ).data.registerUnit;
      expect(byId.__typename).toBe('GenericError');
      expect(byId.errorCode).toBe('VALIDATION_ERROR');
      const bySku = (
        await registerUnitRaw(t, maker.staff, {
          sku: otherProduct.sku,
          manufacturerId: otherMaker.id,
          serialNumber,
          purchaseDate: '2024-03-01',
        })
      ).data.registerUnit;
      expect(bySku.__typename).toBe('GenericError');
      const r = await rest(t, maker.staff).post('/units', {
        productId: otherProduct.id,
        serialNumber,
        purchaseDate: '2024-03-01',
      });
      expect(r.status).toBe(400);
      expect(r.body.errorCode).toBe('VALIDATION_ERROR');
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('service centers and READONLY keys cannot register units: FORBIDDEN over GraphQL, 403 over REST', async () => {
      const serialNumber = uniqueSerial();
      for (const key of [center.staff, center.admin, maker.readonly, retailer.readonly]) {
        const res = await registerUnitRaw(t, key, {
          productId: product.id,
          manufacturerId: maker.id,
          serialNumber,
          purchaseDate: '2024-03-01',
        });
        expect(errorCode(res)).toBe('FORBIDDEN');
        const r = await rest(t, key).post('/units', {
          productId: product.id,
          serialNumber,
          purchaseDate: '2024-03-01',
        });
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('FORBIDDEN');
      }
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('a serial number already registered for the manufacturer is DUPLICATE_SERIAL_NUMBER (REST 409), whoever registers it and for whichever product', async () => {
      const serialNumber = uniqueSerial();
      const secondProduct = await createProduct(t, maker.staff, { category: 'WASHER' });
      await mustRegister(t, maker.staff, { productId: product.id, serialNumber, purchaseDate: '2024-03-01' });
      for (const [key, input] of [
        [maker.staff, { productId: product.id, serialNumber, purchaseDate: '2024-03-02' }],
        [maker.admin, { productId: secondProduct.id, serialNumber, purchaseDate: '2024-03-02' }],
        [retailer.staff, { sku: product.sku, manufacturerId: maker.id, serialNumber, purchaseDate: '2024-03-02' }],
      ] as const) {
        const res = assertErrorResult(
          (await registerUnitRaw(t, key, input)).data.registerUnit,
          'DUPLICATE_SERIAL_NUMBER',
        );
        expect(res.field).toBe('serialNumber');
      }
      const r = await rest(t, maker.staff).post('/units', {
        productId: product.id,
        serialNumber,
        purchaseDate: '2024-03-01',
      });
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ errorCode: 'DUPLICATE_SERIAL_NUMBER', field: 'serialNumber' });
      expect(await unitsWithSerial(serialNumber)).toHaveLength(1);
    });

    it('two registrations of the same serial at once: exactly one unit, the other DUPLICATE_SERIAL_NUMBER (never a server error)', async () => {
      const serialNumber = uniqueSerial();
      const results = await Promise.all([
        registerUnitRaw(t, maker.staff, { productId: product.id, serialNumber, purchaseDate: '2024-03-01' }),
        registerUnitRaw(t, retailer.staff, { productId: product.id, serialNumber, purchaseDate: '2024-03-01' }),
        registerUnitRaw(t, maker.admin, { productId: product.id, serialNumber, purchaseDate: '2024-03-01' }),
      ]);
      for (const res of results) expect(res.errors).toBeUndefined();
      const outcomes = results.map((r) => r.data.registerUnit);
      expect(outcomes.filter((o) => o.__typename === 'Unit')).toHaveLength(1);
      expect(outcomes.filter((o) => o.errorCode === 'DUPLICATE_SERIAL_NUMBER')).toHaveLength(2);
      expect(await unitsWithSerial(serialNumber)).toHaveLength(1);
    });

    it('a sku that does not match the productId is VALIDATION_ERROR naming sku', async () => {
      const serialNumber = uniqueSerial();
      const res = assertErrorResult(
        (
          await registerUnitRaw(t, maker.staff, {
            productId: product.id,
            sku: 'SOMETHING-ELSE',
            serialNumber,
            purchaseDate: '2024-03-01',
          })
        ).data.registerUnit,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('sku');
      const neither = assertErrorResult(
        (await registerUnitRaw(t, maker.staff, { serialNumber, purchaseDate: '2024-03-01' })).data.registerUnit,
        'VALIDATION_ERROR',
      );
      expect(neither.field).toBe('productId');
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('the same serial number under another manufacturer is accepted', async () => {
      const serialNumber = uniqueSerial();
      const a = await mustRegister(t, maker.staff, { productId: product.id, serialNumber, purchaseDate: '2024-03-01' });
      const b = await mustRegister(t, otherMaker.staff, {
        productId: otherProduct.id,
        serialNumber,
        purchaseDate: '2024-03-01',
      });
      expect(a.id).not.toBe(b.id);
      expect(await unitsWithSerial(serialNumber)).toHaveLength(2);
    });

    it('a purchase date of tomorrow (UTC) is PURCHASE_DATE_IN_FUTURE (REST 422); today is accepted', async () => {
      const tomorrow = addDaysUtc(utcToday(), 1);
      const serialNumber = uniqueSerial();
      const res = assertErrorResult(
        (await registerUnitRaw(t, maker.staff, { productId: product.id, serialNumber, purchaseDate: tomorrow })).data
          .registerUnit,
        'PURCHASE_DATE_IN_FUTURE',
      );
      expect(res.field).toBe('purchaseDate');
      const r = await rest(t, maker.staff).post('/units', {
        productId: product.id,
        serialNumber,
        purchaseDate: tomorrow,
      });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ errorCode: 'PURCHASE_DATE_IN_FUTURE', field: 'purchaseDate' });
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
      const today = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber,
        purchaseDate: utcToday(),
      });
      expect(today.purchaseDate).toBe(utcToday());
    });

    it('a delivery date before the purchase date is VALIDATION_ERROR naming deliveryDate; the same day is accepted', async () => {
      const serialNumber = uniqueSerial();
      const input = { productId: product.id, serialNumber, purchaseDate: '2024-03-10', deliveryDate: '2024-03-09' };
      const res = assertErrorResult(
        (await registerUnitRaw(t, maker.staff, input)).data.registerUnit,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('deliveryDate');
      const r = await rest(t, maker.staff).post('/units', input);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'deliveryDate' });
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
      const sameDay = await mustRegister(t, maker.staff, { ...input, deliveryDate: '2024-03-10' });
      expect(sameDay.deliveryDate).toBe('2024-03-10');
    });

    it('an unknown productId or sku is PRODUCT_NOT_FOUND (REST 422)', async () => {
      const serialNumber = uniqueSerial();
      const byId = assertErrorResult(
        (
          await registerUnitRaw(t, maker.staff, {
            productId: '01890000-0000-7000-8000-000000000002',
            serialNumber,
            purchaseDate: '2024-03-01',
          })
        ).data.registerUnit,
        'PRODUCT_NOT_FOUND',
      );
      expect(byId.field).toBe('productId');
      const bySku = assertErrorResult(
        (
          await registerUnitRaw(t, retailer.staff, {
            sku: 'NO-SUCH-SKU',
            manufacturerId: maker.id,
            serialNumber,
            purchaseDate: '2024-03-01',
          })
        ).data.registerUnit,
        'PRODUCT_NOT_FOUND',
      );
      expect(bySku.field).toBe('sku');
      const r = await rest(t, maker.staff).post('/units', {
        sku: 'NO-SUCH-SKU',
        serialNumber,
        purchaseDate: '2024-03-01',
      });
      expect(r.status).toBe(422);
      expect(r.body.errorCode).toBe('PRODUCT_NOT_FOUND');
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('the customer is optional; when given, the email is stored lowercased and marketingConsent defaults to false', async () => {
      const without = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
      });
      expect(without.owner).toBeNull();
      const withOwner = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
        customer: { name: 'Ada Lovelace', email: 'Ada.Lovelace@Example.COM', phone: '+44 20 7946 0000' },
      });
      expect(withOwner.owner).toEqual({
        name: 'Ada Lovelace',
        email: 'ada.lovelace@example.com',
        phone: '+44 20 7946 0000',
        marketingConsent: false,
      });
      const r = await rest(t, retailer.staff).post('/units', {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
        customer: { name: 'Grace', email: 'GRACE@NAVY.MIL', marketingConsent: true },
      });
      expect(r.status).toBe(201);
      expect(r.body.owner).toEqual({
        name: 'Grace',
        email: 'grace@navy.mil',
        phone: null,
        marketingConsent: true,
        locale: null,
        birthDate: null,
      });
    });

    it('a customer birth date in the future is VALIDATION_ERROR naming customer.birthDate', async () => {
      const serialNumber = uniqueSerial();
      const res = assertErrorResult(
        (
          await registerUnitRaw(t, maker.staff, {
            productId: product.id,
            serialNumber,
            purchaseDate: '2024-03-01',
            customer: { name: 'Future', birthDate: addDaysUtc(utcToday(), 2) },
          })
        ).data.registerUnit,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('customer.birthDate');
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it("the customer's birth date and locale are shown with the owner to who may read it, never to others nor in the history", async () => {
      const customer = { name: 'Ada Lovelace', email: 'ada@example.com', birthDate: BIRTH_DATE, locale: 'pt-br' };
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        retailerId: retailer.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-01',
        customer,
      });
      const asked = await gql(t, maker.staff, 'query($id: ID!) { unit(id: $id) { owner { name birthDate locale } } }', {
        id: unit.id,
      });
      expect(asked.data.unit.owner).toEqual({ name: 'Ada Lovelace', birthDate: BIRTH_DATE, locale: 'pt-BR' });

      const serialNumber = uniqueSerial();
      const created = await rest(t, maker.staff).post('/units', {
        productId: product.id,
        serialNumber,
        purchaseDate: '2024-03-01',
        customer,
      });
      expect(created.status).toBe(201);
      expect(created.body.owner).toMatchObject({ birthDate: BIRTH_DATE, locale: 'pt-BR' });
      const moved = await rest(t, maker.staff).post(`/units/${unit.id}:transfer`, {
        newOwner: { name: 'Grace', birthDate: '1906-12-09', locale: 'sv' },
        expectedVersion: 1,
      });
      expect(moved.status).toBe(200);
      expect(moved.body.owner).toMatchObject({ name: 'Grace', birthDate: '1906-12-09', locale: 'sv' });
      expect((await rest(t, retailer.staff).get(`/units/${unit.id}`)).body.owner).toMatchObject({
        birthDate: '1906-12-09',
        locale: 'sv',
      });

      // the platform sees the unit, not its owner; a unit's history never carries the owner's data
      const unseen = [
        await rest(t, PLATFORM_KEY).get(`/units:by-serial?serialNumber=${encodeURIComponent(serialNumber)}`),
        await rest(t, PLATFORM_KEY).get(`/units/${unit.id}`),
        await rest(t, maker.staff).get(`/units/${unit.id}/history`),
      ];
      for (const answer of unseen) {
        expect(answer.status).toBe(200);
        const text = JSON.stringify(answer.body);
        expect(text).not.toContain(BIRTH_DATE);
        expect(text).not.toContain('1906-12-09');
      }
      const history = await gql(t, maker.staff, UNIT_HISTORY_QUERY, { id: unit.id, first: 100 });
      expect(JSON.stringify(history.data)).not.toContain('1906-12-09');
    });

    it('a customer locale that is not a BCP 47 tag is refused naming customer.locale, and nothing is stored', async () => {
      const serialNumber = uniqueSerial();
      const r = await rest(t, maker.staff).post('/units', {
        productId: product.id,
        serialNumber,
        purchaseDate: '2024-03-01',
        customer: { name: 'Ada', locale: 'en_US' },
      });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('customer.locale');
      expect(await unitsWithSerial(serialNumber)).toEqual([]);
    });

    it('registers over REST: 201 with the unit, a retailer caller being the retailer', async () => {
      const serialNumber = uniqueSerial();
      const r = await rest(t, retailer.staff).post('/units', {
        sku: product.sku,
        manufacturerId: maker.id,
        serialNumber,
        purchaseDate: '2024-06-30',
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        serialNumber,
        productId: product.id,
        manufacturerId: maker.id,
        retailerId: retailer.id,
        status: 'ACTIVE',
        version: 1,
        purchaseDate: '2024-06-30',
      });
      const read = await rest(t, maker.readonly).get(`/units/${r.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.id).toBe(r.body.id);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('who sees which unit', () => {
    let maker: Tenant;
    let strangerMaker: Tenant;
    let retailer: Tenant;
    let otherRetailer: Tenant;
    let center: Tenant;
    let product: { id: string; sku: string };
    let soldByRetailer: any; // registered by the manufacturer for the retailer
    let registeredByRetailer: any;
    let noRetailer: any;
    let soldByOther: any;
    let strangerPlan: { id: string };

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      strangerMaker = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      otherRetailer = await createTenant(t, 'RETAILER');
      center = await createTenant(t, 'SERVICE_CENTER');
      product = await createProduct(t, maker.staff);
      const customer = { name: 'Ada Lovelace', email: 'ada@example.com' };
      soldByRetailer = await mustRegister(t, maker.staff, {
        productId: product.id,
        retailerId: retailer.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-02-01',
        customer,
      });
      registeredByRetailer = await mustRegister(t, retailer.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-02-01',
        customer,
      });
      noRetailer = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-02-01',
        customer,
      });
      soldByOther = await mustRegister(t, otherRetailer.staff, {
        sku: product.sku,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-02-01',
        customer,
      });
      strangerPlan = await createPlan(t, strangerMaker.staff);
    });

    const visibleIds = async (key: string) => {
      const res = await gql(t, key, UNITS_QUERY, { first: 100 });
      expect(res.errors).toBeUndefined();
      return {
        total: res.data.units.totalCount as number,
        ids: new Set(res.data.units.edges.map((e: any) => e.node.id)),
      };
    };

    it('a manufacturer sees every unit of its products, whoever sold them (unit, units with totalCount, REST)', async () => {
      const all = [soldByRetailer, registeredByRetailer, noRetailer, soldByOther];
      for (const unit of all) {
        const res = await unitAs(t, maker.readonly, unit.id);
        expect(res.errors).toBeUndefined();
        expect(res.data.unit.id).toBe(unit.id);
        expect((await rest(t, maker.readonly).get(`/units/${unit.id}`)).status).toBe(200);
      }
      expect(await visibleIds(maker.staff)).toEqual({ total: 4, ids: new Set(all.map((u) => u.id)) });
      const r = await rest(t, maker.staff).get('/units?first=100');
      expect(r.body.totalCount).toBe(4);
    });

    it('a retailer sees only the units it sold; the others are NOT_FOUND', async () => {
      expect(await visibleIds(retailer.readonly)).toEqual({
        total: 2,
        ids: new Set([soldByRetailer.id, registeredByRetailer.id]),
      });
      expect(await visibleIds(otherRetailer.staff)).toEqual({ total: 1, ids: new Set([soldByOther.id]) });
      for (const unit of [noRetailer, soldByOther]) {
        const res = await unitAs(t, retailer.staff, unit.id);
        expect(errorCode(res)).toBe('NOT_FOUND');
        expect(res.data?.unit ?? null).toBeNull();
        const r = await rest(t, retailer.staff).get(`/units/${unit.id}`);
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('NOT_FOUND');
      }
      const r = await rest(t, otherRetailer.staff).get('/units?first=100');
      expect(r.body.totalCount).toBe(1);
      expect(r.body.edges.map((e: any) => e.node.id)).toEqual([soldByOther.id]);
    });

    it('another manufacturer, and a service center without tickets, see none of the units: empty lists, totalCount 0', async () => {
      for (const key of [strangerMaker.staff, center.staff]) {
        expect(await visibleIds(key)).toEqual({ total: 0, ids: new Set() });
        const r = await rest(t, key).get('/units');
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ totalCount: 0, edges: [] });
      }
    });

    it('the platform operator sees every unit', async () => {
      for (const unit of [soldByRetailer, registeredByRetailer, noRetailer, soldByOther]) {
        const res = await unitAs(t, PLATFORM_KEY, unit.id);
        expect(res.data.unit.id).toBe(unit.id);
      }
      const res = await gql(t, PLATFORM_KEY, UNITS_QUERY, { filter: { productId: product.id } });
      expect(res.data.units.totalCount).toBe(4);
    });

    it('outsiders get NOT_FOUND for unit(id) and unitBySerial, over GraphQL and REST', async () => {
      const cases: [string, any][] = [
        [strangerMaker.staff, soldByRetailer],
        [otherRetailer.staff, soldByRetailer],
        [retailer.staff, noRetailer],
        [center.staff, soldByRetailer],
      ];
      for (const [key, unit] of cases) {
        expect(errorCode(await unitAs(t, key, unit.id))).toBe('NOT_FOUND');
        const bySerial = await gql(t, key, 'query($s: String!) { unitBySerial(serialNumber: $s) { id } }', {
          s: unit.serialNumber,
        });
        expect(errorCode(bySerial)).toBe('NOT_FOUND');
        expect(bySerial.data?.unitBySerial ?? null).toBeNull();
        const withMaker = await gql(
          t,
          key,
          'query($s: String!, $m: ID) { unitBySerial(serialNumber: $s, manufacturerId: $m) { id } }',
          { s: unit.serialNumber, m: maker.id },
        );
        expect(errorCode(withMaker)).toBe('NOT_FOUND');
        const r = await rest(t, key).get(
          `/units:by-serial?serialNumber=${encodeURIComponent(unit.serialNumber)}&manufacturerId=${maker.id}`,
        );
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('NOT_FOUND');
      }
      const own = await gql(t, retailer.staff, 'query($s: String!) { unitBySerial(serialNumber: $s) { id } }', {
        s: soldByRetailer.serialNumber,
      });
      expect(own.data.unitBySerial.id).toBe(soldByRetailer.id);
    });

    it("outsiders get NOT_FOUND for the unit's history, over GraphQL and REST", async () => {
      for (const key of [strangerMaker.staff, otherRetailer.staff, center.staff]) {
        const res = await gql(t, key, UNIT_HISTORY_QUERY, { id: soldByRetailer.id });
        expect(errorCode(res)).toBe('NOT_FOUND');
        expect(JSON.stringify(res.data ?? null)).not.toContain('REGISTERED');
        const r = await rest(t, key).get(`/units/${soldByRetailer.id}/history`);
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('NOT_FOUND');
        const plans = await rest(t, key).get(`/units/${soldByRetailer.id}/service-plans`);
        expect(plans.status).toBe(404);
      }
    });

    it('outsiders get NOT_FOUND for transferOwnership and attachServicePlan, and the unit is unchanged afterwards', async () => {
      for (const key of [strangerMaker.staff, otherRetailer.staff]) {
        const moved = await transfer(key, soldByRetailer.id, { name: 'Mallory' }, 1);
        expect(errorCode(moved)).toBe('NOT_FOUND');
        const attached = await attach(key, soldByRetailer.id, strangerPlan.id, '2024-02-10');
        expect(errorCode(attached)).toBe('NOT_FOUND');
        const r1 = await rest(t, key).post(`/units/${soldByRetailer.id}:transfer`, {
          newOwner: { name: 'Mallory' },
          expectedVersion: 1,
        });
        expect(r1.status).toBe(404);
        expect(r1.body.code).toBe('NOT_FOUND');
        const r2 = await rest(t, key).post(`/units/${soldByRetailer.id}:attachServicePlan`, {
          servicePlanId: strangerPlan.id,
          purchasedAt: '2024-02-10',
        });
        expect(r2.status).toBe(404);
        expect(r2.body.code).toBe('NOT_FOUND');
      }
      const after = await unitAs(t, maker.staff, soldByRetailer.id);
      expect(after.data.unit).toMatchObject({
        version: 1,
        owner: { name: 'Ada Lovelace', email: 'ada@example.com' },
        servicePlans: [],
      });
      expect((await fullHistory(t, maker.staff, soldByRetailer.id)).map((e) => e.type)).toEqual(['REGISTERED']);
    });

    it('node(id) resolves a Unit for its manufacturer, the retailer that sold it and the platform; NOT_FOUND for a stranger', async () => {
      const NODE = 'query($id: ID!) { node(id: $id) { __typename id ... on Unit { serialNumber product { id } } } }';
      for (const key of [maker.readonly, retailer.staff, PLATFORM_KEY]) {
        const res = await gql(t, key, NODE, { id: soldByRetailer.id });
        expect(res.errors).toBeUndefined();
        expect(res.data.node).toEqual({
          __typename: 'Unit',
          id: soldByRetailer.id,
          serialNumber: soldByRetailer.serialNumber,
          product: { id: product.id },
        });
      }
      for (const key of [strangerMaker.staff, otherRetailer.staff, center.staff]) {
        const res = await gql(t, key, NODE, { id: soldByRetailer.id });
        expect(errorCode(res)).toBe('NOT_FOUND');
        expect(res.data?.node ?? null).toBeNull();
      }
    });

    it('a unit id that is not a UUID is a client error (NOT_FOUND or BAD_USER_INPUT), never an internal error', async () => {
      const res = await gql(t, maker.staff, 'query { unit(id: "not-a-uuid") { id } }');
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(errorCode(res));
      const bySerial = await gql(
        t,
        maker.staff,
        'query($s: String!) { unitBySerial(serialNumber: $s, manufacturerId: "not-a-uuid") { id } }',
        { s: noRetailer.serialNumber },
      );
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(errorCode(bySerial));
      const r = await rest(t, maker.staff).get('/units/not-a-uuid');
      expect(r.status).toBe(400);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('units: filters and pagination', () => {
    let maker: Tenant;
    let retailer: Tenant;
    let otherRetailer: Tenant;
    let productA: { id: string; sku: string };
    let productB: { id: string; sku: string };
    const units: Record<string, string[]> = { makerA: [], makerB: [], retailerA: [], retailerB: [], otherA: [] };

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      otherRetailer = await createTenant(t, 'RETAILER');
      productA = await createProduct(t, maker.staff, { category: 'FRIDGE' });
      productB = await createProduct(t, maker.staff, { category: 'OVEN' });
      const reg = async (bucket: string, key: string, input: Record<string, unknown>) =>
        units[bucket].push(
          (await mustRegister(t, key, { serialNumber: uniqueSerial(), purchaseDate: '2024-05-01', ...input })).id,
        );
      for (let i = 0; i < 3; i++)
        await reg('retailerA', maker.staff, { productId: productA.id, retailerId: retailer.id });
      for (let i = 0; i < 2; i++) await reg('makerB', maker.staff, { productId: productB.id });
      await reg('retailerB', retailer.staff, { productId: productB.id });
      for (let i = 0; i < 2; i++)
        await reg('otherA', otherRetailer.staff, { sku: productA.sku, manufacturerId: maker.id });
    });

    const list = async (key: string, variables: Record<string, unknown>) => {
      const res = await gql(t, key, UNITS_QUERY, variables);
      expect(res.errors).toBeUndefined();
      return res.data.units;
    };

    it("filters by productId, for the manufacturer and within a retailer's view", async () => {
      const a = await list(maker.staff, { filter: { productId: productA.id }, first: 100 });
      expect(a.totalCount).toBe(5);
      expect(new Set(a.edges.map((e: any) => e.node.id))).toEqual(new Set([...units.retailerA, ...units.otherA]));
      expect(a.edges.every((e: any) => e.node.product.id === productA.id)).toBe(true);
      const b = await list(maker.staff, { filter: { productId: productB.id }, first: 100 });
      expect(b.totalCount).toBe(3);
      const retailerA = await list(retailer.staff, { filter: { productId: productA.id }, first: 100 });
      expect(retailerA.totalCount).toBe(3);
      expect(new Set(retailerA.edges.map((e: any) => e.node.id))).toEqual(new Set(units.retailerA));
      const r = await rest(t, maker.staff).get(`/units?productId=${productB.id}&first=100`);
      expect(r.status).toBe(200);
      expect(r.body.totalCount).toBe(3);
      expect(new Set(r.body.edges.map((e: any) => e.node.id))).toEqual(new Set([...units.makerB, ...units.retailerB]));
    });

    it('filters by serialNumber and by status, over GraphQL and REST', async () => {
      const target = units.otherA[0];
      const serial = (await unitAs(t, maker.staff, target)).data.unit.serialNumber;
      const bySerial = await list(maker.staff, { filter: { serialNumber: serial } });
      expect(bySerial.totalCount).toBe(1);
      expect(bySerial.edges.map((e: any) => e.node.id)).toEqual([target]);
      const notMine = await list(retailer.staff, { filter: { serialNumber: serial } });
      expect(notMine).toMatchObject({ totalCount: 0, edges: [] });
      const r = await rest(t, otherRetailer.staff).get(`/units?serialNumber=${encodeURIComponent(serial)}`);
      expect(r.body.totalCount).toBe(1);
      expect(r.body.edges[0].node.id).toBe(target);

      const active = await list(maker.staff, { filter: { status: 'ACTIVE' }, first: 100 });
      expect(active.totalCount).toBe(8);
      const returned = await list(maker.staff, { filter: { status: 'RETURNED' } });
      expect(returned).toMatchObject({ totalCount: 0, edges: [] });
      const rs = await rest(t, maker.staff).get('/units?status=RETURNED');
      expect(rs.body.totalCount).toBe(0);
      const ra = await rest(t, maker.staff).get(`/units?status=ACTIVE&productId=${productA.id}`);
      expect(ra.body.totalCount).toBe(5);
      const bad = await rest(t, maker.staff).get('/units?status=BROKEN');
      expect(bad.status).toBe(400);
    });

    it('pages with first/after over GraphQL: every visible unit exactly once, totalCount on every page', async () => {
      const expected = new Set(Object.values(units).flat());
      expect(expected.size).toBe(8);
      const seen: string[] = [];
      const sizes: number[] = [];
      let after: string | null = null;
      do {
        const conn: any = await list(maker.readonly, { first: 3, after });
        expect(conn.totalCount).toBe(8);
        seen.push(...conn.edges.map((e: any) => e.node.id));
        sizes.push(conn.edges.length);
        expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
        after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      } while (after);
      expect(sizes).toEqual([3, 3, 2]);
      expect(seen).toHaveLength(8);
      expect(new Set(seen)).toEqual(expected);
    });

    it("pages with first/after over REST: every visible unit exactly once, within the retailer's view too", async () => {
      const walk = async (key: string, first: number) => {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const r: any = await rest(t, key).get(
            `/units?first=${first}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
          );
          expect(r.status).toBe(200);
          seen.push(...r.body.edges.map((e: any) => e.node.id));
          after = r.body.pageInfo.hasNextPage ? r.body.pageInfo.endCursor : null;
          pages++;
        } while (after);
        return { seen, pages };
      };
      const all = await walk(maker.staff, 5);
      expect(all.pages).toBe(2);
      expect(all.seen).toHaveLength(8);
      expect(new Set(all.seen)).toEqual(new Set(Object.values(units).flat()));
      const mine = await walk(retailer.staff, 1);
      expect(mine.pages).toBe(4);
      expect(new Set(mine.seen)).toEqual(new Set([...units.retailerA, ...units.retailerB]));
      expect(mine.seen).toHaveLength(4);
    });

    it('first above 100 or 0 is BAD_USER_INPUT (GraphQL) and 400 (REST)', async () => {
      for (const first of [0, 101]) {
        expect(errorCode(await gql(t, maker.staff, UNITS_QUERY, { first }))).toBe('BAD_USER_INPUT');
        expect((await rest(t, maker.staff).get(`/units?first=${first}`)).status).toBe(400);
      }
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('unitBySerial when two manufacturers use the same serial', () => {
    let makerA: Tenant;
    let makerB: Tenant;
    let retailer: Tenant;
    const serial = `SHARED-${Date.now().toString(36)}`;
    let unitA: any;
    let unitB: any;
    const BY_SERIAL =
      'query($s: String!, $m: ID) { unitBySerial(serialNumber: $s, manufacturerId: $m) { id product { manufacturer { id } } } }';

    beforeAll(async () => {
      makerA = await createTenant(t, 'MANUFACTURER');
      makerB = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      const pA = await createProduct(t, makerA.staff);
      const pB = await createProduct(t, makerB.staff);
      unitA = await mustRegister(t, makerA.staff, {
        productId: pA.id,
        retailerId: retailer.id,
        serialNumber: serial,
        purchaseDate: '2024-04-01',
      });
      unitB = await mustRegister(t, makerB.staff, {
        productId: pB.id,
        retailerId: retailer.id,
        serialNumber: serial,
        purchaseDate: '2024-04-01',
      });
    });

    it('the platform key without manufacturerId gets BAD_USER_INPUT naming manufacturerId (REST 400)', async () => {
      const res = await gql(t, PLATFORM_KEY, BY_SERIAL, { s: serial });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions.field).toBe('manufacturerId');
      const r = await rest(t, PLATFORM_KEY).get(`/units:by-serial?serialNumber=${serial}`);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('manufacturerId');
    });

    it("with manufacturerId the platform key gets that manufacturer's unit", async () => {
      const a = await gql(t, PLATFORM_KEY, BY_SERIAL, { s: serial, m: makerA.id });
      expect(a.data.unitBySerial).toEqual({ id: unitA.id, product: { manufacturer: { id: makerA.id } } });
      const r = await rest(t, PLATFORM_KEY).get(`/units:by-serial?serialNumber=${serial}&manufacturerId=${makerB.id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: unitB.id, manufacturerId: makerB.id });
    });

    it('each manufacturer finds its own unit without manufacturerId, since it sees only its own', async () => {
      expect((await gql(t, makerA.staff, BY_SERIAL, { s: serial })).data.unitBySerial.id).toBe(unitA.id);
      expect((await gql(t, makerB.readonly, BY_SERIAL, { s: serial })).data.unitBySerial.id).toBe(unitB.id);
      expect(errorCode(await gql(t, makerA.staff, BY_SERIAL, { s: serial, m: makerB.id }))).toBe('NOT_FOUND');
    });

    it('a retailer that sold both needs manufacturerId as well', async () => {
      expect(errorCode(await gql(t, retailer.staff, BY_SERIAL, { s: serial }))).toBe('BAD_USER_INPUT');
      expect((await gql(t, retailer.staff, BY_SERIAL, { s: serial, m: makerB.id })).data.unitBySerial.id).toBe(
        unitB.id,
      );
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('transferOwnership', () => {
    let maker: Tenant;
    let retailer: Tenant;
    let product: { id: string };
    let lockedProduct: { id: string };
    const register = (key: string, productId: string, extra: Record<string, unknown> = {}) =>
      mustRegister(t, key, {
        productId,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-02-01',
        customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
        ...extra,
      });

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      product = await createProduct(t, maker.staff);
      lockedProduct = await createProduct(t, maker.staff, {
        warrantyTerms: {
          durationMonths: 12,
          startsFrom: 'PURCHASE_DATE',
          coverageTypes: ['PARTS'],
          transferable: false,
        },
      });
    });

    it('changes the owner, bumps the version and adds an OWNERSHIP_TRANSFERRED history row by the caller (GraphQL)', async () => {
      const unit = await register(maker.staff, product.id, { retailerId: retailer.id });
      const res = await transfer(
        retailer.staff,
        unit.id,
        { name: 'Grace Hopper', email: 'Grace@Navy.MIL', phone: '+1 555 0100', marketingConsent: true },
        1,
      );
      expect(res.errors).toBeUndefined();
      const moved = assertSuccess(res.data.transferOwnership, 'Unit');
      expect(moved).toMatchObject({
        id: unit.id,
        version: 2,
        owner: { name: 'Grace Hopper', email: 'grace@navy.mil', phone: '+1 555 0100', marketingConsent: true },
      });
      const read = await unitAs(t, maker.readonly, unit.id);
      expect(read.data.unit).toMatchObject({ version: 2, owner: { name: 'Grace Hopper' } });
      const history = await fullHistory(t, maker.staff, unit.id);
      expect(history.map((e) => e.type)).toEqual(['REGISTERED', 'OWNERSHIP_TRANSFERRED']);
      expect(history[1].actor).toEqual({ id: retailer.id, kind: 'RETAILER' });
    });

    it('works over REST with POST /units/{id}:transfer (200 with the unit)', async () => {
      const unit = await register(maker.staff, product.id);
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:transfer`, {
        newOwner: { name: 'Grace Hopper' },
        expectedVersion: 1,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: unit.id,
        version: 2,
        owner: { name: 'Grace Hopper', email: null, marketingConsent: false },
      });
      expect((await fullHistory(t, maker.staff, unit.id)).map((e) => e.type)).toEqual([
        'REGISTERED',
        'OWNERSHIP_TRANSFERRED',
      ]);
    });

    it('a stale expectedVersion is VersionConflictError with currentVersion and changes nothing (GraphQL and REST 409)', async () => {
      const unit = await register(maker.staff, product.id);
      assertSuccess((await transfer(maker.staff, unit.id, { name: 'Second Owner' }, 1)).data.transferOwnership, 'Unit');

      const stale = (await transfer(maker.staff, unit.id, { name: 'Third Owner' }, 1)).data.transferOwnership;
      expect(stale).toMatchObject({
        __typename: 'VersionConflictError',
        errorCode: 'VERSION_CONFLICT',
        currentVersion: 2,
      });
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:transfer`, {
        newOwner: { name: 'Third Owner' },
        expectedVersion: 1,
      });
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: 2 });
      const ahead = (await transfer(maker.staff, unit.id, { name: 'Third Owner' }, 7)).data.transferOwnership;
      expect(ahead).toMatchObject({ __typename: 'VersionConflictError', currentVersion: 2 });

      const read = await unitAs(t, maker.staff, unit.id);
      expect(read.data.unit).toMatchObject({ version: 2, owner: { name: 'Second Owner' } });
      expect((await fullHistory(t, maker.staff, unit.id)).map((e) => e.type)).toEqual([
        'REGISTERED',
        'OWNERSHIP_TRANSFERRED',
      ]);
    });

    it("NOT_TRANSFERABLE when the product's terms say transferable false; nothing changes (REST 422)", async () => {
      const unit = await register(maker.staff, lockedProduct.id);
      const res = assertErrorResult(
        (await transfer(maker.staff, unit.id, { name: 'Grace Hopper' }, 1)).data.transferOwnership,
        'NOT_TRANSFERABLE',
      );
      expect(res.__typename).toBe('GenericError');
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:transfer`, {
        newOwner: { name: 'Grace Hopper' },
        expectedVersion: 1,
      });
      expect(r.status).toBe(422);
      expect(r.body.errorCode).toBe('NOT_TRANSFERABLE');
      const read = await unitAs(t, maker.staff, unit.id);
      expect(read.data.unit).toMatchObject({ version: 1, owner: { name: 'Ada Lovelace', email: 'ada@example.com' } });
      expect((await fullHistory(t, maker.staff, unit.id)).map((e) => e.type)).toEqual(['REGISTERED']);
    });

    it('a READONLY key cannot transfer: FORBIDDEN, and nothing changes', async () => {
      const unit = await register(maker.staff, product.id, { retailerId: retailer.id });
      for (const key of [maker.readonly, retailer.readonly]) {
        expect(errorCode(await transfer(key, unit.id, { name: 'Mallory' }, 1))).toBe('FORBIDDEN');
        const r = await rest(t, key).post(`/units/${unit.id}:transfer`, {
          newOwner: { name: 'Mallory' },
          expectedVersion: 1,
        });
        expect(r.status).toBe(403);
      }
      expect((await unitAs(t, maker.staff, unit.id)).data.unit).toMatchObject({
        version: 1,
        owner: { name: 'Ada Lovelace' },
      });
    });

    it('a new owner with an invalid email is a VALIDATION_ERROR naming newOwner.email, and nothing changes', async () => {
      const unit = await register(maker.staff, product.id);
      const res = await transfer(maker.staff, unit.id, { name: 'Grace', email: 'not-an-email' }, 1);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions.field).toBe('newOwner.email');
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:transfer`, {
        newOwner: { name: 'Grace', email: 'not-an-email' },
        expectedVersion: 1,
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'newOwner.email' });
      expect((await unitAs(t, maker.staff, unit.id)).data.unit).toMatchObject({
        version: 1,
        owner: { name: 'Ada Lovelace' },
      });
    });

    it('two transfers at once with the same expectedVersion: exactly one succeeds, the other is VERSION_CONFLICT, one history row (GraphQL)', async () => {
      const unit = await register(maker.staff, product.id, { retailerId: retailer.id });
      const results = await Promise.all([
        transfer(maker.staff, unit.id, { name: 'Owner One' }, 1),
        transfer(retailer.staff, unit.id, { name: 'Owner Two' }, 1),
      ]);
      const outcomes = results.map((r) => r.data.transferOwnership);
      const winners = outcomes.filter((o) => o.__typename === 'Unit');
      const losers = outcomes.filter((o) => o.__typename === 'VersionConflictError');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: 2 });
      const read = (await unitAs(t, maker.staff, unit.id)).data.unit;
      expect(read.version).toBe(2);
      expect(read.owner.name).toBe(winners[0].owner.name);
      const history = await fullHistory(t, maker.staff, unit.id);
      expect(history.filter((e) => e.type === 'OWNERSHIP_TRANSFERRED')).toHaveLength(1);
    });

    it('two transfers at once over REST: one 200, one 409 VERSION_CONFLICT, one history row', async () => {
      const unit = await register(maker.staff, product.id);
      const results = await Promise.all([
        rest(t, maker.staff).post(`/units/${unit.id}:transfer`, {
          newOwner: { name: 'Owner One' },
          expectedVersion: 1,
        }),
        rest(t, maker.admin).post(`/units/${unit.id}:transfer`, {
          newOwner: { name: 'Owner Two' },
          expectedVersion: 1,
        }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!;
      expect(loser.body).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: 2 });
      const winner = results.find((r) => r.status === 200)!;
      const read = (await unitAs(t, maker.staff, unit.id)).data.unit;
      expect(read).toMatchObject({ version: 2, owner: { name: winner.body.owner.name } });
      expect(
        (await fullHistory(t, maker.staff, unit.id)).filter((e) => e.type === 'OWNERSHIP_TRANSFERRED'),
      ).toHaveLength(1);
    });

    it('five transfers at once with the same expectedVersion: still exactly one succeeds', async () => {
      const unit = await register(maker.staff, product.id);
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => transfer(n % 2 ? maker.staff : maker.admin, unit.id, { name: `Owner ${n}` }, 1)),
      );
      const types = results.map((r) => r.data.transferOwnership.__typename);
      expect(types.filter((x) => x === 'Unit')).toHaveLength(1);
      expect(types.filter((x) => x === 'VersionConflictError')).toHaveLength(4);
      expect((await unitAs(t, maker.staff, unit.id)).data.unit.version).toBe(2);
      expect(
        (await fullHistory(t, maker.staff, unit.id)).filter((e) => e.type === 'OWNERSHIP_TRANSFERRED'),
      ).toHaveLength(1);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('attachServicePlan (docs/rules.md rule 2)', () => {
    let maker: Tenant;
    let retailer: Tenant;
    let product: { id: string };
    let deliveryProduct: { id: string };

    const planOf = async (unitId: string, key = maker.staff) => (await unitAs(t, key, unitId)).data.unit.servicePlans;

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      product = await createProduct(t, maker.staff, { category: 'FRIDGE' }); // 24 months from the purchase date
      deliveryProduct = await createProduct(t, maker.staff, {
        category: 'FRIDGE',
        warrantyTerms: { durationMonths: 12, startsFrom: 'DELIVERY_DATE', coverageTypes: ['PARTS', 'LABOR'] },
      });
    });

    it('a plan starting after a 24-month warranty bought 2024-01-31 starts 2026-01-31 and, for 12 months, ends 2027-01-30 (GraphQL and REST)', async () => {
      const plan = await createPlan(t, maker.staff, {
        durationMonths: 12,
        startsAfterBaseWarranty: true,
        purchaseWindowDays: 30,
      });
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
      });
      const res = await attach(maker.staff, unit.id, plan.id, '2024-02-15');
      expect(res.errors).toBeUndefined();
      const attached = assertSuccess(res.data.attachServicePlan, 'Unit');
      expect(attached.servicePlans).toEqual([
        { plan: { id: plan.id }, purchasedAt: '2024-02-15', startsAt: '2026-01-31', endsAt: '2027-01-30' },
      ]);
      expect(await planOf(unit.id)).toEqual([
        { plan: { id: plan.id }, purchasedAt: '2024-02-15', startsAt: '2026-01-31', endsAt: '2027-01-30' },
      ]);
      const r = await rest(t, maker.readonly).get(`/units/${unit.id}/service-plans`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual([
        { servicePlanId: plan.id, purchasedAt: '2024-02-15', startsAt: '2026-01-31', endsAt: '2027-01-30' },
      ]);
    });

    it('a plan with startsAfterBaseWarranty false starts on its purchase date; months clamp to the month end', async () => {
      const plan = await createPlan(t, maker.staff, { durationMonths: 12, startsAfterBaseWarranty: false });
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
      });
      const attached = assertSuccess(
        (await attach(maker.staff, unit.id, plan.id, '2024-02-10')).data.attachServicePlan,
        'Unit',
      );
      expect(attached.servicePlans).toEqual([
        { plan: { id: plan.id }, purchasedAt: '2024-02-10', startsAt: '2024-02-10', endsAt: '2025-02-09' },
      ]);

      const oneMonth = await createPlan(t, maker.staff, { durationMonths: 1, startsAfterBaseWarranty: false });
      const other = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
      });
      const clamped = assertSuccess(
        (await attach(maker.staff, other.id, oneMonth.id, '2024-01-31')).data.attachServicePlan,
        'Unit',
      );
      // 2024-01-31 + 1 month = 2024-02-29; the period ends the day before
      expect(clamped.servicePlans[0]).toMatchObject({ startsAt: '2024-01-31', endsAt: '2024-02-28' });
    });

    it('with a DELIVERY_DATE warranty the plan starts the day after the base warranty counted from delivery (purchase date when none)', async () => {
      const plan = await createPlan(t, maker.staff, { durationMonths: 24, startsAfterBaseWarranty: true });
      const delivered = await mustRegister(t, maker.staff, {
        productId: deliveryProduct.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-10',
        deliveryDate: '2024-03-25',
      });
      const a = assertSuccess(
        (await attach(maker.staff, delivered.id, plan.id, '2024-03-12')).data.attachServicePlan,
        'Unit',
      );
      expect(a.servicePlans).toEqual([
        { plan: { id: plan.id }, purchasedAt: '2024-03-12', startsAt: '2025-03-25', endsAt: '2027-03-24' },
      ]);
      const undelivered = await mustRegister(t, maker.staff, {
        productId: deliveryProduct.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-03-10',
      });
      const b = assertSuccess(
        (await attach(maker.staff, undelivered.id, plan.id, '2024-03-12')).data.attachServicePlan,
        'Unit',
      );
      expect(b.servicePlans[0]).toMatchObject({ startsAt: '2025-03-10', endsAt: '2027-03-09' });
    });

    it('with a REGISTRATION_DATE warranty the plan starts the day after the base warranty counted from the registration date (UTC)', async () => {
      const registrationProduct = await createProduct(t, maker.staff, {
        category: 'FRIDGE',
        warrantyTerms: { durationMonths: 12, startsFrom: 'REGISTRATION_DATE', coverageTypes: ['PARTS'] },
      });
      const plan = await createPlan(t, maker.staff, { durationMonths: 12, startsAfterBaseWarranty: true });
      const purchaseDate = addDaysUtc(utcToday(), -40);
      const unit = await mustRegister(t, maker.staff, {
        productId: registrationProduct.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
      });
      const registeredOn = new Date(unit.registeredAt).toISOString().slice(0, 10);
      const attached = assertSuccess(
        (await attach(maker.staff, unit.id, plan.id, purchaseDate)).data.attachServicePlan,
        'Unit',
      );
      const startsAt = addMonthsUtc(registeredOn, 12);
      expect(attached.servicePlans).toEqual([
        {
          plan: { id: plan.id },
          purchasedAt: purchaseDate,
          startsAt,
          endsAt: addDaysUtc(addMonthsUtc(startsAt, 12), -1),
        },
      ]);
    });

    it('a plan whose eligibleCategories lack the product category is PLAN_NOT_ELIGIBLE (REST 422); nothing is attached', async () => {
      const plan = await createPlan(t, maker.staff, { eligibleCategories: ['TV', 'LAPTOP'] });
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
      });
      const res = assertErrorResult(
        (await attach(maker.staff, unit.id, plan.id, '2024-02-01')).data.attachServicePlan,
        'PLAN_NOT_ELIGIBLE',
      );
      expect(res.__typename).toBe('GenericError');
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: plan.id,
        purchasedAt: '2024-02-01',
      });
      expect(r.status).toBe(422);
      expect(r.body.errorCode).toBe('PLAN_NOT_ELIGIBLE');
      expect((await unitAs(t, maker.staff, unit.id)).data.unit).toMatchObject({ servicePlans: [], version: 1 });
    });

    it('purchasedAt on day N of an N-day purchase window is accepted; day N+1 is PLAN_NOT_ELIGIBLE naming purchasedAt', async () => {
      const plan = await createPlan(t, maker.staff, { purchaseWindowDays: 29 });
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2025-01-31',
      });
      // 2025-01-31 + 29 days = 2025-03-01
      const late = assertErrorResult(
        (await attach(maker.staff, unit.id, plan.id, '2025-03-02')).data.attachServicePlan,
        'PLAN_NOT_ELIGIBLE',
      );
      expect(late.field).toBe('purchasedAt');
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: plan.id,
        purchasedAt: '2025-03-02',
      });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ errorCode: 'PLAN_NOT_ELIGIBLE', field: 'purchasedAt' });
      expect(await planOf(unit.id)).toEqual([]);
      const onTime = assertSuccess(
        (await attach(maker.staff, unit.id, plan.id, '2025-03-01')).data.attachServicePlan,
        'Unit',
      );
      expect(onTime.servicePlans).toHaveLength(1);

      const sameDayOnly = await createPlan(t, maker.staff, { purchaseWindowDays: 0 });
      const other = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2025-01-31',
      });
      assertErrorResult(
        (await attach(maker.staff, other.id, sameDayOnly.id, '2025-02-01')).data.attachServicePlan,
        'PLAN_NOT_ELIGIBLE',
      );
      assertSuccess((await attach(maker.staff, other.id, sameDayOnly.id, '2025-01-31')).data.attachServicePlan, 'Unit');
    });

    it('purchasedAt before the unit was purchased is refused', async () => {
      const plan = await createPlan(t, maker.staff);
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2025-01-31',
      });
      const res = (await attach(maker.staff, unit.id, plan.id, '2025-01-30')).data.attachServicePlan;
      expect(res.__typename).toBe('GenericError');
      expect(res.field).toBe('purchasedAt');
      expect(await planOf(unit.id)).toEqual([]);
    });

    it('purchasedAt in the future is VALIDATION_ERROR naming purchasedAt (REST 400)', async () => {
      const plan = await createPlan(t, maker.staff);
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: utcToday(),
      });
      const tomorrow = addDaysUtc(utcToday(), 1);
      const res = assertErrorResult(
        (await attach(maker.staff, unit.id, plan.id, tomorrow)).data.attachServicePlan,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('purchasedAt');
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: plan.id,
        purchasedAt: tomorrow,
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'purchasedAt' });
      expect(await planOf(unit.id)).toEqual([]);
      assertSuccess((await attach(maker.staff, unit.id, plan.id, utcToday())).data.attachServicePlan, 'Unit');
    });

    it('an unknown servicePlanId is VALIDATION_ERROR naming servicePlanId', async () => {
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2025-01-31',
      });
      const res = assertErrorResult(
        (await attach(maker.staff, unit.id, '01890000-0000-7000-8000-000000000003', '2025-02-01')).data
          .attachServicePlan,
        'VALIDATION_ERROR',
      );
      expect(res.field).toBe('servicePlanId');
    });

    it('the same plan twice is refused; the unit keeps one attachment and its version', async () => {
      const plan = await createPlan(t, maker.staff);
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2025-01-31',
      });
      const first = assertSuccess(
        (await attach(maker.staff, unit.id, plan.id, '2025-02-01')).data.attachServicePlan,
        'Unit',
      );
      const again = (await attach(maker.staff, unit.id, plan.id, '2025-02-02')).data.attachServicePlan;
      expect(again.__typename).toBe('GenericError');
      expect(again.errorCode).toBe('PLAN_NOT_ELIGIBLE');
      const r = await rest(t, maker.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: plan.id,
        purchasedAt: '2025-02-01',
      });
      expect(r.status).toBe(422);
      const read = (await unitAs(t, maker.staff, unit.id)).data.unit;
      expect(read.servicePlans).toHaveLength(1);
      expect(read.servicePlans[0].purchasedAt).toBe('2025-02-01');
      expect(read.version).toBe(first.version);
      expect(
        (await fullHistory(t, maker.staff, unit.id)).filter((e) => e.type === 'SERVICE_PLAN_ATTACHED'),
      ).toHaveLength(1);
    });

    it('a retailer attaches its own plan over REST to a unit it sold; both plans are listed in attachment order', async () => {
      const makerPlan = await createPlan(t, maker.staff, { durationMonths: 12, startsAfterBaseWarranty: true });
      const storePlan = await createPlan(t, retailer.staff, { durationMonths: 6, startsAfterBaseWarranty: false });
      const unit = await mustRegister(t, retailer.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-06-15',
      });
      const a = await rest(t, retailer.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: storePlan.id,
        purchasedAt: '2024-06-15',
      });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ id: unit.id, version: 2 });
      const b = await rest(t, retailer.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: makerPlan.id,
        purchasedAt: '2024-06-20',
      });
      expect(b.status).toBe(200);
      const listed = await rest(t, retailer.staff).get(`/units/${unit.id}/service-plans`);
      expect(listed.body).toEqual([
        { servicePlanId: storePlan.id, purchasedAt: '2024-06-15', startsAt: '2024-06-15', endsAt: '2024-12-14' },
        { servicePlanId: makerPlan.id, purchasedAt: '2024-06-20', startsAt: '2026-06-15', endsAt: '2027-06-14' },
      ]);
      const viaGraphql = await planOf(unit.id, retailer.readonly);
      expect(viaGraphql.map((p: any) => p.plan.id)).toEqual([storePlan.id, makerPlan.id]);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('history', () => {
    let maker: Tenant;
    let retailer: Tenant;
    let product: { id: string };

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      retailer = await createTenant(t, 'RETAILER');
      product = await createProduct(t, maker.staff);
    });

    it('starts with REGISTERED by the registering organization and lists events oldest first', async () => {
      const unit = await mustRegister(t, retailer.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
        customer: { name: 'Ada' },
      });
      assertSuccess((await transfer(maker.staff, unit.id, { name: 'Grace' }, 1)).data.transferOwnership, 'Unit');
      const plan = await createPlan(t, retailer.staff);
      assertSuccess((await attach(retailer.staff, unit.id, plan.id, '2024-02-01')).data.attachServicePlan, 'Unit');

      const events = await fullHistory(t, maker.readonly, unit.id);
      expect(events.map((e) => e.type)).toEqual(['REGISTERED', 'OWNERSHIP_TRANSFERRED', 'SERVICE_PLAN_ATTACHED']);
      expect(events.map((e) => e.actor)).toEqual([
        { id: retailer.id, kind: 'RETAILER' },
        { id: maker.id, kind: 'MANUFACTURER' },
        { id: retailer.id, kind: 'RETAILER' },
      ]);
      const times = events.map((e) => new Date(e.at).getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(events[0].summary).toContain(unit.serialNumber);

      const r = await rest(t, retailer.readonly).get(`/units/${unit.id}/history`);
      expect(r.status).toBe(200);
      expect(r.body.edges.map((e: any) => e.node.type)).toEqual([
        'REGISTERED',
        'OWNERSHIP_TRANSFERRED',
        'SERVICE_PLAN_ATTACHED',
      ]);
      expect(r.body.edges[0].node.actorOrganizationId).toBe(retailer.id);
    });

    it('a unit registered by its manufacturer has that manufacturer as the REGISTERED actor', async () => {
      const unit = await mustRegister(t, maker.admin, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
      });
      const events = await fullHistory(t, PLATFORM_KEY, unit.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'REGISTERED', actor: { id: maker.id, kind: 'MANUFACTURER' } });
    });

    it('paginates with first/after over GraphQL and REST, every event exactly once in order', async () => {
      const unit = await mustRegister(t, maker.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2024-01-31',
      });
      for (let v = 1; v <= 4; v++)
        assertSuccess((await transfer(maker.staff, unit.id, { name: `Owner ${v}` }, v)).data.transferOwnership, 'Unit');
      const expected = ['REGISTERED', ...Array(4).fill('OWNERSHIP_TRANSFERRED')];
      const all = await fullHistory(t, maker.staff, unit.id);
      expect(all.map((e) => e.type)).toEqual(expected);

      const gqlPages: any[][] = [];
      let after: string | null = null;
      do {
        const res: any = await gql(t, maker.staff, UNIT_HISTORY_QUERY, { id: unit.id, first: 2, after });
        expect(res.errors).toBeUndefined();
        const conn = res.data.unit.history;
        gqlPages.push(conn.edges.map((e: any) => e.node));
        after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      } while (after);
      expect(gqlPages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(gqlPages.flat()).toEqual(all);

      const restPages: any[][] = [];
      after = null;
      do {
        const r: any = await rest(t, maker.staff).get(
          `/units/${unit.id}/history?first=3${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        expect(r.status).toBe(200);
        restPages.push(r.body.edges.map((e: any) => e.node));
        after = r.body.pageInfo.hasNextPage ? r.body.pageInfo.endCursor : null;
      } while (after);
      expect(restPages.map((p) => p.length)).toEqual([3, 2]);
      expect(restPages.flat().map((e) => e.summary)).toEqual(all.map((e) => e.summary));
      expect(new Set(restPages.flat().map((e) => e.id)).size).toBe(5);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('Idempotency-Key on registerUnit', () => {
    let maker: Tenant;
    let product: { id: string };

    beforeAll(async () => {
      maker = await createTenant(t, 'MANUFACTURER');
      product = await createProduct(t, maker.staff);
    });

    it('GraphQL: the same key and body replay the same unit (Idempotent-Replayed: true) and only one unit exists', async () => {
      const key = `gql-${uniqueSerial()}`;
      const input = { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' };
      const first = await registerUnitRaw(t, maker.staff, input, { 'Idempotency-Key': key });
      const unit = assertSuccess(first.data.registerUnit, 'Unit');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await registerUnitRaw(t, maker.staff, input, { 'Idempotency-Key': key });
      expect(second.status).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(assertSuccess(second.data.registerUnit, 'Unit').id).toBe(unit.id);
      expect((await unitsWithSerial(input.serialNumber)).map((u) => u.id)).toEqual([unit.id]);
    });

    it('GraphQL: the same key with another body is refused with CONFLICT and creates nothing', async () => {
      const key = `gql-${uniqueSerial()}`;
      const input = { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' };
      assertSuccess(
        (await registerUnitRaw(t, maker.staff, input, { 'Idempotency-Key': key })).data.registerUnit,
        'Unit',
      );
      const other = { ...input, serialNumber: uniqueSerial() };
      const res = await registerUnitRaw(t, maker.staff, other, { 'Idempotency-Key': key });
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.data?.registerUnit ?? null).toBeNull();
      expect(await unitsWithSerial(other.serialNumber)).toEqual([]);
    });

    it('REST: the same key and body replay the same unit with Idempotent-Replayed: true; another body is 422', async () => {
      const key = `rest-${uniqueSerial()}`;
      const body = { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' };
      const first = await rest(t, maker.staff).post('/units', body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await rest(t, maker.staff).post('/units', body).set('Idempotency-Key', key);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      expect((await unitsWithSerial(body.serialNumber)).map((u) => u.id)).toEqual([first.body.id]);

      const otherBody = { ...body, serialNumber: uniqueSerial() };
      const refused = await rest(t, maker.staff).post('/units', otherBody).set('Idempotency-Key', key);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('CONFLICT');
      expect(await unitsWithSerial(otherBody.serialNumber)).toEqual([]);
    });

    it('the same key and body sent twice at once create one unit only', async () => {
      const key = `race-${uniqueSerial()}`;
      const body = { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' };
      const results = await Promise.all([
        rest(t, maker.staff).post('/units', body).set('Idempotency-Key', key),
        rest(t, maker.staff).post('/units', body).set('Idempotency-Key', key),
      ]);
      const created = results.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const r of results) {
        expect(r.status).toBeLessThan(500);
        if (r.status === 201) expect(r.body.id).toBe(created[0].body.id);
        else expect(r.body.code).toBe('CONFLICT');
      }
      expect((await unitsWithSerial(body.serialNumber)).map((u) => u.id)).toEqual([created[0].body.id]);
    });

    it('another API key may reuse the same key string: its request runs on its own', async () => {
      const key = `shared-${uniqueSerial()}`;
      const a = await rest(t, maker.staff)
        .post('/units', { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' })
        .set('Idempotency-Key', key);
      expect(a.status).toBe(201);
      const b = await rest(t, maker.admin)
        .post('/units', { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' })
        .set('Idempotency-Key', key);
      expect(b.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.body.id).not.toBe(a.body.id);
      const viaGraphql = await registerUnitRaw(
        t,
        maker.admin,
        { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' },
        { 'Idempotency-Key': `g-${key}` },
      );
      const otherKey = await registerUnitRaw(
        t,
        maker.staff,
        { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2024-01-31' },
        { 'Idempotency-Key': `g-${key}` },
      );
      expect(otherKey.headers['idempotent-replayed']).toBeUndefined();
      expect(assertSuccess(otherKey.data.registerUnit, 'Unit').id).not.toBe(
        assertSuccess(viaGraphql.data.registerUnit, 'Unit').id,
      );
    });
  });
});
