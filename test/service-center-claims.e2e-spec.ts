import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import {
  attachNewPlan,
  claimInput,
  claimsApi,
  expectClaim,
  expectFailure,
  storedClaimCount,
  TRANSPORTS,
  USD_LINES_TOTAL,
  type Claim,
} from './support/claims-client.js';
import { sqlQuery, utcDate } from './support/input-helpers.js';
import { APPROVE, OPEN, run, UPDATE } from './support/repairs-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister } from './support/units-helpers.js';

/**
 * A service center files warranty claims for the units of its repair tickets (docs/rules.md, "Parties
 * and who sees what": a service center sees tickets at its center, their units, the claims it
 * filed; "Warranty claims": filed by a service center or retailer for a unit it can see, decided by
 * the manufacturer; "Repairs": closing a repaired ticket whose covered amount is above zero files
 * a warranty claim for that amount on the service center's behalf, linked to the ticket, and
 * starts the repair warranty; "Always": bad input names the field and stores nothing). Every claim
 * operation is checked over GraphQL and REST.
 */

const FAILURE_DATE = utcDate(-2);
const CLAIM_FIELDS = `id claimant { id } unit { id } repairTicket { id number serviceCenter { id } unit { id } }`;
const CLAIM_WITH_TICKET = `query($id: ID!) { warrantyClaim(id: $id) { ${CLAIM_FIELDS} } }`;
const COVERAGE = `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { covered reasons coverages { source name startsAt endsAt } } }`;

