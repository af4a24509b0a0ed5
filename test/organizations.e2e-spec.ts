import { randomUUID } from 'node:crypto';
import { createTenant, gql, type Tenant } from './support/api.js';
import {
  orgsApi,
  orgsSnapshot,
  PROTOCOLS,
  sleep,
  type Auth,
  type OrgsApi,
  type Outcome,
} from './support/orgs-client.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Organizations, API keys, technicians and authentication, over GraphQL and REST alike.
 * Rules: docs/rules.md, "Who sees what".
 */

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let seq = 0;
const uniq = (label: string) => `${label} ${++seq}`;

/** What went wrong, in one object, so a failed expectation shows the server's own message. */
function describeOutcome(o: Outcome) {
  return {
    code: o.code,
    message: o.protocol === 'rest' ? o.raw.body?.detail : o.raw.errors?.[0]?.message,
  };
}

/** The call succeeded (with this HTTP status over REST) and answered data. */
function expectOk<T = any>(o: Outcome<T>, restStatus = 200): T {
  expect(describeOutcome(o)).toEqual({ code: undefined, message: undefined });
  expect(o.status).toBe(o.protocol === 'rest' ? restStatus : 200);
  expect(o.data).not.toBeNull();
  return o.data as T;
}

/**
 * The call was refused with this code (GraphQL extensions.code, REST problem+json code with the
 * matching status), naming the field when one is given, and carrying a correlation id.
 */
function expectRefused(o: Outcome, code: string, field?: string) {
  expect({ code: o.code, ...(field !== undefined ? { field: o.field } : {}) }).toEqual({
    code,
    ...(field !== undefined ? { field } : {}),
  });
  expect(o.correlationId).toEqual(expect.any(String));
  if (o.protocol === 'rest') {
    expect(o.status).toBe(STATUS_BY_CODE[code]);
    expect(o.contentType).toMatch(/^application\/problem\+json/);
    expect(o.raw.body.status).toBe(STATUS_BY_CODE[code]);
    expect(o.correlationId).toBe(o.requestId);
  }
}

