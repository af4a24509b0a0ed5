import {
  assertErrorResult,
  assertSuccess,
  createProduct,
  createTenant,
  errorCode,
  gql,
  rest,
  type Tenant,
} from './support/api.js';
import { untypedOperation } from './support/graphql-documents.js';
import { sqlQuery } from './support/input-helpers.js';
import { insertMessage, insertSurveyAnswer, issueCoupon } from './support/outreach-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { addDaysUtc, mustRegister, utcToday } from './support/units-helpers.js';

/**
 * Issue 14: outreach journeys (docs/outreach.md, "Journeys"): what each kind needs, the built-in
 * templates when a journey has none of its own, templates refused naming the field, version-guarded
 * changes, re-activation that sends from that day on, and who may read and change journeys.
 */

const JOURNEYS = untypedOperation('OutreachJourneys');
const CREATE = untypedOperation('CreateOutreachJourney');
const UPDATE = untypedOperation('UpdateOutreachJourney');

const SHIPPED = ['en', 'es', 'it', 'ru', 'sv'];

/** A valid input of each kind, with what that kind needs and nothing else. */
const KIND_INPUTS: Record<string, Record<string, unknown>> = {
  WARRANTY_INFO: { trigger: 'UNIT_REGISTERED' },
  PRODUCT_TRAINING: { trigger: 'DAYS_AFTER_PURCHASE', offsetDays: 7 },
  REPAIR_OR_UPGRADE_OFFER: { trigger: 'BEFORE_WARRANTY_ENDS', offsetDays: -30, onlyWithoutServicePlan: true },
  REVIEW_REQUEST: { trigger: 'DAYS_AFTER_PURCHASE', offsetDays: 14, reviewUrl: 'https://reviews.example.com/fr-200' },
  RETURN_POLICY: { trigger: 'UNIT_REGISTERED', channel: 'WEBHOOK' },
  SUPPORT_RESOURCES: { trigger: 'REPAIR_CLOSED', productCategories: ['FRIDGE', ' FRIDGE '] },
  COUPON: {
    trigger: 'BIRTHDAY',
    coupon: { prefix: 'BDAY', discountAmount: { amount: '20', currency: 'EUR' }, validDays: 30 },
  },
  SURVEY: { trigger: 'RETURN_RESOLVED', survey: { question: 'How did we do?', scale: 'NPS' } },
  GREETING: { trigger: 'ANNUAL_DATE', annualDate: '02-29' },
};
const PURPOSE: Record<string, string> = {
  WARRANTY_INFO: 'SERVICE',
  PRODUCT_TRAINING: 'SERVICE',
  RETURN_POLICY: 'SERVICE',
  SUPPORT_RESOURCES: 'SERVICE',
  REPAIR_OR_UPGRADE_OFFER: 'MARKETING',
  REVIEW_REQUEST: 'MARKETING',
  COUPON: 'MARKETING',
  SURVEY: 'MARKETING',
  GREETING: 'MARKETING',
};

