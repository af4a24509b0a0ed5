import { canSeeUpgrade, upgradeVisibility } from '../src/upgrades/upgrade-visibility.js';
import {
  disagreements,
  everyCaller,
  everyCombination,
  openSqlRunner,
  ORGS,
  type SqlRunner,
} from './support/visibility-agreement.js';

/** Issue 12, point 2: the upgrade request's access rule says the same thing in SQL and in TypeScript. */
describe('upgrade request visibility: SQL and TypeScript agree', () => {
  let runner: SqlRunner;
  beforeAll(async () => {
    runner = await openSqlRunner();
  });
  afterAll(async () => {
    await runner.close();
  });

  it('for every caller kind and role, in every relation to the request', async () => {
    const rows = everyCombination({ requestedById: ORGS, programOwnerId: ORGS });
    const found = await disagreements(
      runner,
      { sql: upgradeVisibility, ts: canSeeUpgrade },
      {
        requested_by_id: { type: 'uuid', value: (r) => r.requestedById },
        program_owner_id: { type: 'uuid', value: (r) => r.programOwnerId },
      },
      everyCaller(),
      rows,
    );
    expect(found).toEqual([]);
    expect(rows).toHaveLength(9);
  });

  it('notices a TypeScript form that says more than the SQL form', async () => {
    const found = await disagreements(
      runner,
      { sql: upgradeVisibility, ts: (caller, row) => canSeeUpgrade(caller, row) || row.programOwnerId === ORGS[1] },
      {
        requested_by_id: { type: 'uuid', value: (r) => r.requestedById },
        program_owner_id: { type: 'uuid', value: (r) => r.programOwnerId },
      },
      everyCaller(),
      everyCombination({ requestedById: ORGS, programOwnerId: ORGS }),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/SQL false, TypeScript true/);
  });
});
