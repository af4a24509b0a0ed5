import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { DataSource } from 'typeorm';
import { PublicEvents } from '../src/common/events/public-events.js';
import { JobRunner } from '../src/common/jobs/job-runner.service.js';
import { WebhookFanout } from '../src/webhooks/webhook-fanout.service.js';
import { gql } from './support/api.js';
import { buildWorld, ORGS, type OrgName, type World } from './support/matrix-world.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import { createEndpoint, EVENT_TYPES } from './support/webhooks-client.js';

/**
 * Issue 13, "who gets what" (docs/webhooks.md): the authorization matrix's world (every
 * organization kind in every relation to units, tickets, claims, returns and upgrade requests:
 * the one that acted, the other party, strangers), each organization with an endpoint for every
 * event type. Then every event is fanned out, and for every event and organization:
 * - it gets a delivery exactly when it can GET the resource over REST, and
 * - the delivery's `data` is exactly what that GET answers (so no field it could not read there),
 *   and matches the JSON Schema the catalogue publishes for the event type.
 * The world is built with background work off and fanned out after it is complete, so the REST
 * answers read afterwards are the state the fan-out read.
 */

const REST_PATH: Record<string, string> = {
  Unit: 'units',
  RepairTicket: 'repair-tickets',
  WarrantyClaim: 'warranty-claims',
  ReturnAuthorization: 'returns',
  UpgradeRequest: 'upgrades',
  WebhookEndpoint: 'webhook-endpoints',
};

interface DeliveryRow {
  organization_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
}
interface EventRow {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
}