describe('organizations, API keys and technicians', () => {
  let t: TestApp;
  let platformOrgId: string;
  let platformKeyId: string;
  let manufacturer: Tenant;
  let retailer: Tenant;
  let centerA: Tenant;
  let centerB: Tenant;
  let techA: { id: string };
  let techB: { id: string };
  /** A TECHNICIAN key of center A, bound to techA. */
  let techKeyA: string;
  let centerBStaffKeyId: string;
  let centerBAdminKeyId: string;

  const keyId = async (secret: string) => expectOk(await orgsApi(t, 'graphql').me(secret)).id as string;

  beforeAll(async () => {
    t = await startTestApp();
    const g = orgsApi(t, 'graphql');
    const platformMe = expectOk(await g.me(PLATFORM_KEY));
    platformOrgId = platformMe.organizationId;
    platformKeyId = platformMe.id;
    manufacturer = await createTenant(t, 'MANUFACTURER', 'Northwind Appliances');
    retailer = await createTenant(t, 'RETAILER', 'Contoso Stores');
    centerA = await createTenant(t, 'SERVICE_CENTER', 'Fixit North');
    centerB = await createTenant(t, 'SERVICE_CENTER', 'Fixit South');
    techA = expectOk(
      await g.createTechnician(centerA.admin, {
        serviceCenterId: centerA.id,
        name: 'Dana Ortiz',
        email: 'dana@fixit-north.example',
      }),
    );
    techB = expectOk(await g.createTechnician(centerB.admin, { serviceCenterId: centerB.id, name: 'Sam Lee' }));
    techKeyA = expectOk(
      await g.createApiKey(centerA.admin, {
        organizationId: centerA.id,
        name: 'bench tablet',
        role: 'TECHNICIAN',
        technicianId: techA.id,
      }),
    ).secret;
    centerBStaffKeyId = await keyId(centerB.staff);
    centerBAdminKeyId = await keyId(centerB.admin);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Runs a refused call and shows that nothing the module stores changed (outbox included). */
  async function expectNothingChanged(call: () => Promise<Outcome>): Promise<Outcome> {
    const before = await orgsSnapshot(t);
    const outcome = await call();
    expect(await orgsSnapshot(t)).toEqual(before);
    return outcome;
  }

  /** The key still authenticates, over both protocols. */
  async function expectKeyWorks(secret: string) {
    for (const protocol of PROTOCOLS) expectOk(await orgsApi(t, protocol).me(secret));
  }

  /** The key is refused, over both protocols. */
  async function expectKeyRefused(secret: string) {
    for (const protocol of PROTOCOLS) expectRefused(await orgsApi(t, protocol).me(secret), 'UNAUTHENTICATED');
  }

  // ------------------------------------------------------------------ createOrganization

  describe('createOrganization', () => {
    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      it.each(['MANUFACTURER', 'RETAILER'])(
        'the platform operator creates a %s, without service-center fields',
        async (kind) => {
          const name = uniq(`${kind} org`);
          const created = expectOk(await api.createOrganization(PLATFORM_KEY, { name, kind }), 201);
          expect(created).toMatchObject({ name, kind, laborRate: null, turnaroundDays: null });
          expect(created.id).toMatch(UUID);
          expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
          expect(expectOk(await api.organization(retailer.readonly, created.id))).toEqual(created);
        },
      );

      it('the platform operator creates a service center with its labor rate and turnaround days', async () => {
        const name = uniq('Service center');
        const created = expectOk(
          await api.createOrganization(PLATFORM_KEY, {
            name,
            kind: 'SERVICE_CENTER',
            laborRate: { amount: '85.50', currency: 'EUR' },
            turnaroundDays: 3,
          }),
          201,
        );
        expect(created).toMatchObject({
          name,
          kind: 'SERVICE_CENTER',
          laborRate: { amount: '85.50', currency: 'EUR' },
          turnaroundDays: 3,
        });
        expect(expectOk(await api.organization(manufacturer.staff, created.id))).toEqual(created);
      });

      it('a service center created without turnaroundDays gets the default of 7 days', async () => {
        const created = expectOk(
          await api.createOrganization(PLATFORM_KEY, { name: uniq('Default center'), kind: 'SERVICE_CENTER' }),
          201,
        );
        expect(created.turnaroundDays).toBe(7);
        expect(expectOk(await api.organization(PLATFORM_KEY, created.id)).turnaroundDays).toBe(7);
      });

      it.each(['ADMIN', 'STAFF', 'READONLY', 'TECHNICIAN'])(
        "an organization's %s key cannot create organizations (FORBIDDEN) and nothing is stored",
        async (role) => {
          const key = { ADMIN: centerA.admin, STAFF: centerA.staff, READONLY: centerA.readonly, TECHNICIAN: techKeyA }[
            role
          ]!;
          const outcome = await expectNothingChanged(() =>
            api.createOrganization(key, { name: uniq('Rogue'), kind: 'RETAILER' }),
          );
          expectRefused(outcome, 'FORBIDDEN');
        },
      );

      it.each([
        ['MANUFACTURER', 'laborRate', { laborRate: { amount: '80.00', currency: 'USD' } }],
        ['RETAILER', 'laborRate', { laborRate: { amount: '80.00', currency: 'USD' } }],
        ['MANUFACTURER', 'turnaroundDays', { turnaroundDays: 5 }],
        ['RETAILER', 'turnaroundDays', { turnaroundDays: 5 }],
      ])(
        'a %s with %s is refused as BAD_USER_INPUT naming the field, and nothing is stored',
        async (kind, field, extra) => {
          const outcome = await expectNothingChanged(() =>
            api.createOrganization(PLATFORM_KEY, { name: uniq('Wrong fields'), kind, ...extra }),
          );
          expectRefused(outcome, 'BAD_USER_INPUT', field);
        },
      );

      it('the PLATFORM kind cannot be created, and nothing is stored', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createOrganization(PLATFORM_KEY, { name: uniq('Second platform'), kind: 'PLATFORM' }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'kind');
      });

      it.each([
        ['laborRate.amount', { amount: '-5.00', currency: 'USD' }],
        ['laborRate.currency', { amount: '90.00', currency: 'XYZ' }],
      ])("a service center's laborRate is checked: a bad value is refused naming %s", async (field, laborRate) => {
        const outcome = await expectNothingChanged(() =>
          api.createOrganization(PLATFORM_KEY, { name: uniq('Bad rate'), kind: 'SERVICE_CENTER', laborRate }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', field);
      });

      it('a turnaroundDays below one day is refused naming turnaroundDays', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createOrganization(PLATFORM_KEY, { name: uniq('Zero days'), kind: 'SERVICE_CENTER', turnaroundDays: 0 }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'turnaroundDays');
      });

      it('a blank name is refused naming name, and nothing is stored', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createOrganization(PLATFORM_KEY, { name: '   ', kind: 'RETAILER' }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'name');
      });
    });
  });

  // ------------------------------------------------------------------ createApiKey and me

  describe('createApiKey and me', () => {
    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      it('the secret is returned once, starts with the shown prefix and works as a Bearer key', async () => {
        const { apiKey, secret } = expectOk(
          await api.createApiKey(PLATFORM_KEY, { organizationId: retailer.id, name: 'POS integration', role: 'STAFF' }),
          201,
        );
        expect(apiKey).toMatchObject({
          name: 'POS integration',
          role: 'STAFF',
          organizationId: retailer.id,
          technicianId: null,
          expiresAt: null,
          revokedAt: null,
        });
        expect(apiKey.id).toMatch(UUID);
        expect(typeof secret).toBe('string');
        expect(apiKey.prefix.length).toBeGreaterThan(0);
        expect(secret.startsWith(apiKey.prefix)).toBe(true);
        expect(secret.length).toBeGreaterThanOrEqual(apiKey.prefix.length + 32);

        const me = expectOk(await api.me(secret));
        expect(me).toMatchObject({
          id: apiKey.id,
          role: 'STAFF',
          organizationId: retailer.id,
          prefix: apiKey.prefix,
          revokedAt: null,
        });
        // never shown again: not in me, in no field named like it
        expect(JSON.stringify(me)).not.toContain(secret);
        expect(Object.keys(me)).not.toEqual(expect.arrayContaining(['secret']));
        expect(Object.keys(me).some((k) => /secret|hash/i.test(k))).toBe(false);

        const another = expectOk(
          await api.createApiKey(PLATFORM_KEY, { organizationId: retailer.id, name: 'POS integration', role: 'STAFF' }),
          201,
        );
        expect(another.secret).not.toBe(secret);
        if (protocol === 'graphql') {
          // the ApiKey type has no field that could show it again
          const res = await gql(t, secret, '{ me { secret } }');
          expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        }
      });

      it.each(['ADMIN', 'STAFF', 'READONLY'])(
        'me answers a %s key with its role and its organization',
        async (role) => {
          const key = { ADMIN: centerA.admin, STAFF: centerA.staff, READONLY: centerA.readonly }[role]!;
          const me = expectOk(await api.me(key));
          expect(me).toMatchObject({ role, organizationId: centerA.id, technicianId: null });
          if (protocol === 'graphql') {
            const res = await gql(t, key, '{ me { organization { id name kind turnaroundDays } } }');
            expect(res.data.me.organization).toEqual({
              id: centerA.id,
              name: 'Fixit North',
              kind: 'SERVICE_CENTER',
              turnaroundDays: 5,
            });
          }
        },
      );

      it.each([
        ['MANUFACTURER', () => manufacturer],
        ['RETAILER', () => retailer],
        ['SERVICE_CENTER', () => centerB],
      ] as const)('the platform operator creates keys for a %s', async (_kind, tenant) => {
        const { apiKey, secret } = expectOk(
          await api.createApiKey(PLATFORM_KEY, { organizationId: tenant().id, name: uniq('ops'), role: 'ADMIN' }),
          201,
        );
        expect(apiKey).toMatchObject({ role: 'ADMIN', organizationId: tenant().id });
        expect(expectOk(await api.me(secret))).toMatchObject({
          id: apiKey.id,
          role: 'ADMIN',
          organizationId: tenant().id,
        });
      });

      it.each(['ADMIN', 'STAFF', 'READONLY'])(
        'an organization ADMIN creates a %s key for its own organization',
        async (role) => {
          const { apiKey, secret } = expectOk(
            await api.createApiKey(retailer.admin, { organizationId: retailer.id, name: uniq('store'), role }),
            201,
          );
          expect(apiKey).toMatchObject({ role, organizationId: retailer.id });
          expect(expectOk(await api.me(secret))).toMatchObject({ role, organizationId: retailer.id });
        },
      );

      it('an organization ADMIN cannot create keys for another organization (FORBIDDEN), and nothing is stored', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(retailer.admin, { organizationId: manufacturer.id, name: uniq('sneaky'), role: 'ADMIN' }),
        );
        expectRefused(outcome, 'FORBIDDEN');
      });

      it('an unknown organizationId is NOT_FOUND naming organizationId', async () => {
        expectRefused(
          await expectNothingChanged(() =>
            api.createApiKey(PLATFORM_KEY, { organizationId: randomUUID(), name: uniq('nowhere'), role: 'ADMIN' }),
          ),
          'NOT_FOUND',
          'organizationId',
        );
        expectRefused(
          await expectNothingChanged(() =>
            api.createApiKey(retailer.admin, { organizationId: randomUUID(), name: uniq('nowhere'), role: 'ADMIN' }),
          ),
          'NOT_FOUND',
          'organizationId',
        );
      });

      it.each(['STAFF', 'READONLY', 'TECHNICIAN'])(
        'a %s key cannot create keys, even for its own organization (FORBIDDEN)',
        async (role) => {
          const key = { STAFF: centerA.staff, READONLY: centerA.readonly, TECHNICIAN: techKeyA }[role]!;
          const outcome = await expectNothingChanged(() =>
            api.createApiKey(key, { organizationId: centerA.id, name: uniq('self-made'), role: 'STAFF' }),
          );
          expectRefused(outcome, 'FORBIDDEN');
        },
      );

      it('a TECHNICIAN key without technicianId is refused naming technicianId', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(centerA.admin, { organizationId: centerA.id, name: uniq('tech'), role: 'TECHNICIAN' }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'technicianId');
      });

      it("a TECHNICIAN key bound to another service center's technician is refused naming technicianId", async () => {
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(centerA.admin, {
            organizationId: centerA.id,
            name: uniq('tech'),
            role: 'TECHNICIAN',
            technicianId: techB.id,
          }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'technicianId');
      });

      it('a TECHNICIAN key bound to an unknown technician is refused naming technicianId', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(PLATFORM_KEY, {
            organizationId: centerA.id,
            name: uniq('tech'),
            role: 'TECHNICIAN',
            technicianId: randomUUID(),
          }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'technicianId');
      });

      it('a TECHNICIAN key for a retailer is refused naming technicianId, even with a real technician', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(PLATFORM_KEY, {
            organizationId: retailer.id,
            name: uniq('tech'),
            role: 'TECHNICIAN',
            technicianId: techA.id,
          }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'technicianId');
      });

      it('technicianId on a STAFF key is refused naming technicianId', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(centerA.admin, {
            organizationId: centerA.id,
            name: uniq('staff'),
            role: 'STAFF',
            technicianId: techA.id,
          }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'technicianId');
      });

      it("a TECHNICIAN key bound to the center's own technician works, and me names the technician", async () => {
        const { apiKey, secret } = expectOk(
          await api.createApiKey(centerA.admin, {
            organizationId: centerA.id,
            name: uniq('bench'),
            role: 'TECHNICIAN',
            technicianId: techA.id,
          }),
          201,
        );
        expect(apiKey).toMatchObject({ role: 'TECHNICIAN', organizationId: centerA.id, technicianId: techA.id });
        expect(expectOk(await api.me(secret))).toMatchObject({
          role: 'TECHNICIAN',
          organizationId: centerA.id,
          technicianId: techA.id,
        });
        if (protocol === 'graphql') {
          const res = await gql(t, secret, '{ me { technician { id name serviceCenter { id } } } }');
          expect(res.data.me.technician).toEqual({
            id: techA.id,
            name: 'Dana Ortiz',
            serviceCenter: { id: centerA.id },
          });
        }
      });

      it('expiresAt in the past is refused naming expiresAt, and nothing is stored', async () => {
        const expiresAt = new Date(Date.now() - 60_000).toISOString();
        const outcome = await expectNothingChanged(() =>
          api.createApiKey(retailer.admin, {
            organizationId: retailer.id,
            name: uniq('stale'),
            role: 'STAFF',
            expiresAt,
          }),
        );
        expectRefused(outcome, 'BAD_USER_INPUT', 'expiresAt');
      });

      it('a key with a future expiresAt works and shows when it expires', async () => {
        const expiresAt = new Date(Date.now() + 24 * 3600_000);
        const { apiKey, secret } = expectOk(
          await api.createApiKey(retailer.admin, {
            organizationId: retailer.id,
            name: uniq('temp'),
            role: 'READONLY',
            expiresAt: expiresAt.toISOString(),
          }),
          201,
        );
        expect(Date.parse(apiKey.expiresAt)).toBe(expiresAt.getTime());
        expect(Date.parse(expectOk(await api.me(secret)).expiresAt)).toBe(expiresAt.getTime());
      });
    });

    it('a key is refused as UNAUTHENTICATED once it has expired, over GraphQL and REST', async () => {
      const expiresAt = new Date(Date.now() + 2000);
      const viaGraphql = expectOk(
        await orgsApi(t, 'graphql').createApiKey(retailer.admin, {
          organizationId: retailer.id,
          name: uniq('short-lived'),
          role: 'STAFF',
          expiresAt: expiresAt.toISOString(),
        }),
      );
      const viaRest = expectOk(
        await orgsApi(t, 'rest').createApiKey(retailer.admin, {
          organizationId: retailer.id,
          name: uniq('short-lived'),
          role: 'STAFF',
          expiresAt: expiresAt.toISOString(),
        }),
        201,
      );
      await expectKeyWorks(viaGraphql.secret);
      await expectKeyWorks(viaRest.secret);
      expect(Date.now()).toBeLessThan(expiresAt.getTime()); // the checks above really ran before expiry
      await sleep(expiresAt.getTime() - Date.now() + 500);
      await expectKeyRefused(viaGraphql.secret);
      await expectKeyRefused(viaRest.secret);
    });
  });

  // ------------------------------------------------------------------ revokeApiKey

  describe('revokeApiKey', () => {
    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      const newRetailerKey = async (role = 'STAFF') =>
        expectOk(
          await api.createApiKey(retailer.admin, { organizationId: retailer.id, name: uniq('to revoke'), role }),
          201,
        ) as { apiKey: any; secret: string };

      it('a revoked key is refused at once', async () => {
        const { apiKey, secret } = await newRetailerKey();
        await expectKeyWorks(secret);
        const revoked = expectOk(await api.revokeApiKey(retailer.admin, apiKey.id));
        expect(revoked).toMatchObject({ id: apiKey.id, role: 'STAFF', organizationId: retailer.id });
        expect(Math.abs(Date.parse(revoked.revokedAt) - Date.now())).toBeLessThan(60_000);
        await expectKeyRefused(secret);
      });

      it('an ADMIN key can revoke itself, and is refused from then on', async () => {
        const { secret } = await newRetailerKey('ADMIN');
        const id = await keyId(secret);
        expect(expectOk(await api.revokeApiKey(secret, id)).revokedAt).toEqual(expect.any(String));
        await expectKeyRefused(secret);
      });

      it('the platform operator revokes a key of any organization', async () => {
        const { apiKey, secret } = await newRetailerKey();
        expect(expectOk(await api.revokeApiKey(PLATFORM_KEY, apiKey.id)).revokedAt).toEqual(expect.any(String));
        await expectKeyRefused(secret);
      });

      it('an ADMIN of another organization gets NOT_FOUND, never FORBIDDEN, and the key keeps working', async () => {
        const { apiKey, secret } = await newRetailerKey();
        const outcome = await expectNothingChanged(() => api.revokeApiKey(manufacturer.admin, apiKey.id));
        expectRefused(outcome, 'NOT_FOUND');
        await expectKeyWorks(secret);
      });

      it.each(['STAFF', 'READONLY'])(
        'a %s key of the same organization gets FORBIDDEN, and the key keeps working',
        async (role) => {
          const { apiKey, secret } = await newRetailerKey();
          const key = { STAFF: retailer.staff, READONLY: retailer.readonly }[role]!;
          const outcome = await expectNothingChanged(() => api.revokeApiKey(key, apiKey.id));
          expectRefused(outcome, 'FORBIDDEN');
          await expectKeyWorks(secret);
        },
      );

      it('revoking an unknown key id is NOT_FOUND', async () => {
        const outcome = await expectNothingChanged(() => api.revokeApiKey(retailer.admin, randomUUID()));
        expectRefused(outcome, 'NOT_FOUND');
      });

      it('revoking a key twice keeps the first revocation time', async () => {
        const { apiKey } = await newRetailerKey();
        const first = expectOk(await api.revokeApiKey(retailer.admin, apiKey.id));
        const second = expectOk(await api.revokeApiKey(retailer.admin, apiKey.id));
        expect(second.revokedAt).toBe(first.revokedAt);
      });
    });
  });

  // ------------------------------------------------------------------ authentication

  describe('authentication', () => {
    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      it.each<[string, Auth]>([
        ['no Authorization header', null],
        ['an empty Authorization header', { header: '' }],
        ['a Basic header', { header: 'Basic x' }],
        ['"Bearer" without a key', { header: 'Bearer' }],
        ['a Bearer key with a second word', { header: `Bearer ${PLATFORM_KEY} extra` }],
        ['an unknown key', `ac_live_${'A'.repeat(43)}`],
        ['the platform key with one character changed', `${PLATFORM_KEY.slice(0, -1)}X`],
      ])('a call with %s is UNAUTHENTICATED', async (_label, auth) => {
        const outcome = await api.me(auth);
        expectRefused(outcome, 'UNAUTHENTICATED');
        expect(outcome.data).toBeNull();
      });

      it('mutations without a valid key are UNAUTHENTICATED and store nothing', async () => {
        expectRefused(
          await expectNothingChanged(() => api.createOrganization(null, { name: uniq('Anonymous'), kind: 'RETAILER' })),
          'UNAUTHENTICATED',
        );
        expectRefused(
          await expectNothingChanged(() =>
            api.createApiKey({ header: 'Basic x' }, { organizationId: retailer.id, name: uniq('anon'), role: 'ADMIN' }),
          ),
          'UNAUTHENTICATED',
        );
        expectRefused(
          await expectNothingChanged(() =>
            api.createTechnician(`ac_live_${'B'.repeat(43)}`, { serviceCenterId: centerA.id, name: 'Nobody' }),
          ),
          'UNAUTHENTICATED',
        );
        expectRefused(await expectNothingChanged(() => api.revokeApiKey(null, centerBStaffKeyId)), 'UNAUTHENTICATED');
        await expectKeyWorks(centerB.staff);
      });

      it('the key is matched in full, case included', async () => {
        const swapped = PLATFORM_KEY.replace(/[a-z]/, (c) => c.toUpperCase());
        expectRefused(await api.me(swapped), 'UNAUTHENTICATED');
        expectOk(await api.me(PLATFORM_KEY));
      });
    });
  });

  // ------------------------------------------------------------------ technicians

  describe('technicians', () => {
    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      it('a service center ADMIN adds a technician to its own center, and its staff see it', async () => {
        const name = uniq('Alex Kim');
        const created = expectOk(
          await api.createTechnician(centerA.admin, {
            serviceCenterId: centerA.id,
            name,
            email: 'alex@fixit-north.example',
          }),
          201,
        );
        expect(created).toMatchObject({
          name,
          email: 'alex@fixit-north.example',
          active: true,
          serviceCenterId: centerA.id,
        });
        expect(created.id).toMatch(UUID);
        const listed = expectOk(await api.technicians(centerA.staff));
        expect(listed).toContainEqual(created);
      });

      it('the platform operator adds a technician to any service center', async () => {
        const created = expectOk(
          await api.createTechnician(PLATFORM_KEY, { serviceCenterId: centerB.id, name: uniq('Robin Diaz') }),
          201,
        );
        expect(created).toMatchObject({ serviceCenterId: centerB.id, email: null, active: true });
        expect(expectOk(await api.technicians(centerB.readonly)).map((x: any) => x.id)).toContain(created.id);
      });

      it('a retailer ADMIN cannot add a technician to a service center (FORBIDDEN), and nothing is stored', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createTechnician(retailer.admin, { serviceCenterId: centerA.id, name: uniq('Intruder') }),
        );
        expectRefused(outcome, 'FORBIDDEN');
      });

      it.each(['STAFF', 'READONLY', 'TECHNICIAN'])(
        'a service center %s key cannot add technicians (FORBIDDEN)',
        async (role) => {
          const key = { STAFF: centerA.staff, READONLY: centerA.readonly, TECHNICIAN: techKeyA }[role]!;
          const outcome = await expectNothingChanged(() =>
            api.createTechnician(key, { serviceCenterId: centerA.id, name: uniq('Self-hired') }),
          );
          expectRefused(outcome, 'FORBIDDEN');
        },
      );

      it('a serviceCenterId that is not a service center is BAD_USER_INPUT naming serviceCenterId', async () => {
        expectRefused(
          await expectNothingChanged(() =>
            api.createTechnician(PLATFORM_KEY, { serviceCenterId: retailer.id, name: uniq('Misplaced') }),
          ),
          'BAD_USER_INPUT',
          'serviceCenterId',
        );
        expectRefused(
          await expectNothingChanged(() =>
            api.createTechnician(retailer.admin, { serviceCenterId: retailer.id, name: uniq('Misplaced') }),
          ),
          'BAD_USER_INPUT',
          'serviceCenterId',
        );
        expectRefused(
          await expectNothingChanged(() =>
            api.createTechnician(PLATFORM_KEY, { serviceCenterId: manufacturer.id, name: uniq('Misplaced') }),
          ),
          'BAD_USER_INPUT',
          'serviceCenterId',
        );
      });

      it('an unknown serviceCenterId is NOT_FOUND naming serviceCenterId', async () => {
        const outcome = await expectNothingChanged(() =>
          api.createTechnician(PLATFORM_KEY, { serviceCenterId: randomUUID(), name: uniq('Ghost') }),
        );
        expectRefused(outcome, 'NOT_FOUND', 'serviceCenterId');
      });

      it('a serviceCenterId filter that is not a UUID is BAD_USER_INPUT naming serviceCenterId', async () => {
        expectRefused(await api.technicians(centerA.staff, 'not-a-uuid'), 'BAD_USER_INPUT', 'serviceCenterId');
      });

      it("technicians lists only the caller's own center, with or without its serviceCenterId", async () => {
        for (const key of [centerA.admin, centerA.staff, centerA.readonly, techKeyA]) {
          const listed: any[] = expectOk(await api.technicians(key));
          expect(listed.length).toBeGreaterThan(0);
          expect(listed.every((x) => x.serviceCenterId === centerA.id)).toBe(true);
          expect(listed.map((x) => x.id)).toContain(techA.id);
          expect(listed.map((x) => x.id)).not.toContain(techB.id);
          expect(expectOk(await api.technicians(key, centerA.id))).toEqual(listed);
        }
      });

      it("a service center passing another center's id gets NOT_FOUND", async () => {
        expectRefused(await api.technicians(centerA.admin, centerB.id), 'NOT_FOUND');
        expectRefused(await api.technicians(centerB.staff, centerA.id), 'NOT_FOUND');
      });

      it.each([
        ['retailer', () => retailer],
        ['manufacturer', () => manufacturer],
      ] as const)('a %s gets an empty list of technicians', async (_label, tenant) => {
        expect(expectOk(await api.technicians(tenant().admin))).toEqual([]);
        expect(expectOk(await api.technicians(tenant().readonly))).toEqual([]);
      });

      it("the platform operator lists any center's technicians by serviceCenterId", async () => {
        const listed: any[] = expectOk(await api.technicians(PLATFORM_KEY, centerB.id));
        expect(listed.map((x) => x.id)).toContain(techB.id);
        expect(listed.every((x) => x.serviceCenterId === centerB.id)).toBe(true);
      });
    });

    it('technician.serviceCenter resolves to the service center', async () => {
      const res = await gql(
        t,
        centerA.staff,
        '{ technicians { id name email active serviceCenter { id name kind turnaroundDays laborRate { amount currency } } } }',
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.technicians).toContainEqual({
        id: techA.id,
        name: 'Dana Ortiz',
        email: 'dana@fixit-north.example',
        active: true,
        serviceCenter: {
          id: centerA.id,
          name: 'Fixit North',
          kind: 'SERVICE_CENTER',
          turnaroundDays: 5,
          laborRate: { amount: '90.00', currency: 'USD' },
        },
      });
    });
  });

  // ------------------------------------------------------------------ organization(id): the directory

  describe('organization(id): the directory', () => {
    const callers: [string, () => string][] = [
      ['manufacturer ADMIN', () => manufacturer.admin],
      ['retailer READONLY', () => retailer.readonly],
      ['service center STAFF', () => centerA.staff],
      ['technician', () => techKeyA],
    ];

    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      it.each(callers)('a %s reads another organization of the directory', async (_label, key) => {
        const org = expectOk(await api.organization(key(), centerB.id));
        expect(org).toMatchObject({
          id: centerB.id,
          name: 'Fixit South',
          kind: 'SERVICE_CENTER',
          laborRate: { amount: '90.00', currency: 'USD' },
          turnaroundDays: 5,
        });
        expect(expectOk(await api.organization(key(), retailer.id))).toMatchObject({
          id: retailer.id,
          name: 'Contoso Stores',
          kind: 'RETAILER',
          laborRate: null,
          turnaroundDays: null,
        });
      });

      it.each(callers)("the platform's own organization is NOT_FOUND for a %s", async (_label, key) => {
        expectRefused(await api.organization(key(), platformOrgId), 'NOT_FOUND');
      });

      it('the platform operator reads its own organization', async () => {
        expect(expectOk(await api.organization(PLATFORM_KEY, platformOrgId))).toMatchObject({
          id: platformOrgId,
          kind: 'PLATFORM',
        });
      });

      it('an unknown id is NOT_FOUND', async () => {
        expectRefused(await api.organization(retailer.staff, randomUUID()), 'NOT_FOUND');
        expectRefused(await api.organization(PLATFORM_KEY, randomUUID()), 'NOT_FOUND');
      });

      it('an id that is not a UUID is NOT_FOUND or BAD_USER_INPUT, never a server error', async () => {
        const outcome = await api.organization(retailer.staff, 'not-a-uuid');
        expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(outcome.code);
        expectRefused(outcome, outcome.code!);
      });
    });
  });

  // ------------------------------------------------------------------ READONLY keys

  describe('READONLY keys cannot mutate', () => {
    /** A READONLY key of the platform operator's own organization. */
    let platformReadonly: string;
    let retailerStaffKeyId: string;
    beforeAll(async () => {
      platformReadonly = expectOk(
        await orgsApi(t, 'graphql').createApiKey(PLATFORM_KEY, {
          organizationId: platformOrgId,
          name: 'operator dashboard',
          role: 'READONLY',
        }),
      ).secret;
      retailerStaffKeyId = await keyId(retailer.staff);
    });

    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      const attempts: [string, (api: OrgsApi) => Promise<Outcome>][] = [
        [
          'createApiKey for its own organization',
          (a) => a.createApiKey(centerB.readonly, { organizationId: centerB.id, name: uniq('ro'), role: 'READONLY' }),
        ],
        ["revokeApiKey of its own organization's key", (a) => a.revokeApiKey(centerB.readonly, centerBStaffKeyId)],
        [
          'createTechnician at its own center',
          (a) => a.createTechnician(centerB.readonly, { serviceCenterId: centerB.id, name: uniq('ro tech') }),
        ],
        [
          'createOrganization',
          (a) => a.createOrganization(centerB.readonly, { name: uniq('ro org'), kind: 'RETAILER' }),
        ],
      ];

      it.each(attempts)('a READONLY key is FORBIDDEN to %s, and nothing changes', async (_label, attempt) => {
        const outcome = await expectNothingChanged(() => attempt(api));
        expectRefused(outcome, 'FORBIDDEN');
        await expectKeyWorks(centerB.staff);
        await expectKeyWorks(centerB.readonly);
      });

      const platformAttempts: [string, (api: OrgsApi) => Promise<Outcome>][] = [
        [
          'createOrganization',
          (a) => a.createOrganization(platformReadonly, { name: uniq('ro platform org'), kind: 'RETAILER' }),
        ],
        [
          'createApiKey for an organization',
          (a) =>
            a.createApiKey(platformReadonly, { organizationId: retailer.id, name: uniq('ro platform'), role: 'ADMIN' }),
        ],
        [
          'createTechnician at a service center',
          (a) => a.createTechnician(platformReadonly, { serviceCenterId: centerA.id, name: uniq('ro platform tech') }),
        ],
        ["revokeApiKey of an organization's key", (a) => a.revokeApiKey(platformReadonly, retailerStaffKeyId)],
      ];

      it.each(platformAttempts)(
        'a READONLY key of the platform operator is FORBIDDEN to %s too, and nothing changes',
        async (_label, attempt) => {
          expect(expectOk(await api.me(platformReadonly))).toMatchObject({
            role: 'READONLY',
            organizationId: platformOrgId,
          });
          const outcome = await expectNothingChanged(() => attempt(api));
          expectRefused(outcome, 'FORBIDDEN');
          await expectKeyWorks(retailer.staff);
        },
      );
    });
  });

  // ------------------------------------------------------------------ tenant isolation

  describe('tenant isolation: a key of another organization can neither read nor change the data', () => {
    interface Row {
      attempt: (api: OrgsApi) => Promise<Outcome>;
      code: string;
      field?: string;
      /** The victim's data still answers as before. */
      after?: () => Promise<void>;
    }
    const table: [string, Row][] = [
      [
        'center A ADMIN creates a key for center B',
        {
          attempt: (a) => a.createApiKey(centerA.admin, { organizationId: centerB.id, name: uniq('x'), role: 'ADMIN' }),
          code: 'FORBIDDEN',
        },
      ],
      [
        'a retailer ADMIN creates a key for a manufacturer',
        {
          attempt: (a) =>
            a.createApiKey(retailer.admin, { organizationId: manufacturer.id, name: uniq('x'), role: 'STAFF' }),
          code: 'FORBIDDEN',
        },
      ],
      [
        'a center A technician key creates a key for center B',
        {
          attempt: (a) => a.createApiKey(techKeyA, { organizationId: centerB.id, name: uniq('x'), role: 'ADMIN' }),
          code: 'FORBIDDEN',
        },
      ],
      [
        'center A ADMIN creates a key for the platform organization',
        {
          attempt: (a) =>
            a.createApiKey(centerA.admin, { organizationId: platformOrgId, name: uniq('x'), role: 'ADMIN' }),
          code: 'NOT_FOUND',
          field: 'organizationId',
        },
      ],
      [
        "center A ADMIN binds its TECHNICIAN key to center B's technician",
        {
          attempt: (a) =>
            a.createApiKey(centerA.admin, {
              organizationId: centerA.id,
              name: uniq('x'),
              role: 'TECHNICIAN',
              technicianId: techB.id,
            }),
          code: 'BAD_USER_INPUT',
          field: 'technicianId',
        },
      ],
      [
        "center A ADMIN revokes center B's STAFF key",
        {
          attempt: (a) => a.revokeApiKey(centerA.admin, centerBStaffKeyId),
          code: 'NOT_FOUND',
          after: () => expectKeyWorks(centerB.staff),
        },
      ],
      [
        "a retailer ADMIN revokes center B's ADMIN key",
        {
          attempt: (a) => a.revokeApiKey(retailer.admin, centerBAdminKeyId),
          code: 'NOT_FOUND',
          after: () => expectKeyWorks(centerB.admin),
        },
      ],
      [
        'center A ADMIN revokes the platform operator key',
        {
          attempt: (a) => a.revokeApiKey(centerA.admin, platformKeyId),
          code: 'NOT_FOUND',
          after: () => expectKeyWorks(PLATFORM_KEY),
        },
      ],
      [
        'center A ADMIN adds a technician to center B',
        {
          attempt: (a) => a.createTechnician(centerA.admin, { serviceCenterId: centerB.id, name: uniq('x') }),
          code: 'FORBIDDEN',
          after: async () =>
            expect(
              expectOk(await orgsApi(t, 'rest').technicians(centerB.staff)).map((x: any) => x.serviceCenterId),
            ).not.toContain(centerA.id),
        },
      ],
      [
        'center A ADMIN adds a technician to the platform organization',
        {
          attempt: (a) => a.createTechnician(centerA.admin, { serviceCenterId: platformOrgId, name: uniq('x') }),
          code: 'NOT_FOUND',
          field: 'serviceCenterId',
        },
      ],
      [
        "center A STAFF lists center B's technicians",
        {
          attempt: (a) => a.technicians(centerA.staff, centerB.id),
          code: 'NOT_FOUND',
        },
      ],
      [
        "a retailer lists center B's technicians",
        {
          attempt: (a) => a.technicians(retailer.admin, centerB.id),
          code: 'NOT_FOUND',
        },
      ],
      [
        'center A ADMIN reads the platform organization',
        {
          attempt: (a) => a.organization(centerA.admin, platformOrgId),
          code: 'NOT_FOUND',
        },
      ],
      [
        'center A ADMIN creates an organization',
        {
          attempt: (a) => a.createOrganization(centerA.admin, { name: uniq('x'), kind: 'SERVICE_CENTER' }),
          code: 'FORBIDDEN',
        },
      ],
    ];

    describe.each(PROTOCOLS)('over %s', (protocol) => {
      let api: OrgsApi;
      beforeAll(() => {
        api = orgsApi(t, protocol);
      });

      it.each(table)('%s: refused, and nothing changed', async (_label, row) => {
        const outcome = await expectNothingChanged(() => row.attempt(api));
        expectRefused(outcome, row.code, row.field);
        await row.after?.();
      });
    });

    const nodeTable: [string, () => string, () => string][] = [
      ["center A ADMIN reads center B's API key", () => centerA.admin, () => centerBStaffKeyId],
      ['a retailer ADMIN reads the platform operator key', () => retailer.admin, () => platformKeyId],
      ["center A STAFF reads center B's technician", () => centerA.staff, () => techB.id],
      ["a retailer ADMIN reads center A's technician", () => retailer.admin, () => techA.id],
      ['center A ADMIN reads the platform organization', () => centerA.admin, () => platformOrgId],
    ];

    it.each(nodeTable)('over graphql, node(id): %s is NOT_FOUND', async (_label, key, id) => {
      const res = await gql(t, key(), 'query($id: ID!) { node(id: $id) { __typename id } }', { id: id() });
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.data?.node ?? null).toBeNull();
    });
  });

  // ------------------------------------------------------------------ node(id)

  describe('node(id) over graphql', () => {
    const NODE = `query($id: ID!) { node(id: $id) { __typename id
      ... on Organization { name kind turnaroundDays }
      ... on ApiKey { role prefix organization { id } }
      ... on Technician { name serviceCenter { id } } } }`;

    it('resolves an Organization of the directory for any organization', async () => {
      const res = await gql(t, retailer.readonly, NODE, { id: centerB.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toEqual({
        __typename: 'Organization',
        id: centerB.id,
        name: 'Fixit South',
        kind: 'SERVICE_CENTER',
        turnaroundDays: 5,
      });
    });

    it("resolves the caller's own ApiKey, without its secret", async () => {
      const me = expectOk(await orgsApi(t, 'graphql').me(retailer.staff));
      const res = await gql(t, retailer.staff, NODE, { id: me.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toEqual({
        __typename: 'ApiKey',
        id: me.id,
        role: 'STAFF',
        prefix: me.prefix,
        organization: { id: retailer.id },
      });
      expect(JSON.stringify(res.data)).not.toContain(retailer.staff);
    });

    it('resolves a technician for its own service center', async () => {
      const res = await gql(t, centerA.readonly, NODE, { id: techA.id });
      expect(res.errors).toBeUndefined();
      expect(res.data.node).toEqual({
        __typename: 'Technician',
        id: techA.id,
        name: 'Dana Ortiz',
        serviceCenter: { id: centerA.id },
      });
    });

    it('an unknown or malformed id is NOT_FOUND', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const res = await gql(t, retailer.readonly, NODE, { id });
        expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    });

    it('without a key, node is UNAUTHENTICATED even for a directory organization', async () => {
      const res = await gql(t, null, NODE, { id: centerB.id });
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data?.node ?? null).toBeNull();
    });
  });

  // ------------------------------------------------------------------ error format

  describe('error format', () => {
    it('REST errors are problem+json with code, field and a correlationId that is also the x-request-id header', async () => {
      const res = await t.http
        .post('/api/v1/api-keys')
        .set('authorization', `Bearer ${centerA.admin}`)
        .set('x-request-id', 'orgs-spec-correlation-1')
        .send({ organizationId: centerA.id, name: 'no technician', role: 'TECHNICIAN' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['x-request-id']).toBe('orgs-spec-correlation-1');
      expect(res.body).toMatchObject({
        status: 400,
        code: 'BAD_USER_INPUT',
        field: 'technicianId',
        correlationId: 'orgs-spec-correlation-1',
      });
    });

    it('GraphQL errors carry the code, the field and the correlation id in extensions', async () => {
      const res = await gql(
        t,
        centerA.admin,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        {
          input: { organizationId: centerA.id, name: 'no technician', role: 'TECHNICIAN' },
        },
        { 'x-request-id': 'orgs-spec-correlation-2' },
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'technicianId',
        correlationId: 'orgs-spec-correlation-2',
      });
      expect(res.headers['x-request-id']).toBe('orgs-spec-correlation-2');
    });
  });
});
