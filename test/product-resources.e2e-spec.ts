import { createProduct, createTenant, errorCode, gql, rest, type Tenant } from './support/api.js';
import { untypedOperation } from './support/graphql-documents.js';
import { sqlQuery } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 14: a product's resources (docs/outreach.md): manuals, guides, courses and support
 * contacts its manufacturer keeps, read by everyone like the rest of the catalog, written into
 * the owners' messages and pages.
 */

const PRODUCT = untypedOperation('ProductWithResources');
const ADD = untypedOperation('AddProductResource');
const REMOVE = untypedOperation('RemoveProductResource');

describe('product resources', () => {
  let t: TestApp;
  let maker: Tenant;
  let otherMaker: Tenant;
  let seller: Tenant;
  let product: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    maker = await createTenant(t, 'MANUFACTURER');
    otherMaker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    product = await createProduct(t, maker.staff);
  });
  afterAll(async () => {
    await t?.close();
  });

  const resourceCount = async () => Number((await sqlQuery(t, 'SELECT count(*) AS n FROM product_resources'))[0].n);

  it('the manufacturer adds and removes them; everyone reads them, oldest first, over GraphQL and REST', async () => {
    const manual = (
      await gql(t, maker.staff, ADD, {
        input: {
          productId: product.id,
          kind: 'MANUAL',
          title: ' User manual ',
          url: 'https://support.example.com/fr-200/manual.pdf',
          locale: 'en',
        },
      })
    ).data.addProductResource;
    expect(manual.id).toBe(product.id);
    expect(manual.resources).toEqual([
      {
        id: expect.any(String),
        kind: 'MANUAL',
        title: 'User manual',
        url: 'https://support.example.com/fr-200/manual.pdf',
        locale: 'en',
      },
    ]);
    const video = await rest(t, maker.admin).post(`/products/${product.id}/resources`, {
      kind: 'VIDEO',
      title: 'Installazione',
      url: 'http://video.example.com/fr-200',
      locale: 'it-it',
    });
    expect(video.status).toBe(201);
    expect(video.body).toEqual({
      id: expect.any(String),
      kind: 'VIDEO',
      title: 'Installazione',
      url: 'http://video.example.com/fr-200',
      locale: 'it-IT',
    });
    const forAll = await rest(t, maker.staff).post(`/products/${product.id}/resources`, {
      kind: 'SUPPORT_CONTACT',
      title: 'Help desk',
      url: 'https://help.example.com',
    });
    expect(forAll.body.locale).toBeNull();

    for (const key of [seller.readonly, otherMaker.staff]) {
      const read = (await gql(t, key, PRODUCT, { id: product.id })).data.product.resources;
      expect(read.map((r: any) => r.title)).toEqual(['User manual', 'Installazione', 'Help desk']);
      const viaRest = await rest(t, key).get(`/products/${product.id}/resources`);
      expect(viaRest.status).toBe(200);
      expect(viaRest.body.map((r: any) => r.id)).toEqual(read.map((r: any) => r.id));
    }

    const removed = (await gql(t, maker.staff, REMOVE, { productId: product.id, resourceId: manual.resources[0].id }))
      .data.removeProductResource;
    expect(removed.resources.map((r: any) => r.title)).toEqual(['Installazione', 'Help desk']);
    const viaRest = await rest(t, maker.admin).delete(`/products/${product.id}/resources/${video.body.id}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual({ id: video.body.id, deleted: true });
    expect(
      (await rest(t, seller.staff).get(`/products/${product.id}/resources`)).body.map((r: any) => r.title),
    ).toEqual(['Help desk']);
  });

  it('only the manufacturer’s ADMIN and STAFF keys change them: another maker, a store and READONLY keys are FORBIDDEN, nothing changes', async () => {
    const [existing] = (await rest(t, seller.staff).get(`/products/${product.id}/resources`)).body;
    const before = await resourceCount();
    const input = { productId: product.id, kind: 'FAQ', title: 'FAQ', url: 'https://faq.example.com' };
    for (const key of [otherMaker.admin, seller.admin, maker.readonly]) {
      expect(errorCode(await gql(t, key, ADD, { input }))).toBe('FORBIDDEN');
      expect(errorCode(await gql(t, key, REMOVE, { productId: product.id, resourceId: existing.id }))).toBe(
        'FORBIDDEN',
      );
      const { productId: _id, ...body } = input;
      expect((await rest(t, key).post(`/products/${product.id}/resources`, body)).status).toBe(403);
      expect((await rest(t, key).delete(`/products/${product.id}/resources/${existing.id}`)).status).toBe(403);
    }
    expect(await resourceCount()).toBe(before);
  });

  it('a product or resource that does not exist is NOT_FOUND naming it; a resource of another product is not found either', async () => {
    const other = await createProduct(t, maker.staff);
    const [existing] = (await rest(t, seller.staff).get(`/products/${product.id}/resources`)).body;
    const nowhere = '01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51';
    const missingProduct = await gql(t, maker.staff, ADD, {
      input: { productId: nowhere, kind: 'FAQ', title: 'FAQ', url: 'https://faq.example.com' },
    });
    expect(missingProduct.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'productId' });
    expect((await rest(t, seller.staff).get(`/products/${nowhere}/resources`)).status).toBe(404);
    const elsewhere = await gql(t, maker.staff, REMOVE, { productId: other.id, resourceId: existing.id });
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'resourceId' });
    expect((await rest(t, maker.staff).delete(`/products/${other.id}/resources/${existing.id}`)).status).toBe(404);
    expect((await rest(t, seller.staff).get(`/products/${product.id}/resources`)).body).toContainEqual(existing);
  });

  it.each([
    ['url', JSON.stringify('javascript:alert(1)'), 'javascript:alert(1)'],
    ['url', JSON.stringify('ftp://files.example.com/manual.pdf'), 'ftp://files.example.com/manual.pdf'],
    ['url', JSON.stringify('https://user:secret@example.com/manual'), 'https://user:secret@example.com/manual'],
    ['url', JSON.stringify('manual.pdf'), 'manual.pdf'],
    ['title', JSON.stringify(''), ''],
    ['title', JSON.stringify('   '), '   '],
    ['title', '201 characters', 'x'.repeat(201)],
    ['title', JSON.stringify('two\nlines'), 'two\nlines'],
    ['locale', JSON.stringify('en_US'), 'en_US'],
    ['locale', JSON.stringify('not a locale'), 'not a locale'],
    ['kind', JSON.stringify('BROCHURE'), 'BROCHURE'],
  ])('refuses %s = %s naming the field, storing nothing', async (field, _label, value) => {
    const before = await resourceCount();
    const body = { kind: 'MANUAL', title: 'Manual', url: 'https://example.com/m.pdf', [field]: value };
    const viaRest = await rest(t, maker.staff).post(`/products/${product.id}/resources`, body);
    expect(viaRest.status).toBe(400);
    expect(viaRest.body.field).toBe(field);
    const viaGql = await gql(t, maker.staff, ADD, { input: { productId: product.id, ...body } });
    expect(viaGql.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(viaGql.errors?.[0])).toContain(field);
    expect(await resourceCount()).toBe(before);
  });
});