/** Cents of a decimal amount string, to add amounts exactly. */
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('a service center files warranty claims for the units of its tickets', () => {
  let t: TestApp;
  let maker: Tenant;
  let seller: Tenant;
  let center: Tenant;
  let otherCenter: Tenant;
  /** 24 months of PARTS and LABOR from purchase, 90 days of repair warranty. */
  let product: { id: string };
  /** 12 months only: a unit bought 500 days ago is covered by its service plan, not the base warranty. */
  let shortProduct: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    otherCenter = await createTenant(t, 'SERVICE_CENTER');
    product = await createProduct(t, maker.staff, {
      warrantyTerms: {
        durationMonths: 24,
        startsFrom: 'PURCHASE_DATE',
        coverageTypes: ['PARTS', 'LABOR'],
        repairWarrantyDays: 90,
      },
    });
    shortProduct = await createProduct(t, maker.staff, {
      warrantyTerms: {
        durationMonths: 12,
        startsFrom: 'PURCHASE_DATE',
        coverageTypes: ['PARTS', 'LABOR'],
        repairWarrantyDays: 90,
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** A unit sold by the seller. */
  const newUnit = async (purchaseDate = utcDate(-60), productId = product.id) => {
    const unit = await mustRegister(t, seller.staff, {
      productId,
      manufacturerId: maker.id,
      serialNumber: uniqueSerial(),
      purchaseDate,
    });
    return { id: unit.id as string, serialNumber: unit.serialNumber as string };
  };
  /** A ticket that must open. */
  const open = async (key: string, input: Record<string, unknown>) => {
    const ticket = await run(t, key, OPEN, { reportedIssue: 'Not cooling', failureCategory: 'MECHANICAL', ...input });
    if (ticket.__typename !== 'RepairTicket') throw new Error(`the ticket did not open: ${JSON.stringify(ticket)}`);
    return ticket;
  };
  /** The center takes the unit in by serial number (it cannot see the unit before). */
  const takeIn = (unit: { serialNumber: string }, at = center) =>
    open(at.staff, { serialNumber: unit.serialNumber, manufacturerId: maker.id, serviceCenterId: at.id });
  /** One change to a ticket that must be accepted. */
  const change = async (
    key: string,
    mutation: string,
    ticket: { id: string; version: number },
    input: Record<string, unknown> = {},
  ) => {
    const next = await run(t, key, mutation, { ticketId: ticket.id, expectedVersion: ticket.version, ...input });
    if (next.__typename !== 'RepairTicket')
      throw new Error(`the ticket change ${JSON.stringify(input)} was refused: ${JSON.stringify(next)}`);
    return next;
  };
  const claimOf = (unitId: string, repairTicketId?: string) =>
    claimInput(unitId, { failureDate: FAILURE_DATE, ...(repairTicketId ? { repairTicketId } : {}) });

  /** What a refused claim must leave as it was, read straight from the database. */
  const snapshot = async () => {
    const [row] = await sqlQuery(
      t,
      `SELECT
        (SELECT count(*)::int FROM warranty_claims) AS claims,
        (SELECT count(*)::int FROM warranty_claim_history) AS "claimHistory",
        (SELECT count(*)::int FROM outbox_events) AS outbox,
        (SELECT count(*)::int FROM unit_events) AS "unitEvents",
        (SELECT coalesce(sum(version), 0)::int FROM units) AS "unitVersions",
        (SELECT coalesce(sum(version), 0)::int FROM repair_tickets) AS "ticketVersions",
        (SELECT count(*)::int FROM idempotency_keys) AS "idempotencyKeys"`,
    );
    return row;
  };

  describe('claims the center files itself', () => {
    let unitA: { id: string; serialNumber: string };
    let unitB: { id: string; serialNumber: string };
    let unitC: { id: string; serialNumber: string };
    let ticketA: { id: string; number: string };
    let ticketB: { id: string; number: string };
    /** The other center's ticket, on unit C. */
    let ticketC: { id: string; number: string };
    const centerClaims: Claim[] = [];
    let sellerClaim: Claim;
    let otherCenterClaim: Claim;

    beforeAll(async () => {
      unitA = await newUnit();
      unitB = await newUnit();
      unitC = await newUnit();
    });

    it('before any ticket at the center, submitting a claim for the unit is NOT_FOUND naming unitId, and nothing is stored', async () => {
      for (const transport of TRANSPORTS) {
        const before = await snapshot();
        expectFailure(await claimsApi(t, transport).submit(center.staff, claimOf(unitA.id)), {
          code: 'NOT_FOUND',
          field: 'unitId',
        });
        expect({ transport, after: await snapshot() }).toEqual({ transport, after: before });
      }
    });

    it('after a ticket opens at the center, a claim with repairTicketId of that ticket is accepted and its repairTicket is the ticket', async () => {
      ticketA = await takeIn(unitA);
      // the seller opens one at the center too: also a ticket at its center
      ticketB = await open(seller.staff, { unitId: unitB.id, serviceCenterId: center.id });
      ticketC = await takeIn(unitC, otherCenter);

      const viaGql = expectClaim(await claimsApi(t, 'GraphQL').submit(center.staff, claimOf(unitA.id, ticketA.id)));
      expect(viaGql).toMatchObject({
        status: 'SUBMITTED',
        claimantId: center.id,
        manufacturerId: maker.id,
        unitId: unitA.id,
        requestedTotal: { amount: USD_LINES_TOTAL, currency: 'USD' },
      });
      expect(viaGql.flags).not.toContain('NOT_COVERED');
      const viaRest = await rest(t, center.staff).post('/warranty-claims', claimOf(unitB.id, ticketB.id));
      expect({ status: viaRest.status, detail: viaRest.body.detail }).toEqual({ status: 201, detail: undefined });
      expect(viaRest.body).toMatchObject({
        status: 'SUBMITTED',
        claimantId: center.id,
        unitId: unitB.id,
        repairTicketId: ticketB.id,
      });
      const restClaim = expectClaim(await claimsApi(t, 'REST').get(center.staff, viaRest.body.id));
      centerClaims.push(viaGql, restClaim);

      // GraphQL WarrantyClaim.repairTicket resolves to the ticket, for the center and for the manufacturer
      for (const [claim, ticket, unit] of [
        [viaGql, ticketA, unitA],
        [restClaim, ticketB, unitB],
      ] as const) {
        for (const key of [center.staff, maker.staff]) {
          const read = await gql(t, key, CLAIM_WITH_TICKET, { id: claim.id });
          expect(read.errors).toBeUndefined();
          expect(read.data.warrantyClaim).toEqual({
            id: claim.id,
            claimant: { id: center.id },
            unit: { id: unit.id },
            repairTicket: {
              id: ticket.id,
              number: ticket.number,
              serviceCenter: { id: center.id },
              unit: { id: unit.id },
            },
          });
        }
      }
      const restRead = await rest(t, center.staff).get(`/warranty-claims/${viaGql.id}`);
      expect({ status: restRead.status, repairTicketId: restRead.body.repairTicketId }).toEqual({
        status: 200,
        repairTicketId: ticketA.id,
      });
      expect(await storedClaimCount(t, unitA.id)).toBe(1);
    });

    it("repairTicketId of another center's ticket (on another unit) is a VALIDATION_ERROR naming repairTicketId, and nothing is stored", async () => {
      for (const transport of TRANSPORTS) {
        const before = await snapshot();
        expectFailure(await claimsApi(t, transport).submit(center.staff, claimOf(unitA.id, ticketC.id)), {
          errorCode: 'VALIDATION_ERROR',
          field: 'repairTicketId',
        });
        expect({ transport, after: await snapshot() }).toEqual({ transport, after: before });
      }
    });

    it("repairTicketId of another center's earlier ticket on the same unit is a VALIDATION_ERROR naming repairTicketId, and nothing is stored", async () => {
      const unitD = await newUnit();
      // the seller sent the unit to the other center first, then cancelled and sent it to this center
      const elsewhere = await open(seller.staff, { unitId: unitD.id, serviceCenterId: otherCenter.id });
      await change(otherCenter.staff, UPDATE, elsewhere, { status: 'CANCELLED', note: 'Customer went elsewhere' });
      const here = await open(seller.staff, { unitId: unitD.id, serviceCenterId: center.id });
      for (const transport of TRANSPORTS) {
        const before = await snapshot();
        expectFailure(await claimsApi(t, transport).submit(center.staff, claimOf(unitD.id, elsewhere.id)), {
          errorCode: 'VALIDATION_ERROR',
          field: 'repairTicketId',
        });
        expect({ transport, after: await snapshot() }).toEqual({ transport, after: before });
      }
      // its own ticket on that unit is accepted
      expectClaim(await claimsApi(t, 'GraphQL').submit(center.staff, claimOf(unitD.id, here.id)));
    });

    it('repairTicketId of its own ticket on another unit, or of no ticket, is a VALIDATION_ERROR naming repairTicketId, and nothing is stored', async () => {
      for (const transport of TRANSPORTS) {
        for (const repairTicketId of [ticketB.id, '00000000-0000-4000-8000-000000000000']) {
          const before = await snapshot();
          expectFailure(await claimsApi(t, transport).submit(center.staff, claimOf(unitA.id, repairTicketId)), {
            errorCode: 'VALIDATION_ERROR',
            field: 'repairTicketId',
          });
          expect({ transport, repairTicketId, after: await snapshot() }).toEqual({
            transport,
            repairTicketId,
            after: before,
          });
        }
      }
    });

    it("the center lists its own claims (warrantyClaims, GET /warranty-claims), not the seller's or the other center's", async () => {
      // the seller files one for the unit it sold; the other center one for its ticket's unit
      sellerClaim = expectClaim(await claimsApi(t, 'GraphQL').submit(seller.staff, claimOf(unitA.id)));
      otherCenterClaim = expectClaim(
        await claimsApi(t, 'GraphQL').submit(otherCenter.staff, claimOf(unitC.id, ticketC.id)),
      );
      const [{ n: filedByCenter }] = await sqlQuery(
        t,
        `SELECT count(*)::int AS n FROM warranty_claims WHERE claimant_id = $1`,
        [center.id],
      );
      for (const transport of TRANSPORTS) {
        const api = claimsApi(t, transport);
        const { page, failure } = await api.list(center.staff, { first: 100 });
        expect({ transport, failure }).toEqual({ transport, failure: undefined });
        expect(page!.ids).toEqual(expect.arrayContaining(centerClaims.map((c) => c.id)));
        expect(page!.ids).not.toContain(sellerClaim.id);
        expect(page!.ids).not.toContain(otherCenterClaim.id);
        expect({
          transport,
          claimants: [...new Set(page!.claims.map((c) => c.claimantId))],
          totalCount: page!.totalCount,
        }).toEqual({ transport, claimants: [center.id], totalCount: filedByCenter });
        // for one unit: the center's claim on it, not the seller's
        const forUnit = await api.list(center.staff, { first: 100, unitId: unitA.id });
        expect({ transport, ids: forUnit.page?.ids }).toEqual({ transport, ids: [centerClaims[0].id] });
        // and the seller's list holds none of the center's claims
        const sellers = await api.list(seller.staff, { first: 100 });
        expect(sellers.page!.ids).toContain(sellerClaim.id);
        for (const c of centerClaims) expect(sellers.page!.ids).not.toContain(c.id);
      }
    });

    it('the manufacturer sees the claim and decides it; another center and the seller get NOT_FOUND for it', async () => {
      const claim = centerClaims[0];
      for (const transport of TRANSPORTS) {
        const api = claimsApi(t, transport);
        expect(expectClaim(await api.get(maker.staff, claim.id))).toMatchObject({
          id: claim.id,
          claimantId: center.id,
          status: 'SUBMITTED',
        });
        const listed = await api.list(maker.staff, { first: 100 });
        expect(listed.page!.ids).toEqual(
          expect.arrayContaining([...centerClaims.map((c) => c.id), sellerClaim.id, otherCenterClaim.id]),
        );
        // outside their view: not found, never forbidden
        expectFailure(await api.get(otherCenter.staff, claim.id), { code: 'NOT_FOUND' });
        expectFailure(await api.get(seller.staff, claim.id), { code: 'NOT_FOUND' });
        const before = await snapshot();
        expectFailure(await api.cancel(otherCenter.staff, claim.id, { expectedVersion: claim.version }), {
          code: 'NOT_FOUND',
        });
        expectFailure(
          await api.review(otherCenter.staff, claim.id, { decision: 'APPROVE', expectedVersion: claim.version }),
          { code: 'NOT_FOUND' },
        );
        expect({ transport, after: await snapshot() }).toEqual({ transport, after: before });
      }
      const otherList = await claimsApi(t, 'GraphQL').list(otherCenter.staff, { first: 100 });
      expect(otherList.page!.ids).toEqual([otherCenterClaim.id]);

      // the center may not decide its own claim (a permitted read, the wrong kind of operation)
      expectFailure(
        await claimsApi(t, 'GraphQL').review(center.staff, claim.id, {
          decision: 'APPROVE',
          expectedVersion: claim.version,
        }),
        { code: 'FORBIDDEN' },
      );
      const approved = expectClaim(
        await claimsApi(t, 'GraphQL').review(maker.staff, claim.id, {
          decision: 'APPROVE',
          expectedVersion: claim.version,
        }),
      );
      expect(approved).toMatchObject({
        status: 'APPROVED',
        approvedTotal: { amount: USD_LINES_TOTAL, currency: 'USD' },
      });
      const paid = expectClaim(
        await claimsApi(t, 'REST').review(maker.staff, claim.id, {
          decision: 'MARK_PAID',
          expectedVersion: approved.version,
        }),
      );
      expect(paid.status).toBe('PAID');
      // the center follows its claim to the end
      expect(expectClaim(await claimsApi(t, 'REST').get(center.staff, claim.id))).toMatchObject({
        status: 'PAID',
        approvedTotal: { amount: USD_LINES_TOTAL },
      });
    });
  });

  describe('the claim filed on closing a covered repair', () => {
    /** Approves the estimate (the center records the customer's approval) and works the ticket to CLOSED. */
    const approveAndClose = async (ticket: any, approver = center.staff) => {
      let current = await change(approver, APPROVE, ticket);
      for (const status of ['IN_REPAIR', 'QUALITY_CHECK', 'READY', 'CLOSED'])
        current = await change(center.staff, UPDATE, current, { status });
      return current;
    };
    /** A unit covered today by a 3-year service plan with a 49.00 USD deductible (its 12-month base warranty ended long ago). */
    const unitUnderPlan = async () => {
      const unit = await newUnit(utcDate(-500), shortProduct.id);
      await attachNewPlan(t, maker.staff, seller.staff, unit.id, utcDate(-490), {
        name: 'Care 3 years',
        durationMonths: 36,
        startsAfterBaseWarranty: true,
        purchaseWindowDays: 365,
        deductible: { amount: '49.00', currency: 'USD' },
      });
      return unit;
    };
    const sources = async (serialNumber: string, failureCategory?: string) => {
      const res = await gql(t, center.staff, COVERAGE, {
        q: { serialNumber, manufacturerId: maker.id, ...(failureCategory ? { failureCategory } : {}) },
      });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data.warrantyCoverage.coverages.map((c: { source: string }) => c.source) as string[];
    };

    it("under a plan with a deductible: the lines carry the deductible as a negative OTHER line, requestedTotal is the estimate's covered amount, DEDUCTIBLE_APPLIED, and an approval without amount approves it all", async () => {
      const unit = await unitUnderPlan();
      const opened = await takeIn(unit);
      expect(opened.coverageAtIntake).toMatchObject({
        covered: true,
        coverages: [{ source: 'SERVICE_PLAN', deductible: { amount: '49.00', currency: 'USD' } }],
      });
      let ticket = await change(center.staff, UPDATE, opened, {
        status: 'DIAGNOSING',
        diagnosis: 'Compressor seized',
        addParts: [
          {
            partNumber: 'CMP-1',
            description: 'Compressor',
            quantity: 2,
            unitCost: { amount: '60.00', currency: 'USD' },
          },
        ],
        addLaborMinutes: 60,
      });
      // 2 × 60.00 + 60 min × 90.00/h = 210.00; the plan pays it less the 49.00 deductible
      expect(ticket.estimate).toMatchObject({
        total: { amount: '210.00' },
        covered: { amount: '161.00', currency: 'USD' },
        customerPays: { amount: '49.00' },
      });
      ticket = await change(center.staff, UPDATE, ticket, { status: 'AWAITING_APPROVAL' });
      const closed = await approveAndClose(ticket);
      expect(closed).toMatchObject({ status: 'CLOSED', estimate: { covered: { amount: '161.00' } } });

      const filed = closed.warrantyClaim;
      expect(filed).toMatchObject({ status: 'SUBMITTED', requestedTotal: closed.estimate.covered });
      expect(filed.flags).toContain('DEDUCTIBLE_APPLIED');
      expect(filed.flags).not.toContain('NOT_COVERED');
      for (const transport of TRANSPORTS) {
        const claim = expectClaim(await claimsApi(t, transport).get(maker.staff, filed.id));
        expect(claim).toMatchObject({
          claimantId: center.id,
          unitId: unit.id,
          status: 'SUBMITTED',
          requestedTotal: { amount: '161.00', currency: 'USD' },
          coverage: { source: 'SERVICE_PLAN', deductible: { amount: '49.00', currency: 'USD' } },
        });
        expect(
          claim.lines.map((l) => ({
            kind: l.kind,
            quantity: l.quantity,
            unitAmount: l.unitAmount.amount,
            total: l.total.amount,
          })),
        ).toEqual([
          { kind: 'PART', quantity: '2', unitAmount: '60.00', total: '120.00' },
          { kind: 'LABOR', quantity: '1', unitAmount: '90.00', total: '90.00' },
          { kind: 'OTHER', quantity: '1', unitAmount: '-49.00', total: '-49.00' },
        ]);
        expect(claim.lines.reduce((sum, l) => sum + cents(l.total.amount), 0)).toBe(cents(claim.requestedTotal.amount));
      }
      // the center filed it: it lists it with its own claims
      const listed = await claimsApi(t, 'REST').list(center.staff, { first: 100, unitId: unit.id });
      expect(listed.page!.ids).toEqual([filed.id]);
      const linked = await gql(t, center.staff, CLAIM_WITH_TICKET, { id: filed.id });
      expect(linked.data.warrantyClaim.repairTicket).toMatchObject({ id: closed.id });

      // approved without an amount: the whole requested total (the deductible is not taken off twice)
      const current = expectClaim(await claimsApi(t, 'GraphQL').get(maker.staff, filed.id));
      const approved = expectClaim(
        await claimsApi(t, 'REST').review(maker.staff, filed.id, {
          decision: 'APPROVE',
          expectedVersion: current.version,
        }),
      );
      expect(approved).toMatchObject({ status: 'APPROVED', approvedTotal: { amount: '161.00', currency: 'USD' } });
      expect(approved.approvedTotal).toEqual(approved.requestedTotal);

      // and the repair warranty starts for the repaired failure
      expect(await sources(unit.serialNumber, 'MECHANICAL')).toContain('REPAIR_WARRANTY');
    });

    it('an out-of-warranty repair (covered 0.00) files no claim, and still starts the repair warranty for the repaired failure (coverage rule 3)', async () => {
      const unit = await newUnit(utcDate(-900));
      const opened = await open(seller.staff, { unitId: unit.id, serviceCenterId: center.id });
      expect(opened.coverageAtIntake).toMatchObject({ covered: false, reasons: ['EXPIRED'] });
      let ticket = await change(center.staff, UPDATE, opened, {
        status: 'DIAGNOSING',
        addParts: [
          {
            partNumber: 'SEAL-1',
            description: 'Door seal',
            quantity: 1,
            unitCost: { amount: '39.90', currency: 'USD' },
          },
        ],
        addLaborMinutes: 30,
      });
      expect(ticket.estimate).toMatchObject({
        total: { amount: '84.90' },
        covered: { amount: '0.00' },
        customerPays: { amount: '84.90' },
      });
      ticket = await change(center.staff, UPDATE, ticket, { status: 'AWAITING_APPROVAL' });
      const before = await snapshot();
      const closed = await approveAndClose(ticket, seller.staff);
      expect(closed).toMatchObject({ status: 'CLOSED', warrantyClaim: null });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      expect((await snapshot()).claims).toBe(before.claims);
      const read = await rest(t, center.staff).get(`/repair-tickets/${closed.id}`);
      expect({ status: read.status, warrantyClaimId: read.body.warrantyClaimId ?? null }).toEqual({
        status: 200,
        warrantyClaimId: null,
      });
      // docs/rules.md coverage rule 3: a ticket closed after a completed repair gives the repair warranty
      expect(await sources(unit.serialNumber, 'MECHANICAL')).toEqual(['REPAIR_WARRANTY']);
      expect(await sources(unit.serialNumber, 'ELECTRICAL')).not.toContain('REPAIR_WARRANTY');
    });

    it("a covered repair cheaper than the plan's deductible (covered 0.00) files no claim, and the repair warranty starts", async () => {
      const unit = await unitUnderPlan();
      const opened = await takeIn(unit);
      let ticket = await change(center.staff, UPDATE, opened, {
        status: 'DIAGNOSING',
        addParts: [
          {
            partNumber: 'KNB-1',
            description: 'Thermostat knob',
            quantity: 1,
            unitCost: { amount: '20.00', currency: 'USD' },
          },
        ],
      });
      expect(ticket.estimate).toMatchObject({
        total: { amount: '20.00' },
        covered: { amount: '0.00' },
        customerPays: { amount: '20.00' },
      });
      ticket = await change(center.staff, UPDATE, ticket, { status: 'AWAITING_APPROVAL' });
      const closed = await approveAndClose(ticket);
      expect(closed).toMatchObject({ status: 'CLOSED', warrantyClaim: null });
      expect(await storedClaimCount(t, unit.id)).toBe(0);
      expect(await sources(unit.serialNumber, 'MECHANICAL')).toContain('REPAIR_WARRANTY');
    });
  });
});
