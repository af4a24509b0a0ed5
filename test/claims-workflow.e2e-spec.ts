import { createTenant, gql, type Tenant } from './support/api.js';
import {
  attachNewPlan,
  claimInput,
  claimOutboxCount,
  claimsApi,
  claimsProduct,
  expectClaim,
  expectFailure,
  soldUnit,
  storedClaimCount,
  storedHistory,
  TRANSPORTS,
  USD_LINES,
  USD_LINES_TOTAL,
  type Claim,
  type ClaimsApi,
} from './support/claims-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { addDaysUtc, utcToday } from './support/units-helpers.js';

/**
 * The warranty-claim workflow end to end (docs/rules.md "Warranty claims", "Coverage", "Who
 * sees what", "Always"), every rule checked over GraphQL and over REST with the same body.
 */

/** Where each status may go (docs/rules.md): what an InvalidStateTransitionError must name as allowed. */
const ALLOWED_FROM: Record<string, string[]> = {
  SUBMITTED: ['CANCELLED', 'IN_REVIEW'],
  IN_REVIEW: ['APPROVED', 'CANCELLED', 'NEEDS_INFO', 'PARTIALLY_APPROVED', 'REJECTED'],
  NEEDS_INFO: ['CANCELLED', 'IN_REVIEW'],
  APPROVED: ['PAID'],
  PARTIALLY_APPROVED: ['PAID'],
  REJECTED: [],
  PAID: [],
  CANCELLED: [],
};

const sorted = (values: string[] | undefined) => [...(values ?? [])].sort();
const transitions = (claim: Claim) => claim.history.map((h) => `${h.from ?? '-'}>${h.to}`);

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t.close();
});