describe('webhooks: who gets what', () => {
  let t: TestApp;
  let w: World;
  const keyOf: Partial<Record<OrgName, string>> = {};
  /** The keys GET is read with: an organization's data is what its STAFF key reads (the platform's only key is ADMIN). */
  const staffKeyOf: Partial<Record<OrgName, string>> = {};
  const orgIdOf: Partial<Record<OrgName, string>> = {};
  let deliveries: DeliveryRow[];
  let events: EventRow[];
  let filteredEndpoint: string;
  /** Each organization's endpoints that take every event type (the world may have made some of its own). */
  const allTypesEndpoints = new Map<string, string[]>();

  beforeAll(async () => {
    // background work off: the world is complete before anything is fanned out
    t = await startTestApp({ JOBS_POLL_MS: '0', WEBHOOK_ALLOW_HOSTS: '127.0.0.1:9' });
    const platform = await gql(t, PLATFORM_KEY, `{ me { organization { id } } }`, {});
    keyOf.P = PLATFORM_KEY;
    staffKeyOf.P = PLATFORM_KEY;
    orgIdOf.P = platform.data.me.organization.id;
    w = (await buildWorld(t)).world;
    for (const org of ORGS) {
      if (org === 'P') continue;
      keyOf[org] = w.orgs[org].admin;
      staffKeyOf[org] = w.orgs[org].staff;
      orgIdOf[org] = w.orgs[org].id;
    }
    // endpoints that exist before the fan-out; the world's events were published before, and fan
    // out now (the fan-out starts where the webhooks migration left the feed)
    for (const org of ORGS) await createEndpoint(t, keyOf[org]!, `http://127.0.0.1:9/${org}`);
    filteredEndpoint = (await createEndpoint(t, keyOf.M!, 'http://127.0.0.1:9/M-claims', ['warranty_claim.submitted']))
      .endpoint.id;
    await t.app.get(JobRunner).runOnce();
    const fanout = t.app.get(WebhookFanout);
    while ((await fanout.round()) > 0);
    const db = t.app.get(DataSource);
    deliveries = await db.query(
      `SELECT organization_id, endpoint_id, event_id::text, event_type, body FROM webhook_deliveries WHERE event_id IS NOT NULL`,
    );
    const endpoints: { id: string; organization_id: string }[] = await db.query(
      `SELECT id, organization_id FROM webhook_endpoints WHERE event_types = '{}' ORDER BY id`,
    );
    for (const e of endpoints)
      allTypesEndpoints.set(e.organization_id, [...(allTypesEndpoints.get(e.organization_id) ?? []), e.id].sort());
    events = await db.query(
      `SELECT id::text, aggregate_type, aggregate_id, event_type FROM outbox_events WHERE published_at IS NOT NULL ORDER BY id`,
    );
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  /** What GET answers each organization for a resource: the body, or null when it is not 200. */
  const readings = new Map<string, unknown>();
  async function readAs(org: OrgName, aggregateType: string, id: string): Promise<unknown> {
    const key = `${org}:${id}`;
    if (!readings.has(key)) {
      const res = await t.http
        .get(`/api/v1/${REST_PATH[aggregateType]}/${id}`)
        .set('authorization', `Bearer ${staffKeyOf[org]}`);
      readings.set(key, res.status === 200 ? res.body : null);
    }
    return readings.get(key);
  }

  /** The outbox events that are public (those the domain modules declared), with their public type. */
  const publicEvents = () =>
    events.filter((e) => t.app.get(PublicEvents).publicEventOf(e.aggregate_type, e.event_type) !== null);

  it('fans out events of every kind of resource', () => {
    const kinds = new Set(deliveries.map((d) => d.event_type.split('.')[0]));
    expect([...kinds].sort()).toEqual(['repair_ticket', 'return', 'unit', 'upgrade', 'warranty_claim']);
    expect(publicEvents().length).toBeGreaterThan(20);
  });

  it('sends each event to exactly the organizations that can GET its resource, with what GET answers', async () => {
    const problems: string[] = [];
    for (const event of publicEvents()) {
      for (const org of ORGS) {
        const own = deliveries.filter(
          (d) => d.event_id === event.id && d.organization_id === orgIdOf[org] && d.endpoint_id !== filteredEndpoint,
        );
        const seen = await readAs(org, event.aggregate_type, event.aggregate_id);
        const what = `${event.event_type} of ${event.aggregate_type} ${event.aggregate_id} to ${org}`;
        if (seen === null && own.length > 0) problems.push(`${what}: delivered, but ${org} cannot GET it`);
        // one delivery to each endpoint of the organization that takes every type
        const expected = seen === null ? [] : (allTypesEndpoints.get(orgIdOf[org]!) ?? []);
        const got = own.map((d) => d.endpoint_id).sort();
        if (JSON.stringify(got) !== JSON.stringify(expected))
          problems.push(
            `${what}: deliveries to ${got.join(', ') || 'no endpoint'}, expected ${expected.join(', ') || 'none'}`,
          );
        for (const delivery of own) {
          const data = JSON.parse(delivery.body).data;
          if (JSON.stringify(data) !== JSON.stringify(seen))
            problems.push(`${what}: data differs from GET\n${JSON.stringify(data)}\n${JSON.stringify(seen)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("matches the matrix's view: the ticket goes to P, M, Ro and S; R's return to P and R only", () => {
    const receivers = (aggregateId: string) =>
      ORGS.filter((org) =>
        deliveries.some(
          (d) =>
            d.organization_id === orgIdOf[org] &&
            events.some((e) => e.id === d.event_id && e.aggregate_id === aggregateId),
        ),
      );
    expect(receivers(w.ticket.id)).toEqual(['P', 'M', 'Ro', 'S']);
    expect(receivers(w.claim.id)).toEqual(['P', 'M', 'S']);
    expect(receivers(w.returns.authorized.id)).toEqual(['P', 'R']);
    expect(receivers(w.upgrade.id)).toEqual(['P', 'M', 'R']);
    expect(receivers(w.unit.id)).toEqual(['P', 'M', 'R', 'S']);
  });

  it('gives a filtered endpoint only its event types', () => {
    const types = new Set(deliveries.filter((d) => d.endpoint_id === filteredEndpoint).map((d) => d.event_type));
    expect([...types]).toEqual(['warranty_claim.submitted']);
  });

  it("sends bodies of { type, timestamp, data } whose data matches the catalogue's JSON Schema", async () => {
    const catalogue = await gql(t, keyOf.R!, EVENT_TYPES, {});
    const schemaOf = new Map<string, object>(
      catalogue.data.webhookEventTypes.map((e: { name: string; dataSchema: object }) => [e.name, e.dataSchema]),
    );
    const ajv = (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(
      new Ajv2020({ strict: false, allErrors: true }),
    );
    const validators = new Map<string, ReturnType<Ajv2020['compile']>>();
    const problems: string[] = [];
    for (const delivery of deliveries) {
      const body = JSON.parse(delivery.body);
      expect(Object.keys(body)).toEqual(['type', 'timestamp', 'data']);
      expect(body.type).toBe(delivery.event_type);
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
      const validate = validators.get(body.type) ?? ajv.compile(schemaOf.get(body.type)!);
      validators.set(body.type, validate);
      if (!validate(body.data)) problems.push(`${body.type}: ${ajv.errorsText(validate.errors)}`);
      expect(body.data.id).toEqual(expect.any(String));
    }
    expect(problems).toEqual([]);
  });
});
