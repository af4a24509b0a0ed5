import { canSeeClaim, claimVisibility } from '../src/warranty/claim-visibility.js';
import {
  disagreements,
  everyCaller,
  everyCombination,
  openSqlRunner,
  ORGS,
  type SqlRunner,
} from './support/visibility-agreement.js';

/** Issue 12, point 2: the warranty claim's access rule says the same thing in SQL and in TypeScript. */
describe('warranty claim visibility: SQL and TypeScript agree', () => {
  let runner: SqlRunner;
  beforeAll(async () => {
    runner = await openSqlRunner();
  });
  afterAll(async () => {
    await runner.close();
  });

  const columns = {
    manufacturer_id: { type: 'uuid', value: (r: { manufacturerId: string }) => r.manufacturerId },
    claimant_id: { type: 'uuid', value: (r: { claimantId: string }) => r.claimantId },
  };

  it('for every caller kind and role, in every relation to the claim', async () => {
    const rows = everyCombination({ manufacturerId: ORGS, claimantId: ORGS });
    const found = await disagreements(runner, { sql: claimVisibility, ts: canSeeClaim }, columns, everyCaller(), rows);
    expect(found).toEqual([]);
    expect(rows).toHaveLength(9);
  });

  it('notices a TypeScript form that says more than the SQL form', async () => {
    const found = await disagreements(
      runner,
      {
        sql: claimVisibility,
        // the kind-agnostic variant: a claimant that is also the manufacturer
        ts: (caller, row) => canSeeClaim(caller, row) || row.claimantId === caller.organizationId,
      },
      columns,
      everyCaller(),
      everyCombination({ manufacturerId: ORGS, claimantId: ORGS }),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/SQL false, TypeScript true/);
  });
});
