import { addDays, addMonths } from '../src/common/dates/calendar-date.js';
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
import { run } from './support/repairs-client.js';
import {
  createPolicy,
  GET_RETURN,
  INSPECT_RETURN,
  REQUEST_RETURN,
  RESOLVE_RETURN,
  TRANSITION_RETURN,
} from './support/returns-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const COVERAGE = `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { covered coverages { source startsAt endsAt } } }`;

describe('returns: the RMA workflow', () => {
  let t: TestApp;
  let maker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let productId: string;

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    productId = (await createProduct(t, maker.staff)).id;
    await createPolicy(t, seller);
  });
  afterAll(async () => {
    await t.close();
  });

  const newUnit = async (purchaseDate: string, by: Tenant = seller, price = '199.99') =>
    assertSuccess(
      await registerUnit(t, by.staff, {
        productId,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
        purchasePrice: { amount: price, currency: 'USD' },
        customer: { name: 'Ada Lovelace' },
      }),
      'Unit',
    );
  const line = (unitId: string, extra: Record<string, unknown> = {}) => ({
    unitId,
    reason: 'CHANGED_MIND',
    condition: 'OPENED',
    requestedResolution: 'REFUND',
    ...extra,
  });

  it('a refund from request to close: the fee of 15 % on 199.99 is 30.00, the unit ends RETURNED', async () => {
    const unit = await newUnit(utcDate(-10));
    let rma = await run(t, seller.staff, REQUEST_RETURN, { lines: [line(unit.id)] });
    expect(rma).toMatchObject({
      __typename: 'ReturnAuthorization',
      status: 'AUTHORIZED',
      version: 1,
      rejectionReason: null,
      shipBy: utcDate(14),
    });
    expect(rma.lines[0]).toMatchObject({
      restockingFee: { amount: '30.00', currency: 'USD' },
      expectedRefund: { amount: '169.99', currency: 'USD' },
      resolution: null,
    });
    expect(rma.history.map((h: { to: string }) => h.to)).toEqual(['REQUESTED', 'AUTHORIZED']);
    const noTracking = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'IN_TRANSIT',
      expectedVersion: rma.version,
    });
    expect(noTracking).toMatchObject({
      __typename: 'GenericError',
      errorCode: 'VALIDATION_ERROR',
      field: 'trackingNumber',
    });
    rma = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'IN_TRANSIT',
      expectedVersion: rma.version,
      trackingNumber: '1Z999',
      carrier: 'UPS',
    });
    expect(rma).toMatchObject({ status: 'IN_TRANSIT', trackingNumber: '1Z999', carrier: 'UPS', version: 2 });
    rma = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'RECEIVED',
      expectedVersion: rma.version,
    });
    const skip = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'RESOLVED',
      expectedVersion: rma.version,
    });
    expect(skip).toMatchObject({
      __typename: 'InvalidStateTransitionError',
      fromState: 'RECEIVED',
      toState: 'RESOLVED',
      allowedStates: ['INSPECTED'],
    });
    rma = await run(t, seller.staff, INSPECT_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, grade: 'B', condition: 'OPENED' }],
    });
    expect(rma).toMatchObject({ status: 'INSPECTED', lines: [{ inspectionGrade: 'B', inspectedCondition: 'OPENED' }] });
    rma = await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'REFUND' }],
    });
    expect(rma).toMatchObject({
      status: 'RESOLVED',
      lines: [
        { resolution: 'REFUND', refundedAmount: { amount: '169.99' }, unit: { id: unit.id, status: 'RETURNED' } },
      ],
    });
    rma = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'CLOSED',
      expectedVersion: rma.version,
    });
    expect(rma.status).toBe('CLOSED');
    expect(rma.history.map((h: { to: string }) => h.to)).toEqual([
      'REQUESTED',
      'AUTHORIZED',
      'IN_TRANSIT',
      'RECEIVED',
      'INSPECTED',
      'RESOLVED',
      'CLOSED',
    ]);
  });

  it('an exchange of a defective unit registers the replacement to the same owner, with carry-over coverage on its serial', async () => {
    const unit = await newUnit(utcDate(-20));
    let rma = await run(t, seller.staff, REQUEST_RETURN, {
      lines: [line(unit.id, { reason: 'DEFECTIVE', requestedResolution: 'EXCHANGE' })],
    });
    expect(rma.lines[0]).toMatchObject({ expectedRefund: null, restockingFee: null });
    rma = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'RECEIVED',
      expectedVersion: rma.version,
      note: 'Brought to the store',
    });
    rma = await run(t, seller.staff, INSPECT_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, grade: 'C', condition: 'OPENED' }],
    });
    const serial = uniqueSerial();
    rma = await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'EXCHANGE', replacementSerialNumber: serial }],
    });
    expect(rma).toMatchObject({
      status: 'RESOLVED',
      lines: [
        {
          resolution: 'EXCHANGE',
          unit: { status: 'REPLACED' },
          replacementUnit: { serialNumber: serial, status: 'ACTIVE' },
        },
      ],
    });
    const replacement = await gql(
      t,
      seller.staff,
      `query($id: ID!) { unit(id: $id) { owner { name } replacementOf { id } purchaseDate } }`,
      { id: rma.lines[0].replacementUnit.id },
    );
    expect(replacement.data.unit).toEqual({
      owner: { name: 'Ada Lovelace' },
      replacementOf: { id: unit.id },
      purchaseDate: utcDate(0),
    });
    const coverage = await gql(t, seller.staff, COVERAGE, { q: { serialNumber: serial, manufacturerId: maker.id } });
    expect(coverage.data.warrantyCoverage.coverages.map((c: { source: string }) => c.source)).toContain(
      'REPLACEMENT_CARRYOVER',
    );
  });

  it('a line sent for repair opens a ticket at the chosen center, linked both ways; the unit stays ACTIVE', async () => {
    const unit = await newUnit(utcDate(-5));
    let rma = await run(t, seller.staff, REQUEST_RETURN, {
      lines: [line(unit.id, { reason: 'DEFECTIVE', requestedResolution: 'REPAIR' })],
    });
    rma = await run(t, seller.staff, TRANSITION_RETURN, {
      returnId: rma.id,
      to: 'RECEIVED',
      expectedVersion: rma.version,
    });
    rma = await run(t, seller.staff, INSPECT_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, grade: 'D', condition: 'OPENED' }],
    });
    rma = await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'REPAIR', serviceCenterId: center.id }],
    });
    expect(rma).toMatchObject({
      status: 'RESOLVED',
      lines: [
        {
          resolution: 'REPAIR',
          unit: { status: 'ACTIVE' },
          repairTicket: { status: 'RECEIVED', serviceCenter: { id: center.id } },
        },
      ],
    });
    const ticket = await gql(
      t,
      center.staff,
      `query($id: ID!) { repairTicket(id: $id) { returnAuthorization { id } } }`,
      { id: rma.lines[0].repairTicket.id },
    );
    // the center sees the ticket, not the retailer's return
    expect(ticket.data.repairTicket).toEqual({ returnAuthorization: null });
    const fromRetailer = await gql(
      t,
      seller.staff,
      `query($id: ID!) { repairTicket(id: $id) { returnAuthorization { id } } }`,
      { id: rma.lines[0].repairTicket.id },
    );
    expect(fromRetailer.data.repairTicket).toEqual({ returnAuthorization: { id: rma.id } });
  });

  it('one failing line rejects the whole request, named; a defective unit past the window gets the warranty alternative', async () => {
    const fresh = await newUnit(utcDate(-3));
    const old = await newUnit(utcDate(-200));
    const rma = await run(t, seller.staff, REQUEST_RETURN, {
      lines: [line(fresh.id), line(old.id, { reason: 'DEFECTIVE' })],
    });
    expect(rma).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'RETURN_WINDOW_EXPIRED',
      rejectedLine: 1,
      shipBy: null,
    });
    expect(rma.rejectionMessage).toContain('Line 1');
    expect(rma.warrantyAlternative).toMatchObject({ covered: true, serialNumber: old.serialNumber });
    // the rejected request holds no unit: the fresh one may go on another return
    const again = await run(t, seller.staff, REQUEST_RETURN, { lines: [line(fresh.id)] });
    expect(again.status).toBe('AUTHORIZED');
  });

  it('isolation: another retailer cannot see, list or move the return, nor return a unit it did not sell', async () => {
    const unit = await newUnit(utcDate(-2));
    const rma = await run(t, seller.staff, REQUEST_RETURN, { lines: [line(unit.id)] });
    const read = await gql(t, otherSeller.staff, GET_RETURN, { id: rma.id });
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const moved = await gql(t, otherSeller.staff, TRANSITION_RETURN, {
      input: { returnId: rma.id, to: 'CANCELLED', expectedVersion: rma.version },
    });
    expect(moved.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await rest(t, otherSeller.staff).get(`/returns/${rma.id}`)).status).toBe(404);
    const listed = await rest(t, otherSeller.staff).get('/returns');
    expect(listed.body.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(rma.id);
    const stolen = await gql(t, otherSeller.staff, REQUEST_RETURN, { input: { lines: [line(unit.id)] } });
    expect(stolen.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'lines.0.unitId' });
  });

  async function toInspected(unitId: string, extra: Record<string, unknown> = {}, by: Tenant = seller) {
    let rma = await run(t, by.staff, REQUEST_RETURN, { lines: [line(unitId, extra)] });
    rma = await run(t, by.staff, TRANSITION_RETURN, { returnId: rma.id, to: 'RECEIVED', expectedVersion: rma.version });
    return run(t, by.staff, INSPECT_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, grade: 'B', condition: 'OPENED' }],
    });
  }

  it('a defective exchange: the replacement is covered by the carry-over only (no fresh base warranty) and takes the service plans', async () => {
    const plan = await gql(
      t,
      maker.staff,
      `mutation($input: CreateServicePlanInput!) { createServicePlan(input: $input) { id } }`,
      {
        input: {
          name: 'Care+',
          durationMonths: 12,
          startsAfterBaseWarranty: true,
          coverageTypes: ['PARTS', 'LABOR'],
          eligibleCategories: ['FRIDGE'],
          purchaseWindowDays: 60,
          price: { amount: '49.00', currency: 'USD' },
        },
      },
    );
    const purchased = utcDate(-30);
    const unit = await newUnit(purchased);
    const attached = await gql(
      t,
      seller.staff,
      `mutation($input: AttachServicePlanInput!) { attachServicePlan(input: $input) { __typename } }`,
      {
        input: { unitId: unit.id, servicePlanId: plan.data.createServicePlan.id, purchasedAt: purchased },
      },
    );
    expect(attached.data.attachServicePlan.__typename).toBe('Unit');
    const rma = await toInspected(unit.id, { reason: 'DEFECTIVE', requestedResolution: 'EXCHANGE' });
    const serial = uniqueSerial();
    await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'EXCHANGE', replacementSerialNumber: serial }],
    });
    const coverage = await gql(
      t,
      seller.staff,
      `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { coverages { source } coveredUntil unit { servicePlans { plan { id } } } } }`,
      {
        q: { serialNumber: serial, manufacturerId: maker.id },
      },
    );
    const answer = coverage.data.warrantyCoverage;
    expect(answer.coverages.map((c: { source: string }) => c.source)).toEqual(['REPLACEMENT_CARRYOVER']);
    expect(answer.unit.servicePlans).toEqual([{ plan: { id: plan.data.createServicePlan.id } }]);
    // the plan starts the day after the original's base ends and runs 12 months: the last day of any coverage
    const baseEnd = addDays(addMonths(purchased, 24), -1);
    expect(answer.coveredUntil).toBe(addDays(addMonths(addDays(baseEnd, 1), 12), -1));
  });

  it('plans that move to the replacement keep the claims made under them: a used-up plan stays used up', async () => {
    const cosmeticExcluded = (
      await createProduct(t, maker.staff, {
        warrantyTerms: {
          durationMonths: 24,
          startsFrom: 'PURCHASE_DATE',
          coverageTypes: ['PARTS', 'LABOR'],
          excludedFailures: ['COSMETIC'],
        },
      })
    ).id;
    const plan = await gql(
      t,
      maker.staff,
      `mutation($input: CreateServicePlanInput!) { createServicePlan(input: $input) { id } }`,
      {
        input: {
          name: 'Looks+',
          durationMonths: 24,
          startsAfterBaseWarranty: false,
          coverageTypes: ['PARTS'],
          eligibleCategories: ['FRIDGE'],
          purchaseWindowDays: 60,
          maxClaims: 1,
          price: { amount: '19.00', currency: 'USD' },
        },
      },
    );
    const purchased = utcDate(-20);
    const unit = assertSuccess(
      await registerUnit(t, seller.staff, {
        productId: cosmeticExcluded,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: purchased,
        purchasePrice: { amount: '199.99', currency: 'USD' },
      }),
      'Unit',
    );
    await gql(
      t,
      seller.staff,
      `mutation($input: AttachServicePlanInput!) { attachServicePlan(input: $input) { __typename } }`,
      { input: { unitId: unit.id, servicePlanId: plan.data.createServicePlan.id, purchasedAt: purchased } },
    );
    const claim = await gql(
      t,
      seller.staff,
      `mutation($input: SubmitWarrantyClaimInput!) { submitWarrantyClaim(input: $input) { ... on WarrantyClaim { status coverage { source } } } }`,
      {
        input: {
          unitId: unit.id,
          failureCategory: 'COSMETIC',
          failureDate: utcDate(-1),
          description: 'Scratched door',
          lines: [
            {
              kind: 'PART',
              description: 'Door panel',
              quantity: '1',
              unitAmount: { amount: '40.00', currency: 'USD' },
            },
          ],
        },
      },
    );
    expect(claim.data.submitWarrantyClaim).toEqual({ status: 'SUBMITTED', coverage: { source: 'SERVICE_PLAN' } });
    const rma = await toInspected(unit.id, { reason: 'DEFECTIVE', requestedResolution: 'EXCHANGE' });
    const serial = uniqueSerial();
    await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'EXCHANGE', replacementSerialNumber: serial }],
    });
    const coverage = await gql(
      t,
      seller.staff,
      `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { covered reasons } }`,
      { q: { serialNumber: serial, manufacturerId: maker.id, failureCategory: 'COSMETIC' } },
    );
    expect(coverage.data.warrantyCoverage).toEqual({
      covered: false,
      reasons: ['FAILURE_EXCLUDED', 'CLAIM_LIMIT_REACHED'],
    });
  });

  it('a refund asked for but resolved as an exchange leaves no refund and no fee on the line', async () => {
    const unit = await newUnit(utcDate(-4));
    const rma = await toInspected(unit.id);
    expect(rma.lines[0]).toMatchObject({ expectedRefund: { amount: '169.99' }, restockingFee: { amount: '30.00' } });
    const resolved = await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'EXCHANGE', replacementSerialNumber: uniqueSerial() }],
    });
    expect(resolved.lines[0]).toMatchObject({
      resolution: 'EXCHANGE',
      expectedRefund: null,
      restockingFee: null,
      refundedAmount: null,
    });
  });

  it('a line is resolved under the policy that authorized it, not one the retailer made since', async () => {
    const store = await createTenant(t, 'RETAILER');
    await createPolicy(t, store, { name: 'Default 10 %', restockingFeePercent: '10' });
    const unit = await newUnit(utcDate(-4), store, '100.00');
    const rma = await toInspected(unit.id, {}, store);
    await createPolicy(t, store, {
      name: 'Fridges: credit only',
      categories: ['FRIDGE'],
      restockingFeePercent: '50',
      allowedResolutions: ['STORE_CREDIT'],
    });
    const resolved = await run(t, store.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [{ lineId: rma.lines[0].id, resolution: 'REFUND' }],
    });
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      lines: [{ refundedAmount: { amount: '90.00' }, restockingFee: { amount: '10.00' } }],
    });
  });

  it('a defective unit past the window gets the warranty alternative even when the resolution asked for is not allowed', async () => {
    const store = await createTenant(t, 'RETAILER');
    await createPolicy(t, store, { allowedResolutions: ['REFUND'] });
    const unit = await newUnit(utcDate(-100), store);
    const rma = await run(t, store.staff, REQUEST_RETURN, {
      lines: [line(unit.id, { reason: 'DEFECTIVE', requestedResolution: 'REPAIR' })],
    });
    expect(rma).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'RETURN_WINDOW_EXPIRED',
      warrantyAlternative: { covered: true },
    });
  });

  it('a repair resolution reports the failure category given to the service center', async () => {
    const unit = await newUnit(utcDate(-6));
    const rma = await toInspected(unit.id, { reason: 'DEFECTIVE', requestedResolution: 'REPAIR' });
    const resolved = await run(t, seller.staff, RESOLVE_RETURN, {
      returnId: rma.id,
      expectedVersion: rma.version,
      lines: [
        { lineId: rma.lines[0].id, resolution: 'REPAIR', serviceCenterId: center.id, failureCategory: 'ELECTRICAL' },
      ],
    });
    const ticket = await gql(t, seller.staff, `query($id: ID!) { repairTicket(id: $id) { failureCategory } }`, {
      id: resolved.lines[0].repairTicket.id,
    });
    expect(ticket.data.repairTicket.failureCategory).toBe('ELECTRICAL');
  });

  it('REST: request, ship and cancel', async () => {
    const unit = await newUnit(utcDate(-1));
    const created = await rest(t, seller.staff).post('/returns', { lines: [line(unit.id, { condition: 'UNOPENED' })] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'AUTHORIZED',
      lines: [{ unitId: unit.id, expectedRefund: { amount: '169.99' } }],
    });
    const cancelled = await rest(t, seller.staff).post(`/returns/${created.body.id}:transition`, {
      to: 'CANCELLED',
      expectedVersion: 1,
      note: 'Customer kept it',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', version: 2 });
    const stale = await rest(t, seller.staff).post(`/returns/${created.body.id}:transition`, {
      to: 'RECEIVED',
      expectedVersion: 1,
    });
    expect(stale.status).toBe(409);
  });
});
