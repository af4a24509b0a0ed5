import { DataSource } from 'typeorm';
import {
  assertSuccess,
  createProduct,
  createTenant,
  registerUnit,
  rest,
  uniqueSerial,
  type Tenant,
} from './support/api.js';
import {
  bad400,
  G,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type OpSpec,
} from './support/bad-input-table.js';
import { sqlQuery, utcDate } from './support/input-helpers.js';
import { OPEN, run, UPDATE } from './support/repairs-client.js';
import { createPolicy, REQUEST_RETURN, TRANSITION_RETURN } from './support/returns-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  createProgram,
  expectUpgrade,
  expectUpgradeFailure,
  offerOf,
  storedUpgrade,
  upgradesApi,
  upgradeTableCounts,
  UPGRADES_TRANSPORTS,
  type UpgradesTransport,
} from './support/upgrades-client.js';

/**
 * Upgrades beyond the happy path (docs/rules.md "Upgrades", "Who sees what", "Dates and
 * money", "Always"; docs/decisions.md "Upgrades"), over GraphQL and REST:
 *   - which programs apply: a manufacturer's to units of its products, a retailer's to units it sold;
 *   - OPEN_REPAIR_OR_RETURN, NO_ACTIVE_COVERAGE, PROGRAM_NOT_ACTIVE and eligibleFrom end to end;
 *   - eligibility as of any date, in a constant number of SQL queries however many programs apply;
 *   - the request's states (COMPLETED and CANCELLED are final), the duplicate serial, the future
 *     purchase date; who may change what; bad program input; idempotency; the outbox; concurrency.
 * REST answers problem+json: 400 invalid input, 409 conflicts, 422 refused by a rule (README).
 */

const GQL_OR_REST = UPGRADES_TRANSPORTS.map((transport) => [transport] as const);