describe.each(TRANSPORTS)('warranty claims over %s', (transport) => {
  let api: ClaimsApi;
  let maker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let otherMaker: Tenant;
  let center: Tenant;
  let product: { id: string };

  beforeAll(async () => {
    api = claimsApi(t, transport);
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    otherMaker = await createTenant(t, 'MANUFACTURER');
    center = await createTenant(t, 'SERVICE_CENTER');
    product = await claimsProduct(t, maker);
  });

  /** A new unit of the standard product (24 months from purchase), sold by the seller. */
  const newUnit = (purchaseDate?: string) => soldUnit(t, seller, maker, product.id, purchaseDate);
  /** A claim the seller files that must be accepted (SUBMITTED or stored REJECTED). */
  const file = async (unitId: string, overrides: Record<string, unknown> = {}) =>
    expectClaim(await api.submit(seller.staff, claimInput(unitId, overrides)));
  /** A covered claim on a new unit: SUBMITTED, 240.50 USD requested. */
  const freshClaim = async (overrides: Record<string, unknown> = {}) => file((await newUnit()).id, overrides);
  const review = (claim: Claim, body: Record<string, unknown>) =>
    api.review(maker.staff, claim.id, { expectedVersion: claim.version, ...body });
  const decide = async (claim: Claim, body: Record<string, unknown>) => expectClaim(await review(claim, body));
  const answer = async (claim: Claim, note: string) =>
    expectClaim(await api.answer(seller.staff, claim.id, { note, expectedVersion: claim.version }));
  const current = async (claim: Claim) => expectClaim(await api.get(maker.staff, claim.id));

  /** A new claim brought to the status through the API. */
  async function claimIn(status: string): Promise<Claim> {
    const claim = await freshClaim();
    switch (status) {
      case 'SUBMITTED':
        return claim;
      case 'NEEDS_INFO':
        return decide(claim, { decision: 'REQUEST_INFO', note: 'Photo please' });
      case 'IN_REVIEW':
        return answer(await decide(claim, { decision: 'REQUEST_INFO', note: 'Photo please' }), 'Photo attached');
      case 'APPROVED':
        return decide(claim, { decision: 'APPROVE' });
      case 'PARTIALLY_APPROVED':
        return decide(claim, { decision: 'APPROVE', approvedTotal: { amount: '100.00', currency: 'USD' } });
      case 'REJECTED':
        return decide(claim, { decision: 'REJECT', reasonCode: 'NO_FAULT_FOUND' });
      case 'PAID':
        return decide(await decide(claim, { decision: 'APPROVE' }), { decision: 'MARK_PAID' });
      case 'CANCELLED':
        return expectClaim(await api.cancel(seller.staff, claim.id, { expectedVersion: claim.version }));
      default:
        throw new Error(`no route to ${status}`);
    }
  }

  /** Asserts the claim is exactly as it was: same status, version and history. */
  async function expectUnchanged(before: Claim) {
    const after = await current(before);
    expect({
      status: after.status,
      version: after.version,
      approvedTotal: after.approvedTotal,
      history: transitions(after),
    }).toEqual({
      status: before.status,
      version: before.version,
      approvedTotal: before.approvedTotal,
      history: transitions(before),
    });
  }

  describe('submission', () => {
    it('a retailer files a claim for a unit it sold: SUBMITTED under the base warranty, with its lines, totals and first history row', async () => {
      const unit = await newUnit();
      const outcome = await api.submit(seller.staff, claimInput(unit.id));
      expect(outcome.httpStatus).toBe(transport === 'REST' ? 201 : 200);
      const claim = expectClaim(outcome);
      expect(claim).toMatchObject({
        status: 'SUBMITTED',
        flags: [],
        version: 1,
        unitId: unit.id,
        claimantId: seller.id,
        manufacturerId: maker.id,
        failureCategory: 'MECHANICAL',
        failureDate: '2026-06-01',
        description: 'Does not cool',
        requestedTotal: { amount: USD_LINES_TOTAL, currency: 'USD' },
        approvedTotal: null,
        coverage: { source: 'BASE_WARRANTY', deductible: null },
      });
      expect(claim.number).toMatch(/^WC-\d+$/);
      expect(claim.lines).toEqual([
        {
          kind: 'PART',
          quantity: '1',
          unitAmount: { amount: '120.50', currency: 'USD' },
          total: { amount: '120.50', currency: 'USD' },
        },
        {
          kind: 'LABOR',
          quantity: '1.5',
          unitAmount: { amount: '80.00', currency: 'USD' },
          total: { amount: '120.00', currency: 'USD' },
        },
      ]);
      expect(claim.history).toEqual([
        { from: null, to: 'SUBMITTED', at: expect.any(String), actorId: seller.id, reasonCode: null, note: null },
      ]);
      expect(await current(claim)).toEqual(claim);
      expect(await storedClaimCount(t, unit.id)).toBe(1);
    });

    it('a service center cannot see a unit without a repair ticket: NOT_FOUND, nothing stored', async () => {
      const unit = await newUnit();
      const events = await claimOutboxCount(t);
      expectFailure(await api.submit(center.staff, claimInput(unit.id)), { code: 'NOT_FOUND', field: 'unitId' });
      expectFailure(await api.submit(center.admin, claimInput(unit.id)), { code: 'NOT_FOUND' });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      expect(await claimOutboxCount(t)).toBe(events);
    });

    it('a manufacturer (any role) or a READONLY retailer key cannot file a claim: FORBIDDEN, nothing stored', async () => {
      const unit = await newUnit();
      const events = await claimOutboxCount(t);
      for (const key of [maker.staff, maker.admin, maker.readonly, seller.readonly]) {
        expectFailure(await api.submit(key, claimInput(unit.id)), { code: 'FORBIDDEN' });
      }
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      expect(await claimOutboxCount(t)).toBe(events);
    });

    it('a unit sold by another retailer is NOT_FOUND and nothing is stored', async () => {
      const unit = await newUnit();
      const total = await storedClaimCount(t);
      const events = await claimOutboxCount(t);
      expectFailure(await api.submit(otherSeller.staff, claimInput(unit.id)), { code: 'NOT_FOUND', field: 'unitId' });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      expect(await storedClaimCount(t)).toBe(total);
      expect(await claimOutboxCount(t)).toBe(events);
    });

    it('lines in two currencies are a VALIDATION_ERROR naming lines.1.unitAmount.currency; nothing stored', async () => {
      const unit = await newUnit();
      const lines = [USD_LINES[0], { ...USD_LINES[1], unitAmount: { amount: '80.00', currency: 'EUR' } }];
      expectFailure(await api.submit(seller.staff, claimInput(unit.id, { lines })), {
        errorCode: 'VALIDATION_ERROR',
        field: 'lines.1.unitAmount.currency',
      });
      const third = [USD_LINES[0], USD_LINES[1], { ...USD_LINES[0], unitAmount: { amount: '5', currency: 'JPY' } }];
      expectFailure(await api.submit(seller.staff, claimInput(unit.id, { lines: third })), {
        errorCode: 'VALIDATION_ERROR',
        field: 'lines.2.unitAmount.currency',
      });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
    });

    it('requestedTotal is Σ quantity × unitAmount rounded half up to the minor unit: 3 × 0.335 USD = 1.01', async () => {
      const claim = await freshClaim({
        lines: [{ kind: 'PART', description: 'Fuse', quantity: '3', unitAmount: { amount: '0.335', currency: 'USD' } }],
      });
      expect(claim.requestedTotal).toEqual({ amount: '1.01', currency: 'USD' });
      expect(claim.lines[0].total).toEqual({ amount: '1.01', currency: 'USD' });
    });

    it('requestedTotal adds every line: 2 × 19.99 + 1.25 × 80 USD = 139.98', async () => {
      const claim = await freshClaim({
        lines: [
          { kind: 'PART', description: 'Seal', quantity: '2', unitAmount: { amount: '19.99', currency: 'USD' } },
          { kind: 'LABOR', description: 'Fit seals', quantity: '1.25', unitAmount: { amount: '80', currency: 'USD' } },
        ],
      });
      expect(claim.lines.map((l) => l.total.amount)).toEqual(['39.98', '100.00']);
      expect(claim.requestedTotal).toEqual({ amount: '139.98', currency: 'USD' });
    });

    it('JPY amounts have no decimals and round half up: 1.5 × 999 + 2 × 1250 JPY = 3999', async () => {
      const claim = await freshClaim({
        lines: [
          { kind: 'LABOR', description: 'Diagnosis', quantity: '1.5', unitAmount: { amount: '999', currency: 'JPY' } },
          { kind: 'PART', description: 'Board', quantity: '2', unitAmount: { amount: '1250', currency: 'JPY' } },
        ],
      });
      expect(claim.lines.map((l) => l.total)).toEqual([
        { amount: '1499', currency: 'JPY' },
        { amount: '2500', currency: 'JPY' },
      ]);
      expect(claim.lines[0].unitAmount).toEqual({ amount: '999', currency: 'JPY' });
      expect(claim.requestedTotal).toEqual({ amount: '3999', currency: 'JPY' });
    });

    it('a failure date in the future is a VALIDATION_ERROR naming failureDate; today is accepted', async () => {
      const unit = await newUnit();
      expectFailure(await api.submit(seller.staff, claimInput(unit.id, { failureDate: addDaysUtc(utcToday(), 1) })), {
        errorCode: 'VALIDATION_ERROR',
        field: 'failureDate',
      });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      const today = await file(unit.id, { failureDate: utcToday() });
      expect(today.failureDate).toBe(utcToday());
      expect(await storedClaimCount(t, unit.id)).toBe(1);
    });

    it('a claim without lines is a VALIDATION_ERROR naming lines; nothing stored', async () => {
      const unit = await newUnit();
      const events = await claimOutboxCount(t);
      expectFailure(await api.submit(seller.staff, claimInput(unit.id, { lines: [] })), {
        errorCode: 'VALIDATION_ERROR',
        field: 'lines',
      });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      expect(await claimOutboxCount(t)).toBe(events);
    });

    it.each([
      [
        'EXPIRED',
        'the day after a 12-month base warranty ended',
        { durationMonths: 12 },
        '2025-01-10',
        'MECHANICAL',
        '2026-01-10',
      ],
      [
        'FAILURE_EXCLUDED',
        'a failure category the terms exclude',
        { excludedFailures: ['COSMETIC'] },
        '2026-01-10',
        'COSMETIC',
        '2026-06-01',
      ],
      [
        'FAILURE_EXCLUDED',
        'accidental damage under PARTS and LABOR coverage',
        {},
        '2026-01-10',
        'ACCIDENTAL_DAMAGE',
        '2026-06-01',
      ],
      ['NOT_YET_STARTED', 'a failure the day before the purchase', {}, '2026-01-10', 'MECHANICAL', '2026-01-09'],
    ])(
      'not covered (%s, %s): stored REJECTED with flag NOT_COVERED and the reason in the history note',
      async (reason, _why, terms, purchaseDate, failureCategory, failureDate) => {
        const own = await claimsProduct(t, maker, terms);
        const unit = await soldUnit(t, seller, maker, own.id, purchaseDate);
        const claim = await file(unit.id, { failureCategory, failureDate });
        expect(claim).toMatchObject({
          status: 'REJECTED',
          flags: ['NOT_COVERED'],
          coverage: null,
          approvedTotal: null,
          requestedTotal: { amount: USD_LINES_TOTAL },
        });
        expect(claim.history).toHaveLength(2);
        expect(claim.history[0]).toMatchObject({ from: null, to: 'SUBMITTED', actorId: seller.id });
        expect(claim.history[1]).toMatchObject({ from: 'SUBMITTED', to: 'REJECTED', reasonCode: 'NOT_COVERED' });
        expect(claim.history[1].note).toContain(reason);
        // kept for the manufacturer's trail
        expect((await current(claim)).status).toBe('REJECTED');
        expect(await storedClaimCount(t, unit.id)).toBe(1);
      },
    );

    it('the last day of the base warranty is still covered: SUBMITTED', async () => {
      const own = await claimsProduct(t, maker, { durationMonths: 12 });
      const unit = await soldUnit(t, seller, maker, own.id, '2025-01-10');
      const claim = await file(unit.id, { failureDate: '2026-01-09' });
      expect(claim).toMatchObject({ status: 'SUBMITTED', flags: [], coverage: { source: 'BASE_WARRANTY' } });
    });

    it('DUPLICATE_SUSPECTED: another live claim on the unit for the same failure category 30 days apart (before or after) is flagged', async () => {
      const a = await newUnit();
      await file(a.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      const after30 = await file(a.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-31' });
      expect(after30).toMatchObject({ status: 'SUBMITTED', flags: ['DUPLICATE_SUSPECTED'] });
      const b = await newUnit();
      await file(b.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      const before30 = await file(b.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-01-30' });
      expect(before30).toMatchObject({ status: 'SUBMITTED', flags: ['DUPLICATE_SUSPECTED'] });
      const same = await file(b.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expect(same.flags).toEqual(['DUPLICATE_SUSPECTED']);
    });

    it('31 days apart is not a duplicate, before or after', async () => {
      const unit = await newUnit();
      await file(unit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expect((await file(unit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-04-01' })).flags).toEqual([]);
      expect((await file(unit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-01-29' })).flags).toEqual([]);
    });

    it('a CANCELLED or REJECTED earlier claim, another failure category or another unit does not make a duplicate', async () => {
      const cancelledUnit = await newUnit();
      const first = await file(cancelledUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expectClaim(await api.cancel(seller.staff, first.id, { expectedVersion: first.version }));
      expect(
        (await file(cancelledUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-05' })).flags,
      ).toEqual([]);

      const rejectedUnit = await newUnit();
      const refused = await file(rejectedUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expect((await decide(refused, { decision: 'REJECT', reasonCode: 'NO_FAULT_FOUND' })).status).toBe('REJECTED');
      expect((await file(rejectedUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-05' })).flags).toEqual(
        [],
      );

      const notCoveredProduct = await claimsProduct(t, maker, { excludedFailures: ['ELECTRICAL'] });
      const notCoveredUnit = await soldUnit(t, seller, maker, notCoveredProduct.id);
      const autoRejected = await file(notCoveredUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expect(autoRejected.status).toBe('REJECTED');
      expect(
        (await file(notCoveredUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-05' })).flags,
      ).toEqual(['NOT_COVERED']);

      const otherCategoryUnit = await newUnit();
      await file(otherCategoryUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expect(
        (await file(otherCategoryUnit.id, { failureCategory: 'DISPLAY', failureDate: '2026-03-01' })).flags,
      ).toEqual([]);

      const otherUnit = await newUnit();
      expect((await file(otherUnit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' })).flags).toEqual(
        [],
      );
    });
  });

  describe('claim limit', () => {
    it('with maxClaims 2, two live claims use the coverage up; the third is REJECTED NOT_COVERED; cancelling or rejecting one frees the limit', async () => {
      const limited = await claimsProduct(t, maker, { maxClaims: 2 });
      const unit = await soldUnit(t, seller, maker, limited.id);
      const coverage = () =>
        api.coverage(seller.staff, { serialNumber: unit.serialNumber, manufacturerId: maker.id, asOf: '2026-09-01' });
      expect(await coverage()).toMatchObject({
        covered: true,
        coverages: [{ source: 'BASE_WARRANTY', remainingClaims: 2 }],
      });

      const first = await file(unit.id, { failureCategory: 'ELECTRICAL', failureDate: '2026-03-01' });
      expect(first.status).toBe('SUBMITTED');
      expect(await coverage()).toMatchObject({
        covered: true,
        coverages: [{ source: 'BASE_WARRANTY', remainingClaims: 1 }],
      });
      const second = await file(unit.id, { failureCategory: 'DISPLAY', failureDate: '2026-05-01' });
      expect(second.status).toBe('SUBMITTED');
      expect(await coverage()).toEqual({ covered: false, reasons: ['CLAIM_LIMIT_REACHED'], coverages: [] });

      const third = await file(unit.id, { failureCategory: 'BATTERY', failureDate: '2026-08-01' });
      expect(third).toMatchObject({ status: 'REJECTED', flags: ['NOT_COVERED'], coverage: null });
      expect(third.history.at(-1)).toMatchObject({ from: 'SUBMITTED', to: 'REJECTED', reasonCode: 'NOT_COVERED' });
      expect(third.history.at(-1)?.note).toContain('CLAIM_LIMIT_REACHED');
      // the rejected third claim does not count against the limit
      expect(await coverage()).toEqual({ covered: false, reasons: ['CLAIM_LIMIT_REACHED'], coverages: [] });

      expect(expectClaim(await api.cancel(seller.staff, first.id, { expectedVersion: first.version })).status).toBe(
        'CANCELLED',
      );
      expect(await coverage()).toMatchObject({
        covered: true,
        reasons: [],
        coverages: [{ source: 'BASE_WARRANTY', remainingClaims: 1 }],
      });

      const fourth = await file(unit.id, { failureCategory: 'SOFTWARE', failureDate: '2026-08-15' });
      expect(fourth).toMatchObject({ status: 'SUBMITTED', flags: [] });
      expect((await coverage()).reasons).toEqual(['CLAIM_LIMIT_REACHED']);

      expect((await decide(second, { decision: 'REJECT', reasonCode: 'NO_FAULT_FOUND' })).status).toBe('REJECTED');
      expect(await coverage()).toMatchObject({ covered: true, coverages: [{ remainingClaims: 1 }] });
    });
  });

  describe('decisions', () => {
    it('APPROVE without approvedTotal approves the requested total: APPROVED, SUBMITTED→IN_REVIEW→APPROVED by the manufacturer', async () => {
      const claim = await freshClaim();
      const approved = await decide(claim, { decision: 'APPROVE', note: 'OK' });
      expect(approved).toMatchObject({
        status: 'APPROVED',
        approvedTotal: { amount: USD_LINES_TOTAL, currency: 'USD' },
        version: claim.version + 1,
      });
      expect(transitions(approved)).toEqual(['->SUBMITTED', 'SUBMITTED>IN_REVIEW', 'IN_REVIEW>APPROVED']);
      expect(approved.history.slice(1).map((h) => h.actorId)).toEqual([maker.id, maker.id]);
      expect(approved.history.at(-1)).toMatchObject({ note: 'OK', reasonCode: null });
    });

    it('APPROVE with exactly the requested total is APPROVED; below it is PARTIALLY_APPROVED', async () => {
      const full = await decide(await freshClaim(), {
        decision: 'APPROVE',
        approvedTotal: { amount: USD_LINES_TOTAL, currency: 'USD' },
      });
      expect(full).toMatchObject({ status: 'APPROVED', approvedTotal: { amount: USD_LINES_TOTAL, currency: 'USD' } });
      const partial = await decide(await freshClaim(), {
        decision: 'APPROVE',
        approvedTotal: { amount: '240.49', currency: 'USD' },
      });
      expect(partial).toMatchObject({
        status: 'PARTIALLY_APPROVED',
        approvedTotal: { amount: '240.49', currency: 'USD' },
      });
      expect(transitions(partial)).toEqual(['->SUBMITTED', 'SUBMITTED>IN_REVIEW', 'IN_REVIEW>PARTIALLY_APPROVED']);
    });

    it('an approvedTotal above the requested total is refused naming approvedTotal.amount, and nothing changes', async () => {
      const claim = await freshClaim();
      expectFailure(
        await review(claim, { decision: 'APPROVE', approvedTotal: { amount: '240.51', currency: 'USD' } }),
        { errorCode: 'VALIDATION_ERROR', field: 'approvedTotal.amount' },
      );
      await expectUnchanged(claim);
    });

    it('an approvedTotal in another currency is refused naming approvedTotal.currency, and nothing changes', async () => {
      const claim = await freshClaim();
      expectFailure(
        await review(claim, { decision: 'APPROVE', approvedTotal: { amount: '100.00', currency: 'EUR' } }),
        { errorCode: 'VALIDATION_ERROR', field: 'approvedTotal.currency' },
      );
      await expectUnchanged(claim);
    });

    it('a claim filed under a plan with a 49.00 deductible, approved in full, is approved at requested − 49.00: PARTIALLY_APPROVED', async () => {
      const shortTerms = await claimsProduct(t, maker, { durationMonths: 12 });
      const unit = await soldUnit(t, seller, maker, shortTerms.id, '2024-03-01');
      await attachNewPlan(t, maker.staff, seller.staff, unit.id, '2024-03-10', {
        name: 'Care 3 years',
        durationMonths: 36,
        startsAfterBaseWarranty: false,
        purchaseWindowDays: 30,
        deductible: { amount: '49.00', currency: 'USD' },
      });
      // the base warranty ended on 2025-02-28; the plan runs 2024-03-10 to 2027-03-09
      const claim = await file(unit.id, { failureDate: '2026-05-01' });
      expect(claim).toMatchObject({
        status: 'SUBMITTED',
        coverage: { source: 'SERVICE_PLAN', deductible: { amount: '49.00', currency: 'USD' } },
      });
      const approved = await decide(claim, { decision: 'APPROVE' });
      expect(approved).toMatchObject({
        status: 'PARTIALLY_APPROVED',
        approvedTotal: { amount: '191.50', currency: 'USD' },
      });

      const capped = await file(unit.id, { failureCategory: 'DISPLAY', failureDate: '2026-05-02' });
      expect(
        await decide(capped, { decision: 'APPROVE', approvedTotal: { amount: '100.00', currency: 'USD' } }),
      ).toMatchObject({
        status: 'PARTIALLY_APPROVED',
        approvedTotal: { amount: '51.00', currency: 'USD' },
      });
    });

    it('while the base warranty runs, a claim is filed under it before any plan and no deductible is taken off', async () => {
      const unit = await newUnit('2026-01-10');
      await attachNewPlan(t, maker.staff, seller.staff, unit.id, '2026-01-15', {
        name: 'Care with deductible',
        durationMonths: 36,
        startsAfterBaseWarranty: false,
        purchaseWindowDays: 30,
        deductible: { amount: '49.00', currency: 'USD' },
      });
      const claim = await file(unit.id);
      expect(claim.coverage).toMatchObject({ source: 'BASE_WARRANTY', deductible: null });
      expect(await decide(claim, { decision: 'APPROVE' })).toMatchObject({
        status: 'APPROVED',
        approvedTotal: { amount: USD_LINES_TOTAL },
      });
    });

    it('only the manufacturer decides: the claimant retailer and READONLY keys get FORBIDDEN, another manufacturer, retailer or service center NOT_FOUND', async () => {
      const claim = await freshClaim();
      for (const decision of ['APPROVE', 'REQUEST_INFO', 'MARK_PAID']) {
        expectFailure(await api.review(seller.staff, claim.id, { decision, expectedVersion: claim.version }), {
          code: 'FORBIDDEN',
        });
        expectFailure(await api.review(maker.readonly, claim.id, { decision, expectedVersion: claim.version }), {
          code: 'FORBIDDEN',
        });
        expectFailure(await api.review(otherMaker.staff, claim.id, { decision, expectedVersion: claim.version }), {
          code: 'NOT_FOUND',
        });
        expectFailure(await api.review(otherSeller.staff, claim.id, { decision, expectedVersion: claim.version }), {
          code: 'NOT_FOUND',
        });
        expectFailure(await api.review(center.staff, claim.id, { decision, expectedVersion: claim.version }), {
          code: 'NOT_FOUND',
        });
      }
      expectFailure(
        await api.review(seller.admin, claim.id, {
          decision: 'REJECT',
          reasonCode: 'X',
          expectedVersion: claim.version,
        }),
        { code: 'FORBIDDEN' },
      );
      await expectUnchanged(claim);
    });

    it('REJECT without a reasonCode is refused naming reasonCode; with one it is REJECTED and the reasonCode and note are in the history', async () => {
      const claim = await freshClaim();
      expectFailure(await review(claim, { decision: 'REJECT', note: 'No' }), {
        errorCode: 'VALIDATION_ERROR',
        field: 'reasonCode',
      });
      await expectUnchanged(claim);
      const rejected = await decide(claim, {
        decision: 'REJECT',
        reasonCode: 'NO_FAULT_FOUND',
        note: 'Works on the bench',
      });
      expect(rejected).toMatchObject({ status: 'REJECTED', approvedTotal: null });
      expect(transitions(rejected)).toEqual(['->SUBMITTED', 'SUBMITTED>IN_REVIEW', 'IN_REVIEW>REJECTED']);
      expect(rejected.history.at(-1)).toMatchObject({
        actorId: maker.id,
        reasonCode: 'NO_FAULT_FOUND',
        note: 'Works on the bench',
      });
      expect(rejected.history[1]).toMatchObject({ reasonCode: null, note: null });
    });

    it('REQUEST_INFO gives NEEDS_INFO; the claimant answers with a note and it is IN_REVIEW; then the manufacturer approves', async () => {
      const claim = await freshClaim();
      const asked = await decide(claim, { decision: 'REQUEST_INFO', note: 'Photo of the label, please' });
      expect(asked.status).toBe('NEEDS_INFO');
      expect(asked.history.at(-1)).toMatchObject({
        from: 'IN_REVIEW',
        to: 'NEEDS_INFO',
        actorId: maker.id,
        note: 'Photo of the label, please',
      });
      const answered = await answer(asked, 'Photo attached');
      expect(answered).toMatchObject({ status: 'IN_REVIEW', version: asked.version + 1 });
      expect(answered.history.at(-1)).toMatchObject({
        from: 'NEEDS_INFO',
        to: 'IN_REVIEW',
        actorId: seller.id,
        note: 'Photo attached',
      });
      const approved = await decide(answered, { decision: 'APPROVE' });
      expect(approved.status).toBe('APPROVED');
      expect(transitions(approved)).toEqual([
        '->SUBMITTED',
        'SUBMITTED>IN_REVIEW',
        'IN_REVIEW>NEEDS_INFO',
        'NEEDS_INFO>IN_REVIEW',
        'IN_REVIEW>APPROVED',
      ]);
    });

    it('the answer needs a note (blank or missing is refused), and the manufacturer cannot answer (FORBIDDEN)', async () => {
      const asked = await claimIn('NEEDS_INFO');
      expectFailure(await api.answer(seller.staff, asked.id, { note: '   ', expectedVersion: asked.version }), {
        errorCode: 'VALIDATION_ERROR',
        field: 'note',
      });
      const missing = await api.answer(seller.staff, asked.id, { expectedVersion: asked.version });
      expect(missing.claim).toBeUndefined();
      expect(missing.failure?.httpStatus).toBe(400);
      expectFailure(
        await api.answer(maker.staff, asked.id, { note: 'Answering myself', expectedVersion: asked.version }),
        { code: 'FORBIDDEN' },
      );
      expectFailure(
        await api.answer(otherSeller.staff, asked.id, { note: 'Not mine', expectedVersion: asked.version }),
        { code: 'NOT_FOUND' },
      );
      await expectUnchanged(asked);
    });

    it.each(['SUBMITTED', 'IN_REVIEW'])(
      'answering a claim in %s (no information was asked for) is INVALID_STATE_TRANSITION and changes nothing',
      async (status) => {
        const claim = await claimIn(status);
        const failure = expectFailure(
          await api.answer(seller.staff, claim.id, { note: 'Unasked answer', expectedVersion: claim.version }),
          {
            errorCode: 'INVALID_STATE_TRANSITION',
            fromState: status,
          },
        );
        expect(sorted(failure.allowedStates)).toEqual(ALLOWED_FROM[status]);
        await expectUnchanged(claim);
      },
    );

    it.each(['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO'])(
      'MARK_PAID on a claim in %s is INVALID_STATE_TRANSITION naming the allowed states',
      async (status) => {
        const claim = await claimIn(status);
        const failure = expectFailure(await review(claim, { decision: 'MARK_PAID' }), {
          errorCode: 'INVALID_STATE_TRANSITION',
          fromState: status,
          toState: 'PAID',
        });
        expect(sorted(failure.allowedStates)).toEqual(ALLOWED_FROM[status]);
        await expectUnchanged(claim);
      },
    );

    it.each(['APPROVED', 'PARTIALLY_APPROVED'])(
      'MARK_PAID on a claim in %s makes it PAID and keeps the approved total',
      async (status) => {
        const claim = await claimIn(status);
        const paid = await decide(claim, { decision: 'MARK_PAID', note: 'Paid by transfer' });
        expect(paid).toMatchObject({ status: 'PAID', approvedTotal: claim.approvedTotal, version: claim.version + 1 });
        expect(paid.history.at(-1)).toMatchObject({
          from: status,
          to: 'PAID',
          actorId: maker.id,
          note: 'Paid by transfer',
        });
        expect(paid.history).toHaveLength(claim.history.length + 1);
      },
    );

    it.each(['PAID', 'REJECTED', 'CANCELLED'])(
      'nothing moves a claim in %s: every decision, answer and cancel is INVALID_STATE_TRANSITION',
      async (status) => {
        const claim = await claimIn(status);
        expect(claim.status).toBe(status);
        const attempts = [
          () => review(claim, { decision: 'APPROVE' }),
          () => review(claim, { decision: 'REJECT', reasonCode: 'LATE' }),
          () => review(claim, { decision: 'REQUEST_INFO' }),
          () => review(claim, { decision: 'MARK_PAID' }),
          () => api.answer(seller.staff, claim.id, { note: 'More details', expectedVersion: claim.version }),
          () => api.cancel(seller.staff, claim.id, { expectedVersion: claim.version }),
        ];
        for (const attempt of attempts) {
          expectFailure(await attempt(), {
            errorCode: 'INVALID_STATE_TRANSITION',
            fromState: status,
            allowedStates: [],
          });
        }
        await expectUnchanged(claim);
      },
    );

    it('a claim stored REJECTED as not covered cannot be approved or cancelled either', async () => {
      const own = await claimsProduct(t, maker, { excludedFailures: ['SOFTWARE'] });
      const unit = await soldUnit(t, seller, maker, own.id);
      const claim = await file(unit.id, { failureCategory: 'SOFTWARE' });
      expect(claim.status).toBe('REJECTED');
      expectFailure(await review(claim, { decision: 'APPROVE' }), {
        errorCode: 'INVALID_STATE_TRANSITION',
        fromState: 'REJECTED',
        allowedStates: [],
      });
      expectFailure(await api.cancel(seller.staff, claim.id, { expectedVersion: claim.version }), {
        errorCode: 'INVALID_STATE_TRANSITION',
        fromState: 'REJECTED',
      });
      await expectUnchanged(claim);
    });

    it.each(['SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO'])(
      'the claimant cancels a claim in %s; the note and the claimant are in the history',
      async (status) => {
        const claim = await claimIn(status);
        const cancelled = expectClaim(
          await api.cancel(seller.staff, claim.id, { note: 'Customer withdrew', expectedVersion: claim.version }),
        );
        expect(cancelled).toMatchObject({ status: 'CANCELLED', version: claim.version + 1 });
        expect(cancelled.history.at(-1)).toMatchObject({
          from: status,
          to: 'CANCELLED',
          actorId: seller.id,
          note: 'Customer withdrew',
        });
      },
    );

    it.each(['APPROVED', 'PARTIALLY_APPROVED'])(
      'a claim in %s can no longer be cancelled: INVALID_STATE_TRANSITION',
      async (status) => {
        const claim = await claimIn(status);
        expectFailure(await api.cancel(seller.staff, claim.id, { expectedVersion: claim.version }), {
          errorCode: 'INVALID_STATE_TRANSITION',
          fromState: status,
          toState: 'CANCELLED',
        });
        await expectUnchanged(claim);
      },
    );

    it('only the claimant cancels: the manufacturer gets FORBIDDEN, another retailer NOT_FOUND; a stale version is VERSION_CONFLICT', async () => {
      const claim = await freshClaim();
      expectFailure(await api.cancel(maker.staff, claim.id, { expectedVersion: claim.version }), { code: 'FORBIDDEN' });
      expectFailure(await api.cancel(seller.readonly, claim.id, { expectedVersion: claim.version }), {
        code: 'FORBIDDEN',
      });
      expectFailure(await api.cancel(otherSeller.staff, claim.id, { expectedVersion: claim.version }), {
        code: 'NOT_FOUND',
      });
      expectFailure(await api.cancel(seller.staff, claim.id, { expectedVersion: claim.version + 3 }), {
        errorCode: 'VERSION_CONFLICT',
        currentVersion: claim.version,
      });
      expectFailure(await review(claim, { decision: 'APPROVE', expectedVersion: claim.version + 1 }), {
        errorCode: 'VERSION_CONFLICT',
        currentVersion: claim.version,
      });
      await expectUnchanged(claim);
    });
  });

  describe('history', () => {
    it('one row per change with from, to, actor, note and reasonCode, oldest first; the first review action records SUBMITTED→IN_REVIEW then the decision', async () => {
      const claim = await freshClaim();
      const asked = await decide(claim, { decision: 'REQUEST_INFO', note: 'Serial plate photo?' });
      const answered = await answer(asked, 'Attached');
      const partial = await decide(answered, {
        decision: 'APPROVE',
        approvedTotal: { amount: '200.00', currency: 'USD' },
        note: 'Labor capped',
      });
      const paid = await decide(partial, { decision: 'MARK_PAID', note: 'Paid' });
      expect([claim, asked, answered, partial, paid].map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
      const rows = paid.history.map(({ from, to, actorId, reasonCode, note }) => ({
        from,
        to,
        actorId,
        reasonCode,
        note,
      }));
      expect(rows).toEqual([
        { from: null, to: 'SUBMITTED', actorId: seller.id, reasonCode: null, note: null },
        { from: 'SUBMITTED', to: 'IN_REVIEW', actorId: maker.id, reasonCode: null, note: null },
        { from: 'IN_REVIEW', to: 'NEEDS_INFO', actorId: maker.id, reasonCode: null, note: 'Serial plate photo?' },
        { from: 'NEEDS_INFO', to: 'IN_REVIEW', actorId: seller.id, reasonCode: null, note: 'Attached' },
        { from: 'IN_REVIEW', to: 'PARTIALLY_APPROVED', actorId: maker.id, reasonCode: null, note: 'Labor capped' },
        { from: 'PARTIALLY_APPROVED', to: 'PAID', actorId: maker.id, reasonCode: null, note: 'Paid' },
      ]);
      const times = paid.history.map((h) => Date.parse(h.at));
      expect(times.every((ms) => Number.isFinite(ms))).toBe(true);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      // the claimant sees the same trail, and the database holds exactly these rows
      expect(expectClaim(await api.get(seller.readonly, claim.id)).history).toEqual(paid.history);
      expect((await storedHistory(t, claim.id)).map((r) => `${r.from ?? '-'}>${r.to}`)).toEqual(transitions(paid));
    });

    it('a rejection records the reasonCode on the decision row only', async () => {
      const rejected = await decide(await freshClaim(), {
        decision: 'REJECT',
        reasonCode: 'OUT_OF_SPEC_USE',
        note: 'Used outdoors',
      });
      expect(rejected.history.map((h) => h.reasonCode)).toEqual([null, null, 'OUT_OF_SPEC_USE']);
      expect(rejected.history.map((h) => h.note)).toEqual([null, null, 'Used outdoors']);
      expect(rejected.history.map((h) => h.actorId)).toEqual([seller.id, maker.id, maker.id]);
    });
  });

  describe('concurrency', () => {
    it('two reviews of one claim at once with the same expectedVersion: one wins, the other is VERSION_CONFLICT, one decision row in the history', async () => {
      const claim = await freshClaim();
      const [a, b] = await Promise.all([
        review(claim, { decision: 'APPROVE' }),
        review(claim, { decision: 'REJECT', reasonCode: 'NO_FAULT_FOUND' }),
      ]);
      const winners = [a, b].filter((o) => o.claim);
      const losers = [a, b].filter((o) => o.failure);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winner = winners[0].claim!;
      expectFailure(losers[0], { errorCode: 'VERSION_CONFLICT', currentVersion: winner.version });
      const after = await current(claim);
      expect(after).toMatchObject({ status: winner.status, version: claim.version + 1 });
      expect(after.history.filter((h) => h.from === 'IN_REVIEW')).toHaveLength(1);
      expect(after.history.filter((h) => h.to === 'IN_REVIEW')).toHaveLength(1);
      expect(await storedHistory(t, claim.id)).toHaveLength(3);
      expect(await claimOutboxCount(t, claim.id)).toBe(2);
    });

    it('two claims submitted at once on a product with maxClaims 1: exactly one is SUBMITTED, the other REJECTED NOT_COVERED', async () => {
      const single = await claimsProduct(t, maker, { maxClaims: 1 });
      const unit = await soldUnit(t, seller, maker, single.id);
      const [a, b] = await Promise.all([
        api.submit(seller.staff, claimInput(unit.id, { failureCategory: 'ELECTRICAL' })),
        api.submit(seller.staff, claimInput(unit.id, { failureCategory: 'DISPLAY' })),
      ]);
      const claims = [expectClaim(a), expectClaim(b)];
      expect(claims.map((c) => c.status).sort()).toEqual(['REJECTED', 'SUBMITTED']);
      const loser = claims.find((c) => c.status === 'REJECTED')!;
      expect(loser.flags).toEqual(['NOT_COVERED']);
      expect(loser.history.at(-1)?.note).toContain('CLAIM_LIMIT_REACHED');
      expect(claims.find((c) => c.status === 'SUBMITTED')!.flags).toEqual([]);
      expect(await storedClaimCount(t, unit.id)).toBe(2);
    });
  });

  describe('visibility and lists', () => {
    let m: Tenant;
    let r1: Tenant;
    let r2: Tenant;
    let stranger: Tenant;
    let m2: Tenant;
    let sc: Tenant;
    let unitA: string;
    let r1Claims: Claim[];
    let r2Claims: Claim[];
    let m2Claim: Claim;

    beforeAll(async () => {
      [m, r1, r2, stranger, m2, sc] = [
        await createTenant(t, 'MANUFACTURER'),
        await createTenant(t, 'RETAILER'),
        await createTenant(t, 'RETAILER'),
        await createTenant(t, 'RETAILER'),
        await createTenant(t, 'MANUFACTURER'),
        await createTenant(t, 'SERVICE_CENTER'),
      ];
      const p = await claimsProduct(t, m);
      const p2 = await claimsProduct(t, m2);
      const fileAs = async (who: Tenant, unitId: string, failureCategory: string) =>
        expectClaim(await api.submit(who.staff, claimInput(unitId, { failureCategory })));
      const a = await soldUnit(t, r1, m, p.id);
      const b = await soldUnit(t, r1, m, p.id);
      const c = await soldUnit(t, r2, m, p.id);
      const d = await soldUnit(t, r1, m2, p2.id);
      unitA = a.id;
      r1Claims = [
        await fileAs(r1, a.id, 'ELECTRICAL'),
        await fileAs(r1, a.id, 'DISPLAY'),
        await fileAs(r1, b.id, 'BATTERY'),
      ];
      r2Claims = [await fileAs(r2, c.id, 'ELECTRICAL'), await fileAs(r2, c.id, 'DISPLAY')];
      m2Claim = await fileAs(r1, d.id, 'ELECTRICAL');
    });

    const ids = (claims: Claim[]) => claims.map((c) => c.id).sort();
    const listed = async (key: string, args: Parameters<ClaimsApi['list']>[1] = {}) => {
      const res = await api.list(key, { first: 100, ...args });
      if (!res.page) throw new Error(`list failed: ${JSON.stringify(res.failure)}`);
      return res.page;
    };

    it('a manufacturer lists the claims against it, a retailer the claims it filed; another retailer and a service center list none', async () => {
      const mine = await listed(m.staff);
      expect(mine.totalCount).toBe(5);
      expect([...mine.ids].sort()).toEqual(ids([...r1Claims, ...r2Claims]));
      const r1List = await listed(r1.readonly);
      expect(r1List.totalCount).toBe(4);
      expect([...r1List.ids].sort()).toEqual(ids([...r1Claims, m2Claim]));
      const r2List = await listed(r2.staff);
      expect(r2List.totalCount).toBe(2);
      expect([...r2List.ids].sort()).toEqual(ids(r2Claims));
      const m2List = await listed(m2.readonly);
      expect(m2List).toMatchObject({ totalCount: 1, ids: [m2Claim.id] });
      expect(await listed(stranger.staff)).toMatchObject({ totalCount: 0, ids: [], hasNextPage: false });
      expect(await listed(sc.staff)).toMatchObject({ totalCount: 0, ids: [] });
    });

    it('outside the view a claim is NOT_FOUND to read, review, answer and cancel, and nothing changes', async () => {
      const claim = r1Claims[2];
      for (const key of [stranger.staff, r2.staff, m2.staff, sc.staff]) {
        expectFailure(await api.get(key, claim.id), { code: 'NOT_FOUND' });
        expectFailure(await api.review(key, claim.id, { decision: 'REQUEST_INFO', expectedVersion: claim.version }), {
          code: 'NOT_FOUND',
        });
        expectFailure(await api.answer(key, claim.id, { note: 'Hello', expectedVersion: claim.version }), {
          code: 'NOT_FOUND',
        });
        expectFailure(await api.cancel(key, claim.id, { expectedVersion: claim.version }), { code: 'NOT_FOUND' });
      }
      // the manufacturer and the claimant, READONLY included, read it
      for (const key of [m.readonly, r1.readonly]) expect(expectClaim(await api.get(key, claim.id)).id).toBe(claim.id);
      const asMaker = expectClaim(await api.get(m.staff, claim.id));
      expect(asMaker).toMatchObject({ status: 'SUBMITTED', version: claim.version });
      expect(asMaker.history).toHaveLength(1);
    });

    it('filters by status and by unit', async () => {
      const cancelled = expectClaim(
        await api.cancel(r1.staff, r1Claims[0].id, { expectedVersion: r1Claims[0].version }),
      );
      expect(await listed(m.staff, { status: 'CANCELLED' })).toMatchObject({ totalCount: 1, ids: [cancelled.id] });
      const submitted = await listed(m.staff, { status: 'SUBMITTED' });
      expect(submitted.totalCount).toBe(4);
      expect(submitted.claims.every((c) => c.status === 'SUBMITTED')).toBe(true);
      const onA = await listed(r1.staff, { unitId: unitA });
      expect(onA.totalCount).toBe(2);
      expect([...onA.ids].sort()).toEqual(ids(r1Claims.slice(0, 2)));
      expect(onA.claims.every((c) => c.unitId === unitA)).toBe(true);
      expect(await listed(r1.staff, { unitId: unitA, status: 'SUBMITTED' })).toMatchObject({
        totalCount: 1,
        ids: [r1Claims[1].id],
      });
      expect(await listed(r2.staff, { unitId: unitA })).toMatchObject({ totalCount: 0, ids: [] });
      expect(await listed(stranger.staff, { unitId: unitA })).toMatchObject({ totalCount: 0, ids: [] });
    });

    it('pagination walks every claim exactly once', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await listed(m.staff, { first: 2, after });
        pages++;
        expect(page.totalCount).toBe(5);
        expect(page.ids.length).toBeLessThanOrEqual(2);
        seen.push(...page.ids);
        if (!page.hasNextPage) break;
        after = page.endCursor;
        if (pages > 10) throw new Error('pagination does not end');
      }
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(ids([...r1Claims, ...r2Claims]));
    });
  });

  describe('idempotency', () => {
    it('the same Idempotency-Key and body file one claim and replay it; another body under the key is refused and stores nothing', async () => {
      const unit = await newUnit();
      const key = `claim-${transport}-${unit.id}`;
      const input = claimInput(unit.id, { failureCategory: 'DISPLAY' });
      const first = await api.submit(seller.staff, input, { 'Idempotency-Key': key });
      const again = await api.submit(seller.staff, input, { 'Idempotency-Key': key });
      const claim = expectClaim(first);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.httpStatus).toBe(first.httpStatus);
      // a replay, not a second filing: same claim, and no DUPLICATE_SUSPECTED flag
      expect(expectClaim(again)).toEqual(claim);
      expect(await storedClaimCount(t, unit.id)).toBe(1);
      expect(await claimOutboxCount(t, claim.id)).toBe(1);

      const other = await api.submit(
        seller.staff,
        { ...input, description: 'Something else' },
        { 'Idempotency-Key': key },
      );
      expectFailure(other, { code: 'CONFLICT' });
      expect(other.httpStatus).toBe(422);
      expect(await storedClaimCount(t, unit.id)).toBe(1);
    });
  });

  describe('outbox', () => {
    it('every accepted change writes one WarrantyClaim outbox row; refused changes write none', async () => {
      const claim = await freshClaim();
      const events = () => claimOutboxCount(t, claim.id);
      expect(await events()).toBe(1);
      const asked = await decide(claim, { decision: 'REQUEST_INFO' });
      expect(await events()).toBe(2);
      expectFailure(await review(claim, { decision: 'REQUEST_INFO' }), { errorCode: 'VERSION_CONFLICT' });
      expectFailure(await review(asked, { decision: 'MARK_PAID' }), { errorCode: 'INVALID_STATE_TRANSITION' });
      expectFailure(await api.review(seller.staff, claim.id, { decision: 'APPROVE', expectedVersion: asked.version }), {
        code: 'FORBIDDEN',
      });
      expect(await events()).toBe(2);
      const answered = await answer(asked, 'Here it is');
      expect(await events()).toBe(3);
      const approved = await decide(answered, { decision: 'APPROVE' });
      expect(await events()).toBe(4);
      await decide(approved, { decision: 'MARK_PAID' });
      expect(await events()).toBe(5);

      const other = await freshClaim();
      const cancelled = expectClaim(await api.cancel(seller.staff, other.id, { expectedVersion: other.version }));
      expect(cancelled.status).toBe('CANCELLED');
      expect(await claimOutboxCount(t, other.id)).toBe(2);
    });

    it('a claim stored REJECTED as not covered writes exactly one outbox row', async () => {
      const own = await claimsProduct(t, maker, { excludedFailures: ['COSMETIC'] });
      const unit = await soldUnit(t, seller, maker, own.id);
      const claim = await file(unit.id, { failureCategory: 'COSMETIC' });
      expect(claim.status).toBe('REJECTED');
      expect(await claimOutboxCount(t, claim.id)).toBe(1);
    });
  });
});

describe('warranty claims over GraphQL only', () => {
  it('node(id) answers a claim to the manufacturer and the claimant, NOT_FOUND to another retailer', async () => {
    const maker = await createTenant(t, 'MANUFACTURER');
    const seller = await createTenant(t, 'RETAILER');
    const stranger = await createTenant(t, 'RETAILER');
    const product = await claimsProduct(t, maker);
    const unit = await soldUnit(t, seller, maker, product.id);
    const claim = expectClaim(await claimsApi(t, 'GraphQL').submit(seller.staff, claimInput(unit.id)));
    const NODE =
      'query($id: ID!) { node(id: $id) { __typename id ... on WarrantyClaim { number status unit { id } } } }';
    for (const key of [maker.readonly, seller.readonly]) {
      const res = await gql(t, key, NODE, { id: claim.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toEqual({
        __typename: 'WarrantyClaim',
        id: claim.id,
        number: claim.number,
        status: 'SUBMITTED',
        unit: { id: unit.id },
      });
    }
    const hidden = await gql(t, stranger.staff, NODE, { id: claim.id });
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(hidden.data?.node ?? null).toBeNull();
  });
});
