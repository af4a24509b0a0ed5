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
  CANCEL_UPGRADE,
  COMPLETE_UPGRADE,
  createProgram,
  ELIGIBILITY,
  RECEIVE_TRADE_IN,
  REQUEST_UPGRADE,
} from './support/upgrades-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('upgrades: eligibility and trade-in requests', () => {
  let t: TestApp;
  let maker: Tenant;
  let otherMaker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let fridgeId: string;
  let newFridgeId: string;
  let program: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    otherMaker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    fridgeId = (await createProduct(t, maker.staff)).id;
    newFridgeId = (await createProduct(t, maker.staff, { name: 'Fridge 2' })).id;
    program = await createProgram(t, maker, [newFridgeId], { maxUnitAgeMonths: 36 });
  });
  afterAll(async () => {
    await t.close();
  });

  const newUnit = async (purchaseDate: string) =>
    assertSuccess(
      await registerUnit(t, seller.staff, {
        productId: fridgeId,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
        customer: { name: 'Grace Hopper' },
      }),
      'Unit',
    );

  it('a unit owned for too short a time is not eligible yet, and says from when', async () => {
    const unit = await newUnit('2026-08-31');
    const res = await gql(t, seller.staff, ELIGIBILITY, { unitId: unit.id, asOf: '2026-11-30' });
    expect(res.errors).toBeUndefined();
    const offer = res.data.upgradeEligibility.offers.find(
      (o: { program: { id: string } }) => o.program.id === program.id,
    );
    // 2026-08-31 + 6 months = 2027-02-28 (clamped to February's last day)
    expect(offer).toMatchObject({
      eligible: false,
      reasons: ['OWNED_TOO_SHORT'],
      eligibleFrom: '2027-02-28',
      maxTradeInValue: { amount: '150.00', currency: 'USD' },
    });
  });

  it('the whole flow: eligible, requested, trade-in received, completed with grade B; the old unit TRADED_IN, the new one to the same owner', async () => {
    const unit = await newUnit(utcDate(-400));
    const eligibility = await gql(t, seller.staff, ELIGIBILITY, { unitId: unit.id });
    expect(eligibility.data.upgradeEligibility.offers).toEqual([
      expect.objectContaining({ eligible: true, reasons: [], eligibleFrom: null }),
    ]);
    const wrongProduct = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: program.id,
      targetProductId: fridgeId,
    });
    expect(wrongProduct).toMatchObject({
      __typename: 'GenericError',
      errorCode: 'VALIDATION_ERROR',
      field: 'targetProductId',
    });
    let upgrade = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    expect(upgrade).toMatchObject({
      __typename: 'UpgradeRequest',
      status: 'REQUESTED',
      version: 1,
      program: { id: program.id },
      targetProduct: { id: newFridgeId },
    });
    upgrade = await run(t, seller.staff, RECEIVE_TRADE_IN, { upgradeId: upgrade.id, expectedVersion: upgrade.version });
    expect(upgrade.status).toBe('TRADE_IN_RECEIVED');
    const unknownGrade = await run(t, seller.staff, COMPLETE_UPGRADE, {
      upgradeId: upgrade.id,
      expectedVersion: upgrade.version,
      grade: 'Z',
      newSerialNumber: uniqueSerial(),
      purchaseDate: utcDate(0),
    });
    expect(unknownGrade).toMatchObject({ __typename: 'GenericError', errorCode: 'VALIDATION_ERROR', field: 'grade' });
    const serial = uniqueSerial();
    upgrade = await run(t, seller.staff, COMPLETE_UPGRADE, {
      upgradeId: upgrade.id,
      expectedVersion: upgrade.version,
      grade: 'B',
      newSerialNumber: serial,
      purchaseDate: utcDate(0),
    });
    expect(upgrade).toMatchObject({
      status: 'COMPLETED',
      grade: 'B',
      tradeInValue: { amount: '90.00', currency: 'USD' },
      unit: { status: 'TRADED_IN' },
      newUnit: {
        serialNumber: serial,
        status: 'ACTIVE',
        purchaseDate: utcDate(0),
        owner: { name: 'Grace Hopper' },
        product: { id: newFridgeId },
      },
    });
    const history = await gql(
      t,
      seller.staff,
      `query($id: ID!) { unit(id: $id) { history { edges { node { type summary } } } } }`,
      { id: unit.id },
    );
    expect(history.data.unit.history.edges.map((e: { node: { type: string } }) => e.node.type)).toContain('TRADED_IN');
    const again = await gql(t, seller.staff, ELIGIBILITY, { unitId: unit.id });
    expect(again.data.upgradeEligibility.offers[0].reasons).toContain('UNIT_NOT_ACTIVE');
  });

  it('a request needs eligibility today; cancelling frees the unit for another', async () => {
    const young = await newUnit(utcDate(-10));
    const refused = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: young.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    expect(refused).toMatchObject({ __typename: 'GenericError', errorCode: 'NOT_ELIGIBLE' });
    const unit = await newUnit(utcDate(-300));
    const first = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    const second = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    expect(second).toMatchObject({ __typename: 'GenericError', field: 'unitId' });
    const cancelled = (await gql(t, seller.staff, CANCEL_UPGRADE, { id: first.id, v: first.version })).data
      .cancelUpgrade;
    expect(cancelled.status).toBe('CANCELLED');
    const stale = (await gql(t, seller.staff, CANCEL_UPGRADE, { id: first.id, v: first.version })).data.cancelUpgrade;
    expect(stale).toMatchObject({ __typename: 'VersionConflictError' });
    const third = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    expect(third.status).toBe('REQUESTED');
  });

  it("isolation: another retailer cannot see the unit's eligibility or the request; another manufacturer's programs do not apply", async () => {
    const unit = await newUnit(utcDate(-300));
    await createProgram(t, otherMaker, [(await createProduct(t, otherMaker.staff)).id]);
    const offers = (await gql(t, seller.staff, ELIGIBILITY, { unitId: unit.id })).data.upgradeEligibility.offers;
    expect(offers.map((o: { program: { id: string } }) => o.program.id)).toEqual([program.id]);
    const stranger = await gql(t, otherSeller.staff, ELIGIBILITY, { unitId: unit.id });
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const upgrade = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    const read = await gql(t, otherSeller.staff, `query($id: ID!) { upgradeRequest(id: $id) { id } }`, {
      id: upgrade.id,
    });
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const moved = await gql(t, otherSeller.staff, CANCEL_UPGRADE, { id: upgrade.id, v: upgrade.version });
    expect(moved.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const fromOtherMaker = await gql(t, otherMaker.staff, `query($id: ID!) { upgradeRequest(id: $id) { id } }`, {
      id: upgrade.id,
    });
    expect(fromOtherMaker.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // the program's owner sees the request against its program
    const fromOwner = await gql(t, maker.readonly, `query($id: ID!) { upgradeRequest(id: $id) { id } }`, {
      id: upgrade.id,
    });
    expect(fromOwner.data.upgradeRequest).toEqual({ id: upgrade.id });
  });

  it("only the program's owner, or the retailer that sold the unit, requests under a program", async () => {
    const unit = await newUnit(utcDate(-300));
    const storeProgram = await createProgram(t, otherSeller, [newFridgeId]);
    const byOtherMaker = await run(t, maker.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: storeProgram.id,
      targetProductId: newFridgeId,
    });
    // the store's program does not even apply: the unit is not one it sold
    expect(byOtherMaker).toMatchObject({ __typename: 'GenericError', field: 'programId' });
    const sellersProgram = await createProgram(t, seller, [newFridgeId]);
    const byMaker = await run(t, maker.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: sellersProgram.id,
      targetProductId: newFridgeId,
    });
    expect(byMaker).toMatchObject({ __typename: 'GenericError', errorCode: 'VALIDATION_ERROR', field: 'programId' });
    const bySeller = await run(t, seller.staff, REQUEST_UPGRADE, {
      unitId: unit.id,
      programId: sellersProgram.id,
      targetProductId: newFridgeId.toUpperCase(),
    });
    expect(bySeller).toMatchObject({
      __typename: 'UpgradeRequest',
      status: 'REQUESTED',
      targetProduct: { id: newFridgeId },
    });
  });

  it('REST: eligibility, request and complete', async () => {
    const unit = await newUnit(utcDate(-200));
    const eligibility = await rest(t, seller.staff).get(`/upgrades/eligibility/${unit.id}`);
    expect(eligibility.status).toBe(200);
    expect(eligibility.body.offers[0]).toMatchObject({
      eligible: true,
      maxTradeInValue: { amount: '150.00', currency: 'USD' },
    });
    const created = await rest(t, seller.staff).post('/upgrades', {
      unitId: unit.id,
      programId: program.id,
      targetProductId: newFridgeId,
    });
    expect(created.status).toBe(201);
    const done = await rest(t, seller.staff).post(`/upgrades/${created.body.id}:complete`, {
      expectedVersion: 1,
      grade: 'A',
      newSerialNumber: uniqueSerial(),
      purchaseDate: utcDate(0),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', grade: 'A', tradeInValue: { amount: '150.00' } });
    const programs = await rest(t, otherSeller.staff).get('/upgrades/programs');
    expect(programs.body.map((p: { id: string }) => p.id)).toContain(program.id);
  });
});
