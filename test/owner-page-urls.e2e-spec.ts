import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { operation } from './support/graphql-documents.js';
import { insertJourney } from './support/outreach-fixtures.js';
import { OPEN, run } from './support/repairs-client.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister, utcToday } from './support/units-helpers.js';
import { OwnerLinks } from '../src/owner-pages/owner-links.js';

/**
 * Links to the owner pages from the API (docs/outreach.md, "Owner pages"): ownerPageUrl for a
 * unit whose owner the caller may read (its seller and maker, a center with an open ticket),
 * RepairTicket.trackingUrl for whoever sees the ticket; and previewOutreach, a journey's message
 * rendered for a unit's owner without sending it.
 */
const OWNER_PAGE_URL = operation('OutreachOwnerPageUrl');
const TRACKING_URL = operation('OutreachTrackingUrl');
const PREVIEW = operation('OutreachPreview');

describe('owner page links and previews', () => {
  let t: TestApp;
  let links: OwnerLinks;
  let maker: Tenant;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let unit: { id: string; serialNumber: string };

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    links = t.app.get(OwnerLinks);
    maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    const product = await createProduct(t, maker.staff);
    unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      manufacturerId: maker.id,
      serialNumber: uniqueSerial(),
      purchaseDate: utcToday(),
      customer: { name: 'Ada Owner', email: 'ada.owner@example.com', locale: 'sv', marketingConsent: true },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The owner link an URL carries, as the owner pages will read it. */
  const linkOf = (url: string) => {
    expect(url.startsWith(`${t.config.outreach.publicUrl}/o/`)).toBe(true);
    return links.verify(url.slice(url.lastIndexOf('/') + 1));
  };
  const ownerPageUrl = (key: string) => gql(t, key, OWNER_PAGE_URL, { unitId: unit.id });

  it("gives the unit's seller and maker a signed link to the unit's page, naming no one", async () => {
    for (const key of [seller.readonly, maker.staff]) {
      const url = (await ownerPageUrl(key)).data.ownerPageUrl;
      expect(linkOf(url)).toMatchObject({ page: 'unit', objectId: unit.id, messageId: null });
      expect(url).not.toMatch(/ada|example/i);
    }
    const viaRest = await rest(t, seller.staff).get(`/units/${unit.id}/owner-page-url`);
    expect(viaRest.status).toBe(200);
    expect(linkOf(viaRest.body.url)).toMatchObject({ page: 'unit', objectId: unit.id });
  });

  it("is NOT_FOUND for whoever may not read the unit's owner, the platform included", async () => {
    for (const key of [otherSeller.staff, center.staff, PLATFORM_KEY]) {
      const res = await ownerPageUrl(key);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'unitId' });
    }
    expect((await rest(t, otherSeller.staff).get(`/units/${unit.id}/owner-page-url`)).status).toBe(404);
  });

  it("a ticket's viewers get its tracking link, which may decide the estimate only for keys that may approve it; the center, holding the open ticket, the unit's page too", async () => {
    const ticket = await run(t, seller.staff, OPEN, {
      serviceCenterId: center.id,
      unitId: unit.id,
      failureCategory: 'MECHANICAL',
      reportedIssue: 'Noisy compressor',
    });
    expect(ticket.__typename).toBe('RepairTicket');
    // the opener and the center (STAFF, ADMIN) hand the owner a link that approves or declines the estimate
    for (const key of [center.staff, seller.staff, seller.admin]) {
      const res = await gql(t, key, TRACKING_URL, { id: ticket.id });
      expect(res.errors).toBeUndefined();
      expect(linkOf(res.data.repairTicket!.trackingUrl)).toMatchObject({ page: 'repair', objectId: ticket.id });
    }
    // anyone else who sees the ticket (read-only keys, the maker) gets the page to follow, deciding nothing
    for (const key of [center.readonly, seller.readonly, maker.readonly, maker.staff]) {
      const res = await gql(t, key, TRACKING_URL, { id: ticket.id });
      expect(res.errors).toBeUndefined();
      expect(linkOf(res.data.repairTicket!.trackingUrl)).toMatchObject({ page: 'track', objectId: ticket.id });
    }
    expect(linkOf((await ownerPageUrl(center.staff)).data.ownerPageUrl)).toMatchObject({ objectId: unit.id });
  });

  it("previews a journey's message in the owner's language or the one asked for, storing nothing", async () => {
    const journeyId = await insertJourney(t, { senderId: seller.id, kind: 'WARRANTY_INFO' });
    const owners = await gql(t, seller.readonly, PREVIEW, { journeyId, unitId: unit.id });
    expect(owners.errors).toBeUndefined();
    expect(owners.data.previewOutreach.subject).not.toBe('');
    expect(owners.data.previewOutreach.html).toContain('lang="sv"');
    const italian = await rest(t, seller.staff).get(
      `/outreach-journeys/${journeyId}/preview?unitId=${unit.id}&locale=it`,
    );
    expect(italian.status).toBe(200);
    expect(italian.body.html).toContain('lang="it"');
    expect(italian.body.text).not.toBe(owners.data.previewOutreach.text);

    const stranger = await gql(t, otherSeller.staff, PREVIEW, { journeyId, unitId: unit.id });
    expect(stranger.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'journeyId' });
    expect((await gql(t, center.staff, PREVIEW, { journeyId, unitId: unit.id })).errors?.[0].extensions.code).toBe(
      'FORBIDDEN',
    );
    const badLocale = await gql(t, seller.staff, PREVIEW, { journeyId, unitId: unit.id, locale: 'not a locale!' });
    expect(badLocale.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'locale' });
  });
});
