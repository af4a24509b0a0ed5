import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createProduct, createTenant, uniqueSerial, type Tenant } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The example clients of clients/, typed from openapi.json and schema.gql, run against a live
 * server: what the README tells an integrator to generate works as written.
 */
describe('the generated TypeScript clients (clients/)', () => {
  let t: TestApp;
  let baseUrl: string;
  let maker: Tenant;
  let sku: string;

  beforeAll(async () => {
    const generated = spawnSync(process.execPath, ['clients/generate.mjs'], { encoding: 'utf8' });
    if (generated.status !== 0) throw new Error(`clients/generate.mjs failed: ${generated.stderr}`);
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    maker = await createTenant(t, 'MANUFACTURER');
    sku = (await createProduct(t, maker.staff)).sku;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the REST client registers a unit and reads its coverage', async () => {
    const rest = await import('../clients/rest-example.js');
    const serialNumber = uniqueSerial();
    const unit = await rest.registerUnit(
      baseUrl,
      maker.staff,
      { sku, serialNumber, purchaseDate: '2026-01-15' },
      `clients-${serialNumber}`,
    );
    expect(unit).toMatchObject({ serialNumber, status: 'ACTIVE' });
    const coverage = await rest.checkCoverage(baseUrl, maker.staff, { serialNumber, asOf: '2026-06-01' });
    expect(coverage).toMatchObject({ serialNumber, covered: true, coveredUntil: '2028-01-14' });
  });

  it('the GraphQL client registers a unit and reads its coverage', async () => {
    const graphql = await import('../clients/graphql-example.js');
    const serialNumber = uniqueSerial();
    const unit = await graphql.registerUnit(baseUrl, maker.staff, { sku, serialNumber, purchaseDate: '2026-01-15' });
    expect(unit).toMatchObject({ serialNumber, status: 'ACTIVE', product: { name: 'Test fridge' } });
    const coverage = await graphql.checkCoverage(baseUrl, maker.staff, { serialNumber, asOf: '2026-06-01' });
    expect(coverage).toMatchObject({ covered: true, coveredUntil: '2028-01-14', reasons: [] });
    expect(coverage.coverages[0]).toMatchObject({ source: 'BASE_WARRANTY', endsAt: '2028-01-14' });
  });
});
