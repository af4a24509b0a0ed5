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
import { utcDate } from './support/input-helpers.js';
import { APPROVE, ASSIGN, createTechnician, GET, OPEN, run, UPDATE } from './support/repairs-client.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';

const COVERAGE = `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { covered coverages { source name startsAt endsAt } } }`;

describe('repairs: from intake to the warranty claim', () => {
  let t: TestApp;
  let maker: Tenant;
  let seller: Tenant;
  let center: Tenant;
  let tech: { id: string; key: string };
  let productId: string;

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    tech = await createTechnician(t, center);
    productId = (
      await createProduct(t, maker.staff, {
        warrantyTerms: {
          durationMonths: 24,
          startsFrom: 'PURCHASE_DATE',
          coverageTypes: ['PARTS', 'LABOR'],
          repairWarrantyDays: 90,
        },
      })
    ).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const newUnit = async (purchaseDate: string) =>
    assertSuccess(
      await registerUnit(t, seller.staff, {
        productId,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
      }),
      'Unit',
    );

  it('a covered repair: intake by serial at the center, the bench, closing files the claim and starts the repair warranty', async () => {
    const unit = await newUnit(utcDate(-100));
    // the center cannot see the unit yet: it takes it in by serial number
    const opened = await run(t, center.staff, OPEN, {
      serialNumber: unit.serialNumber,
      manufacturerId: maker.id,
      serviceCenterId: center.id,
      reportedIssue: 'Not cooling',
      failureCategory: 'MECHANICAL',
    });
    expect(opened).toMatchObject({
      __typename: 'RepairTicket',
      status: 'RECEIVED',
      nextStates: ['DIAGNOSING', 'CANCELLED'],
      version: 1,
      laborMinutes: 0,
      estimate: null,
      overdue: false,
      unit: { id: unit.id },
      serviceCenter: { id: center.id },
      coverageAtIntake: { covered: true, serialNumber: unit.serialNumber, unit: { id: unit.id } },
      history: [{ from: null, to: 'RECEIVED', actor: { id: center.id } }],
    });
    expect(new Date(opened.dueAt).getTime() - new Date(opened.createdAt).getTime()).toBe(5 * 24 * 3600 * 1000);

    let ticket = await run(t, center.staff, ASSIGN, {
      ticketId: opened.id,
      technicianId: tech.id,
      expectedVersion: opened.version,
    });
    expect(ticket).toMatchObject({ technician: { id: tech.id }, version: 2 });
    ticket = await run(t, tech.key, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'DIAGNOSING',
      note: 'On the bench',
    });
    ticket = await run(t, tech.key, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      diagnosis: 'Compressor relay failed',
      addParts: [
        {
          partNumber: 'RLY-7',
          description: 'Compressor relay',
          quantity: 2,
          unitCost: { amount: '12.50', currency: 'USD' },
        },
      ],
      addLaborMinutes: 50,
    });
    // 2 × 12.50 + 50 min × 90/h = 25.00 + 75.00, all covered
    expect(ticket.estimate).toMatchObject({
      total: { amount: '100.00' },
      covered: { amount: '100.00' },
      customerPays: { amount: '0.00' },
      approvedAt: null,
    });
    expect(ticket.nextStates).toContain('IN_REPAIR');
    for (const status of ['IN_REPAIR', 'QUALITY_CHECK', 'READY']) {
      ticket = await run(t, tech.key, UPDATE, { ticketId: ticket.id, expectedVersion: ticket.version, status });
      expect(ticket.status).toBe(status);
    }
    ticket = await run(t, tech.key, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'CLOSED',
      note: 'Handed back',
    });
    expect(ticket).toMatchObject({ status: 'CLOSED', nextStates: [], overdue: false });
    expect(ticket.warrantyClaim).toMatchObject({
      status: 'SUBMITTED',
      requestedTotal: { amount: '100.00', currency: 'USD' },
    });
    expect(ticket.warrantyClaim.lines.map((l: { kind: string }) => l.kind)).toEqual(['PART', 'LABOR']);
    expect(ticket.history.at(-1)).toMatchObject({
      from: 'READY',
      to: 'CLOSED',
      note: 'Handed back',
      technician: { id: tech.id },
      actor: { id: center.id },
    });

    // the manufacturer sees the claim, linked to the ticket
    const claim = await gql(
      t,
      maker.staff,
      `query($id: ID!) { warrantyClaim(id: $id) { claimant { id } repairTicket { id number } } }`,
      { id: ticket.warrantyClaim.id },
    );
    expect(claim.data.warrantyClaim).toEqual({
      claimant: { id: center.id },
      repairTicket: { id: ticket.id, number: ticket.number },
    });

    // the repair warranty shows for a failure of the same category
    const coverage = await gql(t, center.staff, COVERAGE, {
      q: { serialNumber: unit.serialNumber, manufacturerId: maker.id, failureCategory: 'MECHANICAL' },
    });
    expect(coverage.data.warrantyCoverage.coverages.map((c: { source: string }) => c.source)).toEqual([
      'BASE_WARRANTY',
      'REPAIR_WARRANTY',
    ]);
  });

  it('an out-of-warranty repair opened by the retailer needs the approved estimate before work, and files no claim', async () => {
    const unit = await newUnit(utcDate(-900));
    const opened = await run(t, seller.staff, OPEN, {
      unitId: unit.id,
      serviceCenterId: center.id,
      reportedIssue: 'Door seal torn',
      failureCategory: 'MECHANICAL',
    });
    expect(opened.coverageAtIntake).toMatchObject({ covered: false, reasons: ['EXPIRED'] });
    expect(opened.nextStates).toEqual([]);
    let ticket = await run(t, center.staff, UPDATE, {
      ticketId: opened.id,
      expectedVersion: opened.version,
      status: 'DIAGNOSING',
    });
    ticket = await run(t, center.staff, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'AWAITING_APPROVAL',
      addParts: [
        { partNumber: 'SEAL-1', description: 'Door seal', quantity: 1, unitCost: { amount: '39.90', currency: 'USD' } },
      ],
      addLaborMinutes: 30,
    });
    expect(ticket.estimate).toMatchObject({
      total: { amount: '84.90' },
      covered: { amount: '0.00' },
      customerPays: { amount: '84.90' },
      approvedAt: null,
    });
    expect(ticket.nextStates).toEqual(['CANCELLED']);
    const refused = await run(t, center.staff, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'IN_REPAIR',
    });
    expect(refused).toMatchObject({ __typename: 'GenericError', errorCode: 'ESTIMATE_NOT_APPROVED', field: 'status' });
    expect((await gql(t, center.staff, GET, { id: ticket.id })).data.repairTicket.version).toBe(ticket.version);

    ticket = await run(t, seller.staff, APPROVE, { ticketId: ticket.id, expectedVersion: ticket.version });
    expect(ticket.estimate.approvedAt).toEqual(expect.any(String));
    expect(ticket.history.at(-1)).toMatchObject({
      from: 'AWAITING_APPROVAL',
      to: 'AWAITING_APPROVAL',
      actor: { id: seller.id },
    });
    for (const status of ['IN_REPAIR', 'QUALITY_CHECK', 'READY', 'CLOSED']) {
      ticket = await run(t, center.staff, UPDATE, { ticketId: ticket.id, expectedVersion: ticket.version, status });
    }
    expect(ticket).toMatchObject({ status: 'CLOSED', warrantyClaim: null });
  });

  it('an approval covers what the customer agreed to pay: more parts after it need a new approval before more work', async () => {
    const unit = await newUnit(utcDate(-900));
    const opened = await run(t, seller.staff, OPEN, {
      unitId: unit.id,
      serviceCenterId: center.id,
      reportedIssue: 'Fan noise',
      failureCategory: 'MECHANICAL',
    });
    let ticket = await run(t, center.staff, UPDATE, {
      ticketId: opened.id,
      expectedVersion: opened.version,
      status: 'DIAGNOSING',
      addLaborMinutes: 20,
    });
    ticket = await run(t, seller.staff, APPROVE, { ticketId: ticket.id, expectedVersion: ticket.version });
    expect(ticket.estimate).toMatchObject({ customerPays: { amount: '30.00' }, approvedAt: expect.any(String) });
    // nextStates is the caller's: the retailer follows, the center works
    expect(ticket.nextStates).toEqual([]);
    expect((await gql(t, center.staff, GET, { id: ticket.id })).data.repairTicket.nextStates).toContain('IN_REPAIR');
    ticket = await run(t, center.staff, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      addParts: [
        { partNumber: 'FAN-2', description: 'Fan', quantity: 1, unitCost: { amount: '25.00', currency: 'USD' } },
      ],
    });
    expect(ticket.estimate).toMatchObject({ customerPays: { amount: '55.00' }, approvedAt: null });
    expect(ticket.nextStates).not.toContain('IN_REPAIR');
    expect(ticket.history.at(-1)).toMatchObject({ from: 'DIAGNOSING', to: 'DIAGNOSING', note: '1 part line added' });
    const refused = await run(t, center.staff, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'IN_REPAIR',
    });
    expect(refused).toMatchObject({ __typename: 'GenericError', errorCode: 'ESTIMATE_NOT_APPROVED' });
    ticket = await run(t, center.staff, APPROVE, { ticketId: ticket.id, expectedVersion: ticket.version });
    ticket = await run(t, center.staff, UPDATE, {
      ticketId: ticket.id,
      expectedVersion: ticket.version,
      status: 'IN_REPAIR',
    });
    expect(ticket.status).toBe('IN_REPAIR');
  });

  it('a center without a labor rate cannot log labor minutes (nothing to price them at)', async () => {
    const rateless = await gql(
      t,
      PLATFORM_KEY,
      `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }`,
      { input: { name: 'No-rate repairs', kind: 'SERVICE_CENTER' } },
    );
    const unit = await newUnit(utcDate(-30));
    const opened = await run(t, seller.staff, OPEN, {
      unitId: unit.id,
      serviceCenterId: rateless.data.createOrganization.id,
      reportedIssue: 'Leaks',
      failureCategory: 'MECHANICAL',
    });
    const staff = await gql(
      t,
      PLATFORM_KEY,
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { organizationId: rateless.data.createOrganization.id, name: 'staff', role: 'STAFF' } },
    );
    const refused = await run(t, staff.data.createApiKey.secret, UPDATE, {
      ticketId: opened.id,
      expectedVersion: opened.version,
      addLaborMinutes: 30,
    });
    expect(refused).toMatchObject({
      __typename: 'GenericError',
      errorCode: 'VALIDATION_ERROR',
      field: 'addLaborMinutes',
    });
  });

  it('a claim the center filed for the repair before closing is linked on closing, not filed twice', async () => {
    const unit = await newUnit(utcDate(-60));
    const opened = await run(t, center.staff, OPEN, {
      serialNumber: unit.serialNumber,
      manufacturerId: maker.id,
      serviceCenterId: center.id,
      reportedIssue: 'Hum',
      failureCategory: 'ELECTRICAL',
    });
    let ticket = await run(t, center.staff, UPDATE, {
      ticketId: opened.id,
      expectedVersion: opened.version,
      status: 'DIAGNOSING',
      addLaborMinutes: 30,
    });
    const claim = await gql(
      t,
      center.staff,
      `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) { ... on WarrantyClaim { id status } } }`,
      {
        input: {
          unitId: unit.id,
          repairTicketId: ticket.id,
          failureCategory: 'ELECTRICAL',
          failureDate: utcDate(0),
          description: 'Hum',
          lines: [
            { kind: 'LABOR', description: 'Labor', quantity: '0.5', unitAmount: { amount: '90.00', currency: 'USD' } },
          ],
        },
      },
    );
    expect(claim.data.submitWarrantyClaim.status).toBe('SUBMITTED');
    for (const status of ['IN_REPAIR', 'QUALITY_CHECK', 'READY', 'CLOSED'])
      ticket = await run(t, center.staff, UPDATE, { ticketId: ticket.id, expectedVersion: ticket.version, status });
    expect(ticket.warrantyClaim.id).toBe(claim.data.submitWarrantyClaim.id);
    const claims = await gql(
      t,
      center.staff,
      `query($unitId: ID!) { warrantyClaims(filter: { unitId: $unitId }) { totalCount } }`,
      { unitId: unit.id },
    );
    expect(claims.data.warrantyClaims.totalCount).toBe(1);
  });

  it('others see the center, not its technicians: a manufacturer reads the ticket without the technician; its unit history names no ticket', async () => {
    const unit = await newUnit(utcDate(-60));
    const opened = await run(t, center.staff, OPEN, {
      serialNumber: unit.serialNumber,
      manufacturerId: maker.id,
      serviceCenterId: center.id,
      reportedIssue: 'Noise',
      failureCategory: 'MECHANICAL',
    });
    const assigned = await run(t, center.staff, ASSIGN, {
      ticketId: opened.id,
      technicianId: tech.id,
      expectedVersion: opened.version,
    });
    await run(t, tech.key, UPDATE, { ticketId: assigned.id, expectedVersion: assigned.version, status: 'DIAGNOSING' });
    const fromMaker = (await gql(t, maker.staff, GET, { id: opened.id })).data.repairTicket;
    expect(fromMaker.technician).toBeNull();
    expect(fromMaker.history.every((h: { technician: unknown }) => h.technician === null)).toBe(true);
    const fromCenter = (await gql(t, center.staff, GET, { id: opened.id })).data.repairTicket;
    expect(fromCenter.technician).toMatchObject({ id: tech.id });
    const history = await gql(
      t,
      seller.staff,
      `query($id: ID!) { unit(id: $id) { history { edges { node { type summary data technician { id } } } } } }`,
      { id: unit.id },
    );
    const repairRows = history.data.unit.history.edges
      .map((e: { node: any }) => e.node)
      .filter((n: { type: string }) => n.type.startsWith('REPAIR'));
    expect(repairRows).toEqual([expect.objectContaining({ type: 'REPAIR_OPENED', data: null, technician: null })]);
    expect(repairRows[0].summary).not.toContain(opened.number);
  });

  it("a manufacturer takes in its own units only: another brand's serial is NOT_FOUND and nothing is stored", async () => {
    const otherMaker = await createTenant(t, 'MANUFACTURER');
    const unit = await newUnit(utcDate(-60));
    const res = await gql(t, otherMaker.staff, OPEN, {
      input: {
        serialNumber: unit.serialNumber,
        manufacturerId: maker.id,
        serviceCenterId: center.id,
        reportedIssue: 'x',
        failureCategory: 'OTHER',
      },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const bySerialOnly = await gql(t, otherMaker.staff, OPEN, {
      input: {
        serialNumber: unit.serialNumber,
        serviceCenterId: center.id,
        reportedIssue: 'x',
        failureCategory: 'OTHER',
      },
    });
    expect(bySerialOnly.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await gql(t, otherMaker.staff, `{ repairTickets { totalCount } }`);
    expect(list.data.repairTickets.totalCount).toBe(0);
  });

  it('REST: open, patch and read a ticket; a second open ticket for the unit is refused', async () => {
    const unit = await newUnit(utcDate(-30));
    const created = await rest(t, seller.staff).post('/repair-tickets', {
      unitId: unit.id,
      serviceCenterId: center.id,
      reportedIssue: 'Noisy fan',
      failureCategory: 'MECHANICAL',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'RECEIVED', unitId: unit.id, serviceCenterId: center.id, version: 1 });
    const again = await rest(t, seller.staff).post('/repair-tickets', {
      unitId: unit.id,
      serviceCenterId: center.id,
      reportedIssue: 'Again',
      failureCategory: 'MECHANICAL',
    });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ errorCode: 'REPAIR_ALREADY_OPEN', field: 'unitId' });
    const patched = await rest(t, center.staff).patch(`/repair-tickets/${created.body.id}`, {
      expectedVersion: 1,
      status: 'DIAGNOSING',
      note: 'Looking',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'DIAGNOSING', version: 2 });
    const wrong = await rest(t, center.staff).patch(`/repair-tickets/${created.body.id}`, {
      expectedVersion: 2,
      status: 'READY',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ errorCode: 'INVALID_STATE_TRANSITION' });
    const read = await rest(t, maker.readonly).get(`/repair-tickets/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.nextStates).toEqual([]);
  });
});
