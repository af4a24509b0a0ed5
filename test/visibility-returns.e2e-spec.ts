import { canSeeReturn, returnVisibility } from '../src/returns/return-visibility.js';
import {
  disagreements,
  everyCaller,
  everyCombination,
  openSqlRunner,
  ORGS,
  type ColumnTypes,
  type SqlRunner,
} from './support/visibility-agreement.js';

const columns: ColumnTypes<{ retailerId: string }> = {
  retailer_id: { type: 'uuid', value: (r) => r.retailerId },
};

/** Issue 12, point 2: the return's access rule says the same thing in SQL and in TypeScript. */
describe('return visibility: SQL and TypeScript agree', () => {
  let runner: SqlRunner;
  beforeAll(async () => {
    runner = await openSqlRunner();
  });
  afterAll(async () => {
    await runner.close();
  });

  it('for every caller kind and role, whether the return is the caller’s or another retailer’s', async () => {
    const rows = everyCombination({ retailerId: ORGS });
    const found = await disagreements(
      runner,
      { sql: returnVisibility, ts: canSeeReturn },
      columns,
      everyCaller(),
      rows,
    );
    expect(found).toEqual([]);
    expect(rows).toHaveLength(3);
  });

  it('notices a SQL form that says more than the TypeScript form', async () => {
    const found = await disagreements(
      runner,
      { sql: (caller, alias) => ({ sql: `${alias}.retailer_id IS NOT NULL`, params: [] }), ts: canSeeReturn },
      columns,
      everyCaller(),
      everyCombination({ retailerId: ORGS }),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/SQL true, TypeScript false/);
  });
});