describe('outreach journeys', () => {
  let t: TestApp;
  let seller: Tenant;
  let maker: Tenant;
  let stranger: Tenant;
  let center: Tenant;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    seller = await createTenant(t, 'RETAILER');
    maker = await createTenant(t, 'MANUFACTURER');
    stranger = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
  });
  afterAll(async () => {
    await t?.close();
  });

  const journeyCount = async () => Number((await sqlQuery(t, 'SELECT count(*) AS n FROM outreach_journeys'))[0].n);
  const stored = async (id: string) =>
    (
      await sqlQuery(t, `SELECT templates, active_since::text AS "activeSince" FROM outreach_journeys WHERE id = $1`, [
        id,
      ])
    )[0];
  const create = async (key: string, input: Record<string, unknown>) =>
    (await gql(t, key, CREATE, { input })).data.createOutreachJourney;
  const mustCreate = async (key: string, input: Record<string, unknown>) =>
    assertSuccess(await create(key, input), 'OutreachJourney');

  it('creates a journey of each of the nine kinds, with the built-in templates in every shipped language', async () => {
    for (const [kind, extra] of Object.entries(KIND_INPUTS)) {
      const journey = await mustCreate(seller.staff, { name: `A ${kind} journey`, kind, ...extra });
      expect(journey).toMatchObject({
        name: `A ${kind} journey`,
        kind,
        purpose: PURPOSE[kind],
        sender: { id: seller.id },
        offsetDays: (extra.offsetDays as number | undefined) ?? 0,
        channel: (extra.channel as string | undefined) ?? 'EMAIL',
        active: true,
        version: 1,
        stats: { queued: 0, sent: 0, suppressed: 0, failed: 0, linkClicks: 0, surveyResponses: 0 },
      });
      expect(journey.templates.map((x: any) => x.locale).sort()).toEqual(SHIPPED);
      for (const template of journey.templates) {
        expect(template.subject.trim()).not.toBe('');
        expect(template.body).toContain('{{');
      }
      // the built-in ones are not copied into the journey: improvements to them reach it
      expect(await stored(journey.id)).toEqual({ templates: [], activeSince: utcToday() });
    }
    const listed = (await gql(t, seller.readonly, JOURNEYS, {})).data.outreachJourneys;
    expect(listed.map((j: any) => j.kind).sort()).toEqual(Object.keys(KIND_INPUTS).sort());
    const byKind = Object.fromEntries(listed.map((j: any) => [j.kind, j]));
    expect(byKind.COUPON.coupon).toEqual({
      prefix: 'BDAY',
      discountPercent: null,
      discountAmount: { amount: '20.00', currency: 'EUR' },
      validDays: 30,
    });
    expect(byKind.SURVEY.survey).toEqual({ question: 'How did we do?', scale: 'NPS', askComment: true });
    expect(byKind.REVIEW_REQUEST.reviewUrl).toBe('https://reviews.example.com/fr-200');
    expect(byKind.GREETING.annualDate).toBe('02-29');
    expect(byKind.SUPPORT_RESOURCES.productCategories).toEqual(['FRIDGE']);
    expect(byKind.REPAIR_OR_UPGRADE_OFFER.onlyWithoutServicePlan).toBe(true);

    const viaRest = await rest(t, seller.readonly).get('/outreach-journeys');
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.map((j: any) => j.id).sort()).toEqual(listed.map((j: any) => j.id).sort());
    const one = await rest(t, seller.readonly).get(`/outreach-journeys/${byKind.COUPON.id}`);
    expect(one.body).toMatchObject({ id: byKind.COUPON.id, senderId: seller.id, coupon: byKind.COUPON.coupon });
  });

  it('keeps a journey’s own templates, and refuses one with an unknown variable or a broken brace naming the field, storing nothing', async () => {
    const templates = [
      { locale: 'en', subject: 'Your {{ product.name }}', body: 'Hello {{ owner.name }}, {{ links.ownerPage }}' },
      { locale: 'it', subject: 'Il tuo {{ product.name }}', body: 'Ciao {{ owner.name }}' },
    ];
    const own = await mustCreate(maker.staff, {
      name: 'Own words',
      kind: 'WARRANTY_INFO',
      trigger: 'UNIT_REGISTERED',
      templates,
    });
    expect(own.templates).toEqual(templates);
    expect((await stored(own.id)).templates).toEqual(templates);

    const before = await journeyCount();
    const unknown = assertErrorResult(
      await create(maker.staff, {
        name: 'Bad',
        kind: 'WARRANTY_INFO',
        trigger: 'UNIT_REGISTERED',
        templates: [templates[0], { ...templates[1], body: 'Ciao {{ owner.password }}' }],
      }),
      'TEMPLATE_INVALID',
    );
    expect(unknown.field).toBe('templates[1].body');
    const broken = await rest(t, maker.staff).post('/outreach-journeys', {
      name: 'Bad',
      kind: 'WARRANTY_INFO',
      trigger: 'UNIT_REGISTERED',
      templates: [{ ...templates[0], subject: 'Your {{ product.name' }],
    });
    expect(broken.status).toBe(422);
    expect(broken.body).toMatchObject({ errorCode: 'TEMPLATE_INVALID', field: 'templates[0].subject' });
    expect(await journeyCount()).toBe(before);

    // an update is checked the same way, and leaves the journey as it was
    const refused = assertErrorResult(
      (
        await gql(t, maker.staff, UPDATE, {
          input: { id: own.id, expectedVersion: 1, templates: [{ ...templates[0], body: '{% if x %}' }] },
        })
      ).data.updateOutreachJourney,
      'TEMPLATE_INVALID',
    );
    expect(refused.field).toBe('templates[0].body');
    expect((await stored(own.id)).templates).toEqual(templates);
  });

  it.each([
    ['a COUPON journey without a coupon', { kind: 'COUPON', trigger: 'UNIT_REGISTERED' }, 'coupon'],
    [
      'a coupon with both a percentage and an amount',
      {
        kind: 'COUPON',
        trigger: 'UNIT_REGISTERED',
        coupon: { prefix: 'X2', discountPercent: 10, discountAmount: { amount: '5', currency: 'USD' }, validDays: 9 },
      },
      'coupon',
    ],
    [
      'a coupon with neither',
      { kind: 'COUPON', trigger: 'UNIT_REGISTERED', coupon: { prefix: 'X2', validDays: 9 } },
      'coupon',
    ],
    [
      'a coupon on a WARRANTY_INFO journey',
      { kind: 'WARRANTY_INFO', trigger: 'UNIT_REGISTERED', coupon: { prefix: 'X2', discountPercent: 5, validDays: 9 } },
      'coupon',
    ],
    ['a SURVEY journey without a survey', { kind: 'SURVEY', trigger: 'REPAIR_CLOSED' }, 'survey'],
    ['a REVIEW_REQUEST journey without reviewUrl', { kind: 'REVIEW_REQUEST', trigger: 'REPAIR_CLOSED' }, 'reviewUrl'],
    ['ANNUAL_DATE without annualDate', { kind: 'GREETING', trigger: 'ANNUAL_DATE' }, 'annualDate'],
    ['annualDate with another trigger', { kind: 'GREETING', trigger: 'BIRTHDAY', annualDate: '12-24' }, 'annualDate'],
    [
      'BEFORE_WARRANTY_ENDS with a positive offset',
      { kind: 'WARRANTY_INFO', trigger: 'BEFORE_WARRANTY_ENDS', offsetDays: 30 },
      'offsetDays',
    ],
  ])('refuses %s with VALIDATION_ERROR naming %s, storing nothing', async (_label, input, field) => {
    const before = await journeyCount();
    const refused = assertErrorResult(await create(seller.staff, { name: 'Refused', ...input }), 'VALIDATION_ERROR');
    expect(refused.field).toBe(field);
    const viaRest = await rest(t, seller.staff).post('/outreach-journeys', { name: 'Refused', ...input });
    expect(viaRest.status).toBe(400);
    expect(viaRest.body).toMatchObject({ errorCode: 'VALIDATION_ERROR', field });
    expect(await journeyCount()).toBe(before);
  });

  it('changes a journey at the version the caller read; a stale version is a VersionConflictError and changes nothing', async () => {
    const journey = await mustCreate(seller.staff, {
      name: 'Welcome',
      kind: 'WARRANTY_INFO',
      trigger: 'UNIT_REGISTERED',
    });
    const renamed = assertSuccess(
      (
        await gql(t, seller.admin, UPDATE, {
          input: { id: journey.id, expectedVersion: 1, name: ' Welcome aboard ', offsetDays: 2 },
        })
      ).data.updateOutreachJourney,
      'OutreachJourney',
    );
    expect(renamed).toMatchObject({ name: 'Welcome aboard', offsetDays: 2, version: 2 });
    const stale = (await gql(t, seller.staff, UPDATE, { input: { id: journey.id, expectedVersion: 1, name: 'Late' } }))
      .data.updateOutreachJourney;
    expect(stale).toMatchObject({
      __typename: 'VersionConflictError',
      errorCode: 'VERSION_CONFLICT',
      currentVersion: 2,
    });
    const staleRest = await rest(t, seller.staff).patch(`/outreach-journeys/${journey.id}`, {
      expectedVersion: 1,
      name: 'Late',
    });
    expect(staleRest.status).toBe(409);
    expect(staleRest.body).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: 2 });
    const viaRest = await rest(t, seller.staff).patch(`/outreach-journeys/${journey.id}`, {
      expectedVersion: 2,
      templates: [],
    });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toMatchObject({ name: 'Welcome aboard', version: 3 });
  });

  it('sends from the day it is re-activated on: re-activation moves activeSince to today, pausing or renaming does not', async () => {
    const journey = await mustCreate(seller.staff, {
      name: 'Paused',
      kind: 'SUPPORT_RESOURCES',
      trigger: 'UNIT_REGISTERED',
    });
    const longAgo = addDaysUtc(utcToday(), -40);
    await sqlQuery(t, 'UPDATE outreach_journeys SET active_since = $2 WHERE id = $1', [journey.id, longAgo]);
    const change = async (version: number, changes: Record<string, unknown>) =>
      assertSuccess(
        (await gql(t, seller.staff, UPDATE, { input: { id: journey.id, expectedVersion: version, ...changes } })).data
          .updateOutreachJourney,
        'OutreachJourney',
      );
    expect(await change(1, { active: false })).toMatchObject({ active: false });
    expect((await stored(journey.id)).activeSince).toBe(longAgo);
    await change(2, { name: 'Still paused', active: false });
    expect((await stored(journey.id)).activeSince).toBe(longAgo);
    expect(await change(3, { active: true })).toMatchObject({ active: true, version: 4 });
    expect((await stored(journey.id)).activeSince).toBe(utcToday());
    await sqlQuery(t, 'UPDATE outreach_journeys SET active_since = $2 WHERE id = $1', [journey.id, longAgo]);
    await change(4, { active: true });
    expect((await stored(journey.id)).activeSince).toBe(longAgo);
  });

  it('counts what its messages did: by status, link clicks, survey answers, coupons issued (SENT) and redeemed', async () => {
    const product = await createProduct(t, maker.staff);
    const unit = await mustRegister(t, seller.staff, {
      productId: product.id,
      serialNumber: `SN-STATS-${Date.now()}`,
      purchaseDate: addDaysUtc(utcToday(), -10),
      customer: { name: 'Ada', email: 'ada@example.com', marketingConsent: true },
    });
    const journey = await mustCreate(seller.staff, {
      name: 'Thanks',
      kind: 'COUPON',
      trigger: 'UNIT_REGISTERED',
      coupon: { prefix: 'THANKS', discountPercent: 15, validDays: 60 },
    });
    const base = { journeyId: journey.id, senderId: seller.id, unitId: unit.id };
    const occasion = (n: number) => addDaysUtc(utcToday(), -n);
    await insertMessage(t, { ...base, status: 'QUEUED', occasion: occasion(1) });
    await insertMessage(t, {
      ...base,
      status: 'SUPPRESSED',
      suppressionReason: 'FREQUENCY_CAP',
      occasion: occasion(2),
    });
    await insertMessage(t, { ...base, status: 'FAILED', occasion: occasion(3) });
    const first = await issueCoupon(t, { ...base, occasion: occasion(4) });
    const second = await issueCoupon(t, { ...base, occasion: occasion(5) });
    await sqlQuery(t, 'UPDATE outreach_messages SET link_clicks = 3 WHERE id = $1', [first.messageId]);
    await sqlQuery(t, 'UPDATE outreach_messages SET link_clicks = 2 WHERE id = $1', [second.messageId]);
    await sqlQuery(t, `UPDATE coupons SET redeemed_at = now(), order_reference = 'SO-1' WHERE code = $1`, [first.code]);
    await insertSurveyAnswer(t, { messageId: first.messageId, score: 9 });
    const expected = {
      queued: 1,
      sent: 2,
      suppressed: 1,
      failed: 1,
      linkClicks: 5,
      surveyResponses: 1,
      couponsIssued: 2,
      couponsRedeemed: 1,
    };
    const listed = (await gql(t, seller.readonly, JOURNEYS, {})).data.outreachJourneys;
    expect(listed.find((j: any) => j.id === journey.id).stats).toEqual(expected);
    expect(listed.filter((j: any) => j.id !== journey.id).every((j: any) => j.stats.sent === 0)).toBe(true);
    expect((await rest(t, seller.readonly).get(`/outreach-journeys/${journey.id}`)).body.stats).toEqual(expected);
  });

  it('READONLY keys read but never write; another organization finds none; service centers have no journeys', async () => {
    const journey = await mustCreate(seller.admin, { name: 'Mine', kind: 'WARRANTY_INFO', trigger: 'UNIT_REGISTERED' });
    const before = await journeyCount();
    expect(
      errorCode(
        await gql(t, seller.readonly, CREATE, {
          input: { name: 'No', kind: 'WARRANTY_INFO', trigger: 'UNIT_REGISTERED' },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(
        await gql(t, seller.readonly, UPDATE, { input: { id: journey.id, expectedVersion: 1, active: false } }),
      ),
    ).toBe('FORBIDDEN');
    expect((await rest(t, seller.readonly).get(`/outreach-journeys/${journey.id}`)).status).toBe(200);

    expect((await rest(t, stranger.admin).get(`/outreach-journeys/${journey.id}`)).status).toBe(404);
    expect(
      errorCode(await gql(t, stranger.admin, UPDATE, { input: { id: journey.id, expectedVersion: 1, active: false } })),
    ).toBe('NOT_FOUND');
    const theirs = (await gql(t, stranger.readonly, JOURNEYS, {})).data.outreachJourneys;
    expect(theirs.map((j: any) => j.id)).not.toContain(journey.id);

    expect(errorCode(await gql(t, center.admin, JOURNEYS, {}))).toBe('FORBIDDEN');
    expect(
      (
        await rest(t, center.admin).post('/outreach-journeys', {
          name: 'No',
          kind: 'SURVEY',
          trigger: 'REPAIR_CLOSED',
          survey: { question: 'Q?', scale: 'CSAT' },
        })
      ).status,
    ).toBe(403);
    expect((await rest(t, center.admin).get(`/outreach-journeys/${journey.id}`)).status).toBe(403);
    expect(await journeyCount()).toBe(before);
    expect((await stored(journey.id)).activeSince).toBe(utcToday());
  });
});
