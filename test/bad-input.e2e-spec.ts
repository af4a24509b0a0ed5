import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import {
  bad400,
  G,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type OpSpec,
} from './support/bad-input-table.js';
import { existingTables, longText, sqlQuery, tableCounts, utcDate, WRITTEN_TABLES } from './support/input-helpers.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Malformed input, over GraphQL (variables) and REST (JSON bodies). docs/rules.md, "Always": bad input
 * is a clear error naming the field, and nothing is stored. README, "Errors": GraphQL answers
 * extensions.code BAD_USER_INPUT (or a GenericError union member), REST answers problem+json with
 * `code` and `field` (400 invalid input, 422 refused by a rule, 413 too large, 415 wrong type).
 */

interface Fixtures {
  maker: Tenant;
  product: { id: string; sku: string };
  unit: { id: string };
  plan: { id: string };
}

type OpName =
  | 'registerUnit'
  | 'createProduct'
  | 'createServicePlan'
  | 'createOrganization'
  | 'createApiKey'
  | 'transferOwnership'
  | 'attachServicePlan';

const UNIT_RESULT = `{ __typename ... on Unit { id serialNumber } ... on GenericError { errorCode message field } }`;

let counter = 0;
const PURCHASE_DATE = utcDate(-60);

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  registerUnit: {
    mutation: `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) ${UNIT_RESULT} }`,
    key: (f) => f.maker.staff,
    valid: (f) => ({
      productId: f.product.id,
      serialNumber: uniqueSerial(),
      purchaseDate: PURCHASE_DATE,
      deliveryDate: utcDate(-55),
      purchasePrice: { amount: '169.99', currency: 'USD' },
      proofOfPurchaseRef: 'RCPT-88412',
      customer: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        birthDate: '1990-05-17',
        marketingConsent: false,
      },
    }),
    rest: (input) => ({ path: '/units', body: input }),
    restStatus: 201,
  },
  createProduct: {
    mutation: `mutation($input: CreateProductInput!) { createProduct(input: $input) { id name } }`,
    key: (f) => f.maker.staff,
    valid: () => ({
      sku: `BAD-INPUT-${++counter}`,
      name: 'Northwind 500L Fridge',
      category: 'FRIDGE',
      warrantyTerms: {
        durationMonths: 24,
        startsFrom: 'PURCHASE_DATE',
        coverageTypes: ['PARTS', 'LABOR'],
        excludedFailures: ['COSMETIC'],
        registrationRequiredWithinDays: 90,
      },
    }),
    rest: (input) => ({ path: '/products', body: input }),
    restStatus: 201,
  },
  createServicePlan: {
    mutation: `mutation($input: CreateServicePlanInput!) { createServicePlan(input: $input) { id name } }`,
    key: (f) => f.maker.staff,
    valid: () => ({
      name: `Care+ ${++counter}`,
      durationMonths: 12,
      startsAfterBaseWarranty: true,
      coverageTypes: ['PARTS', 'LABOR'],
      eligibleCategories: ['FRIDGE'],
      purchaseWindowDays: 365,
      maxClaims: 2,
      deductible: { amount: '25.00', currency: 'USD' },
      price: { amount: '99.00', currency: 'USD' },
    }),
    rest: (input) => ({ path: '/service-plans', body: input }),
    restStatus: 201,
  },
  createOrganization: {
    mutation: `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`,
    key: () => PLATFORM_KEY,
    valid: () => ({
      name: `Fixit ${++counter}`,
      kind: 'SERVICE_CENTER',
      laborRate: { amount: '90.00', currency: 'USD' },
      turnaroundDays: 5,
    }),
    rest: (input) => ({ path: '/organizations', body: input }),
    restStatus: 201,
  },
  createApiKey: {
    mutation: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
    key: (f) => f.maker.admin,
    valid: (f) => ({
      organizationId: f.maker.id,
      name: 'POS integration',
      role: 'STAFF',
      expiresAt: `${utcDate(30)}T00:00:00.000Z`,
    }),
    rest: (input) => ({ path: '/api-keys', body: input }),
    restStatus: 201,
  },
  transferOwnership: {
    mutation: `mutation($input: TransferOwnershipInput!) { transferOwnership(input: $input) ${UNIT_RESULT} }`,
    key: (f) => f.maker.staff,
    valid: (f) => ({ unitId: f.unit.id, newOwner: { name: 'Grace Hopper', email: 'grace@example.com' } }),
    rest: ({ unitId, ...body }) => ({ path: `/units/${unitId}:transfer`, body }),
    restStatus: 200,
  },
  attachServicePlan: {
    mutation: `mutation($input: AttachServicePlanInput!) { attachServicePlan(input: $input) ${UNIT_RESULT} }`,
    key: (f) => f.maker.staff,
    valid: (f) => ({ unitId: f.unit.id, servicePlanId: f.plan.id, purchasedAt: utcDate(-30) }),
    rest: ({ unitId, ...body }) => ({ path: `/units/${unitId}:attachServicePlan`, body }),
    restStatus: 200,
  },
};

