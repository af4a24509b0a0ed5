import { assertSuccess, createProduct, createTenant, gql, registerUnit, rest, uniqueSerial } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('smoke: a manufacturer registers a unit and reads it back', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers over GraphQL and reads over REST', async () => {
    const m = await createTenant(t, 'MANUFACTURER');
    const product = await createProduct(t, m.staff);
    const unit = assertSuccess(
      await registerUnit(t, m.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate: '2026-01-31',
      }),
      'Unit',
    );
    const res = await rest(t, m.readonly).get(`/units/${unit.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: unit.id, status: 'ACTIVE', purchaseDate: '2026-01-31', version: 1 });
    const me = await gql(t, m.readonly, '{ me { role organization { id } } }');
    expect(me.data.me).toEqual({ role: 'READONLY', organization: { id: m.id } });
  });
});
