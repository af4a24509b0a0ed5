import { createProduct, createTenant, errorCode, gql, rest, WARRANTY_24M, type Tenant } from './support/api.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import { CREATE_SERVICE_PLAN, planInput } from './support/units-helpers.js';

const TERMS_FIELDS =
  'durationMonths startsFrom coverageTypes excludedFailures transferable registrationRequiredWithinDays maxClaims repairWarrantyDays';
const PRODUCT_FIELDS = `id sku name category createdAt manufacturer { id kind } warrantyTerms { ${TERMS_FIELDS} }`;
const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;
const PRODUCT_QUERY = `query($id: ID!) { product(id: $id) { ${PRODUCT_FIELDS} } }`;
const PRODUCTS_QUERY = `query($first: Int, $after: String, $category: String) { products(first: $first, after: $after, category: $category) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id sku category } } } }`;
const SERVICE_PLANS_QUERY = `{ servicePlans { id name price { amount currency } deductible { amount currency } provider { id name kind } } }`;

let skuCounter = 0;
const productInput = (overrides: Record<string, unknown> = {}) => ({
  sku: `CAT-SKU-${++skuCounter}`,
  name: 'Northwind 500L Fridge',
  category: 'FRIDGE',
  warrantyTerms: WARRANTY_24M,
  ...overrides,
});