const SQL = "'; DROP TABLE units; --";
const SCRIPT = '<script>alert(1)</script>';
const tomorrow = utcDate(1);

const CASES: BadCase<OpName>[] = [
  // registerUnit
  G('registerUnit', 'purchaseDate', '2026-02-30', mentioned('purchaseDate'), 'purchaseDate "2026-02-30" (no such day)'),
  G('registerUnit', 'purchaseDate', '22/11/2026', mentioned('purchaseDate')),
  G('registerUnit', 'purchaseDate', 20260115, mentioned('purchaseDate'), 'purchaseDate as a number'),
  G(
    'registerUnit',
    'purchaseDate',
    tomorrow,
    { result: 'PURCHASE_DATE_IN_FUTURE', field: 'purchaseDate' },
    'a purchaseDate in the future',
  ),
  G(
    'registerUnit',
    'deliveryDate',
    utcDate(-90),
    { result: 'VALIDATION_ERROR', field: 'deliveryDate' },
    'a deliveryDate before the purchaseDate',
  ),
  G('registerUnit', 'serialNumber', 12345, mentioned('serialNumber'), 'serialNumber as a number'),
  G('registerUnit', 'serialNumber', longText(), refused('serialNumber')),
  G(
    'registerUnit',
    'customer',
    [{ name: 'Ada Lovelace' }],
    mentioned('customer'),
    'customer as an array instead of an object',
  ),
  G('registerUnit', 'customer.email', 'not-an-email', refused('customer.email')),
  G(
    'registerUnit',
    'customer.birthDate',
    tomorrow,
    { result: 'VALIDATION_ERROR', field: 'customer.birthDate' },
    'a customer birthDate in the future',
  ),
  G('registerUnit', 'purchasePrice.amount', 169.99, mentioned('amount'), 'purchasePrice.amount as a JSON float 169.99'),
  G('registerUnit', 'purchasePrice.amount', '-169.99', refused('purchasePrice.amount')),
  G('registerUnit', 'purchasePrice.amount', -5, refused('purchasePrice.amount'), 'a negative integer amount'),
  G('registerUnit', 'purchasePrice.currency', 'XYZ', refused('purchasePrice.currency')),
  G('registerUnit', 'purchasePrice.currency', 'usd', refused('purchasePrice.currency')),
  G('registerUnit', 'color', 'red', mentioned('color'), 'an unknown field "color"'),
  G('registerUnit', 'customer.shoeSize', 42, mentioned('shoeSize'), 'an unknown nested field "customer.shoeSize"'),
  R('registerUnit', 'purchaseDate', '2026-02-30', bad400('purchaseDate'), 'purchaseDate "2026-02-30" (no such day)'),
  R('registerUnit', 'purchaseDate', '22/11/2026', bad400('purchaseDate')),
  R('registerUnit', 'purchaseDate', 20260115, bad400('purchaseDate'), 'purchaseDate as a number'),
  R(
    'registerUnit',
    'purchaseDate',
    tomorrow,
    { status: 422, errorCode: 'PURCHASE_DATE_IN_FUTURE', field: 'purchaseDate' },
    'a purchaseDate in the future',
  ),
  R('registerUnit', 'serialNumber', 12345, bad400('serialNumber'), 'serialNumber as a number'),
  R('registerUnit', 'customer.name', longText(), bad400('customer.name')),
  R(
    'registerUnit',
    'customer',
    [{ name: 'Ada Lovelace' }],
    bad400('customer'),
    'customer as an array instead of an object',
  ),
  R(
    'registerUnit',
    'purchasePrice',
    [{ amount: '169.99', currency: 'USD' }],
    bad400('purchasePrice'),
    'purchasePrice as an array instead of an object',
  ),
  R('registerUnit', 'customer.email', 'not-an-email', bad400('customer.email')),
  R(
    'registerUnit',
    'purchasePrice.amount',
    169.99,
    bad400('purchasePrice.amount'),
    'purchasePrice.amount as a JSON float 169.99',
  ),
  R('registerUnit', 'purchasePrice.amount', '-169.99', bad400('purchasePrice.amount')),
  R('registerUnit', 'purchasePrice.currency', 'XYZ', bad400('purchasePrice.currency')),
  R('registerUnit', 'purchasePrice.currency', 'usd', bad400('purchasePrice.currency')),
  R('registerUnit', 'color', 'red', bad400('color'), 'an unknown field "color"'),
  R(
    'registerUnit',
    'customer.shoeSize',
    42,
    bad400('customer.shoeSize'),
    'an unknown nested field "customer.shoeSize"',
  ),
  R('registerUnit', 'productId', SQL, bad400('productId'), 'a productId made of SQL'),

  // createProduct
  G(
    'createProduct',
    'warrantyTerms.durationMonths',
    '24',
    mentioned('durationMonths'),
    'durationMonths as a string "24"',
  ),
  G('createProduct', 'warrantyTerms.durationMonths', -1, refused('warrantyTerms.durationMonths')),
  G('createProduct', 'warrantyTerms.durationMonths', 601, refused('warrantyTerms.durationMonths')),
  G('createProduct', 'warrantyTerms.durationMonths', 24.5, mentioned('durationMonths')),
  G('createProduct', 'warrantyTerms.coverageTypes', [], refused('warrantyTerms.coverageTypes'), 'empty coverageTypes'),
  G(
    'createProduct',
    'warrantyTerms.coverageTypes',
    ['GOLD'],
    mentioned('coverageTypes'),
    'an unknown coverage type "GOLD"',
  ),
  G(
    'createProduct',
    'warrantyTerms.startsFrom',
    'WHENEVER',
    mentioned('startsFrom'),
    'an unknown startsFrom "WHENEVER"',
  ),
  G(
    'createProduct',
    'warrantyTerms',
    [{ durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] }],
    mentioned('warrantyTerms'),
    'warrantyTerms as an array instead of an object',
  ),
  G('createProduct', 'name', longText(), refused('name')),
  G(
    'createProduct',
    'warrantyTerms.lifetime',
    true,
    mentioned('lifetime'),
    'an unknown nested field "warrantyTerms.lifetime"',
  ),
  R(
    'createProduct',
    'warrantyTerms.durationMonths',
    '24',
    bad400('warrantyTerms.durationMonths'),
    'durationMonths as a string "24"',
  ),
  R('createProduct', 'warrantyTerms.durationMonths', -1, bad400('warrantyTerms.durationMonths')),
  R('createProduct', 'warrantyTerms.durationMonths', 601, bad400('warrantyTerms.durationMonths')),
  R('createProduct', 'warrantyTerms.durationMonths', 24.5, bad400('warrantyTerms.durationMonths')),
  R('createProduct', 'warrantyTerms.coverageTypes', [], bad400('warrantyTerms.coverageTypes'), 'empty coverageTypes'),
  R(
    'createProduct',
    'warrantyTerms.coverageTypes',
    ['GOLD'],
    bad400('warrantyTerms.coverageTypes'),
    'an unknown coverage type "GOLD"',
  ),
  R('createProduct', 'warrantyTerms.startsFrom', 'WHENEVER', bad400('warrantyTerms.startsFrom')),
  R(
    'createProduct',
    'warrantyTerms',
    [{ durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] }],
    bad400('warrantyTerms'),
    'warrantyTerms as an array instead of an object',
  ),
  R(
    'createProduct',
    'warrantyTerms.registrationRequiredWithinDays',
    0,
    bad400('warrantyTerms.registrationRequiredWithinDays'),
  ),
  R('createProduct', 'name', longText(), bad400('name')),
  R('createProduct', 'sku', 'NW\u0000500', bad400('sku'), 'a sku with a NUL character'),
  R(
    'createProduct',
    'warrantyTerms.lifetime',
    true,
    bad400('warrantyTerms.lifetime'),
    'an unknown nested field "warrantyTerms.lifetime"',
  ),

  // createServicePlan
  G('createServicePlan', 'durationMonths', 0, refused('durationMonths')),
  G('createServicePlan', 'durationMonths', -12, refused('durationMonths')),
  G('createServicePlan', 'durationMonths', 601, refused('durationMonths')),
  G('createServicePlan', 'eligibleCategories', [], refused('eligibleCategories'), 'empty eligibleCategories'),
  G('createServicePlan', 'coverageTypes', [], refused('coverageTypes'), 'empty coverageTypes'),
  G(
    'createServicePlan',
    'excludedFailures',
    ['EARTHQUAKE'],
    mentioned('excludedFailures'),
    'an unknown failure category "EARTHQUAKE"',
  ),
  G('createServicePlan', 'price.amount', 99.5, mentioned('amount'), 'price.amount as a JSON float 99.5'),
  G('createServicePlan', 'price.currency', 'usd', refused('price.currency')),
  G(
    'createServicePlan',
    'deductible',
    { amount: '25.00', currency: 'EUR' },
    refused('deductible.currency'),
    'a deductible in another currency than the price',
  ),
  G(
    'createServicePlan',
    'purchaseWindowDays',
    '30',
    mentioned('purchaseWindowDays'),
    'purchaseWindowDays as a string "30"',
  ),
  R('createServicePlan', 'durationMonths', 0, bad400('durationMonths')),
  R('createServicePlan', 'durationMonths', 601, bad400('durationMonths')),
  R('createServicePlan', 'startsAfterBaseWarranty', 'yes', bad400('startsAfterBaseWarranty')),
  R(
    'createServicePlan',
    'price',
    [{ amount: '99.00', currency: 'USD' }],
    bad400('price'),
    'price as an array instead of an object',
  ),
  R('createServicePlan', 'price.amount', '1e5', bad400('price.amount')),
  R('createServicePlan', 'price.currency', 'XYZ', bad400('price.currency')),
  R('createServicePlan', 'deductible.amount', '-5.00', bad400('deductible.amount')),
  R('createServicePlan', 'maxClaims', 1.5, bad400('maxClaims')),
  R('createServicePlan', 'name', longText(), bad400('name')),
  R('createServicePlan', 'discount', '10%', bad400('discount'), 'an unknown field "discount"'),

  // createOrganization
  G('createOrganization', 'kind', 'BANK', mentioned('kind'), 'an unknown kind "BANK"'),
  G('createOrganization', 'name', longText(), refused('name')),
  G('createOrganization', 'turnaroundDays', 0, refused('turnaroundDays')),
  G('createOrganization', 'turnaroundDays', '5', mentioned('turnaroundDays'), 'turnaroundDays as a string "5"'),
  G('createOrganization', 'laborRate.currency', 'XYZ', refused('laborRate.currency')),
  G('createOrganization', 'laborRate.amount', 90.5, mentioned('amount'), 'laborRate.amount as a JSON float 90.5'),
  G('createOrganization', 'kind', 'RETAILER', refused('laborRate'), 'a laborRate on a RETAILER'),
  R('createOrganization', 'kind', 'BANK', bad400('kind'), 'an unknown kind "BANK"'),
  R('createOrganization', 'name', longText(), bad400('name')),
  R(
    'createOrganization',
    'laborRate.amount',
    90.5,
    bad400('laborRate.amount'),
    'laborRate.amount as a JSON float 90.5',
  ),
  R(
    'createOrganization',
    'laborRate',
    [{ amount: '90.00', currency: 'USD' }],
    bad400('laborRate'),
    'laborRate as an array instead of an object',
  ),
  R('createOrganization', 'turnaroundDays', 'five', bad400('turnaroundDays')),
  R('createOrganization', 'turnaroundDays', 366, bad400('turnaroundDays')),
  R('createOrganization', 'vatNumber', 'GB123', bad400('vatNumber'), 'an unknown field "vatNumber"'),

  // createApiKey
  G('createApiKey', 'role', 'GOD', mentioned('role'), 'an unknown role "GOD"'),
  G('createApiKey', 'organizationId', 'not-a-uuid', refused('organizationId')),
  G('createApiKey', 'expiresAt', '22/11/2026', refused('expiresAt')),
  G('createApiKey', 'expiresAt', `${utcDate(-1)}T00:00:00.000Z`, refused('expiresAt'), 'an expiresAt in the past'),
  G('createApiKey', 'name', longText(), refused('name')),
  R('createApiKey', 'role', 'GOD', bad400('role'), 'an unknown role "GOD"'),
  R('createApiKey', 'expiresAt', '22/11/2026', bad400('expiresAt')),
  R('createApiKey', 'expiresAt', 12345, bad400('expiresAt'), 'expiresAt as a number'),
  R('createApiKey', 'name', longText(), bad400('name')),
  R('createApiKey', 'scopes', ['*'], bad400('scopes'), 'an unknown field "scopes"'),

  // transferOwnership
  G('transferOwnership', 'newOwner.email', 'grace@', refused('newOwner.email')),
  G(
    'transferOwnership',
    'newOwner.birthDate',
    '2026-02-30',
    mentioned('birthDate'),
    'newOwner.birthDate "2026-02-30" (no such day)',
  ),
  G(
    'transferOwnership',
    'newOwner.birthDate',
    tomorrow,
    { result: 'VALIDATION_ERROR', field: 'newOwner.birthDate' },
    'a newOwner birthDate in the future',
  ),
  G('transferOwnership', 'expectedVersion', '1', mentioned('expectedVersion'), 'expectedVersion as a string "1"'),
  G('transferOwnership', 'expectedVersion', 0, refused('expectedVersion')),
  G(
    'transferOwnership',
    'newOwner',
    [{ name: 'Grace Hopper' }],
    mentioned('newOwner'),
    'newOwner as an array instead of an object',
  ),
  G('transferOwnership', 'newOwner.name', longText(), refused('newOwner.name')),
  G('transferOwnership', 'unitId', 'nope', refused('unitId')),
  R('transferOwnership', 'newOwner.email', 'grace@', bad400('newOwner.email')),
  R('transferOwnership', 'newOwner.birthDate', '22/11/2026', bad400('newOwner.birthDate')),
  R(
    'transferOwnership',
    'newOwner.birthDate',
    tomorrow,
    bad400('newOwner.birthDate'),
    'a newOwner birthDate in the future',
  ),
  R('transferOwnership', 'expectedVersion', 'one', bad400('expectedVersion')),
  R('transferOwnership', 'expectedVersion', -1, bad400('expectedVersion')),
  R(
    'transferOwnership',
    'newOwner',
    [{ name: 'Grace Hopper' }],
    bad400('newOwner'),
    'newOwner as an array instead of an object',
  ),
  R('transferOwnership', 'newOwner.name', longText(), bad400('newOwner.name')),
  R('transferOwnership', 'newOwner.phone', SCRIPT, bad400('newOwner.phone'), 'a script tag as the phone number'),

  // attachServicePlan
  G(
    'attachServicePlan',
    'purchasedAt',
    '2026-02-30',
    mentioned('purchasedAt'),
    'purchasedAt "2026-02-30" (no such day)',
  ),
  G('attachServicePlan', 'purchasedAt', 20260120, mentioned('purchasedAt'), 'purchasedAt as a number'),
  G(
    'attachServicePlan',
    'purchasedAt',
    tomorrow,
    { result: 'VALIDATION_ERROR', field: 'purchasedAt' },
    'a purchasedAt in the future',
  ),
  G('attachServicePlan', 'servicePlanId', 'nope', refused('servicePlanId')),
  R('attachServicePlan', 'purchasedAt', '2026-13-02', bad400('purchasedAt')),
  R('attachServicePlan', 'purchasedAt', '22/11/2026', bad400('purchasedAt')),
  R('attachServicePlan', 'purchasedAt', 20260120, bad400('purchasedAt'), 'purchasedAt as a number'),
  R('attachServicePlan', 'purchasedAt', tomorrow, bad400('purchasedAt'), 'a purchasedAt in the future'),
  R('attachServicePlan', 'servicePlanId', 'nope', bad400('servicePlanId')),
];

