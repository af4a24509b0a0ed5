import { DataSource } from 'typeorm';
import type { Caller } from '../src/common/auth/caller.js';
import { ownerFilterConditions } from '../src/units/unit-owner-search.js';
import { canSeeUpgrade, upgradeVisibility } from '../src/upgrades/upgrade-visibility.js';
import {
  createProduct,
  createTenant,
  errorCode,
  gql,
  rest,
  uniqueSerial,
  type GqlResponse,
  type Tenant,
} from './support/api.js';
import { utcDate } from './support/input-helpers.js';
import { OPEN, run, UPDATE } from './support/repairs-client.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import { addMonthsUtc, mustRegister, utcToday } from './support/units-helpers.js';
import { CANCEL_UPGRADE, createProgram, REQUEST_UPGRADE } from './support/upgrades-client.js';

/**
 * Issue 11, items 7 and 8: the directory (organizations by kind and name, the caller's own API
 * keys, the upgrade requests it may see) and finding a customer's units by the owner's email,
 * phone or name, only among units whose owner the caller may read. GraphQL and REST.
 */
describe("the directory and finding a customer's units (issue 11)", () => {
  let t: TestApp;
  /** A prefix of this run's organization names, so the directory's name filter finds only them. */
  const tag = `Dir${Date.now().toString(36)}`;
  let maker: Tenant;
  let seller: Tenant;
  /** Sold another unit to the same customer, and opened a ticket for the seller's unit. */
  let otherSeller: Tenant;
  let center: Tenant;
  let otherCenter: Tenant;
  let product: { id: string };
  let platformOrgId: string;

  const ADA = { name: 'Ada Lovelace', email: 'Ada.Lovelace@Example.com', phone: '+44 20 7946 0000' };
  const ADAM = { name: 'Adam Smith', email: 'adam@example.com', phone: '+1 555 0199' };
  /** Sold by the seller to Ada; a ticket at the center, opened by the other seller. */
  let adasUnit: { id: string; serialNumber: string };
  /** Sold by the other seller to Ada too. */
  let adasOtherUnit: { id: string };
  let adamsUnit: { id: string };
  let ticket: { id: string; version: number };

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER', `${tag} Maker`);
    seller = await createTenant(t, 'RETAILER', `${tag} Store One`);
    otherSeller = await createTenant(t, 'RETAILER', `${tag} Store Two`);
    center = await createTenant(t, 'SERVICE_CENTER', `${tag} Center A`);
    otherCenter = await createTenant(t, 'SERVICE_CENTER', `${tag} Center B`);
    product = await createProduct(t, maker.staff);
    const sell = async (store: Tenant, customer: Record<string, string>, purchaseDate = utcDate(-20)) => {
      const unit = await mustRegister(t, store.staff, {
        productId: product.id,
        serialNumber: uniqueSerial(),
        purchaseDate,
        customer,
      });
      return { id: unit.id as string, serialNumber: unit.serialNumber as string };
    };
    adasUnit = await sell(seller, ADA);
    adasOtherUnit = await sell(otherSeller, ADA);
    adamsUnit = await sell(seller, ADAM);
    ticket = await run(t, otherSeller.staff, OPEN, {
      serviceCenterId: center.id,
      serialNumber: adasUnit.serialNumber,
      manufacturerId: maker.id,
      failureCategory: 'MECHANICAL',
      reportedIssue: 'Noisy compressor',
    });
    if (!ticket.id) throw new Error(`fixture ticket refused: ${JSON.stringify(ticket)}`);
    platformOrgId = (await gql(t, PLATFORM_KEY, '{ me { organization { id } } }')).data.me.organization.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const field = (res: GqlResponse) => res.errors?.[0]?.extensions?.field;

  describe('organizations: the directory', () => {
    const DIRECTORY = `query($kind: OrganizationKind, $name: String, $first: Int, $after: String) {
      organizations(kind: $kind, name: $name, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name kind laborRate { amount currency } turnaroundDays createdAt } } } }`;
    const directory = async (key: string, variables: Record<string, unknown>) => {
      const res = await gql(t, key, DIRECTORY, variables);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data.organizations as {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: any }[];
      };
    };
    const names = (page: { edges: { node: { name: string } }[] }) => page.edges.map((e) => e.node.name);

    it('lists service centers by kind and name prefix (case-insensitive), for any key, read-only ones too', async () => {
      for (const key of [seller.readonly, center.staff, maker.admin, PLATFORM_KEY]) {
        const page = await directory(key, { kind: 'SERVICE_CENTER', name: `${tag.toLowerCase()} center` });
        expect(names(page)).toEqual([`${tag} Center A`, `${tag} Center B`]);
        expect(page.totalCount).toBe(2);
        expect(page.edges[0].node).toMatchObject({
          id: center.id,
          kind: 'SERVICE_CENTER',
          laborRate: { amount: '90.00', currency: 'USD' },
          turnaroundDays: 5,
        });
      }
      expect(names(await directory(seller.staff, { name: tag }))).toHaveLength(5);
      expect(names(await directory(seller.staff, { kind: 'RETAILER', name: tag }))).toEqual([
        `${tag} Store One`,
        `${tag} Store Two`,
      ]);
    });

    it('pages with first and after, the total counting every match', async () => {
      const first = await directory(seller.staff, { name: tag, first: 2 });
      expect(first.totalCount).toBe(5);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await directory(seller.staff, { name: tag, first: 2, after: first.pageInfo.endCursor });
      const third = await directory(seller.staff, { name: tag, first: 2, after: second.pageInfo.endCursor });
      expect(third.pageInfo.hasNextPage).toBe(false);
      expect(new Set([...names(first), ...names(second), ...names(third)]).size).toBe(5);
    });

    it("the platform operator's own organization is in the platform's directory only", async () => {
      expect((await directory(seller.admin, { kind: 'PLATFORM' })).totalCount).toBe(0);
      const all = await directory(seller.admin, { first: 100 });
      expect(all.edges.some((e) => e.node.id === platformOrgId || e.node.kind === 'PLATFORM')).toBe(false);
      expect((await directory(PLATFORM_KEY, { kind: 'PLATFORM' })).edges.map((e) => e.node.id)).toEqual([
        platformOrgId,
      ]);
    });

    it("a name's % and _ are letters, not wildcards", async () => {
      expect((await directory(seller.staff, { name: '%' })).totalCount).toBe(0);
      expect((await directory(seller.staff, { name: `${tag}_Center` })).totalCount).toBe(0);
    });

    it("over REST: GET /api/v1/organizations, the same page and nothing but the directory's fields", async () => {
      const res = await rest(t, seller.readonly).get(
        `/organizations?kind=SERVICE_CENTER&name=${encodeURIComponent(tag)}&first=1`,
      );
      expect(res.status).toBe(200);
      expect(res.body.totalCount).toBe(2);
      expect(res.body.pageInfo.hasNextPage).toBe(true);
      expect(Object.keys(res.body.edges[0].node).sort()).toEqual([
        'createdAt',
        'id',
        'kind',
        'laborRate',
        'name',
        'turnaroundDays',
      ]);
      const next = await rest(t, seller.readonly).get(
        `/organizations?kind=SERVICE_CENTER&name=${encodeURIComponent(tag)}&first=1&after=${res.body.pageInfo.endCursor}`,
      );
      expect(next.body.edges.map((e: any) => e.node.id)).toEqual([otherCenter.id]);
    });

    it('refuses a blank name, an unknown kind and a bad cursor with a 400 naming the field', async () => {
      const blank = await gql(t, seller.staff, DIRECTORY, { name: '   ' });
      expect([errorCode(blank), field(blank)]).toEqual(['BAD_USER_INPUT', 'name']);
      const badCursor = await gql(t, seller.staff, DIRECTORY, { after: 'nope' });
      expect([errorCode(badCursor), field(badCursor)]).toEqual(['BAD_USER_INPUT', 'after']);
      for (const [query, name] of [
        ['name=', 'name'],
        ['name=%20', 'name'],
        ['kind=WIZARD', 'kind'],
        ['first=0', 'first'],
        ['after=nope', 'after'],
      ]) {
        const res = await rest(t, seller.staff).get(`/organizations?${query}`);
        expect({ query, status: res.status, field: res.body.field }).toEqual({ query, status: 400, field: name });
      }
    });
  });

  describe("apiKeys: the caller organization's own keys", () => {
    const KEYS = `query($first: Int, $after: String) { apiKeys(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id name role prefix revokedAt organization { id } } } } }`;

    it("an ADMIN key lists its organization's keys and no other's, revoked ones with revokedAt", async () => {
      const created = await gql(
        t,
        center.admin,
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`,
        {
          input: { organizationId: center.id, name: 'old till', role: 'STAFF' },
        },
      );
      const revokedId = created.data.createApiKey.apiKey.id;
      await gql(t, center.admin, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: revokedId });
      const res = await gql(t, center.admin, KEYS, { first: 100 });
      expect(res.errors).toBeUndefined();
      const nodes = res.data.apiKeys.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.role).sort()).toEqual(['ADMIN', 'READONLY', 'STAFF', 'STAFF']);
      expect(nodes.every((n: any) => n.organization.id === center.id)).toBe(true);
      expect(nodes.find((n: any) => n.id === revokedId).revokedAt).not.toBeNull();
      expect(res.data.apiKeys.totalCount).toBe(4);
    });

    it('pages with first and after', async () => {
      const first = await gql(t, seller.admin, KEYS, { first: 2 });
      expect(first.data.apiKeys.pageInfo.hasNextPage).toBe(true);
      const rest2 = await gql(t, seller.admin, KEYS, { first: 2, after: first.data.apiKeys.pageInfo.endCursor });
      expect(rest2.data.apiKeys.edges).toHaveLength(1);
      expect(rest2.data.apiKeys.pageInfo.hasNextPage).toBe(false);
    });

    it('the platform operator lists its own keys', async () => {
      const res = await gql(t, PLATFORM_KEY, KEYS, { first: 100 });
      const orgs = new Set(res.data.apiKeys.edges.map((e: any) => e.node.organization.id));
      expect([...orgs]).toEqual([platformOrgId]);
    });

    it('STAFF and READONLY keys may not list keys (FORBIDDEN, 403): listing keys is managing them', async () => {
      for (const key of [center.staff, center.readonly, seller.staff]) {
        expect(errorCode(await gql(t, key, KEYS))).toBe('FORBIDDEN');
        const res = await rest(t, key).get('/api-keys');
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
    });

    it('shows no secret and no hash: not in the GraphQL type, not in the REST answer', async () => {
      const asked = await gql(t, center.admin, '{ apiKeys { edges { node { id secret } } } }');
      expect(errorCode(asked)).toBe('GRAPHQL_VALIDATION_FAILED');
      const res = await rest(t, center.admin).get('/api-keys?first=100');
      expect(res.status).toBe(200);
      for (const { node } of res.body.edges) {
        expect(Object.keys(node).sort()).toEqual([
          'createdAt',
          'expiresAt',
          'id',
          'name',
          'organizationId',
          'prefix',
          'revokedAt',
          'role',
          'technicianId',
        ]);
      }
      expect(JSON.stringify(res.body)).not.toMatch(/secret|hash/i);
    });
  });

  describe('upgradeRequests: the requests the caller may see', () => {
    const LIST = `query($first: Int, $after: String, $filter: UpgradeRequestFilter) { upgradeRequests(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id status unit { id } program { id } } } } }`;
    let programId: string;
    let open: { id: string; unitId: string };
    let cancelled: { id: string; unitId: string };

    beforeAll(async () => {
      const target = await createProduct(t, maker.staff, { name: 'Newer fridge' });
      programId = (await createProgram(t, maker, [target.id])).id;
      const request = async () => {
        const unit = await mustRegister(t, seller.staff, {
          productId: product.id,
          serialNumber: uniqueSerial(),
          purchaseDate: addMonthsUtc(utcToday(), -8),
        });
        const up = await run(t, seller.staff, REQUEST_UPGRADE, {
          programId,
          targetProductId: target.id,
          unitId: unit.id,
        });
        if (up.__typename !== 'UpgradeRequest') throw new Error(`fixture upgrade refused: ${JSON.stringify(up)}`);
        return { id: up.id as string, unitId: unit.id as string, version: up.version as number };
      };
      open = await request();
      const toCancel = await request();
      const res = await gql(t, seller.staff, CANCEL_UPGRADE, { id: toCancel.id, v: toCancel.version });
      if (res.data.cancelUpgrade.status !== 'CANCELLED')
        throw new Error(`fixture cancel refused: ${JSON.stringify(res.data)}`);
      cancelled = toCancel;
    });

    const listed = async (key: string, filter?: Record<string, unknown>) => {
      const res = await gql(t, key, LIST, { first: 100, filter });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return (res.data.upgradeRequests.edges as { node: { id: string } }[]).map((e) => e.node.id);
    };

    it("the requester, the program's owner and the platform list them; nobody else", async () => {
      for (const key of [seller.readonly, maker.staff, PLATFORM_KEY])
        expect(await listed(key)).toEqual(expect.arrayContaining([open.id, cancelled.id]));
      for (const key of [otherSeller.staff, center.staff, otherCenter.admin]) expect(await listed(key)).toEqual([]);
    });

    it('filters by status, unit and program', async () => {
      expect(await listed(seller.staff, { status: 'REQUESTED' })).toEqual([open.id]);
      expect(await listed(maker.staff, { status: 'CANCELLED' })).toEqual([cancelled.id]);
      expect(await listed(seller.staff, { unitId: cancelled.unitId })).toEqual([cancelled.id]);
      expect(await listed(seller.staff, { programId })).toEqual([open.id, cancelled.id]);
      expect(await listed(otherSeller.staff, { programId })).toEqual([]);
    });

    it('pages with first and after', async () => {
      const res = await gql(t, seller.staff, LIST, { first: 1 });
      expect(res.data.upgradeRequests.totalCount).toBe(2);
      const next = await gql(t, seller.staff, LIST, { first: 1, after: res.data.upgradeRequests.pageInfo.endCursor });
      expect(next.data.upgradeRequests.edges.map((e: any) => e.node.id)).toEqual([cancelled.id]);
      expect(next.data.upgradeRequests.pageInfo.hasNextPage).toBe(false);
    });

    it('over REST: GET /api/v1/upgrades with the same filters; a bad filter is a 400 naming it', async () => {
      const res = await rest(t, maker.readonly).get(`/upgrades?status=REQUESTED&programId=${programId}`);
      expect(res.status).toBe(200);
      expect(res.body.edges.map((e: any) => e.node.id)).toEqual([open.id]);
      expect((await rest(t, center.staff).get('/upgrades')).body.totalCount).toBe(0);
      for (const [query, name] of [
        ['status=DONE', 'status'],
        ['unitId=42', 'unitId'],
        ['first=101', 'first'],
      ]) {
        const bad = await rest(t, seller.staff).get(`/upgrades?${query}`);
        expect({ query, status: bad.status, field: bad.body.field }).toEqual({ query, status: 400, field: name });
      }
    });

    it('the SQL and TypeScript forms of the visibility rule agree for every kind of caller', async () => {
      const db = t.app.get(DataSource);
      const rows: { id: string; requested_by_id: string; program_owner_id: string }[] = await db.query(
        'SELECT id, requested_by_id, program_owner_id FROM upgrade_requests',
      );
      const callers: Caller[] = [
        {
          apiKeyId: 'k',
          organizationId: platformOrgId,
          organizationKind: 'PLATFORM',
          role: 'ADMIN',
          technicianId: null,
        },
        ...[
          [maker, 'MANUFACTURER'],
          [seller, 'RETAILER'],
          [otherSeller, 'RETAILER'],
          [center, 'SERVICE_CENTER'],
        ].map(([org, kind]) => ({
          apiKeyId: 'k',
          organizationId: (org as Tenant).id,
          organizationKind: kind as Caller['organizationKind'],
          role: 'STAFF' as const,
          technicianId: null,
        })),
      ];
      for (const caller of callers) {
        const rule = upgradeVisibility(caller, 'x', 1);
        const bySql: { id: string }[] = await db.query(
          `SELECT x.id FROM upgrade_requests x WHERE ${rule.sql} ORDER BY x.id`,
          rule.params,
        );
        const byTs = rows
          .filter((r) =>
            canSeeUpgrade(caller, { requestedById: r.requested_by_id, programOwnerId: r.program_owner_id }),
          )
          .map((r) => r.id)
          .sort();
        expect({ caller: caller.organizationKind, ids: bySql.map((r) => r.id) }).toEqual({
          caller: caller.organizationKind,
          ids: byTs,
        });
      }
    });
  });

  describe('units by owner: email, phone, name prefix', () => {
    const UNITS = `query($filter: UnitFilter, $first: Int) { units(first: $first, filter: $filter) { totalCount edges { node { id owner { name } } } } }`;
    const found = async (key: string, filter: Record<string, unknown>) => {
      const res = await gql(t, key, UNITS, { filter, first: 100 });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      expect(res.data.units.totalCount).toBe(res.data.units.edges.length);
      return (res.data.units.edges as { node: { id: string } }[]).map((e) => e.node.id).sort();
    };
    const sorted = (...ids: string[]) => [...ids].sort();

    it('finds by email, exactly and whatever the case', async () => {
      expect(await found(seller.staff, { ownerEmail: 'ADA.LOVELACE@example.COM' })).toEqual([adasUnit.id]);
      expect(await found(seller.staff, { ownerEmail: ' ada.lovelace@example.com ' })).toEqual([adasUnit.id]);
      expect(await found(seller.staff, { ownerEmail: 'ada.lovelace@example' })).toEqual([]);
    });

    it('finds by phone, exactly once spaces and punctuation are gone', async () => {
      expect(await found(seller.staff, { ownerPhone: '+44 (20) 7946-0000' })).toEqual([adasUnit.id]);
      expect(await found(seller.staff, { ownerPhone: '442079460000' })).toEqual([adasUnit.id]);
      expect(await found(seller.staff, { ownerPhone: '44 20 7946' })).toEqual([]);
    });

    it('finds by a case-insensitive prefix of the name; % and _ are letters', async () => {
      expect(await found(seller.staff, { ownerNamePrefix: 'ada' })).toEqual(sorted(adasUnit.id, adamsUnit.id));
      expect(await found(seller.staff, { ownerNamePrefix: 'ADA L' })).toEqual([adasUnit.id]);
      expect(await found(seller.staff, { ownerNamePrefix: 'Lovelace' })).toEqual([]);
      expect(await found(seller.staff, { ownerNamePrefix: '%' })).toEqual([]);
      expect(await found(seller.staff, { ownerNamePrefix: 'Ad_' })).toEqual([]);
    });

    it('combines the owner filters with each other and with the others', async () => {
      expect(await found(seller.staff, { ownerNamePrefix: 'Ada', ownerPhone: '+1 555 0199' })).toEqual([adamsUnit.id]);
      expect(await found(seller.staff, { ownerEmail: ADA.email, serialNumber: adasUnit.serialNumber })).toEqual([
        adasUnit.id,
      ]);
      expect(await found(seller.staff, { ownerEmail: ADA.email, status: 'RETURNED' })).toEqual([]);
    });

    it('the maker finds every unit of its products by owner; each store only those it sold', async () => {
      expect(await found(maker.readonly, { ownerEmail: ADA.email })).toEqual(sorted(adasUnit.id, adasOtherUnit.id));
      expect(await found(otherSeller.staff, { ownerEmail: ADA.email })).toEqual([adasOtherUnit.id]);
    });

    it('nobody finds a unit by an owner it may not read: not the opener, not another center, not the platform', async () => {
      // the other store opened the ticket for the seller's unit: it sees the ticket, never the unit or its owner
      expect(await found(otherSeller.staff, { ownerPhone: ADA.phone })).toEqual([adasOtherUnit.id]);
      expect(await found(otherCenter.staff, { ownerNamePrefix: 'Ada' })).toEqual([]);
      // the platform sees every unit, not the customer
      expect(await found(PLATFORM_KEY, { ownerEmail: ADA.email })).toEqual([]);
      expect(await found(PLATFORM_KEY, { ownerNamePrefix: 'A' })).toEqual([]);
      // and without an owner filter the platform still lists the unit: the filter adds the owner rule, nothing else does
      expect(await found(PLATFORM_KEY, { serialNumber: adasUnit.serialNumber })).toEqual([adasUnit.id]);
    });

    it('a service center finds the unit while it holds the open ticket, and no longer once it is finished', async () => {
      expect(await found(center.staff, { ownerEmail: ADA.email })).toEqual([adasUnit.id]);
      const cancelledTicket = await run(t, center.staff, UPDATE, {
        ticketId: ticket.id,
        expectedVersion: ticket.version,
        status: 'CANCELLED',
        note: 'Customer took it back',
      });
      expect(cancelledTicket.status).toBe('CANCELLED');
      expect(await found(center.staff, { ownerEmail: ADA.email })).toEqual([]);
      expect(await found(center.staff, { ownerNamePrefix: 'Ada' })).toEqual([]);
      // it still sees the unit itself, by serial number
      expect(await found(center.staff, { serialNumber: adasUnit.serialNumber })).toEqual([adasUnit.id]);
    });

    it('over REST: GET /api/v1/units with the same filters and rules', async () => {
      const res = await rest(t, seller.readonly).get(
        `/units?ownerEmail=${encodeURIComponent('ADA.lovelace@example.com')}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.edges.map((e: any) => e.node.id)).toEqual([adasUnit.id]);
      expect(res.body.edges[0].node.owner.name).toBe('Ada Lovelace');
      const byPhone = await rest(t, otherSeller.staff).get(
        `/units?ownerPhone=${encodeURIComponent('+44 20 7946 0000')}`,
      );
      expect(byPhone.body.edges.map((e: any) => e.node.id)).toEqual([adasOtherUnit.id]);
      const byName = await rest(t, PLATFORM_KEY).get('/units?ownerNamePrefix=Ada');
      expect(byName.body.totalCount).toBe(0);
    });

    it.each([
      ['ownerEmail', '', 'empty'],
      ['ownerEmail', '   ', 'blank'],
      ['ownerPhone', '', 'empty'],
      ['ownerPhone', '---', 'without digits'],
      ['ownerPhone', 'call me', 'letters'],
      ['ownerNamePrefix', '', 'empty'],
      ['ownerNamePrefix', ' ', 'blank'],
      ['ownerNamePrefix', 'x'.repeat(201), '201 characters'],
    ])('refuses %s %#, %s, with a 400 naming the field, over GraphQL and REST', async (name, value) => {
      const res = await gql(t, seller.staff, UNITS, { filter: { [name]: value } });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(field(res)).toBe(name);
      const r = await rest(t, seller.staff).get(`/units?${name}=${encodeURIComponent(value)}`);
      expect({ status: r.status, field: r.body.field }).toEqual({ status: 400, field: name });
    });

    it('the owner filters are served by the indexes of migration 1764489600000', async () => {
      const db = t.app.get(DataSource);
      const plan = async (condition: string, value: string) => {
        const rows: { 'QUERY PLAN': string }[] = await db.transaction(async (em) => {
          // a test database is small: forbid the sequential scan to see which index the planner can use
          await em.query('SET LOCAL enable_seqscan = off');
          return em.query(`EXPLAIN SELECT u.id FROM units u WHERE ${condition}`, [value]);
        });
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      const one = (filter: Record<string, string>) => {
        const params: unknown[] = [];
        const [condition] = ownerFilterConditions(filter, 'u', (v) => `$${params.push(v)}`);
        return [condition, params[0] as string] as const;
      };
      expect(await plan(...one({ ownerEmail: 'ada@example.com' }))).toContain('units_owner_email_idx');
      expect(await plan(...one({ ownerPhone: '+44 20 7946 0000' }))).toContain('units_owner_phone_idx');
      expect(await plan(...one({ ownerNamePrefix: 'Ada' }))).toContain('units_owner_name_idx');
    });
  });
});
