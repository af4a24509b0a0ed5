import {
  assertSuccess,
  createProduct,
  createTenant,
  gql,
  registerUnit,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CHECK_FIELDS = `serialNumber covered asOf reasons coveredUntil
  coverages { source name startsAt endsAt coverageTypes remainingClaims deductible { amount currency } }
  unit { id serialNumber owner { name email } }`;
const COVERAGE = `query($query: CoverageQuery!) { warrantyCoverage(query: $query) { ${CHECK_FIELDS} } }`;
const COVERAGES = `query($queries: [CoverageQuery!]!) { warrantyCoverages(queries: $queries) { ${CHECK_FIELDS} } }`;

describe('warranty coverage checks (warrantyCoverage, warrantyCoverages, GET /coverage, POST /coverage:batch)', () => {
  let t: TestApp;
  let maker: Tenant;
  let otherMaker: Tenant;
  let seller: Tenant;
  let stranger: Tenant;
  let center: Tenant;
  let fridge: { id: string; sku: string };
  let serial: string;
  let planId: string;

  beforeAll(async () => {
    // no background rounds: the query-count test counts only the requests' own queries
    // keys stay cached for the whole file, so that counting a check's queries never counts a key lookup
    t = await startTestApp({ JOBS_POLL_MS: '0', AUTH_CACHE_SECONDS: '300' });
    maker = await createTenant(t, 'MANUFACTURER');
    otherMaker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    stranger = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    fridge = await createProduct(t, maker.staff, {
      category: 'FRIDGE',
      warrantyTerms: {
        durationMonths: 24,
        startsFrom: 'PURCHASE_DATE',
        coverageTypes: ['PARTS', 'LABOR'],
        excludedFailures: ['COSMETIC'],
        maxClaims: 3,
      },
    });
    const plan = await gql(
      t,
      seller.staff,
      `mutation($input: CreateServicePlanInput!) { createServicePlan(input: $input) { id } }`,
      {
        input: {
          name: 'Care 3y',
          durationMonths: 36,
          startsAfterBaseWarranty: true,
          coverageTypes: ['PARTS', 'LABOR', 'ACCIDENTAL_DAMAGE'],
          eligibleCategories: ['FRIDGE'],
          purchaseWindowDays: 60,
          deductible: { amount: '49.00', currency: 'USD' },
          price: { amount: '149.00', currency: 'USD' },
        },
      },
    );
    planId = plan.data.createServicePlan.id;
    serial = uniqueSerial();
    const unit = assertSuccess(
      await registerUnit(t, seller.staff, {
        productId: fridge.id,
        manufacturerId: maker.id,
        serialNumber: serial,
        purchaseDate: '2024-01-31',
        customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
      }),
      'Unit',
    );
    const attached = await gql(
      t,
      seller.staff,
      `mutation($input: AttachServicePlanInput!) { attachServicePlan(input: $input) { __typename } }`,
      {
        input: { unitId: unit.id, servicePlanId: planId, purchasedAt: '2024-02-15' },
      },
    );
    expect(attached.data.attachServicePlan.__typename).toBe('Unit');
  });
  afterAll(async () => {
    await t.close();
  });

  const check = async (key: string, query: Record<string, unknown>) => {
    const res = await gql(t, key, COVERAGE, { query });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.warrantyCoverage;
  };

  it('a unit on the last day of its 24-month warranty (bought 31 January) is covered by the base warranty first, with claims left', async () => {
    const answer = await check(maker.staff, {
      serialNumber: serial,
      asOf: '2026-01-30',
      failureCategory: 'ELECTRICAL',
    });
    expect(answer).toMatchObject({ covered: true, asOf: '2026-01-30', reasons: [], coveredUntil: '2029-01-30' });
    expect(answer.coverages.map((c: { source: string }) => c.source)).toEqual(['BASE_WARRANTY']);
    expect(answer.coverages[0]).toMatchObject({
      startsAt: '2024-01-31',
      endsAt: '2026-01-30',
      remainingClaims: 3,
      deductible: null,
    });
  });

  it('the day after the base warranty ends, the service plan covers, with its deductible', async () => {
    const answer = await check(maker.staff, {
      serialNumber: serial,
      asOf: '2026-01-31',
      failureCategory: 'ELECTRICAL',
    });
    expect(answer.covered).toBe(true);
    expect(answer.coverages).toEqual([
      expect.objectContaining({
        source: 'SERVICE_PLAN',
        name: 'Care 3y',
        startsAt: '2026-01-31',
        endsAt: '2029-01-30',
        deductible: { amount: '49.00', currency: 'USD' },
      }),
    ]);
  });

  it('is not covered before purchase (NOT_YET_STARTED) or after every coverage (EXPIRED)', async () => {
    expect(await check(maker.staff, { serialNumber: serial, asOf: '2024-01-30' })).toMatchObject({
      covered: false,
      reasons: ['NOT_YET_STARTED'],
      coverages: [],
    });
    expect(await check(maker.staff, { serialNumber: serial, asOf: '2029-01-31' })).toMatchObject({
      covered: false,
      reasons: ['EXPIRED'],
    });
  });

  it('an excluded failure is FAILURE_EXCLUDED, and accidental damage is covered by the accident plan only', async () => {
    const cosmetic = await check(maker.staff, {
      serialNumber: serial,
      asOf: '2025-01-01',
      failureCategory: 'COSMETIC',
    });
    expect(cosmetic).toMatchObject({ covered: false });
    expect(cosmetic.reasons).toEqual(['NOT_YET_STARTED', 'FAILURE_EXCLUDED']);
    const accident = await check(maker.staff, {
      serialNumber: serial,
      asOf: '2025-01-01',
      failureCategory: 'ACCIDENTAL_DAMAGE',
    });
    expect(accident.covered).toBe(false);
    expect(
      (await check(maker.staff, { serialNumber: serial, asOf: '2027-01-01', failureCategory: 'LIQUID_DAMAGE' }))
        .covered,
    ).toBe(true);
  });

  it('the manufacturer and the selling retailer see the unit and its owner; a stranger and a service center get the answer without them', async () => {
    for (const key of [maker.readonly, seller.readonly]) {
      const answer = await check(key, { serialNumber: serial, manufacturerId: maker.id, asOf: '2025-06-01' });
      expect(answer.unit).toMatchObject({
        serialNumber: serial,
        owner: { name: 'Ada Lovelace', email: 'ada@example.com' },
      });
    }
    for (const key of [stranger.readonly, center.readonly, otherMaker.readonly]) {
      const answer = await check(key, { serialNumber: serial, manufacturerId: maker.id, asOf: '2025-06-01' });
      expect(answer).toMatchObject({ covered: true, unit: null, coveredUntil: '2029-01-30' });
    }
    const res = await rest(t, stranger.readonly).get(`/coverage?serialNumber=${serial}&asOf=2025-06-01`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ serialNumber: serial, covered: true, unit: null });
    expect(JSON.stringify(res.body)).not.toContain('Ada');
  });

  it('an unknown serial answers UNIT_NOT_FOUND, not an error', async () => {
    expect(await check(stranger.readonly, { serialNumber: 'NO-SUCH-SERIAL' })).toMatchObject({
      covered: false,
      reasons: ['UNIT_NOT_FOUND'],
      unit: null,
      coverages: [],
      coveredUntil: null,
    });
  });

  it('a serial used by two manufacturers needs manufacturerId from anyone but a manufacturer, who is taken to mean its own', async () => {
    const other = await createProduct(t, otherMaker.staff);
    assertSuccess(
      await registerUnit(t, otherMaker.staff, {
        productId: other.id,
        serialNumber: serial,
        purchaseDate: '2020-01-01',
      }),
      'Unit',
    );
    const ambiguous = await gql(t, stranger.readonly, COVERAGE, { query: { serialNumber: serial } });
    expect(ambiguous.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'manufacturerId' });
    const restAmbiguous = await rest(t, stranger.readonly).get(`/coverage?serialNumber=${serial}`);
    expect(restAmbiguous.status).toBe(400);
    expect(restAmbiguous.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'manufacturerId' });
    expect((await check(otherMaker.readonly, { serialNumber: serial, asOf: '2025-06-01' })).covered).toBe(false);
    expect((await check(maker.readonly, { serialNumber: serial, asOf: '2025-06-01' })).covered).toBe(true);
  });

  it('a batch answers every check in order, unknown serials included, over GraphQL and REST', async () => {
    const queries = [
      { serialNumber: serial, manufacturerId: maker.id, asOf: '2025-06-01' },
      { serialNumber: 'UNKNOWN-1' },
      { serialNumber: serial, manufacturerId: maker.id, asOf: '2030-01-01' },
    ];
    const res = await gql(t, stranger.readonly, COVERAGES, { queries });
    expect(res.errors).toBeUndefined();
    expect(
      res.data.warrantyCoverages.map((a: { covered: boolean; reasons: string[] }) => [a.covered, a.reasons]),
    ).toEqual([
      [true, []],
      [false, ['UNIT_NOT_FOUND']],
      [false, ['EXPIRED']],
    ]);
    const restRes = await rest(t, stranger.readonly).post('/coverage:batch', { queries });
    expect(restRes.status).toBe(200);
    expect(restRes.body.map((a: { covered: boolean }) => a.covered)).toEqual([true, false, false]);
  });

  it('a batch of 500 is answered; 501 is a clear error naming queries', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      serialNumber: i % 2 ? serial : `MISSING-${i}`,
      manufacturerId: maker.id,
      asOf: '2025-06-01',
    }));
    const ok = await gql(t, seller.readonly, COVERAGES, { queries: many });
    expect(ok.errors).toBeUndefined();
    expect(ok.data.warrantyCoverages).toHaveLength(500);
    expect(ok.data.warrantyCoverages[1].covered).toBe(true);
    const tooMany = [...many, { serialNumber: serial }];
    const refused = await gql(t, seller.readonly, COVERAGES, { queries: tooMany });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'queries' });
    const restRefused = await rest(t, seller.readonly).post('/coverage:batch', { queries: tooMany });
    expect(restRefused.status).toBe(400);
    expect(restRefused.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'queries' });
  });

  it('bad input names the field; no key is UNAUTHENTICATED', async () => {
    const badCategory = await rest(t, seller.readonly).get(`/coverage?serialNumber=${serial}&failureCategory=FIRE`);
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.field).toBe('failureCategory');
    const badDate = await rest(t, seller.readonly).get(`/coverage?serialNumber=${serial}&asOf=2025-02-30`);
    expect(badDate.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    const missing = await rest(t, seller.readonly).get('/coverage');
    expect(missing.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'serialNumber' });
    const blankInBatch = await rest(t, seller.readonly).post('/coverage:batch', {
      queries: [{ serialNumber: serial }, { serialNumber: ' ' }],
    });
    expect(blankInBatch.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'queries.1.serialNumber' });
    expect((await rest(t, null).get(`/coverage?serialNumber=${serial}`)).status).toBe(401);
    expect((await gql(t, null, COVERAGE, { query: { serialNumber: serial } })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('a batch loads its facts in the same number of queries for 1 unit as for 60 (no N+1)', async () => {
    const { DataSource } = await import('typeorm');
    const dataSource = t.app.get(DataSource);
    const serials = [];
    for (let i = 0; i < 60; i++) {
      const s = uniqueSerial();
      assertSuccess(
        await registerUnit(t, seller.staff, {
          productId: fridge.id,
          manufacturerId: maker.id,
          serialNumber: s,
          purchaseDate: '2025-01-01',
        }),
        'Unit',
      );
      serials.push(s);
    }
    const original = dataSource.logger.logQuery.bind(dataSource.logger);
    let count = 0;
    dataSource.logger.logQuery = (...args: Parameters<typeof original>) => {
      count++;
      return original(...args);
    };
    try {
      const queriesFor = async (batch: string[]) => {
        count = 0;
        const res = await gql(t, maker.readonly, COVERAGES, {
          queries: batch.map((serialNumber) => ({ serialNumber, asOf: '2025-06-01' })),
        });
        expect(res.errors).toBeUndefined();
        return count;
      };
      await queriesFor(serials.slice(0, 1)); // the key is looked up once, then cached
      const one = await queriesFor(serials.slice(0, 1));
      const sixty = await queriesFor(serials);
      expect(one).toBeGreaterThanOrEqual(1); // one query for every unit's facts (the API key lookup is cached)
      expect(sixty).toBe(one);
    } finally {
      dataSource.logger.logQuery = original;
    }
  });

  it('a unit that is no longer ACTIVE is not covered (UNIT_NOT_ACTIVE)', async () => {
    const { DataSource } = await import('typeorm');
    const soldSerial = uniqueSerial();
    assertSuccess(
      await registerUnit(t, maker.staff, {
        productId: fridge.id,
        serialNumber: soldSerial,
        purchaseDate: '2025-01-01',
      }),
      'Unit',
    );
    // no module moves a unit out of ACTIVE yet (returns and upgrades do): set it as they will
    await t.app.get(DataSource).query(`UPDATE units SET status = 'RETURNED' WHERE serial_number = $1`, [soldSerial]);
    expect(await check(maker.readonly, { serialNumber: soldSerial, asOf: '2025-06-01' })).toMatchObject({
      covered: false,
      reasons: ['UNIT_NOT_ACTIVE'],
      coverages: [],
    });
  });
});