describe('bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    const maker = await createTenant(t, 'MANUFACTURER');
    const product = await createProduct(t, maker.staff);
    const unit = await gql(t, maker.staff, OPS.registerUnit.mutation, {
      input: { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: PURCHASE_DATE },
    });
    const plan = await gql(t, maker.staff, OPS.createServicePlan.mutation, {
      input: OPS.createServicePlan.valid({} as Fixtures),
    });
    if (unit.errors || plan.errors) throw new Error(JSON.stringify([unit.errors, plan.errors]));
    f = { maker, product, unit: { id: unit.data.registerUnit.id }, plan: { id: plan.data.createServicePlan.id } };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f });

  it('transferOwnership over REST: a unitId in the body (the path names the unit) is refused with 400 naming "unitId" and nothing is stored', async () => {
    const before = await tableCounts(t);
    const res = await rest(t, f.maker.staff).post(`/units/${f.unit.id}:transfer`, {
      unitId: f.unit.id,
      newOwner: { name: 'Grace Hopper' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_ERROR', field: 'unitId' });
    expect(await tableCounts(t)).toEqual(before);
  });

  describe('whole requests that are not a JSON object of the right size and type', () => {
    const TEN_MB = 10 * 1024 * 1024;
    const hugeUnit = () => JSON.stringify({ ...OPS.registerUnit.valid(f), customer: { name: 'x'.repeat(TEN_MB) } });

    const post = (path: string, contentType: string, body: string) =>
      t.http.post(path).set('authorization', `Bearer ${f.maker.staff}`).set('content-type', contentType).send(body);

    it('a 10 MB JSON body on a REST route is refused with 413 problem+json (PAYLOAD_TOO_LARGE) and nothing is stored', async () => {
      const before = await tableCounts(t);
      const res = await post('/api/v1/units', 'application/json', hugeUnit());
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        correlationId: res.headers['x-request-id'],
      });
      expect(await tableCounts(t)).toEqual(before);
    });

    it('a 10 MB GraphQL POST is refused with 413 (PAYLOAD_TOO_LARGE) and nothing is stored', async () => {
      const before = await tableCounts(t);
      const body = JSON.stringify({ query: OPS.registerUnit.mutation, variables: { input: JSON.parse(hugeUnit()) } });
      const res = await post('/graphql', 'application/json', body);
      expect(res.status).toBe(413);
      expect(res.body.code ?? res.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.data ?? null).toBeNull();
      expect(await tableCounts(t)).toEqual(before);
    });

    it('invalid JSON on a REST route is refused with 400 problem+json and nothing is stored', async () => {
      const before = await tableCounts(t);
      const res = await post('/api/v1/units', 'application/json', '{"productId": "x", "serialNumber": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', detail: expect.stringMatching(/JSON/) });
      expect(await tableCounts(t)).toEqual(before);
    });

    it('invalid JSON on /graphql is refused with 400 and no data', async () => {
      const before = await tableCounts(t);
      const res = await post('/graphql', 'application/json', '{"query": "mutation { ');
      expect(res.status).toBe(400);
      expect(res.body.code ?? res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.data ?? null).toBeNull();
      expect(await tableCounts(t)).toEqual(before);
    });

    it('a JSON array as the whole REST body is refused with 400 problem+json and nothing is stored', async () => {
      const before = await tableCounts(t);
      const res = await post('/api/v1/units', 'application/json', JSON.stringify([OPS.registerUnit.valid(f)]));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await tableCounts(t)).toEqual(before);
    });

    it('an application/xml body on a REST route is refused with 415 problem+json and nothing is stored', async () => {
      const before = await tableCounts(t);
      const res = await post('/api/v1/units', 'application/xml', '<unit><serialNumber>X</serialNumber></unit>');
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 415, code: expect.any(String) });
      expect(await tableCounts(t)).toEqual(before);
    });

    it('a text/plain body holding JSON on a REST route is refused with 415 (not validated as if it were JSON) and nothing is stored', async () => {
      const before = await tableCounts(t);
      const res = await post('/api/v1/units', 'text/plain', JSON.stringify(OPS.registerUnit.valid(f)));
      expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
        status: 415,
        contentType: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(await tableCounts(t)).toEqual(before);
    });

    it('an application/xml POST to /graphql is refused with 415 and no data', async () => {
      const before = await tableCounts(t);
      const res = await post('/graphql', 'application/xml', '<query>{ me { role } }</query>');
      expect(res.status).toBe(415);
      expect(res.body.data ?? null).toBeNull();
      expect(await tableCounts(t)).toEqual(before);
    });
  });

  describe('SQL and script fragments are data: stored verbatim, returned as JSON, never executed', () => {
    it(`a serial number "${SQL}" is stored verbatim, found again by serial, and every table still exists`, async () => {
      const before = await tableCounts(t);
      const res = await gql(t, f.maker.staff, OPS.registerUnit.mutation, {
        input: { productId: f.product.id, serialNumber: SQL, purchaseDate: PURCHASE_DATE },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.registerUnit).toMatchObject({ __typename: 'Unit', serialNumber: SQL });
      const found = await rest(t, f.maker.readonly).get(`/units:by-serial?serialNumber=${encodeURIComponent(SQL)}`);
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id: res.data.registerUnit.id, serialNumber: SQL });
      const [stored] = await sqlQuery(t, 'SELECT serial_number FROM units WHERE id = $1', [res.data.registerUnit.id]);
      expect(stored.serial_number).toBe(SQL);
      expect(await existingTables(t, [...WRITTEN_TABLES])).toEqual([...WRITTEN_TABLES].sort());
      const after = await tableCounts(t);
      expect(after.units).toBe(before.units + 1);
    });

    it(`a customer named "${SCRIPT}" is stored verbatim and answered as JSON data (application/json), never as HTML`, async () => {
      const input = { ...OPS.registerUnit.valid(f), customer: { name: SCRIPT } };
      const created = await rest(t, f.maker.staff).post('/units', input);
      expect(created.status).toBe(201);
      expect(created.headers['content-type']).toMatch(/^application\/json/);
      expect(created.body.owner.name).toBe(SCRIPT);
      const read = await rest(t, f.maker.readonly).get(`/units/${created.body.id}`);
      expect(read.headers['content-type']).toMatch(/^application\/json/);
      expect(read.text).toContain(JSON.stringify(SCRIPT).slice(1, -1));
      expect(read.body.owner.name).toBe(SCRIPT);
      const viaGql = await gql(t, f.maker.readonly, `query($id: ID!) { unit(id: $id) { owner { name } } }`, {
        id: created.body.id,
      });
      expect(viaGql.data.unit.owner.name).toBe(SCRIPT);
    });

    it('a product and an organization named with SQL and script fragments keep their names exactly', async () => {
      const productName = `Fridge ${SCRIPT} ${SQL}`;
      const product = await gql(t, f.maker.staff, OPS.createProduct.mutation, {
        input: { ...OPS.createProduct.valid(f), name: productName, category: `FRIDGE' OR '1'='1` },
      });
      expect(product.errors).toBeUndefined();
      expect(product.data.createProduct.name).toBe(productName);
      const orgName = "Robert'); DROP TABLE organizations; --";
      const org = await rest(t, PLATFORM_KEY).post('/organizations', { name: orgName, kind: 'RETAILER' });
      expect(org.status).toBe(201);
      expect(org.body.name).toBe(orgName);
      const readBack = await rest(t, f.maker.readonly).get(`/products/${product.data.createProduct.id}`);
      expect(readBack.body).toMatchObject({ name: productName, category: `FRIDGE' OR '1'='1` });
      expect(await existingTables(t, [...WRITTEN_TABLES])).toEqual([...WRITTEN_TABLES].sort());
    });

    it("a list filter of ' OR '1'='1 matches no unit instead of every unit", async () => {
      const res = await rest(t, f.maker.readonly).get(`/units?serialNumber=${encodeURIComponent("' OR '1'='1")}`);
      expect(res.status).toBe(200);
      expect(res.body.edges).toEqual([]);
      const viaGql = await gql(t, f.maker.readonly, `query($s: String!) { unitBySerial(serialNumber: $s) { id } }`, {
        s: "x' OR '1'='1",
      });
      expect(viaGql.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('money amounts are decimal strings; integers are exact and allowed', () => {
    const REGISTER = `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { __typename ... on Unit { purchasePrice { amount currency } } } }`;

    it('an integer amount (169) over GraphQL is accepted and stored as "169.00"', async () => {
      const res = await gql(t, f.maker.staff, REGISTER, {
        input: { ...OPS.registerUnit.valid(f), purchasePrice: { amount: 169, currency: 'USD' } },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.registerUnit.purchasePrice).toEqual({ amount: '169.00', currency: 'USD' });
    });

    it('an integer amount (169) over REST is accepted and stored as "169.00", like GraphQL (one input class for both APIs)', async () => {
      const res = await rest(t, f.maker.staff).post('/units', {
        ...OPS.registerUnit.valid(f),
        purchasePrice: { amount: 169, currency: 'USD' },
      });
      expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 201, detail: undefined });
      expect(res.body.purchasePrice).toEqual({ amount: '169.00', currency: 'USD' });
    });

    it('a decimal string with more decimals than the currency allows is rounded half up ("169.995" USD is "170.00", "1500.5" JPY is "1501")', async () => {
      const usd = await rest(t, f.maker.staff).post('/units', {
        ...OPS.registerUnit.valid(f),
        purchasePrice: { amount: '169.995', currency: 'USD' },
      });
      expect(usd.status).toBe(201);
      expect(usd.body.purchasePrice).toEqual({ amount: '170.00', currency: 'USD' });
      const jpy = await gql(t, f.maker.staff, REGISTER, {
        input: { ...OPS.registerUnit.valid(f), purchasePrice: { amount: '1500.5', currency: 'JPY' } },
      });
      expect(jpy.data.registerUnit.purchasePrice).toEqual({ amount: '1501', currency: 'JPY' });
    });
  });

  it('the baseline inputs the table changes one value of are accepted, over GraphQL and REST (so each refusal is about that one value)', async () => {
    for (const op of Object.keys(OPS) as OpName[]) {
      const spec = OPS[op];
      const freshUnit = async () =>
        (await gql(t, f.maker.staff, OPS.registerUnit.mutation, { input: OPS.registerUnit.valid(f) })).data.registerUnit
          .id as string;
      const gqlInput = spec.valid(f);
      const restInput = spec.valid(f);
      if ('unitId' in gqlInput) {
        gqlInput.unitId = await freshUnit();
        restInput.unitId = await freshUnit();
      }
      const viaGql = await gql(t, spec.key(f), spec.mutation, { input: gqlInput });
      expect({ op, errors: viaGql.errors }).toEqual({ op, errors: undefined });
      expect(viaGql.data[op].__typename ?? 'ok').not.toBe('GenericError');
      const { path, body } = spec.rest(restInput);
      const viaRest = await rest(t, spec.key(f)).post(path, body);
      expect({ op, status: viaRest.status, detail: viaRest.body.detail }).toEqual({
        op,
        status: spec.restStatus,
        detail: undefined,
      });
    }
  });
});