describe('catalog: products and service plans', () => {
  let t: TestApp;
  let maker: Tenant;
  let otherMaker: Tenant;
  let retailer: Tenant;
  let center: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    otherMaker = await createTenant(t, 'MANUFACTURER');
    retailer = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
  });
  afterAll(async () => {
    await t.close();
  });

  /** How many products of a category exist (each test uses its own category). */
  const countInCategory = async (category: string) => {
    const res = await gql(t, PLATFORM_KEY, PRODUCTS_QUERY, { category, first: 100 });
    expect(res.errors).toBeUndefined();
    return res.data.products.totalCount as number;
  };

  describe('createProduct', () => {
    it('a manufacturer STAFF key and ADMIN key create products owned by their organization (GraphQL)', async () => {
      for (const key of [maker.staff, maker.admin]) {
        const input = productInput({ category: 'CREATE-GQL' });
        const res = await gql(t, key, CREATE_PRODUCT, { input });
        expect(res.errors).toBeUndefined();
        expect(res.data.createProduct).toMatchObject({
          sku: input.sku,
          name: 'Northwind 500L Fridge',
          category: 'CREATE-GQL',
          manufacturer: { id: maker.id, kind: 'MANUFACTURER' },
          warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
        });
        expect(res.data.createProduct.id).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(await countInCategory('CREATE-GQL')).toBe(2);
    });

    it('a manufacturer creates a product over REST: 201 with the product, readable afterwards', async () => {
      const input = productInput({ category: 'CREATE-REST' });
      const res = await rest(t, maker.staff).post('/products', input);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        sku: input.sku,
        category: 'CREATE-REST',
        manufacturerId: maker.id,
        warrantyTerms: { durationMonths: 24 },
      });
      const read = await rest(t, retailer.readonly).get(`/products/${res.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: res.body.id, sku: input.sku });
    });

    it('a retailer or a service center cannot create products: FORBIDDEN over GraphQL, 403 over REST, and nothing is stored', async () => {
      for (const key of [retailer.staff, retailer.admin, center.staff, center.admin]) {
        const res = await gql(t, key, CREATE_PRODUCT, { input: productInput({ category: 'CREATE-FORBIDDEN' }) });
        expect(errorCode(res)).toBe('FORBIDDEN');
        expect(res.data?.createProduct ?? null).toBeNull();
        const r = await rest(t, key).post('/products', productInput({ category: 'CREATE-FORBIDDEN' }));
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('FORBIDDEN');
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect(await countInCategory('CREATE-FORBIDDEN')).toBe(0);
    });

    it("a manufacturer's READONLY key cannot create products: FORBIDDEN over GraphQL, 403 over REST", async () => {
      const res = await gql(t, maker.readonly, CREATE_PRODUCT, {
        input: productInput({ category: 'CREATE-READONLY' }),
      });
      expect(errorCode(res)).toBe('FORBIDDEN');
      const r = await rest(t, maker.readonly).post('/products', productInput({ category: 'CREATE-READONLY' }));
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
      expect(await countInCategory('CREATE-READONLY')).toBe(0);
    });

    it('a call without an API key is UNAUTHENTICATED (GraphQL) and 401 (REST)', async () => {
      const res = await gql(t, null, PRODUCTS_QUERY, {});
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      const r = await rest(t, null).get('/products');
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('UNAUTHENTICATED');
      const c = await rest(t, null).post('/products', productInput());
      expect(c.status).toBe(401);
    });

    it('a duplicate SKU for the same manufacturer is CONFLICT naming sku over GraphQL and 409 over REST; nothing more is stored', async () => {
      const sku = 'DUP-SKU-1';
      const first = await gql(t, maker.staff, CREATE_PRODUCT, { input: productInput({ sku, category: 'DUP-SKU' }) });
      expect(first.errors).toBeUndefined();

      const again = await gql(t, maker.admin, CREATE_PRODUCT, {
        input: productInput({ sku, category: 'DUP-SKU', name: 'Another name' }),
      });
      expect(errorCode(again)).toBe('CONFLICT');
      expect(again.errors![0].extensions.field).toBe('sku');

      const r = await rest(t, maker.staff).post('/products', productInput({ sku, category: 'DUP-SKU' }));
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'CONFLICT', field: 'sku' });

      expect(await countInCategory('DUP-SKU')).toBe(1);
    });

    it('two manufacturers may share a SKU: each product belongs to its own manufacturer', async () => {
      const sku = 'SHARED-SKU-1';
      const a = await gql(t, maker.staff, CREATE_PRODUCT, { input: productInput({ sku, category: 'SHARED-SKU' }) });
      const b = await gql(t, otherMaker.staff, CREATE_PRODUCT, {
        input: productInput({ sku, category: 'SHARED-SKU' }),
      });
      expect(a.errors).toBeUndefined();
      expect(b.errors).toBeUndefined();
      expect(a.data.createProduct.id).not.toBe(b.data.createProduct.id);
      expect(a.data.createProduct.manufacturer.id).toBe(maker.id);
      expect(b.data.createProduct.manufacturer.id).toBe(otherMaker.id);
      expect(await countInCategory('SHARED-SKU')).toBe(2);
    });

    it('warranty terms default to transferable true, repairWarrantyDays 90, excludedFailures [] and no registration requirement or claim limit', async () => {
      const res = await gql(t, maker.staff, CREATE_PRODUCT, {
        input: productInput({
          warrantyTerms: { durationMonths: 12, startsFrom: 'DELIVERY_DATE', coverageTypes: ['PARTS'] },
        }),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.createProduct.warrantyTerms).toEqual({
        durationMonths: 12,
        startsFrom: 'DELIVERY_DATE',
        coverageTypes: ['PARTS'],
        excludedFailures: [],
        transferable: true,
        registrationRequiredWithinDays: null,
        maxClaims: null,
        repairWarrantyDays: 90,
      });
      const r = await rest(t, retailer.staff).get(`/products/${res.data.createProduct.id}`);
      expect(r.body.warrantyTerms).toMatchObject({ excludedFailures: [], transferable: true, repairWarrantyDays: 90 });
    });

    it('explicit warranty terms are kept as given', async () => {
      const terms = {
        durationMonths: 36,
        startsFrom: 'REGISTRATION_DATE',
        coverageTypes: ['PARTS', 'LABOR', 'ON_SITE'],
        excludedFailures: ['COSMETIC', 'LIQUID_DAMAGE'],
        transferable: false,
        registrationRequiredWithinDays: 30,
        maxClaims: 2,
        repairWarrantyDays: 180,
      };
      const res = await gql(t, maker.staff, CREATE_PRODUCT, { input: productInput({ warrantyTerms: terms }) });
      expect(res.errors).toBeUndefined();
      expect(res.data.createProduct.warrantyTerms).toEqual(terms);
      const read = await gql(t, center.readonly, PRODUCT_QUERY, { id: res.data.createProduct.id });
      expect(read.data.product.warrantyTerms).toEqual(terms);
    });

    it('invalid product input is BAD_USER_INPUT / 400 VALIDATION_ERROR naming the field, and nothing is stored', async () => {
      const bad = productInput({ category: 'BAD-INPUT', warrantyTerms: { ...WARRANTY_24M, durationMonths: -1 } });
      const res = await gql(t, maker.staff, CREATE_PRODUCT, { input: bad });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions.field).toBe('warrantyTerms.durationMonths');
      const r = await rest(t, maker.staff).post('/products', bad);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'warrantyTerms.durationMonths' });
      const blankSku = await rest(t, maker.staff).post('/products', productInput({ category: 'BAD-INPUT', sku: '' }));
      expect(blankSku.status).toBe(400);
      expect(blankSku.body.field).toBe('sku');
      expect(await countInCategory('BAD-INPUT')).toBe(0);
    });
  });

  describe('reading the catalog', () => {
    it('products filters by category: only that category, counted in totalCount', async () => {
      await createProduct(t, maker.staff, { category: 'FILTER-A' });
      await createProduct(t, otherMaker.staff, { category: 'FILTER-A' });
      await createProduct(t, maker.staff, { category: 'FILTER-B' });
      const res = await gql(t, retailer.staff, PRODUCTS_QUERY, { category: 'FILTER-A' });
      expect(res.errors).toBeUndefined();
      expect(res.data.products.totalCount).toBe(2);
      expect(res.data.products.edges).toHaveLength(2);
      expect(res.data.products.edges.every((e: any) => e.node.category === 'FILTER-A')).toBe(true);
      const r = await rest(t, center.readonly).get('/products?category=FILTER-B');
      expect(r.status).toBe(200);
      expect(r.body.totalCount).toBe(1);
      expect(r.body.edges.map((e: any) => e.node.category)).toEqual(['FILTER-B']);
      const all = await gql(t, retailer.staff, PRODUCTS_QUERY, { first: 100 });
      expect(all.data.products.totalCount).toBeGreaterThanOrEqual(3);
    });

    it('products pages with first/after over GraphQL: hasNextPage, endCursor and totalCount, every product exactly once', async () => {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) created.push((await createProduct(t, maker.staff, { category: 'PAGED-GQL' })).id);
      const seen: string[] = [];
      const pages: { size: number; hasNextPage: boolean }[] = [];
      let after: string | null = null;
      do {
        const res: any = await gql(t, otherMaker.readonly, PRODUCTS_QUERY, { category: 'PAGED-GQL', first: 3, after });
        expect(res.errors).toBeUndefined();
        const conn = res.data.products;
        expect(conn.totalCount).toBe(7);
        seen.push(...conn.edges.map((e: any) => e.node.id));
        pages.push({ size: conn.edges.length, hasNextPage: conn.pageInfo.hasNextPage });
        expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
        after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      } while (after);
      expect(pages).toEqual([
        { size: 3, hasNextPage: true },
        { size: 3, hasNextPage: true },
        { size: 1, hasNextPage: false },
      ]);
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(new Set(created));
    });

    it('GET /products pages with first/after the same way, every product exactly once', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++)
        created.push((await createProduct(t, otherMaker.staff, { category: 'PAGED-REST' })).id);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const r: any = await rest(t, retailer.staff).get(
          `/products?category=PAGED-REST&first=2${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        );
        expect(r.status).toBe(200);
        expect(r.body.totalCount).toBe(5);
        seen.push(...r.body.edges.map((e: any) => e.node.id));
        after = r.body.pageInfo.hasNextPage ? r.body.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toEqual(created);
    });

    it('first above 100 or 0 (or negative) is BAD_USER_INPUT over GraphQL and 400 over REST; an unknown cursor too', async () => {
      for (const first of [101, 0, -1]) {
        const res = await gql(t, retailer.staff, PRODUCTS_QUERY, { first });
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        const r = await rest(t, retailer.staff).get(`/products?first=${first}`);
        expect(r.status).toBe(400);
      }
      const ok = await gql(t, retailer.staff, PRODUCTS_QUERY, { first: 100 });
      expect(ok.errors).toBeUndefined();
      const cursor = await gql(t, retailer.staff, PRODUCTS_QUERY, { after: 'not-a-cursor' });
      expect(errorCode(cursor)).toBe('BAD_USER_INPUT');
    });

    it('product(id) is readable by every organization and role, over GraphQL and REST', async () => {
      const product = await createProduct(t, maker.staff, { category: 'READ-ALL' });
      for (const key of [
        maker.readonly,
        otherMaker.staff,
        retailer.readonly,
        retailer.staff,
        center.readonly,
        center.admin,
        PLATFORM_KEY,
      ]) {
        const res = await gql(t, key, PRODUCT_QUERY, { id: product.id });
        expect(res.errors).toBeUndefined();
        expect(res.data.product).toMatchObject({ id: product.id, sku: product.sku, manufacturer: { id: maker.id } });
        const r = await rest(t, key).get(`/products/${product.id}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ id: product.id, sku: product.sku, manufacturerId: maker.id });
      }
    });

    it('node(id) resolves a Product and a ServicePlan for every organization', async () => {
      const product = await createProduct(t, maker.staff, { category: 'NODE' });
      const plan = await gql(t, retailer.staff, CREATE_SERVICE_PLAN, { input: planInput({ name: 'Node plan' }) });
      const NODE =
        'query($id: ID!) { node(id: $id) { __typename id ... on Product { sku } ... on ServicePlan { name } } }';
      for (const key of [otherMaker.readonly, center.staff, retailer.readonly]) {
        const p = await gql(t, key, NODE, { id: product.id });
        expect(p.data.node).toEqual({ __typename: 'Product', id: product.id, sku: product.sku });
        const s = await gql(t, key, NODE, { id: plan.data.createServicePlan.id });
        expect(s.data.node).toEqual({
          __typename: 'ServicePlan',
          id: plan.data.createServicePlan.id,
          name: 'Node plan',
        });
      }
    });

    it('product(id) of an unknown id is NOT_FOUND (GraphQL) and 404 (REST); a malformed id is a client error (REST 400)', async () => {
      const unknown = '01890000-0000-7000-8000-000000000000';
      const res = await gql(t, retailer.staff, PRODUCT_QUERY, { id: unknown });
      expect(errorCode(res)).toBe('NOT_FOUND');
      const r = await rest(t, retailer.staff).get(`/products/${unknown}`);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('NOT_FOUND');
      const bad = await rest(t, retailer.staff).get('/products/not-a-uuid');
      expect(bad.status).toBe(400);
      const malformed = await gql(t, retailer.staff, PRODUCT_QUERY, { id: 'not-a-uuid' });
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(errorCode(malformed));
    });
  });

  describe('service plans', () => {
    it('a manufacturer and a retailer create service plans; the provider is the creating organization', async () => {
      const m = await gql(t, maker.staff, CREATE_SERVICE_PLAN, { input: planInput({ name: 'Maker care' }) });
      expect(m.errors).toBeUndefined();
      expect(m.data.createServicePlan).toMatchObject({
        name: 'Maker care',
        durationMonths: 12,
        startsAfterBaseWarranty: true,
        coverageTypes: ['PARTS', 'LABOR'],
        excludedFailures: [],
        eligibleCategories: ['FRIDGE'],
        purchaseWindowDays: 3650,
        maxClaims: null,
        deductible: null,
        price: { amount: '99.00', currency: 'USD' },
        provider: { id: maker.id, kind: 'MANUFACTURER' },
      });
      const r = await gql(t, retailer.admin, CREATE_SERVICE_PLAN, {
        input: planInput({ name: 'Store care', maxClaims: 3 }),
      });
      expect(r.errors).toBeUndefined();
      expect(r.data.createServicePlan).toMatchObject({
        name: 'Store care',
        maxClaims: 3,
        provider: { id: retailer.id, kind: 'RETAILER' },
      });

      const viaRest = await rest(t, retailer.staff).post('/service-plans', planInput({ name: 'Store care REST' }));
      expect(viaRest.status).toBe(201);
      expect(viaRest.body).toMatchObject({
        name: 'Store care REST',
        providerId: retailer.id,
        price: { amount: '99.00', currency: 'USD' },
      });
    });

    it('a service center cannot create service plans, nor can a READONLY key: FORBIDDEN over GraphQL, 403 over REST', async () => {
      for (const key of [center.staff, center.admin, maker.readonly, retailer.readonly]) {
        const res = await gql(t, key, CREATE_SERVICE_PLAN, { input: planInput({ name: 'Forbidden plan' }) });
        expect(errorCode(res)).toBe('FORBIDDEN');
        const r = await rest(t, key).post('/service-plans', planInput({ name: 'Forbidden plan' }));
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('FORBIDDEN');
      }
      const list = await gql(t, PLATFORM_KEY, SERVICE_PLANS_QUERY);
      expect(list.data.servicePlans.filter((p: any) => p.name === 'Forbidden plan')).toEqual([]);
    });

    it('a deductible in another currency than the price is refused naming deductible.currency, and nothing is stored', async () => {
      const input = planInput({
        name: 'Mixed currencies',
        price: { amount: '100', currency: 'USD' },
        deductible: { amount: '20', currency: 'EUR' },
      });
      const res = await gql(t, maker.staff, CREATE_SERVICE_PLAN, { input });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'deductible.currency' });
      const r = await rest(t, maker.staff).post('/service-plans', input);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'deductible.currency' });
      const list = await gql(t, PLATFORM_KEY, SERVICE_PLANS_QUERY);
      expect(list.data.servicePlans.filter((p: any) => p.name === 'Mixed currencies')).toEqual([]);
    });

    it('an unknown currency code is a VALIDATION_ERROR naming price.currency', async () => {
      const r = await rest(t, maker.staff).post(
        '/service-plans',
        planInput({ price: { amount: '10', currency: 'XYZ' } }),
      );
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'price.currency' });
    });

    it('money comes back with the currency\'s minor unit: "169.9" USD is "169.90", "1500" JPY is "1500"', async () => {
      const usd = await gql(t, maker.staff, CREATE_SERVICE_PLAN, {
        input: planInput({
          name: 'USD plan',
          price: { amount: '169.9', currency: 'USD' },
          deductible: { amount: '25', currency: 'USD' },
        }),
      });
      expect(usd.errors).toBeUndefined();
      expect(usd.data.createServicePlan.price).toEqual({ amount: '169.90', currency: 'USD' });
      expect(usd.data.createServicePlan.deductible).toEqual({ amount: '25.00', currency: 'USD' });
      const jpy = await gql(t, retailer.staff, CREATE_SERVICE_PLAN, {
        input: planInput({ name: 'JPY plan', price: { amount: '1500', currency: 'JPY' } }),
      });
      expect(jpy.errors).toBeUndefined();
      expect(jpy.data.createServicePlan.price).toEqual({ amount: '1500', currency: 'JPY' });

      const list = await rest(t, center.staff).get('/service-plans');
      expect(list.status).toBe(200);
      const byId = new Map(list.body.map((p: any) => [p.id, p]));
      expect(byId.get(usd.data.createServicePlan.id)).toMatchObject({
        price: { amount: '169.90', currency: 'USD' },
        deductible: { amount: '25.00', currency: 'USD' },
      });
      expect(byId.get(jpy.data.createServicePlan.id)).toMatchObject({ price: { amount: '1500', currency: 'JPY' } });
    });

    it('amounts are rounded half up to the minor unit: "10.005" USD is "10.01", "1500.5" JPY is "1501"', async () => {
      const usd = await gql(t, maker.staff, CREATE_SERVICE_PLAN, {
        input: planInput({ name: 'Round USD', price: { amount: '10.005', currency: 'USD' } }),
      });
      expect(usd.data.createServicePlan.price).toEqual({ amount: '10.01', currency: 'USD' });
      const jpy = await gql(t, maker.staff, CREATE_SERVICE_PLAN, {
        input: planInput({ name: 'Round JPY', price: { amount: '1500.5', currency: 'JPY' } }),
      });
      expect(jpy.data.createServicePlan.price).toEqual({ amount: '1501', currency: 'JPY' });
    });

    it('servicePlans lists every plan with its provider, for every organization (GraphQL and REST)', async () => {
      const m = await gql(t, maker.staff, CREATE_SERVICE_PLAN, { input: planInput({ name: 'Listed maker plan' }) });
      const r = await gql(t, retailer.staff, CREATE_SERVICE_PLAN, { input: planInput({ name: 'Listed store plan' }) });
      for (const key of [center.readonly, otherMaker.staff, retailer.readonly, PLATFORM_KEY]) {
        const res = await gql(t, key, SERVICE_PLANS_QUERY);
        expect(res.errors).toBeUndefined();
        const byId = new Map(res.data.servicePlans.map((p: any) => [p.id, p]));
        expect(byId.get(m.data.createServicePlan.id)).toMatchObject({
          name: 'Listed maker plan',
          provider: { id: maker.id, kind: 'MANUFACTURER' },
        });
        expect(byId.get(r.data.createServicePlan.id)).toMatchObject({
          name: 'Listed store plan',
          provider: { id: retailer.id, kind: 'RETAILER' },
        });
      }
      const list = await rest(t, otherMaker.readonly).get('/service-plans');
      expect(list.status).toBe(200);
      expect(list.body.find((p: any) => p.id === r.data.createServicePlan.id)).toMatchObject({
        providerId: retailer.id,
      });
    });
  });
});
