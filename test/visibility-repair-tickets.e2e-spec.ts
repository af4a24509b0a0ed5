import {
  canSeeTicket,
  seesTechnicians,
  technicianVisibility,
  ticketVisibility,
} from '../src/repairs/repair-ticket.access.js';
import {
  disagreements,
  everyCaller,
  everyCombination,
  ME,
  MY_TECH,
  openSqlRunner,
  ORGS,
  OTHER,
  OTHER_TECH,
  type ColumnTypes,
  type SqlRunner,
} from './support/visibility-agreement.js';

/**
 * Issue 12, point 2: the repair ticket's access rules say the same thing in SQL (the list) and in
 * TypeScript (get, subscriptions, history links). Each party column is drawn from ORGS, so the
 * caller is the service center, the opener, the manufacturer, several of them or none; the
 * technician is the caller's own, another or nobody, so a TECHNICIAN key meets tickets assigned
 * to it and to others.
 */
const rows = everyCombination({
  serviceCenterId: ORGS,
  openedById: ORGS,
  manufacturerId: ORGS,
  technicianId: [MY_TECH, OTHER_TECH, null],
});
type TicketFacts = (typeof rows)[number];

const columns: ColumnTypes<TicketFacts> = {
  service_center_id: { type: 'uuid', value: (r) => r.serviceCenterId },
  opened_by_id: { type: 'uuid', value: (r) => r.openedById },
  manufacturer_id: { type: 'uuid', value: (r) => r.manufacturerId },
  technician_id: { type: 'uuid', value: (r) => r.technicianId },
};

describe('repair ticket visibility: SQL and TypeScript agree', () => {
  let runner: SqlRunner;
  beforeAll(async () => {
    runner = await openSqlRunner();
  });
  afterAll(async () => {
    await runner.close();
  });

  it('who sees the ticket: every caller kind and role, in every relation to the ticket', async () => {
    const found = await disagreements(
      runner,
      { sql: ticketVisibility, ts: canSeeTicket },
      columns,
      everyCaller(),
      rows,
    );
    expect(found).toEqual([]);
    expect(rows).toHaveLength(81);
  });

  it('who sees the technicians (and finds tickets by technician): every caller kind and role, every relation', async () => {
    const found = await disagreements(
      runner,
      { sql: technicianVisibility, ts: seesTechnicians },
      columns,
      everyCaller(),
      rows,
    );
    expect(found).toEqual([]);
  });

  it('the platform sees every ticket; any other key the tickets its organization is a party to, technicians alike', () => {
    for (const caller of everyCaller()) {
      const parties = (r: TicketFacts) => [r.serviceCenterId, r.openedById, r.manufacturerId];
      const expected = rows.filter((r) => caller.organizationKind === 'PLATFORM' || parties(r).includes(ME));
      expect(rows.filter((r) => canSeeTicket(caller, r))).toEqual(expected);
    }
  });

  it('notices a TypeScript form that says more than the SQL form', async () => {
    const found = await disagreements(
      runner,
      { sql: ticketVisibility, ts: (caller, row) => canSeeTicket(caller, row) || row.serviceCenterId === OTHER },
      columns,
      everyCaller(),
      rows,
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/SQL false, TypeScript true/);
  });
});