describe('upgrades: programs, eligibility and requests beyond the happy path', () => {
  let t: TestApp;
  let maker: Tenant;
  let otherMaker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let fridgeId: string;
  let newFridgeId: string;
  let otherFridgeId: string;
  /** maker's program: FRIDGE units owned 6 to 36 months, grade A 150.00 / B 90.00 USD, from 2020-01-01. */
  let makerProgram: { id: string };
  let allUnitsBefore: () => Promise<number>;

  beforeAll(async () => {
    // no background rounds: the query-count test counts only the requests' own queries
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    [maker, otherMaker, seller, otherSeller, center] = await Promise.all([
      createTenant(t, 'MANUFACTURER'),
      createTenant(t, 'MANUFACTURER'),
      createTenant(t, 'RETAILER'),
      createTenant(t, 'RETAILER'),
      createTenant(t, 'SERVICE_CENTER'),
    ]);
    fridgeId = (await createProduct(t, maker.staff)).id;
    newFridgeId = (await createProduct(t, maker.staff, { name: 'Fridge 2' })).id;
    otherFridgeId = (await createProduct(t, otherMaker.staff, { name: 'Other fridge' })).id;
    makerProgram = await createProgram(t, maker, [newFridgeId], { maxUnitAgeMonths: 36 });
    await createPolicy(t, seller);
    allUnitsBefore = async () => (await sqlQuery(t, `SELECT count(*)::int AS n FROM units`))[0].n;
  });
  afterAll(async () => {
    await t.close();
  });

  const api = (transport: UpgradesTransport) => upgradesApi(t, transport);

  /** A unit of maker's fridge (or another product), sold by `by`. */
  const newUnit = async (
    purchaseDate: string,
    by: Tenant = seller,
    product: { id: string; maker: Tenant } = { id: fridgeId, maker: maker },
  ) =>
    assertSuccess(
      await registerUnit(t, by.staff, {
        productId: product.id,
        manufacturerId: product.maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
        purchasePrice: { amount: '199.99', currency: 'USD' },
        customer: { name: 'Grace Hopper' },
      }),
      'Unit',
    ) as { id: string; serialNumber: string };

  /** A REQUESTED upgrade under maker's program, for a unit bought 300 days ago (eligible today). */
  async function newRequest(by: Tenant = seller) {
    const unit = await newUnit(utcDate(-300), by);
    const upgrade = expectUpgrade(
      await api('GraphQL').request(by.staff, {
        unitId: unit.id,
        programId: makerProgram.id,
        targetProductId: newFridgeId,
      }),
    );
    expect(upgrade).toMatchObject({ status: 'REQUESTED', version: 1 });
    return { ...upgrade, unit };
  }

  const completeBody = (overrides: Record<string, unknown> = {}) => ({
    expectedVersion: 1,
    grade: 'A',
    newSerialNumber: uniqueSerial(),
    purchaseDate: utcDate(0),
    ...overrides,
  });
  const unitStatus = async (id: string) =>
    (await sqlQuery(t, `SELECT status, version FROM units WHERE id = $1`, [id]))[0];

  // -------------------------------------------------------------------------------------------
  describe("which programs apply: a manufacturer's to units of its products, a retailer's to units it sold", () => {
    let sellerProgram: { id: string };
    let otherMakerProgram: { id: string };
    let soldBySeller: { id: string };
    let soldByOther: { id: string };
    let otherMakersUnit: { id: string };

    beforeAll(async () => {
      // a retailer may offer any product (docs/decisions.md)
      sellerProgram = await createProgram(t, seller, [newFridgeId, otherFridgeId], { name: 'Store trade-up' });
      otherMakerProgram = await createProgram(t, otherMaker, [otherFridgeId], { name: 'Other maker trade-up' });
      soldBySeller = await newUnit(utcDate(-300), seller);
      soldByOther = await newUnit(utcDate(-300), otherSeller);
      otherMakersUnit = await newUnit(utcDate(-300), seller, { id: otherFridgeId, maker: otherMaker });
    });

    it.each(GQL_OR_REST)(
      "over %s: the retailer's program applies to a unit it sold, not to another retailer's unit; the manufacturer's to both",
      async (transport) => {
        const own = await api(transport).eligibility(seller.staff, soldBySeller.id);
        expect(offerOf(own, sellerProgram.id)).toMatchObject({
          eligible: true,
          reasons: [],
          eligibleFrom: null,
          maxTradeInValue: { amount: '150.00', currency: 'USD' },
        });
        expect(offerOf(own, makerProgram.id)).toMatchObject({ eligible: true, reasons: [] });
        expect(own.offers!.map((o) => o.programId)).not.toContain(otherMakerProgram.id);

        const others = await api(transport).eligibility(otherSeller.staff, soldByOther.id);
        expect(offerOf(others, makerProgram.id)).toMatchObject({ eligible: true });
        expect(others.offers!.map((o) => o.programId)).not.toContain(sellerProgram.id);
        // the manufacturer sees the same offers for the other retailer's unit: its own program, not the store's
        const byMaker = await api(transport).eligibility(maker.readonly, soldByOther.id);
        expect(byMaker.offers!.map((o) => o.programId).sort()).toEqual(others.offers!.map((o) => o.programId).sort());
      },
    );

    it.each(GQL_OR_REST)(
      "over %s: a manufacturer's program applies to units of its products only",
      async (transport) => {
        const offers = await api(transport).eligibility(seller.staff, otherMakersUnit.id);
        expect(offerOf(offers, otherMakerProgram.id)).toMatchObject({ eligible: true });
        expect(offerOf(offers, sellerProgram.id)).toMatchObject({ eligible: true });
        expect(offers.offers!.map((o) => o.programId)).not.toContain(makerProgram.id);
        // maker cannot see the other manufacturer's unit at all
        const stranger = await api(transport).eligibility(maker.staff, otherMakersUnit.id);
        expect(stranger.failure).toMatchObject({ code: 'NOT_FOUND' });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: requesting under a program that does not apply to the unit is a VALIDATION_ERROR naming programId, and nothing is stored',
      async (transport) => {
        const before = await upgradeTableCounts(t);
        // another retailer's program for a unit this retailer sold
        const storeProgram = await api(transport).request(otherSeller.staff, {
          unitId: soldByOther.id,
          programId: sellerProgram.id,
          targetProductId: newFridgeId,
        });
        expectUpgradeFailure(storeProgram, {
          errorCode: 'VALIDATION_ERROR',
          field: 'programId',
          ...(transport === 'REST' ? { httpStatus: 400 } : {}),
        });
        // another manufacturer's program for a unit of maker's product
        const makersProgram = await api(transport).request(seller.staff, {
          unitId: soldBySeller.id,
          programId: otherMakerProgram.id,
          targetProductId: otherFridgeId,
        });
        expectUpgradeFailure(makersProgram, { errorCode: 'VALIDATION_ERROR', field: 'programId' });
        expect(await upgradeTableCounts(t)).toEqual(before);
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('OPEN_REPAIR_OR_RETURN', () => {
    /** seller's program with no minimum ownership, so that a unit still inside the return window is eligible. */
    let anyAgeProgram: { id: string };
    beforeAll(async () => {
      anyAgeProgram = await createProgram(t, seller, [newFridgeId], { name: 'Trade in any time', minMonthsOwned: 0 });
    });

    it.each(GQL_OR_REST)(
      'over %s: an open repair ticket stands in the way (no eligibleFrom, the request is NOT_ELIGIBLE); once the ticket is CANCELLED it does not',
      async (transport) => {
        const unit = await newUnit(utcDate(-300));
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), makerProgram.id)).toMatchObject({
          eligible: true,
          reasons: [],
        });
        const ticket = await run(t, center.staff, OPEN, {
          serialNumber: unit.serialNumber,
          manufacturerId: maker.id,
          serviceCenterId: center.id,
          reportedIssue: 'Not cooling',
          failureCategory: 'MECHANICAL',
        });
        expect(ticket).toMatchObject({ __typename: 'RepairTicket', status: 'RECEIVED' });

        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), makerProgram.id)).toEqual({
          programId: makerProgram.id,
          eligible: false,
          reasons: ['OPEN_REPAIR_OR_RETURN'],
          eligibleFrom: null,
          maxTradeInValue: { amount: '150.00', currency: 'USD' },
        });
        const before = await upgradeTableCounts(t);
        const refused = await api(transport).request(seller.staff, {
          unitId: unit.id,
          programId: makerProgram.id,
          targetProductId: newFridgeId,
        });
        expectUpgradeFailure(refused, {
          errorCode: 'NOT_ELIGIBLE',
          field: 'unitId',
          ...(transport === 'REST' ? { httpStatus: 422 } : {}),
        });
        expect(refused.transport === 'GraphQL' ? refused.body.message : refused.body.detail).toContain(
          'OPEN_REPAIR_OR_RETURN',
        );
        expect(await upgradeTableCounts(t)).toEqual(before);

        const cancelled = await run(t, center.staff, UPDATE, {
          ticketId: ticket.id,
          expectedVersion: ticket.version,
          status: 'CANCELLED',
          note: 'Customer took it back',
        });
        expect(cancelled.status).toBe('CANCELLED');
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), makerProgram.id)).toMatchObject({
          eligible: true,
          reasons: [],
          eligibleFrom: null,
        });
        expectUpgrade(
          await api(transport).request(seller.staff, {
            unitId: unit.id,
            programId: makerProgram.id,
            targetProductId: newFridgeId,
          }),
        );
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a ticket opened by the retailer for a center counts too, whatever state it is in before it is final',
      async (transport) => {
        const unit = await newUnit(utcDate(-300));
        const ticket = await run(t, seller.staff, OPEN, {
          unitId: unit.id,
          serviceCenterId: center.id,
          reportedIssue: 'Door seal torn',
          failureCategory: 'MECHANICAL',
        });
        const diagnosing = await run(t, center.staff, UPDATE, {
          ticketId: ticket.id,
          expectedVersion: ticket.version,
          status: 'DIAGNOSING',
        });
        expect(diagnosing.status).toBe('DIAGNOSING');
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), makerProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['OPEN_REPAIR_OR_RETURN'],
        });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a unit on an authorized return is not eligible; once the return is CANCELLED it is',
      async (transport) => {
        const unit = await newUnit(utcDate(-10));
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), anyAgeProgram.id)).toMatchObject({
          eligible: true,
          reasons: [],
        });
        const rma = await run(t, seller.staff, REQUEST_RETURN, {
          lines: [{ unitId: unit.id, reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' }],
        });
        expect(rma).toMatchObject({ __typename: 'ReturnAuthorization', status: 'AUTHORIZED' });

        const onReturn = await api(transport).eligibility(seller.staff, unit.id);
        expect(offerOf(onReturn, anyAgeProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['OPEN_REPAIR_OR_RETURN'],
          eligibleFrom: null,
        });
        // maker's program (6 months) also says the unit is owned too short: both reasons, in the enum order, and no date
        expect(offerOf(onReturn, makerProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['OWNED_TOO_SHORT', 'OPEN_REPAIR_OR_RETURN'],
          eligibleFrom: null,
        });
        const before = await upgradeTableCounts(t);
        expectUpgradeFailure(
          await api(transport).request(seller.staff, {
            unitId: unit.id,
            programId: anyAgeProgram.id,
            targetProductId: newFridgeId,
          }),
          { errorCode: 'NOT_ELIGIBLE' },
        );
        expect(await upgradeTableCounts(t)).toEqual(before);

        const cancelled = await run(t, seller.staff, TRANSITION_RETURN, {
          returnId: rma.id,
          to: 'CANCELLED',
          expectedVersion: rma.version,
        });
        expect(cancelled.status).toBe('CANCELLED');
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), anyAgeProgram.id)).toMatchObject({
          eligible: true,
          reasons: [],
        });
        expectUpgrade(
          await api(transport).request(seller.staff, {
            unitId: unit.id,
            programId: anyAgeProgram.id,
            targetProductId: newFridgeId,
          }),
        );
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('coverage, program dates and asOf', () => {
    /** requiresActiveCoverage, no age limit. */
    let coverageProgram: { id: string };
    /** Starts 30 days from today. */
    let futureProgram: { id: string };
    /** Runs 2025-08-01 onwards (fixed dates, read with asOf). */
    let augustProgram: { id: string };
    /** Ran 2024-01-01 through 2025-12-31. */
    let endedProgram: { id: string };

    beforeAll(async () => {
      coverageProgram = await createProgram(t, maker, [newFridgeId], {
        name: 'Covered units only',
        requiresActiveCoverage: true,
      });
      futureProgram = await createProgram(t, maker, [newFridgeId], { name: 'Next month', validFrom: utcDate(30) });
      augustProgram = await createProgram(t, maker, [newFridgeId], {
        name: 'From August 2025',
        validFrom: '2025-08-01',
        maxUnitAgeMonths: 36,
      });
      endedProgram = await createProgram(t, maker, [newFridgeId], {
        name: 'Ended 2025',
        validFrom: '2024-01-01',
        validUntil: '2025-12-31',
      });
    });

    it.each(GQL_OR_REST)(
      'over %s: NO_ACTIVE_COVERAGE with requiresActiveCoverage once the 24-month warranty has ended (2023-01-10 → last day 2025-01-09)',
      async (transport) => {
        const unit = await newUnit('2023-01-10');
        const today = await api(transport).eligibility(seller.staff, unit.id);
        expect(offerOf(today, coverageProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['NO_ACTIVE_COVERAGE'],
          eligibleFrom: null,
        });
        // 2023-01-10 + 24 months − 1 day = 2025-01-09, the warranty's last day
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-01-09'), coverageProgram.id),
        ).toMatchObject({ eligible: true, reasons: [] });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-01-10'), coverageProgram.id),
        ).toMatchObject({ eligible: false, reasons: ['NO_ACTIVE_COVERAGE'] });
        // a program that does not need coverage has no such reason for the same unit
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-01-10'), makerProgram.id),
        ).toMatchObject({ eligible: true, reasons: [] });
        const before = await upgradeTableCounts(t);
        expectUpgradeFailure(
          await api(transport).request(seller.staff, {
            unitId: unit.id,
            programId: coverageProgram.id,
            targetProductId: newFridgeId,
          }),
          { errorCode: 'NOT_ELIGIBLE', field: 'unitId' },
        );
        expect(await upgradeTableCounts(t)).toEqual(before);
        // a unit still under its warranty is eligible under the same program
        const covered = await newUnit(utcDate(-300));
        expect(offerOf(await api(transport).eligibility(seller.staff, covered.id), coverageProgram.id)).toMatchObject({
          eligible: true,
          reasons: [],
        });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: PROGRAM_NOT_ACTIVE before validFrom, with eligibleFrom = validFrom when the unit is otherwise eligible; the request is NOT_ELIGIBLE naming the date',
      async (transport) => {
        const unit = await newUnit(utcDate(-300));
        const validFrom = utcDate(30);
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), futureProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['PROGRAM_NOT_ACTIVE'],
          eligibleFrom: validFrom,
        });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, utcDate(29)), futureProgram.id),
        ).toMatchObject({ eligible: false, reasons: ['PROGRAM_NOT_ACTIVE'], eligibleFrom: validFrom });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, validFrom), futureProgram.id),
        ).toMatchObject({ eligible: true, reasons: [], eligibleFrom: null });
        const refused = await api(transport).request(seller.staff, {
          unitId: unit.id,
          programId: futureProgram.id,
          targetProductId: newFridgeId,
        });
        expectUpgradeFailure(refused, { errorCode: 'NOT_ELIGIBLE', field: 'unitId' });
        expect(refused.transport === 'GraphQL' ? refused.body.message : refused.body.detail).toContain(validFrom);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: owned too short and the program not started: eligibleFrom is the later date (bought 2024-12-20: + 6 months = 2025-06-20; program from 2025-08-01)',
      async (transport) => {
        const unit = await newUnit('2024-12-20');
        const january = await api(transport).eligibility(seller.staff, unit.id, '2025-01-15');
        expect(offerOf(january, augustProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['OWNED_TOO_SHORT', 'PROGRAM_NOT_ACTIVE'],
          eligibleFrom: '2025-08-01',
        });
        expect(offerOf(january, makerProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['OWNED_TOO_SHORT'],
          eligibleFrom: '2025-06-20',
        });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-07-01'), augustProgram.id),
        ).toMatchObject({ eligible: false, reasons: ['PROGRAM_NOT_ACTIVE'], eligibleFrom: '2025-08-01' });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-08-01'), augustProgram.id),
        ).toMatchObject({ eligible: true, reasons: [] });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a program that has ended is PROGRAM_NOT_ACTIVE with no eligibleFrom; its last day (2025-12-31) is inclusive',
      async (transport) => {
        const unit = await newUnit('2024-12-20');
        expect(offerOf(await api(transport).eligibility(seller.staff, unit.id), endedProgram.id)).toMatchObject({
          eligible: false,
          reasons: ['PROGRAM_NOT_ACTIVE'],
          eligibleFrom: null,
        });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-12-31'), endedProgram.id),
        ).toMatchObject({ eligible: true, reasons: [] });
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2026-01-01'), endedProgram.id),
        ).toMatchObject({ eligible: false, reasons: ['PROGRAM_NOT_ACTIVE'], eligibleFrom: null });
        // owned too short on 2025-01-15 under a program that still runs on 2025-06-20 (it ends 2025-12-31): that date is given
        expect(
          offerOf(await api(transport).eligibility(seller.staff, unit.id, '2025-01-15'), endedProgram.id),
        ).toMatchObject({ eligible: false, reasons: ['OWNED_TOO_SHORT'], eligibleFrom: '2025-06-20' });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: eligibility as of a past or a future date (bought 2025-03-15 under 6 to 36 months: 2025-09-15 through 2028-03-15)',
      async (transport) => {
        const unit = await newUnit('2025-03-15');
        const at = async (asOf: string) => {
          const answer = await api(transport).eligibility(seller.staff, unit.id, asOf);
          expect({ asOf: answer.asOf, unitId: answer.unitId }).toEqual({ asOf, unitId: unit.id });
          const { programId: _id, maxTradeInValue: _value, ...verdict } = offerOf(answer, makerProgram.id);
          return verdict;
        };
        expect(await at('2025-01-01')).toEqual({
          eligible: false,
          reasons: ['OWNED_TOO_SHORT'],
          eligibleFrom: '2025-09-15',
        });
        expect(await at('2025-09-14')).toEqual({
          eligible: false,
          reasons: ['OWNED_TOO_SHORT'],
          eligibleFrom: '2025-09-15',
        });
        expect(await at('2025-09-15')).toEqual({ eligible: true, reasons: [], eligibleFrom: null });
        expect(await at('2028-03-15')).toEqual({ eligible: true, reasons: [], eligibleFrom: null });
        expect(await at('2028-03-16')).toEqual({ eligible: false, reasons: ['UNIT_TOO_OLD'], eligibleFrom: null });
        // no asOf is today (UTC)
        const byDefault = await api(transport).eligibility(seller.staff, unit.id);
        expect(byDefault.asOf).toBe(utcDate(0));
        expect(byDefault.offers).toEqual((await api(transport).eligibility(seller.staff, unit.id, utcDate(0))).offers);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: an asOf that is no date ("2025-02-30") is refused naming asOf',
      async (transport) => {
        const unit = await newUnit('2025-03-15');
        const answer = await api(transport).eligibility(seller.staff, unit.id, '2025-02-30');
        expect(answer.failure).toMatchObject({ code: 'BAD_USER_INPUT' });
        if (transport === 'REST') expect(answer.failure).toMatchObject({ httpStatus: 400, field: 'asOf' });
        else expect(JSON.stringify(answer.body ?? null) + JSON.stringify(answer.failure)).not.toContain('INTERNAL');
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  it('eligibility answers in the same number of SQL queries for 1 program as for 20, over GraphQL (with owners and target products) and REST', async () => {
    const qMaker = await createTenant(t, 'MANUFACTURER');
    const products = [
      (await createProduct(t, qMaker.staff)).id,
      (await createProduct(t, qMaker.staff, { name: 'Q2' })).id,
      (await createProduct(t, qMaker.staff, { name: 'Q3' })).id,
    ];
    const unit = assertSuccess(
      await registerUnit(t, qMaker.staff, {
        productId: products[0],
        serialNumber: uniqueSerial(),
        purchaseDate: '2025-01-01',
      }),
      'Unit',
    );
    await createProgram(t, qMaker, [products[1]], { name: 'Q program 1' });

    const dataSource = t.app.get(DataSource);
    const original = dataSource.logger.logQuery.bind(dataSource.logger);
    let count = 0;
    dataSource.logger.logQuery = (...args: Parameters<typeof original>) => {
      count++;
      return original(...args);
    };
    try {
      const queriesFor = async (transport: UpgradesTransport, programs: number) => {
        await api(transport).eligibility(qMaker.readonly, unit.id, '2025-09-01'); // warm: the API key lookup is cached
        count = 0;
        const answer = await api(transport).eligibility(qMaker.readonly, unit.id, '2025-09-01');
        const queries = count;
        expect(answer.offers).toHaveLength(programs);
        expect(answer.offers!.every((o) => o.eligible)).toBe(true);
        if (transport === 'GraphQL') {
          expect(
            answer.body.offers.every(
              (o: any) => o.program.owner.id === qMaker.id && o.program.targetProducts.length >= 1,
            ),
          ).toBe(true);
        }
        return queries;
      };
      const one = { GraphQL: await queriesFor('GraphQL', 1), REST: await queriesFor('REST', 1) };
      for (let i = 2; i <= 20; i++) {
        const targets = i % 3 === 0 ? [products[1], products[2]] : [products[1 + (i % 2)]];
        await createProgram(t, qMaker, targets, {
          name: `Q program ${i}`,
          tradeInValues: [{ grade: 'A', value: { amount: `${100 + i}.00`, currency: 'USD' } }],
        });
      }
      const twenty = { GraphQL: await queriesFor('GraphQL', 20), REST: await queriesFor('REST', 20) };
      expect(one.GraphQL).toBeGreaterThanOrEqual(1);
      expect(one.REST).toBeGreaterThanOrEqual(1);
      expect(twenty).toEqual(one);
    } finally {
      dataSource.logger.logQuery = original;
    }
  });

  // -------------------------------------------------------------------------------------------
  describe("the request's states: REQUESTED → TRADE_IN_RECEIVED | COMPLETED | CANCELLED; TRADE_IN_RECEIVED → COMPLETED | CANCELLED; COMPLETED and CANCELLED are final", () => {
    const refusedWith = (transport: UpgradesTransport, from: string, to: string, allowedStates: string[]) => ({
      errorCode: 'INVALID_STATE_TRANSITION',
      fromState: from,
      toState: to,
      allowedStates,
      ...(transport === 'REST' ? { httpStatus: 422 } : {}),
    });

    it.each(GQL_OR_REST)(
      'over %s: complete straight from REQUESTED: grade A is worth 150.00 USD, the old unit is TRADED_IN, the new one ACTIVE',
      async (transport) => {
        const req = await newRequest();
        const done = expectUpgrade(await api(transport).complete(seller.staff, req.id, completeBody()));
        expect(done).toMatchObject({
          status: 'COMPLETED',
          version: 2,
          grade: 'A',
          tradeInValue: { amount: '150.00', currency: 'USD' },
          newUnitId: expect.any(String),
        });
        expect(await unitStatus(req.unit.id)).toMatchObject({ status: 'TRADED_IN' });
        expect(await unitStatus(done.newUnitId!)).toMatchObject({ status: 'ACTIVE' });
        expect(await storedUpgrade(t, req.id)).toMatchObject({
          status: 'COMPLETED',
          version: 2,
          grade: 'A',
          history: 2,
          outbox: 2,
        });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: receiveTradeIn twice: the second is an InvalidStateTransitionError (allowed COMPLETED, CANCELLED) and changes nothing; cancel then works',
      async (transport) => {
        const req = await newRequest();
        const received = expectUpgrade(await api(transport).receive(seller.staff, req.id, 1));
        expect(received).toMatchObject({ status: 'TRADE_IN_RECEIVED', version: 2 });
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        expectUpgradeFailure(
          await api(transport).receive(seller.staff, req.id, 2),
          refusedWith(transport, 'TRADE_IN_RECEIVED', 'TRADE_IN_RECEIVED', ['COMPLETED', 'CANCELLED']),
        );
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
        expect(expectUpgrade(await api(transport).cancel(seller.staff, req.id, 2))).toMatchObject({
          status: 'CANCELLED',
          version: 3,
        });
        expect(await unitStatus(req.unit.id)).toMatchObject({ status: 'ACTIVE' });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a COMPLETED request is final: complete, cancel and receiveTradeIn are InvalidStateTransitionErrors with allowedStates [] and change nothing',
      async (transport) => {
        const req = await newRequest();
        expectUpgrade(await api(transport).complete(seller.staff, req.id, completeBody()));
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        expectUpgradeFailure(
          await api(transport).complete(seller.staff, req.id, completeBody({ expectedVersion: 2 })),
          refusedWith(transport, 'COMPLETED', 'COMPLETED', []),
        );
        expectUpgradeFailure(
          await api(transport).cancel(seller.staff, req.id, 2),
          refusedWith(transport, 'COMPLETED', 'CANCELLED', []),
        );
        expectUpgradeFailure(
          await api(transport).receive(seller.staff, req.id, 2),
          refusedWith(transport, 'COMPLETED', 'TRADE_IN_RECEIVED', []),
        );
        // the program's owner gets the same answer
        expectUpgradeFailure(
          await api(transport).cancel(maker.staff, req.id, 2),
          refusedWith(transport, 'COMPLETED', 'CANCELLED', []),
        );
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a CANCELLED request is final: complete, cancel and receiveTradeIn are InvalidStateTransitionErrors with allowedStates [] and change nothing',
      async (transport) => {
        const req = await newRequest();
        expectUpgrade(await api(transport).cancel(seller.staff, req.id, 1));
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        expectUpgradeFailure(
          await api(transport).complete(seller.staff, req.id, completeBody({ expectedVersion: 2 })),
          refusedWith(transport, 'CANCELLED', 'COMPLETED', []),
        );
        expectUpgradeFailure(
          await api(transport).cancel(seller.staff, req.id, 2),
          refusedWith(transport, 'CANCELLED', 'CANCELLED', []),
        );
        expectUpgradeFailure(
          await api(transport).receive(seller.staff, req.id, 2),
          refusedWith(transport, 'CANCELLED', 'TRADE_IN_RECEIVED', []),
        );
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
        expect(await unitStatus(req.unit.id)).toMatchObject({ status: 'ACTIVE' });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a stale expectedVersion is VERSION_CONFLICT naming the current version, and changes nothing',
      async (transport) => {
        const req = await newRequest();
        expectUpgrade(await api(transport).receive(seller.staff, req.id, 1));
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        expectUpgradeFailure(
          await api(transport).complete(seller.staff, req.id, completeBody({ expectedVersion: 1 })),
          { errorCode: 'VERSION_CONFLICT', currentVersion: 2, ...(transport === 'REST' ? { httpStatus: 409 } : {}) },
        );
        expectUpgradeFailure(await api(transport).cancel(seller.staff, req.id, 1), {
          errorCode: 'VERSION_CONFLICT',
          currentVersion: 2,
        });
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('completing', () => {
    it.each(GQL_OR_REST)(
      'over %s: a new serial the manufacturer already has is DUPLICATE_SERIAL_NUMBER naming newSerialNumber, and nothing changes (the old unit stays ACTIVE)',
      async (transport) => {
        const taken = await newUnit(utcDate(-5), seller, { id: newFridgeId, maker });
        const req = await newRequest();
        const before = {
          stored: await storedUpgrade(t, req.id),
          counts: await upgradeTableCounts(t),
          old: await unitStatus(req.unit.id),
        };
        for (const serial of [taken.serialNumber, `  ${taken.serialNumber}  `]) {
          const duplicate = await api(transport).complete(
            seller.staff,
            req.id,
            completeBody({ newSerialNumber: serial }),
          );
          expectUpgradeFailure(duplicate, {
            errorCode: 'DUPLICATE_SERIAL_NUMBER',
            field: 'newSerialNumber',
            ...(transport === 'REST' ? { httpStatus: 409 } : {}),
          });
        }
        expect({
          stored: await storedUpgrade(t, req.id),
          counts: await upgradeTableCounts(t),
          old: await unitStatus(req.unit.id),
        }).toEqual(before);
        expect(before.old.status).toBe('ACTIVE');
        // serial numbers are unique per manufacturer: another manufacturer's serial is free for maker's new unit
        const othersSerial = (await newUnit(utcDate(-5), seller, { id: otherFridgeId, maker: otherMaker }))
          .serialNumber;
        const done = expectUpgrade(
          await api(transport).complete(seller.staff, req.id, completeBody({ newSerialNumber: othersSerial })),
        );
        expect(done).toMatchObject({ status: 'COMPLETED', version: 2 });
        expect(await unitStatus(req.unit.id)).toMatchObject({ status: 'TRADED_IN' });
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a purchaseDate in the future is a VALIDATION_ERROR naming purchaseDate, and nothing changes',
      async (transport) => {
        const req = await newRequest();
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        const future = await api(transport).complete(seller.staff, req.id, completeBody({ purchaseDate: utcDate(1) }));
        expectUpgradeFailure(future, {
          errorCode: 'VALIDATION_ERROR',
          field: 'purchaseDate',
          ...(transport === 'REST' ? { httpStatus: 400 } : {}),
        });
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
      },
    );

    // A unit with an open repair ticket or return may not trade in (docs/rules.md, OPEN_REPAIR_OR_RETURN). A
    // ticket or return opened after the request must stop the completion too: otherwise the traded-in
    // unit's return can never be resolved (a refund of a TRADED_IN unit is UNIT_NOT_ACTIVE, and an
    // INSPECTED return cannot be cancelled) and the center works on a unit the customer no longer owns.
    it.each(GQL_OR_REST)(
      'over %s: a repair ticket opened after the request stops the completion (OPEN_REPAIR_OR_RETURN); nothing changes',
      async (transport) => {
        const req = await newRequest();
        const ticket = await run(t, seller.staff, OPEN, {
          unitId: req.unit.id,
          serviceCenterId: center.id,
          reportedIssue: 'Compressor noise',
          failureCategory: 'MECHANICAL',
        });
        expect(ticket).toMatchObject({ __typename: 'RepairTicket', status: 'RECEIVED' });
        const before = {
          stored: await storedUpgrade(t, req.id),
          counts: await upgradeTableCounts(t),
          old: await unitStatus(req.unit.id),
        };
        const outcome = await api(transport).complete(seller.staff, req.id, completeBody());
        expect({ completed: outcome.upgrade?.status ?? null, errorCode: outcome.failure?.errorCode }).toEqual({
          completed: null,
          errorCode: expect.stringMatching(/^(NOT_ELIGIBLE|VALIDATION_ERROR)$/),
        });
        expect({
          stored: await storedUpgrade(t, req.id),
          counts: await upgradeTableCounts(t),
          old: await unitStatus(req.unit.id),
        }).toEqual(before);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a return authorized after the request stops the completion (OPEN_REPAIR_OR_RETURN); nothing changes',
      async (transport) => {
        const anyAge = await createProgram(t, seller, [newFridgeId], {
          name: 'Any age, for the return check',
          minMonthsOwned: 0,
        });
        const unit = await newUnit(utcDate(-10));
        const req = expectUpgrade(
          await api('GraphQL').request(seller.staff, {
            unitId: unit.id,
            programId: anyAge.id,
            targetProductId: newFridgeId,
          }),
        );
        const rma = await run(t, seller.staff, REQUEST_RETURN, {
          lines: [{ unitId: unit.id, reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' }],
        });
        expect(rma).toMatchObject({ __typename: 'ReturnAuthorization', status: 'AUTHORIZED' });
        const before = {
          stored: await storedUpgrade(t, req.id),
          counts: await upgradeTableCounts(t),
          old: await unitStatus(unit.id),
        };
        const outcome = await api(transport).complete(seller.staff, req.id, completeBody());
        expect({ completed: outcome.upgrade?.status ?? null, errorCode: outcome.failure?.errorCode }).toEqual({
          completed: null,
          errorCode: expect.stringMatching(/^(NOT_ELIGIBLE|VALIDATION_ERROR)$/),
        });
        expect({
          stored: await storedUpgrade(t, req.id),
          counts: await upgradeTableCounts(t),
          old: await unitStatus(unit.id),
        }).toEqual(before);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: an unknown grade is a VALIDATION_ERROR naming grade, and nothing changes',
      async (transport) => {
        const req = await newRequest();
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        expectUpgradeFailure(await api(transport).complete(seller.staff, req.id, completeBody({ grade: 'Z' })), {
          errorCode: 'VALIDATION_ERROR',
          field: 'grade',
        });
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('who may do what', () => {
    const forbidden = (transport: UpgradesTransport) => ({
      code: 'FORBIDDEN',
      ...(transport === 'REST' ? { httpStatus: 403 } : {}),
    });
    const programInput = () => ({
      name: 'Trade up',
      eligibleCategories: ['FRIDGE'],
      targetProductIds: [newFridgeId],
      minMonthsOwned: 6,
      validFrom: '2020-01-01',
      tradeInValues: [{ grade: 'A', value: { amount: '150.00', currency: 'USD' } }],
    });

    it.each(GQL_OR_REST)(
      'over %s: READONLY keys are FORBIDDEN on every change (create a program, request, receive, complete, cancel), and nothing changes',
      async (transport) => {
        const req = await newRequest();
        const spare = await newUnit(utcDate(-300));
        const before = { stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) };
        expect((await api(transport).createProgram(seller.readonly, programInput())).failure).toMatchObject(
          forbidden(transport),
        );
        expect((await api(transport).createProgram(maker.readonly, programInput())).failure).toMatchObject(
          forbidden(transport),
        );
        expectUpgradeFailure(
          await api(transport).request(seller.readonly, {
            unitId: spare.id,
            programId: makerProgram.id,
            targetProductId: newFridgeId,
          }),
          forbidden(transport),
        );
        for (const key of [seller.readonly, maker.readonly]) {
          expectUpgradeFailure(await api(transport).receive(key, req.id, 1), forbidden(transport));
          expectUpgradeFailure(await api(transport).complete(key, req.id, completeBody()), forbidden(transport));
          expectUpgradeFailure(await api(transport).cancel(key, req.id, 1), forbidden(transport));
        }
        expect({ stored: await storedUpgrade(t, req.id), counts: await upgradeTableCounts(t) }).toEqual(before);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a service center cannot create programs or request upgrades, even for a unit it sees (FORBIDDEN), and nothing changes',
      async (transport) => {
        const unit = await newUnit(utcDate(-300));
        // the center sees the unit through a ticket at its center, cancelled so that nothing else stands in the way
        const ticket = await run(t, seller.staff, OPEN, {
          unitId: unit.id,
          serviceCenterId: center.id,
          reportedIssue: 'Rattles',
          failureCategory: 'MECHANICAL',
        });
        await run(t, center.staff, UPDATE, {
          ticketId: ticket.id,
          expectedVersion: ticket.version,
          status: 'CANCELLED',
        });
        expect(offerOf(await api(transport).eligibility(center.staff, unit.id), makerProgram.id)).toMatchObject({
          eligible: true,
        });
        const before = await upgradeTableCounts(t);
        for (const key of [center.staff, center.admin]) {
          expect((await api(transport).createProgram(key, programInput())).failure).toMatchObject(forbidden(transport));
          expectUpgradeFailure(
            await api(transport).request(key, {
              unitId: unit.id,
              programId: makerProgram.id,
              targetProductId: newFridgeId,
            }),
            forbidden(transport),
          );
        }
        expect(await upgradeTableCounts(t)).toEqual(before);
      },
    );

    it.each(GQL_OR_REST)(
      "over %s: a manufacturer's program offers its own products: another manufacturer's product is BAD_USER_INPUT naming targetProductIds.<i>; a retailer may offer both",
      async (transport) => {
        const before = await upgradeTableCounts(t);
        const first = await api(transport).createProgram(maker.staff, {
          ...programInput(),
          targetProductIds: [otherFridgeId],
        });
        expect(first.failure).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'targetProductIds.0',
          ...(transport === 'REST' ? { httpStatus: 400, errorCode: 'VALIDATION_ERROR' } : {}),
        });
        const second = await api(transport).createProgram(maker.staff, {
          ...programInput(),
          targetProductIds: [newFridgeId, otherFridgeId],
        });
        expect(second.failure).toMatchObject({ code: 'BAD_USER_INPUT', field: 'targetProductIds.1' });
        expect(await upgradeTableCounts(t)).toEqual(before);
        const store = await api(transport).createProgram(seller.staff, {
          ...programInput(),
          targetProductIds: [newFridgeId, otherFridgeId],
        });
        expect(store).toMatchObject({ id: expect.any(String) });
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('createUpgradeProgram: bad input is refused naming the field, and nothing is stored', () => {
    interface ProgramFixtures {
      maker: Tenant;
      newFridgeId: string;
      otherFridgeId: string;
    }
    const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
    const OPS: Record<'createUpgradeProgram', OpSpec<ProgramFixtures>> = {
      createUpgradeProgram: {
        mutation: `mutation($input: CreateUpgradeProgramInput!) { createUpgradeProgram(input: $input) { id } }`,
        key: (f) => f.maker.staff,
        valid: (f) => ({
          name: 'Trade up',
          eligibleCategories: ['FRIDGE'],
          targetProductIds: [f.newFridgeId],
          minMonthsOwned: 6,
          maxUnitAgeMonths: 36,
          requiresActiveCoverage: false,
          validFrom: '2026-01-01',
          validUntil: '2026-12-31',
          tradeInValues: [
            { grade: 'A', value: { amount: '150.00', currency: 'USD' } },
            { grade: 'B', value: { amount: '90.00', currency: 'USD' } },
          ],
        }),
        rest: (input) => ({ path: '/upgrades/programs', body: input }),
        restStatus: 201,
      },
    };
    const op = 'createUpgradeProgram' as const;
    const foreign = (f: ProgramFixtures) => [f.otherFridgeId];
    const CASES: BadCase<'createUpgradeProgram'>[] = [
      G(
        op,
        'tradeInValues.1.value.currency',
        'EUR',
        refused('tradeInValues.1.value.currency'),
        'tradeInValues in two currencies (USD, then EUR)',
      ),
      G(op, 'tradeInValues.1.grade', 'A', refused('tradeInValues.1.grade'), 'grade "A" listed twice'),
      G(
        op,
        'tradeInValues.1.grade',
        ' A ',
        refused('tradeInValues.1.grade'),
        'grade " A " listed twice (the same once trimmed)',
      ),
      G(op, 'validUntil', '2025-12-31', refused('validUntil'), 'validUntil 2025-12-31 before validFrom 2026-01-01'),
      G(op, 'maxUnitAgeMonths', 5, refused('maxUnitAgeMonths'), 'maxUnitAgeMonths 5 below minMonthsOwned 6'),
      G(
        op,
        'targetProductIds',
        foreign,
        refused('targetProductIds.0'),
        "another manufacturer's product as targetProductIds.0",
      ),
      G(
        op,
        'targetProductIds',
        [UNKNOWN_ID],
        refused('targetProductIds.0'),
        'an unknown product as targetProductIds.0',
      ),
      G(op, 'targetProductIds', [], refused('targetProductIds'), 'no target products'),
      G(op, 'tradeInValues', [], refused('tradeInValues'), 'no trade-in values'),
      G(op, 'eligibleCategories', [], refused('eligibleCategories'), 'no eligible categories'),
      G(op, 'minMonthsOwned', -1, refused('minMonthsOwned')),
      G(op, 'validFrom', '2026-02-30', mentioned('validFrom'), 'validFrom "2026-02-30" (no such day)'),
      G(op, 'tradeInValues.0.value.amount', '-1.00', refused('tradeInValues.0.value.amount')),
      G(op, 'tradeInValues.0.value.currency', 'XYZ', refused('tradeInValues.0.value.currency')),
      G(op, 'name', '   ', refused('name'), 'a blank name'),
      R(
        op,
        'tradeInValues.1.value.currency',
        'EUR',
        bad400('tradeInValues.1.value.currency'),
        'tradeInValues in two currencies (USD, then EUR)',
      ),
      R(op, 'tradeInValues.1.grade', 'A', bad400('tradeInValues.1.grade'), 'grade "A" listed twice'),
      R(op, 'validUntil', '2025-12-31', bad400('validUntil'), 'validUntil 2025-12-31 before validFrom 2026-01-01'),
      R(op, 'maxUnitAgeMonths', 5, bad400('maxUnitAgeMonths'), 'maxUnitAgeMonths 5 below minMonthsOwned 6'),
      R(
        op,
        'targetProductIds',
        foreign,
        bad400('targetProductIds.0'),
        "another manufacturer's product as targetProductIds.0",
      ),
      R(op, 'targetProductIds', [UNKNOWN_ID], bad400('targetProductIds.0'), 'an unknown product as targetProductIds.0'),
      R(op, 'tradeInValues', [], bad400('tradeInValues'), 'no trade-in values'),
      R(op, 'minMonthsOwned', -1, bad400('minMonthsOwned')),
      R(op, 'validFrom', '2026-02-30', bad400('validFrom'), 'validFrom "2026-02-30" (no such day)'),
      R(op, 'tradeInValues.0.value.amount', '-1.00', bad400('tradeInValues.0.value.amount')),
      R(
        op,
        'requiresActiveCoverage',
        'yes',
        bad400('requiresActiveCoverage'),
        'requiresActiveCoverage as a string "yes"',
      ),
    ];
    itRefusesEach(CASES, {
      ops: OPS,
      app: () => t,
      fixtures: () => ({ maker, newFridgeId, otherFridgeId }),
      counts: upgradeTableCounts,
    });

    it.each(GQL_OR_REST)(
      'over %s: validUntil equal to validFrom and maxUnitAgeMonths equal to minMonthsOwned are accepted',
      async (transport) => {
        const created = await api(transport).createProgram(maker.staff, {
          ...OPS.createUpgradeProgram.valid({ maker, newFridgeId, otherFridgeId }),
          validUntil: '2026-01-01',
          maxUnitAgeMonths: 6,
        });
        expect(created).toMatchObject({ id: expect.any(String) });
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('idempotency', () => {
    it('POST /api/v1/upgrades with an Idempotency-Key: the same key and body replay the first answer (one request); another body under the key is 422 CONFLICT and stores nothing', async () => {
      const unit = await newUnit(utcDate(-300));
      const other = await newUnit(utcDate(-300));
      const key = `upgrade-${uniqueSerial()}`;
      const body = { unitId: unit.id, programId: makerProgram.id, targetProductId: newFridgeId };
      const first = await rest(t, seller.staff).post('/upgrades', body).set('Idempotency-Key', key);
      expect(first.status).toBe(201);
      const again = await rest(t, seller.staff).post('/upgrades', body).set('Idempotency-Key', key);
      expect({ status: again.status, id: again.body.id, replayed: again.headers['idempotent-replayed'] }).toEqual({
        status: 201,
        id: first.body.id,
        replayed: 'true',
      });
      const [{ n }] = await sqlQuery(t, `SELECT count(*)::int AS n FROM upgrade_requests WHERE unit_id = $1`, [
        unit.id,
      ]);
      expect(n).toBe(1);
      const before = await upgradeTableCounts(t);
      const otherBody = await rest(t, seller.staff)
        .post('/upgrades', { ...body, unitId: other.id })
        .set('Idempotency-Key', key);
      expect({ status: otherBody.status, code: otherBody.body.code, field: otherBody.body.field }).toEqual({
        status: 422,
        code: 'CONFLICT',
        field: 'Idempotency-Key',
      });
      expect(await upgradeTableCounts(t)).toEqual(before);
    });

    it.each(GQL_OR_REST)(
      'over %s: completing twice with the same Idempotency-Key and body replays the completion: one new unit, no InvalidStateTransitionError',
      async (transport) => {
        const req = await newRequest();
        const units = await allUnitsBefore();
        const headers = { 'Idempotency-Key': `complete-${uniqueSerial()}` };
        const body = completeBody();
        const first = expectUpgrade(await api(transport).complete(seller.staff, req.id, body, headers));
        const again = await api(transport).complete(seller.staff, req.id, body, headers);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(expectUpgrade(again)).toEqual(first);
        expect(await allUnitsBefore()).toBe(units + 1);
        expect(await storedUpgrade(t, req.id)).toMatchObject({
          status: 'COMPLETED',
          version: 2,
          history: 2,
          outbox: 2,
        });
      },
    );

    it('requestUpgrade over GraphQL with an Idempotency-Key: the same key and variables replay the first answer', async () => {
      const unit = await newUnit(utcDate(-300));
      const headers = { 'Idempotency-Key': `gql-upgrade-${uniqueSerial()}` };
      const input = { unitId: unit.id, programId: makerProgram.id, targetProductId: newFridgeId };
      const first = expectUpgrade(await api('GraphQL').request(seller.staff, input, headers));
      const again = await api('GraphQL').request(seller.staff, input, headers);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(expectUpgrade(again).id).toBe(first.id);
      const [{ n }] = await sqlQuery(t, `SELECT count(*)::int AS n FROM upgrade_requests WHERE unit_id = $1`, [
        unit.id,
      ]);
      expect(n).toBe(1);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('the outbox: every change lands with its history row and its event', () => {
    const events = (aggregateId: string) =>
      sqlQuery<{ event_type: string; aggregate_type: string; payload: any }>(
        t,
        `SELECT event_type, aggregate_type, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`,
        [aggregateId],
      );
    const history = (upgradeId: string) =>
      sqlQuery<{ from_status: string | null; to_status: string }>(
        t,
        `SELECT from_status, to_status FROM upgrade_history WHERE upgrade_id = $1 ORDER BY at, id`,
        [upgradeId],
      );

    it.each(GQL_OR_REST)(
      'over %s: requested, received, completed: one UpgradeRequest event and one history row per change; refusals write none; the units get theirs',
      async (transport) => {
        const unit = await newUnit(utcDate(-300));
        const req = expectUpgrade(
          await api(transport).request(seller.staff, {
            unitId: unit.id,
            programId: makerProgram.id,
            targetProductId: newFridgeId,
          }),
        );
        expect((await events(req.id)).map((e) => [e.aggregate_type, e.event_type])).toEqual([
          ['UpgradeRequest', 'UpgradeRequested'],
        ]);
        expectUpgrade(await api(transport).receive(seller.staff, req.id, 1));
        // refusals: stale version, invalid transition, unknown grade
        expectUpgradeFailure(await api(transport).receive(seller.staff, req.id, 1), { errorCode: 'VERSION_CONFLICT' });
        expectUpgradeFailure(await api(transport).receive(seller.staff, req.id, 2), {
          errorCode: 'INVALID_STATE_TRANSITION',
        });
        expectUpgradeFailure(
          await api(transport).complete(seller.staff, req.id, completeBody({ expectedVersion: 2, grade: 'Q' })),
          { errorCode: 'VALIDATION_ERROR' },
        );
        expect((await events(req.id)).map((e) => e.event_type)).toEqual(['UpgradeRequested', 'UpgradeTradeInReceived']);
        const done = expectUpgrade(
          await api(transport).complete(seller.staff, req.id, completeBody({ expectedVersion: 2, grade: 'B' })),
        );
        const upgradeEvents = await events(req.id);
        expect(upgradeEvents.map((e) => [e.aggregate_type, e.event_type, e.payload.from, e.payload.to])).toEqual([
          ['UpgradeRequest', 'UpgradeRequested', null, 'REQUESTED'],
          ['UpgradeRequest', 'UpgradeTradeInReceived', 'REQUESTED', 'TRADE_IN_RECEIVED'],
          ['UpgradeRequest', 'UpgradeCompleted', 'TRADE_IN_RECEIVED', 'COMPLETED'],
        ]);
        expect(
          upgradeEvents.every(
            (e) =>
              e.payload.upgradeId === req.id && e.payload.unitId === unit.id && e.payload.programId === makerProgram.id,
          ),
        ).toBe(true);
        expect((await history(req.id)).map((h) => [h.from_status, h.to_status])).toEqual([
          [null, 'REQUESTED'],
          ['REQUESTED', 'TRADE_IN_RECEIVED'],
          ['TRADE_IN_RECEIVED', 'COMPLETED'],
        ]);
        expect((await events(unit.id)).map((e) => [e.aggregate_type, e.event_type])).toContainEqual([
          'Unit',
          'UnitStatusChanged',
        ]);
        expect((await events(unit.id)).find((e) => e.event_type === 'UnitStatusChanged')!.payload).toMatchObject({
          status: 'TRADED_IN',
        });
        expect((await events(done.newUnitId!)).map((e) => [e.aggregate_type, e.event_type])).toEqual([
          ['Unit', 'UnitRegistered'],
        ]);
      },
    );

    it.each(GQL_OR_REST)(
      'over %s: a cancelled request has its UpgradeCancelled event; creating a program writes UpgradeProgramCreated',
      async (transport) => {
        const req = await newRequest();
        expectUpgrade(await api(transport).cancel(seller.staff, req.id, 1));
        expect((await events(req.id)).map((e) => [e.aggregate_type, e.event_type, e.payload.to])).toEqual([
          ['UpgradeRequest', 'UpgradeRequested', 'REQUESTED'],
          ['UpgradeRequest', 'UpgradeCancelled', 'CANCELLED'],
        ]);
        expect((await history(req.id)).map((h) => h.to_status)).toEqual(['REQUESTED', 'CANCELLED']);
        const program = await api(transport).createProgram(maker.staff, {
          name: 'Outbox check',
          eligibleCategories: ['FRIDGE'],
          targetProductIds: [newFridgeId],
          minMonthsOwned: 6,
          validFrom: '2020-01-01',
          tradeInValues: [{ grade: 'A', value: { amount: '10.00', currency: 'USD' } }],
        });
        expect((await events(program.id!)).map((e) => [e.aggregate_type, e.event_type])).toEqual([
          ['UpgradeProgram', 'UpgradeProgramCreated'],
        ]);
      },
    );
  });

  // -------------------------------------------------------------------------------------------
  describe('concurrency', () => {
    const pairs: [string, UpgradesTransport, UpgradesTransport][] = [
      ['GraphQL + GraphQL', 'GraphQL', 'GraphQL'],
      ['REST + REST', 'REST', 'REST'],
      ['GraphQL + REST', 'GraphQL', 'REST'],
    ];

    it.each(pairs)(
      'two completes at once with the same version (%s): one wins, the other is VERSION_CONFLICT (409 over REST); one new unit only',
      async (_label, a, b) => {
        const req = await newRequest();
        const units = await allUnitsBefore();
        const serials = [uniqueSerial(), uniqueSerial()];
        const outcomes = await Promise.all([
          api(a).complete(seller.staff, req.id, completeBody({ newSerialNumber: serials[0] })),
          api(b).complete(maker.staff, req.id, completeBody({ newSerialNumber: serials[1], grade: 'B' })),
        ]);
        const winners = outcomes.filter((o) => o.upgrade);
        const losers = outcomes.filter((o) => o.failure);
        expect({ winners: winners.length, losers: losers.length }).toEqual({ winners: 1, losers: 1 });
        expect(winners[0].upgrade).toMatchObject({ status: 'COMPLETED', version: 2 });
        expect(losers[0].failure).toMatchObject({
          errorCode: 'VERSION_CONFLICT',
          currentVersion: 2,
          ...(losers[0].transport === 'REST' ? { httpStatus: 409 } : {}),
        });
        expect(await allUnitsBefore()).toBe(units + 1);
        const [{ n }] = await sqlQuery(
          t,
          `SELECT count(*)::int AS n FROM units WHERE serial_number = ANY($1::text[])`,
          [serials],
        );
        expect(n).toBe(1);
        expect(await storedUpgrade(t, req.id)).toMatchObject({
          status: 'COMPLETED',
          version: 2,
          history: 2,
          outbox: 2,
        });
        expect(await unitStatus(req.unit.id)).toMatchObject({ status: 'TRADED_IN', version: 2 });
      },
    );
  });
});
