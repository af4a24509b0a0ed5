import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { Caller } from '../src/common/auth/caller.js';
import { UnitAccessRules1764230400000 } from '../src/database/migrations/1764230400000-unit-access-rules.js';
import {
  canChangeUnit,
  canReadOwner,
  canSeeUnit,
  ownerVisibility,
  unitKeepers,
  unitVisibility,
  type UnitAccessFacts,
} from '../src/units/unit-visibility.js';
import type { SqlCondition } from '../src/common/sql/sql-condition.js';
import {
  assertErrorResult,
  assertSuccess,
  createProduct,
  createTenant,
  errorCode,
  gql,
  rest,
  uniqueSerial,
  type GqlResponse,
  type Tenant,
} from './support/api.js';
import { claimInput, SUBMIT_CLAIM } from './support/claims-client.js';
import { utcDate } from './support/input-helpers.js';
import { createTechnician, OPEN, run, UPDATE, ASSIGN } from './support/repairs-client.js';
import {
  createPolicy,
  INSPECT_RETURN,
  REQUEST_RETURN,
  RESOLVE_RETURN,
  TRANSITION_RETURN,
} from './support/returns-client.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import {
  ATTACH_SERVICE_PLAN,
  createPlan,
  mustRegister,
  TRANSFER_OWNERSHIP,
  UNITS_QUERY,
} from './support/units-helpers.js';

/**
 * Issue 10, findings 2 and 9: who sees, reads the owner of and changes a unit (docs/rules.md, "Parties
 * and who sees what"), and the smaller leaks: upgrade programs without a key, node(id) telling
 * kinds apart, technicians shown to others, return numbers in unit history. GraphQL and REST.
 */
describe('access rules (issue 10)', () => {
  let t: TestApp;
  let maker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let otherCenter: Tenant;
  let product: { id: string };
  const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' };

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    otherCenter = await createTenant(t, 'SERVICE_CENTER');
    product = await createProduct(t, maker.staff);
  });
  afterAll(async () => {
    await t.close();
  });

  const sql = <T = any>(text: string, params: unknown[] = []): Promise<T[]> =>
    t.app.get(DataSource).query(text, params);

  /** A unit the seller sold 20 days ago, with an owner and a price. */
  const soldUnit = async () => {
    const unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      serialNumber: uniqueSerial(),
      purchaseDate: utcDate(-20),
      customer: OWNER,
      purchasePrice: { amount: '499.00', currency: 'USD' },
    });
    return { id: unit.id as string, serialNumber: unit.serialNumber as string };
  };
  const openTicket = (key: string, unit: { serialNumber: string }, serviceCenterId = center.id) =>
    run(t, key, OPEN, {
      serialNumber: unit.serialNumber,
      manufacturerId: maker.id,
      serviceCenterId,
      reportedIssue: 'Noisy compressor',
      failureCategory: 'MECHANICAL',
    });
  const moveTicket = (key: string, ticket: { id: string; version: number }, status: string, note?: string) =>
    run(t, key, UPDATE, { ticketId: ticket.id, expectedVersion: ticket.version, status, ...(note ? { note } : {}) });

  const UNIT_QUERY = `query($id: ID!) { unit(id: $id) { id owner { name email phone } } }`;
  const BY_SERIAL = `query($s: String!, $m: ID) { unitBySerial(serialNumber: $s, manufacturerId: $m) { id owner { name } } }`;
  const HISTORY = `query($id: ID!) { unit(id: $id) { history(first: 100) { edges { node { type summary data technician { id } } } } } }`;
  const COVERAGE = `query($q: CoverageQuery!) { warrantyCoverage(query: $q) { serialNumber covered unit { id owner { name email } } } }`;
  const NODE = `query($id: ID!) { node(id: $id) { id } }`;

  const notFound = (res: GqlResponse) => {
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  };

  /** Everything that reads the unit itself answers NOT_FOUND to this key (GraphQL and REST). */
  const expectUnitHidden = async (key: string, unit: { id: string; serialNumber: string }) => {
    notFound(await gql(t, key, UNIT_QUERY, { id: unit.id }));
    notFound(await gql(t, key, BY_SERIAL, { s: unit.serialNumber, m: maker.id }));
    notFound(await gql(t, key, HISTORY, { id: unit.id }));
    notFound(await gql(t, key, NODE, { id: unit.id }));
    const listed = await gql(t, key, UNITS_QUERY, { filter: { serialNumber: unit.serialNumber }, first: 10 });
    expect(listed.data.units.totalCount).toBe(0);
    for (const path of [
      `/units/${unit.id}`,
      `/units/${unit.id}/history`,
      `/units/${unit.id}/service-plans`,
      `/units:by-serial?serialNumber=${encodeURIComponent(unit.serialNumber)}&manufacturerId=${maker.id}`,
    ]) {
      const r = await rest(t, key).get(path);
      expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 404, code: 'NOT_FOUND' });
    }
    const list = await rest(t, key).get(`/units?serialNumber=${encodeURIComponent(unit.serialNumber)}`);
    expect(list.body.totalCount).toBe(0);
  };

  const unitRow = async (id: string) =>
    (
      await sql(
        `SELECT owner, version, (SELECT count(*)::int FROM unit_events e WHERE e.unit_id = u.id) AS events,
      (SELECT count(*)::int FROM unit_service_plans p WHERE p.unit_id = u.id) AS plans, (SELECT count(*)::int FROM warranty_claims c WHERE c.unit_id = u.id) AS claims
      FROM units u WHERE id = $1`,
        [id],
      )
    )[0];

  // -------------------------------------------------------------------------------------------
  describe("finding 2: opening a ticket makes no one the unit's keeper", () => {
    let unit: { id: string; serialNumber: string };
    let ticket: { id: string; version: number; number: string };
    let ownPlan: { id: string };

    beforeAll(async () => {
      unit = await soldUnit();
      // another store takes the unit in by its serial number at a service center
      ticket = assertSuccess(await openTicket(otherSeller.staff, unit), 'RepairTicket');
      ownPlan = await createPlan(t, otherSeller.staff);
    });

    it('an opener that neither sold nor made the unit gets NOT_FOUND for unit(id), unitBySerial, units, history and node(id), over GraphQL and REST', async () => {
      await expectUnitHidden(otherSeller.staff, unit);
      await expectUnitHidden(otherSeller.readonly, unit);
    });

    it('on its ticket the opener reads the product, serial number and coverage only: no owner, price, retailer, plans, history or links', async () => {
      const TICKET_UNIT = `query($id: ID!) { repairTicket(id: $id) { id
        unit { id serialNumber product { id } owner { name } purchasePrice { amount } retailer { id } deliveryDate proofOfPurchaseRef
               servicePlans { startsAt } history { edges { node { type } } } replacementOf { id } replacedBy { id } }
        coverageAtIntake { serialNumber covered unit { id } } } }`;
      const res = await gql(t, otherSeller.staff, TICKET_UNIT, { id: ticket.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.repairTicket).toEqual({
        id: ticket.id,
        unit: {
          id: unit.id,
          serialNumber: unit.serialNumber,
          product: { id: product.id },
          owner: null,
          purchasePrice: null,
          retailer: null,
          deliveryDate: null,
          proofOfPurchaseRef: null,
          servicePlans: [],
          history: { edges: [] },
          replacementOf: null,
          replacedBy: null,
        },
        coverageAtIntake: { serialNumber: unit.serialNumber, covered: true, unit: null },
      });
      // the seller, a keeper, reads the full unit through the same field
      const fromSeller = await gql(
        t,
        seller.staff,
        `query($id: ID!) { unit(id: $id) { owner { name } retailer { id } purchasePrice { amount } } }`,
        { id: unit.id },
      );
      expect(fromSeller.data.unit).toEqual({
        owner: { name: OWNER.name },
        retailer: { id: seller.id },
        purchasePrice: { amount: '499.00' },
      });
    });

    it('the opener cannot transfer ownership, attach even its own plan, or file a claim: NOT_FOUND over GraphQL and REST, nothing stored', async () => {
      const before = await unitRow(unit.id);
      notFound(
        await gql(t, otherSeller.staff, TRANSFER_OWNERSHIP, {
          input: { unitId: unit.id, newOwner: { name: 'Mallory' }, expectedVersion: before.version },
        }),
      );
      notFound(
        await gql(t, otherSeller.staff, ATTACH_SERVICE_PLAN, {
          input: { unitId: unit.id, servicePlanId: ownPlan.id, purchasedAt: utcDate(-1) },
        }),
      );
      notFound(
        await gql(t, otherSeller.staff, SUBMIT_CLAIM, { input: claimInput(unit.id, { failureDate: utcDate(-1) }) }),
      );
      const attempts = [
        rest(t, otherSeller.staff).post(`/units/${unit.id}:transfer`, {
          newOwner: { name: 'Mallory' },
          expectedVersion: before.version,
        }),
        rest(t, otherSeller.staff).post(`/units/${unit.id}:attachServicePlan`, {
          servicePlanId: ownPlan.id,
          purchasedAt: utcDate(-1),
        }),
        rest(t, otherSeller.staff).post('/warranty-claims', claimInput(unit.id, { failureDate: utcDate(-1) })),
      ];
      for (const r of await Promise.all(attempts))
        expect({ status: r.status, code: r.body.code, field: r.body.field }).toEqual({
          status: 404,
          code: 'NOT_FOUND',
          field: 'unitId',
        });
      expect(await unitRow(unit.id)).toEqual(before);
    });

    it("the service center reads the owner's contact while it holds the open ticket, and sees the unit without it once the ticket is cancelled", async () => {
      const own = await soldUnit();
      let open = await openTicket(center.staff, own);
      const whileOpen = await gql(t, center.staff, UNIT_QUERY, { id: own.id });
      expect(whileOpen.data.unit).toEqual({ id: own.id, owner: OWNER });
      // the contact and the language to speak in; the birth date is the keepers' only
      expect((await rest(t, center.readonly).get(`/units/${own.id}`)).body.owner).toEqual({
        ...OWNER,
        marketingConsent: false,
        locale: null,
        birthDate: null,
      });
      // another center, with no ticket for the unit, sees nothing
      await expectUnitHidden(otherCenter.staff, own);

      open = await moveTicket(center.staff, open, 'CANCELLED');
      expect(open.status).toBe('CANCELLED');
      const after = await gql(t, center.staff, UNIT_QUERY, { id: own.id });
      expect(after.data.unit).toEqual({ id: own.id, owner: null });
      expect((await gql(t, center.staff, BY_SERIAL, { s: own.serialNumber, m: maker.id })).data.unitBySerial).toEqual({
        id: own.id,
        owner: null,
      });
      const r = await rest(t, center.staff).get(`/units/${own.id}`);
      expect({ status: r.status, owner: r.body.owner }).toEqual({ status: 200, owner: null });
      const listed = await rest(t, center.staff).get(`/units?serialNumber=${encodeURIComponent(own.serialNumber)}`);
      expect(listed.body.edges.map((e: any) => e.node.owner)).toEqual([null]);
      // the stored owner is untouched: the seller and the manufacturer still read it
      for (const key of [seller.staff, maker.readonly])
        expect((await gql(t, key, UNIT_QUERY, { id: own.id })).data.unit.owner).toEqual(OWNER);
    });

    it('the service center never changes the unit: FORBIDDEN for transfer and plans over GraphQL and REST, nothing stored', async () => {
      const own = await soldUnit();
      await openTicket(center.staff, own);
      const makerPlan = await createPlan(t, maker.staff);
      const before = await unitRow(own.id);
      expect(
        errorCode(
          await gql(t, center.staff, TRANSFER_OWNERSHIP, {
            input: { unitId: own.id, newOwner: { name: 'Mallory' }, expectedVersion: before.version },
          }),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(
          await gql(t, center.staff, ATTACH_SERVICE_PLAN, {
            input: { unitId: own.id, servicePlanId: makerPlan.id, purchasedAt: utcDate(-1) },
          }),
        ),
      ).toBe('FORBIDDEN');
      const transfer = await rest(t, center.staff).post(`/units/${own.id}:transfer`, {
        newOwner: { name: 'Mallory' },
        expectedVersion: before.version,
      });
      const attach = await rest(t, center.staff).post(`/units/${own.id}:attachServicePlan`, {
        servicePlanId: makerPlan.id,
        purchasedAt: utcDate(-1),
      });
      expect([transfer.status, transfer.body.code, attach.status, attach.body.code]).toEqual([
        403,
        'FORBIDDEN',
        403,
        'FORBIDDEN',
      ]);
      expect(await unitRow(own.id)).toEqual(before);
    });

    it('a claim is filed by the center for a unit of a ticket at its center, even once the ticket is finished; another center gets NOT_FOUND', async () => {
      const own = await soldUnit();
      const open = await openTicket(center.staff, own);
      await moveTicket(center.staff, open, 'CANCELLED');
      assertSuccess(
        (await gql(t, center.staff, SUBMIT_CLAIM, { input: claimInput(own.id, { failureDate: utcDate(-1) }) })).data
          .submitWarrantyClaim,
        'WarrantyClaim',
      );
      notFound(
        await gql(t, otherCenter.staff, SUBMIT_CLAIM, { input: claimInput(own.id, { failureDate: utcDate(-1) }) }),
      );
    });

    it('a claim whose unit its claimant no longer sees (data from before this rule) shows the reduced unit, never a server error', async () => {
      const own = await soldUnit();
      await openTicket(center.staff, own);
      const claim = assertSuccess(
        (await gql(t, center.staff, SUBMIT_CLAIM, { input: claimInput(own.id, { failureDate: utcDate(-1) }) })).data
          .submitWarrantyClaim,
        'WarrantyClaim',
      );
      // as a claim filed by an opener under the old rule: the claimant no longer sees the unit
      await sql(`UPDATE units SET repair_org_ids = '{}', open_repair_center_id = NULL WHERE id = $1`, [own.id]);
      const res = await gql(
        t,
        center.staff,
        `query($id: ID!) { warrantyClaim(id: $id) { id unit { id serialNumber owner { name } retailer { id } servicePlans { startsAt } } } }`,
        { id: claim.id },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.warrantyClaim).toEqual({
        id: claim.id,
        unit: { id: own.id, serialNumber: own.serialNumber, owner: null, retailer: null, servicePlans: [] },
      });
    });

    it('coverage checks stay open to everyone; CoverageCheck.unit is null for those who may not see the unit, and has no owner for those who may not read it', async () => {
      const q = { serialNumber: unit.serialNumber, manufacturerId: maker.id, failureCategory: 'MECHANICAL' };
      for (const key of [otherSeller.staff, otherCenter.staff]) {
        const res = await gql(t, key, COVERAGE, { q });
        expect(res.data.warrantyCoverage).toEqual({ serialNumber: unit.serialNumber, covered: true, unit: null });
        const r = await rest(t, key).get(
          `/coverage?serialNumber=${encodeURIComponent(unit.serialNumber)}&manufacturerId=${maker.id}`,
        );
        expect({ status: r.status, covered: r.body.covered, unit: r.body.unit }).toEqual({
          status: 200,
          covered: true,
          unit: null,
        });
      }
      expect((await gql(t, seller.staff, COVERAGE, { q })).data.warrantyCoverage.unit).toEqual({
        id: unit.id,
        owner: { name: OWNER.name, email: OWNER.email },
      });
      // the center holding the open ticket reads the owner; the platform sees the unit but not its owner
      expect((await gql(t, center.staff, COVERAGE, { q })).data.warrantyCoverage.unit).toEqual({
        id: unit.id,
        owner: { name: OWNER.name, email: OWNER.email },
      });
      expect((await gql(t, PLATFORM_KEY, COVERAGE, { q })).data.warrantyCoverage.unit).toEqual({
        id: unit.id,
        owner: null,
      });
      const r = await rest(t, PLATFORM_KEY).get(
        `/coverage?serialNumber=${encodeURIComponent(unit.serialNumber)}&manufacturerId=${maker.id}`,
      );
      expect(r.body.unit).toMatchObject({ id: unit.id, owner: null });
    });

    it("a plan is attached by the unit's retailer or manufacturer, and only the caller's own or the manufacturer's: another store's plan is PLAN_NOT_ELIGIBLE naming servicePlanId", async () => {
      const own = await soldUnit();
      const makerPlan = await createPlan(t, maker.staff);
      const storePlan = await createPlan(t, seller.staff);
      const strangerPlan = await createPlan(t, otherSeller.staff);
      const before = await unitRow(own.id);
      const refused = assertErrorResult(
        (
          await gql(t, seller.staff, ATTACH_SERVICE_PLAN, {
            input: { unitId: own.id, servicePlanId: strangerPlan.id, purchasedAt: utcDate(-1) },
          })
        ).data.attachServicePlan,
        'PLAN_NOT_ELIGIBLE',
      );
      expect(refused.field).toBe('servicePlanId');
      // the manufacturer does not attach a store's plan either
      assertErrorResult(
        (
          await gql(t, maker.staff, ATTACH_SERVICE_PLAN, {
            input: { unitId: own.id, servicePlanId: storePlan.id, purchasedAt: utcDate(-1) },
          })
        ).data.attachServicePlan,
        'PLAN_NOT_ELIGIBLE',
      );
      const r = await rest(t, seller.staff).post(`/units/${own.id}:attachServicePlan`, {
        servicePlanId: strangerPlan.id,
        purchasedAt: utcDate(-1),
      });
      expect({ status: r.status, errorCode: r.body.errorCode, field: r.body.field }).toEqual({
        status: 422,
        errorCode: 'PLAN_NOT_ELIGIBLE',
        field: 'servicePlanId',
      });
      expect(await unitRow(own.id)).toEqual(before);
      // a store sells the maker's plan and its own; the maker its own
      assertSuccess(
        (
          await gql(t, seller.staff, ATTACH_SERVICE_PLAN, {
            input: { unitId: own.id, servicePlanId: makerPlan.id, purchasedAt: utcDate(-1) },
          })
        ).data.attachServicePlan,
        'Unit',
      );
      assertSuccess(
        (
          await gql(t, seller.staff, ATTACH_SERVICE_PLAN, {
            input: { unitId: own.id, servicePlanId: storePlan.id, purchasedAt: utcDate(-1) },
          })
        ).data.attachServicePlan,
        'Unit',
      );
      const makerOwn = await createPlan(t, maker.staff, { name: 'Maker care' });
      assertSuccess(
        (
          await gql(t, maker.staff, ATTACH_SERVICE_PLAN, {
            input: { unitId: own.id, servicePlanId: makerOwn.id, purchasedAt: utcDate(-1) },
          })
        ).data.attachServicePlan,
        'Unit',
      );
    });

    it('outside the view is NOT_FOUND whatever the key or the kind of organization; FORBIDDEN only for those who see the unit', async () => {
      const before = await unitRow(unit.id);
      const transfer = { input: { unitId: unit.id, newOwner: { name: 'Mallory' }, expectedVersion: before.version } };
      notFound(await gql(t, otherSeller.readonly, TRANSFER_OWNERSHIP, transfer));
      notFound(
        await gql(t, otherCenter.readonly, SUBMIT_CLAIM, { input: claimInput(unit.id, { failureDate: utcDate(-1) }) }),
      );
      const returnLine = {
        unitId: unit.id,
        reason: 'CHANGED_MIND',
        condition: 'OPENED',
        requestedResolution: 'REFUND',
      };
      notFound(await gql(t, otherCenter.staff, REQUEST_RETURN, { input: { lines: [returnLine] } }));
      const r = await rest(t, otherCenter.staff).post('/returns', { lines: [returnLine] });
      expect({ status: r.status, code: r.body.code, field: r.body.field }).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        field: 'lines.0.unitId',
      });
      // the center of the open ticket sees the unit: its read-only key, and any key of it, is refused the change
      expect(errorCode(await gql(t, center.readonly, TRANSFER_OWNERSHIP, transfer))).toBe('FORBIDDEN');
      expect(errorCode(await gql(t, maker.staff, REQUEST_RETURN, { input: { lines: [returnLine] } }))).toBe(
        'FORBIDDEN',
      );
      expect(await unitRow(unit.id)).toEqual(before);
    });

    it('the platform operator sees every unit but reads no owner and changes no unit (FORBIDDEN)', async () => {
      expect((await gql(t, PLATFORM_KEY, UNIT_QUERY, { id: unit.id })).data.unit).toEqual({ id: unit.id, owner: null });
      const before = await unitRow(unit.id);
      expect(
        errorCode(
          await gql(t, PLATFORM_KEY, TRANSFER_OWNERSHIP, {
            input: { unitId: unit.id, newOwner: { name: 'Mallory' }, expectedVersion: before.version },
          }),
        ),
      ).toBe('FORBIDDEN');
      expect(await unitRow(unit.id)).toEqual(before);
    });

    it('after its ticket is cancelled the opener still gets NOT_FOUND for the unit and every change', async () => {
      const cancelled = await moveTicket(center.staff, ticket, 'CANCELLED');
      expect(cancelled.status).toBe('CANCELLED');
      await expectUnitHidden(otherSeller.staff, unit);
      notFound(
        await gql(t, otherSeller.staff, TRANSFER_OWNERSHIP, {
          input: { unitId: unit.id, newOwner: { name: 'Mallory' } },
        }),
      );
      const ticketNow = await gql(
        t,
        otherSeller.staff,
        `query($id: ID!) { repairTicket(id: $id) { status unit { serialNumber owner { name } } } }`,
        { id: ticket.id },
      );
      expect(ticketNow.data.repairTicket).toEqual({
        status: 'CANCELLED',
        unit: { serialNumber: unit.serialNumber, owner: null },
      });
    });

    it('the SQL and TypeScript forms of each rule agree, for every kind of caller and every unit', async () => {
      const units: (UnitAccessFacts & { id: string })[] = (
        await sql(`SELECT id, manufacturer_id, retailer_id, repair_org_ids, open_repair_center_id FROM units`)
      ).map((r) => ({
        id: r.id,
        manufacturerId: r.manufacturer_id,
        retailerId: r.retailer_id,
        repairOrgIds: r.repair_org_ids,
        openRepairCenterId: r.open_repair_center_id,
      }));
      expect(units.some((u) => u.openRepairCenterId)).toBe(true);
      expect(units.some((u) => u.repairOrgIds?.length && !u.openRepairCenterId)).toBe(true);
      const [platform] = await sql(`SELECT id FROM organizations WHERE kind = 'PLATFORM' LIMIT 1`);
      const callers: Caller[] = [
        ...[maker, seller, otherSeller, center, otherCenter].map((o) => ({
          apiKeyId: randomUUID(),
          organizationId: o.id,
          organizationKind: o.kind as Caller['organizationKind'],
          role: 'STAFF' as const,
          technicianId: null,
        })),
        {
          apiKeyId: randomUUID(),
          organizationId: platform.id,
          organizationKind: 'PLATFORM',
          role: 'ADMIN',
          technicianId: null,
        },
      ];
      const rules: [
        string,
        (c: Caller, alias: string, i: number) => SqlCondition,
        (c: Caller, u: UnitAccessFacts) => boolean,
      ][] = [
        ['see', unitVisibility, canSeeUnit],
        ['read owner', ownerVisibility, canReadOwner],
        ['change', unitKeepers, canChangeUnit],
      ];
      for (const [name, sqlForm, tsForm] of rules) {
        for (const caller of callers) {
          const condition = sqlForm(caller, 'u', 1);
          const bySql = (
            await sql<{ id: string }>(
              `SELECT u.id FROM units u WHERE coalesce(${condition.sql}, FALSE) ORDER BY u.id`,
              condition.params,
            )
          ).map((r) => r.id);
          const byTs = units
            .filter((u) => tsForm(caller, u))
            .map((u) => u.id)
            .sort();
          expect({ rule: name, kind: caller.organizationKind, ids: bySql }).toEqual({
            rule: name,
            kind: caller.organizationKind,
            ids: byTs,
          });
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('finding 9: smaller leaks', () => {
    it('upgrade programs are read with a valid API key only, over GraphQL and REST', async () => {
      const LIST = '{ upgradePrograms { id } }';
      expect(errorCode(await gql(t, null, LIST))).toBe('UNAUTHENTICATED');
      expect(errorCode(await gql(t, 'ac_not_a_real_key_0000000000000000000000', LIST))).toBe('UNAUTHENTICATED');
      expect((await rest(t, null).get('/upgrades/programs')).status).toBe(401);
      expect((await rest(t, 'ac_not_a_real_key_0000000000000000000000').get('/upgrades/programs')).status).toBe(401);
      const withKey = await gql(t, otherCenter.readonly, LIST);
      expect(withKey.errors).toBeUndefined();
      expect((await rest(t, otherCenter.readonly).get('/upgrades/programs')).status).toBe(200);
    });

    it('node(id) gives one answer, same message, code and field, for what the caller may not see of any kind and for an id that exists nowhere', async () => {
      const stranger = await createTenant(t, 'RETAILER');
      const unit = await soldUnit();
      const ticket = await openTicket(center.staff, unit);
      const claim = assertSuccess(
        (await gql(t, center.staff, SUBMIT_CLAIM, { input: claimInput(unit.id, { failureDate: utcDate(-1) }) })).data
          .submitWarrantyClaim,
        'WarrantyClaim',
      );
      await createPolicy(t, seller);
      const other = await soldUnit();
      const rma = (
        await gql(t, seller.staff, REQUEST_RETURN, {
          input: {
            lines: [{ unitId: other.id, reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' }],
          },
        })
      ).data.requestReturn;
      expect(rma.status).toBe('AUTHORIZED');
      const tech = await createTechnician(t, center, 'Node Tech');
      const answers = [];
      for (const id of [unit.id, ticket.id, claim.id, rma.id, tech.id, randomUUID(), 'not-an-id']) {
        const res = await gql(t, stranger.staff, NODE, { id });
        expect(res.data?.node ?? null).toBeNull();
        const error = res.errors?.[0];
        answers.push({
          message: error?.message,
          code: error?.extensions?.code,
          field: error?.extensions?.field,
          errorCode: error?.extensions?.errorCode ?? null,
        });
      }
      expect(answers[0]).toEqual({ message: 'Node was not found.', code: 'NOT_FOUND', field: 'id', errorCode: null });
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    });

    it("technicians are the center's own: the opener and the manufacturer see the center, never its technicians, over GraphQL and REST", async () => {
      const tech = await createTechnician(t, center, 'Grace Bench');
      const unit = await soldUnit();
      let ticket = await openTicket(seller.staff, unit);
      ticket = await run(t, center.staff, ASSIGN, {
        ticketId: ticket.id,
        technicianId: tech.id,
        expectedVersion: ticket.version,
      });
      ticket = await moveTicket(tech.key, ticket, 'DIAGNOSING');
      ticket = await moveTicket(tech.key, ticket, 'UNREPAIRABLE', 'Board burnt out');
      expect(ticket.status).toBe('UNREPAIRABLE');
      const TICKET = `query($id: ID!) { repairTicket(id: $id) { technician { id } history { to note technician { id } actor { id } } } }`;

      for (const key of [seller.staff, maker.staff]) {
        const seen = (await gql(t, key, TICKET, { id: ticket.id })).data.repairTicket;
        expect(seen.technician).toBeNull();
        expect(seen.history.map((h: any) => h.technician)).toEqual(seen.history.map(() => null));
        expect(seen.history.map((h: any) => h.note)).toContain('Technician assigned');
        expect(JSON.stringify(seen)).not.toContain('Grace Bench');
        const r = await rest(t, key).get(`/repair-tickets/${ticket.id}`);
        expect(r.status).toBe(200);
        expect(r.body.technicianId).toBeNull();
        expect(r.body.history.map((h: any) => h.technicianId)).toEqual(r.body.history.map(() => null));
        expect(JSON.stringify(r.body)).not.toContain('Grace Bench');
        // filtering by a technician tells others nothing
        expect((await rest(t, key).get(`/repair-tickets?technicianId=${tech.id}`)).body.totalCount).toBe(0);
      }
      const fromCenter = (await gql(t, center.readonly, TICKET, { id: ticket.id })).data.repairTicket;
      expect(fromCenter.technician).toEqual({ id: tech.id });
      expect(fromCenter.history.map((h: any) => h.note)).toContain('Assigned to Grace Bench');
      expect(fromCenter.history.filter((h: any) => h.technician).map((h: any) => h.to)).toEqual([
        'DIAGNOSING',
        'UNREPAIRABLE',
      ]);
      expect((await rest(t, center.staff).get(`/repair-tickets/${ticket.id}`)).body.technicianId).toBe(tech.id);
      expect((await rest(t, center.staff).get(`/repair-tickets?technicianId=${tech.id}`)).body.totalCount).toBe(1);

      // the unit's history: the technician who finished the repair is shown to the center only
      const finishedBy = async (key: string) => {
        const rows = (await rest(t, key).get(`/units/${unit.id}/history`)).body.edges.map((e: any) => e.node);
        const graph = (await gql(t, key, HISTORY, { id: unit.id })).data.unit.history.edges.map((e: any) => e.node);
        return {
          rest: rows.find((n: any) => n.type === 'REPAIR_FINISHED').technicianId,
          graphql: graph.find((n: any) => n.type === 'REPAIR_FINISHED').technician,
        };
      };
      expect(await finishedBy(seller.staff)).toEqual({ rest: null, graphql: null });
      expect(await finishedBy(maker.staff)).toEqual({ rest: null, graphql: null });
      expect(await finishedBy(center.staff)).toEqual({ rest: tech.id, graphql: { id: tech.id } });
    });

    it("a unit's history names no return, ticket or claim a reader cannot see; those who may see one follow its link", async () => {
      await createPolicy(t, seller, { name: 'Fridges', categories: ['FRIDGE'] });
      const unit = await soldUnit();
      // a repair at the center, with a claim the center files, then cancelled
      let ticket = await openTicket(center.staff, unit);
      const claim = assertSuccess(
        (await gql(t, center.staff, SUBMIT_CLAIM, { input: claimInput(unit.id, { failureDate: utcDate(-1) }) })).data
          .submitWarrantyClaim,
        'WarrantyClaim',
      );
      ticket = await moveTicket(center.staff, ticket, 'CANCELLED');
      // then the seller takes it back and hands out a replacement
      let rma = (
        await gql(t, seller.staff, REQUEST_RETURN, {
          input: {
            lines: [{ unitId: unit.id, reason: 'DEFECTIVE', condition: 'OPENED', requestedResolution: 'EXCHANGE' }],
          },
        })
      ).data.requestReturn;
      expect(rma.status).toBe('AUTHORIZED');
      rma = (
        await gql(t, seller.staff, TRANSITION_RETURN, {
          input: { returnId: rma.id, expectedVersion: rma.version, to: 'RECEIVED' },
        })
      ).data.transitionReturn;
      rma = (
        await gql(t, seller.staff, INSPECT_RETURN, {
          input: {
            returnId: rma.id,
            expectedVersion: rma.version,
            lines: [{ lineId: rma.lines[0].id, grade: 'B', condition: 'OPENED' }],
          },
        })
      ).data.inspectReturn;
      const replacementSerial = uniqueSerial();
      rma = (
        await gql(t, seller.staff, RESOLVE_RETURN, {
          input: {
            returnId: rma.id,
            expectedVersion: rma.version,
            lines: [{ lineId: rma.lines[0].id, resolution: 'EXCHANGE', replacementSerialNumber: replacementSerial }],
          },
        })
      ).data.resolveReturn;
      expect(rma.status).toBe('RESOLVED');
      const replacementId = rma.lines[0].replacementUnit.id as string;

      const historyOf = async (key: string, id: string) => {
        const graph = (await gql(t, key, HISTORY, { id })).data.unit.history.edges.map((e: any) => e.node);
        const viaRest = (await rest(t, key).get(`/units/${id}/history`)).body.edges.map((e: any) => e.node);
        expect(viaRest.map((n: any) => n.data)).toEqual(graph.map((n: any) => n.data));
        const links = graph.flatMap((n: any) =>
          (n.data?.references ?? []).map((r: any) => `${n.type} ${r.kind} ${r.label ?? ''}`.trim()),
        );
        return {
          text: JSON.stringify(graph.map((n: any) => n.summary)),
          data: JSON.stringify(graph.map((n: any) => n.data)),
          links,
        };
      };
      const numbers = [rma.number, ticket.number, claim.number];

      // the manufacturer sees the repair and the claim, not the return; the center sees the repair and the claim only
      const fromMaker = await historyOf(maker.staff, unit.id);
      expect(fromMaker.links.sort()).toEqual([
        `REPAIR_FINISHED REPAIR_TICKET ${ticket.number}`,
        `REPAIR_OPENED REPAIR_TICKET ${ticket.number}`,
        `REPLACED UNIT ${replacementSerial}`,
        `WARRANTY_CLAIM_SUBMITTED WARRANTY_CLAIM ${claim.number}`,
      ]);
      const fromCenter = await historyOf(center.staff, unit.id);
      expect(fromCenter.links.sort()).toEqual([
        `REPAIR_FINISHED REPAIR_TICKET ${ticket.number}`,
        `REPAIR_OPENED REPAIR_TICKET ${ticket.number}`,
        `WARRANTY_CLAIM_SUBMITTED WARRANTY_CLAIM ${claim.number}`,
      ]);
      for (const seen of [fromMaker, fromCenter]) {
        expect(seen.text).not.toContain(rma.number);
        expect(seen.data).not.toContain(rma.number);
        expect(seen.data).not.toContain(rma.id);
      }
      // the seller sees its return and the replacement, not the center's ticket or claim
      const fromSeller = await historyOf(seller.staff, unit.id);
      expect(fromSeller.links.sort()).toEqual([
        `REPLACED RETURN ${rma.number}`,
        `REPLACED UNIT ${replacementSerial}`,
        `RETURN_AUTHORIZED RETURN ${rma.number}`,
      ]);
      expect(fromSeller.data).not.toContain(ticket.number);
      expect(fromSeller.data).not.toContain(claim.number);
      // no summary names a return, ticket or claim, for anyone
      for (const seen of [fromMaker, fromCenter, fromSeller])
        for (const n of numbers) expect(seen.text).not.toContain(n);

      // the replacement's history: the return for the seller only
      expect((await historyOf(seller.staff, replacementId)).links).toEqual([
        `REGISTERED RETURN ${rma.number}`,
        `REGISTERED UNIT ${unit.serialNumber}`,
      ]);
      const replacementForMaker = await historyOf(maker.staff, replacementId);
      expect(replacementForMaker.links).toEqual([`REGISTERED UNIT ${unit.serialNumber}`]);
      expect(replacementForMaker.text + replacementForMaker.data).not.toContain(rma.number);
    });
  });
  // -------------------------------------------------------------------------------------------
  // Last in the file: it takes the migration down and up again on this file's database.
  describe('the migration of data written before the access rules', () => {
    it("keeps service centers only in repair_org_ids, marks the open ticket's center, takes technician names out of shared notes and return numbers out of unit history", async () => {
      const tech = await createTechnician(t, center, 'Legacy Tech');
      const unit = await soldUnit();
      let ticket = await openTicket(otherSeller.staff, unit);
      ticket = await run(t, center.staff, ASSIGN, {
        ticketId: ticket.id,
        technicianId: tech.id,
        expectedVersion: ticket.version,
      });
      // the seller's policies from the tests above, or one of its own when run alone
      if ((await sql(`SELECT 1 FROM return_policies WHERE retailer_id = $1`, [seller.id])).length === 0)
        await createPolicy(t, seller);
      const returned = await soldUnit();
      const rma = (
        await gql(t, seller.staff, REQUEST_RETURN, {
          input: {
            lines: [
              { unitId: returned.id, reason: 'CHANGED_MIND', condition: 'OPENED', requestedResolution: 'REFUND' },
            ],
          },
        })
      ).data.requestReturn;
      expect(rma.status).toBe('AUTHORIZED');
      // a history row as the code before issue 10 wrote it
      await sql(
        `UPDATE unit_events SET summary = $2, data = jsonb_build_object('returnId', $3::text) WHERE unit_id = $1 AND type = 'RETURN_AUTHORIZED'`,
        [returned.id, `Return ${rma.number} authorized`, rma.id],
      );

      const runner = t.app.get(DataSource).createQueryRunner();
      try {
        const migration = new UnitAccessRules1764230400000();
        await migration.down(runner);
        // down: the opener is back among the organizations with a ticket, the note names the technician
        // (on the migration's own connection: PGlite has one)
        expect(
          (await runner.query(`SELECT repair_org_ids FROM units WHERE id = $1`, [unit.id]))[0].repair_org_ids.sort(),
        ).toEqual([center.id, otherSeller.id].sort());
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      expect(
        (await sql(`SELECT repair_org_ids, open_repair_center_id FROM units WHERE id = $1`, [unit.id]))[0],
      ).toEqual({ repair_org_ids: [center.id], open_repair_center_id: center.id });
      const notes = await sql(
        `SELECT note, center_note FROM repair_ticket_history WHERE ticket_id = $1 AND center_note IS NOT NULL`,
        [ticket.id],
      );
      expect(notes).toEqual([{ note: 'Technician assigned', center_note: 'Assigned to Legacy Tech' }]);
      const [row] = await sql(
        `SELECT summary, data FROM unit_events WHERE unit_id = $1 AND type = 'RETURN_AUTHORIZED'`,
        [returned.id],
      );
      expect(row).toEqual({
        summary: 'Return authorized',
        data: { references: [{ kind: 'RETURN', id: rma.id, label: rma.number, seenBy: [seller.id] }] },
      });
    });
  });
});
