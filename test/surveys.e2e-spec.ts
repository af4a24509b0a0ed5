import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { operation } from './support/graphql-documents.js';
import { sqlQuery } from './support/input-helpers.js';
import { insertJourney, insertMessage, insertSurveyAnswer } from './support/outreach-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { addDaysUtc, mustRegister, utcToday } from './support/units-helpers.js';
import { SurveysService } from '../src/outreach/surveys.service.js';

/**
 * Surveys (docs/outreach.md): one answer per message, a score within the journey's scale and a
 * comment of up to 2,000 characters, recorded by the owner's survey page (SurveysService's
 * recordSurveyAnswer); the sender lists the answers and reads CSAT's mean or the NPS over the
 * days it asks for. Journeys and messages are written straight into the tables.
 */
const RESPONSES = operation('OutreachSurveyResponses');
const STATS = operation('OutreachSurveyStats');

describe('surveys', () => {
  let t: TestApp;
  let surveys: SurveysService;
  let seller: Tenant;
  let otherSeller: Tenant;
  let center: Tenant;
  let unitId: string;
  let csat: string;
  let nps: string;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    surveys = t.app.get(SurveysService);
    const maker = await createTenant(t, 'MANUFACTURER');
    seller = await createTenant(t, 'RETAILER');
    otherSeller = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    const product = await createProduct(t, maker.staff);
    unitId = (
      await mustRegister(t, seller.staff, {
        productId: product.id,
        manufacturerId: maker.id,
        serialNumber: uniqueSerial(),
        purchaseDate: utcToday(),
        customer: { name: 'Ada Owner', email: 'ada.owner@example.com', marketingConsent: true },
      })
    ).id;
    csat = await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'How did we do?', scale: 'CSAT', askComment: true },
    });
    nps = await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'Would you recommend us?', scale: 'NPS', askComment: false },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const sent = (journeyId: string, status: 'SENT' | 'QUEUED' = 'SENT') =>
    insertMessage(t, { journeyId, senderId: seller.id, unitId, status });
  const answered = async (journeyId: string, score: number, answeredAt?: string) =>
    insertSurveyAnswer(t, { messageId: await sent(journeyId), score, answeredAt });
  const stats = async (journeyId: string, from?: string, to?: string) => {
    const res = await gql(t, seller.readonly, STATS, { journeyId, from, to });
    expect(res.errors).toBeUndefined();
    return res.data.surveyStats;
  };

  it('records one answer per message, within the scale, and says when it was already answered', async () => {
    const messageId = await sent(csat);
    expect(await surveys.recordSurveyAnswer(messageId, 6, null)).toMatchObject({ outcome: 'INVALID', field: 'score' });
    expect(await surveys.recordSurveyAnswer(messageId, 0, null)).toMatchObject({ outcome: 'INVALID', field: 'score' });
    expect(await surveys.recordSurveyAnswer(messageId, 4.5, null)).toMatchObject({ outcome: 'INVALID' });
    expect(await surveys.recordSurveyAnswer(messageId, 4, 'x'.repeat(2001))).toMatchObject({
      outcome: 'INVALID',
      field: 'comment',
    });
    expect(await surveys.recordSurveyAnswer(messageId, 4, 'bad\u0000byte')).toMatchObject({ field: 'comment' });
    const recorded = await surveys.recordSurveyAnswer(messageId, 5, `  ${'é'.repeat(2000)}  `);
    expect(recorded).toMatchObject({ outcome: 'RECORDED', response: { score: 5, journeyId: csat, unitId } });
    expect(await surveys.recordSurveyAnswer(messageId, 1, 'changed my mind')).toEqual({ outcome: 'ALREADY_ANSWERED' });
    const rows = await sqlQuery(t, 'SELECT score FROM survey_responses WHERE message_id = $1', [messageId]);
    expect(rows).toEqual([{ score: 5 }]);
    // NPS takes 0 to 10
    expect(await surveys.recordSurveyAnswer(await sent(nps), 0, '')).toMatchObject({
      outcome: 'RECORDED',
      response: { score: 0, comment: null },
    });
  });

  it('takes answers only for SENT messages of SURVEY journeys', async () => {
    expect(await surveys.recordSurveyAnswer(await sent(csat, 'QUEUED'), 5, null)).toEqual({ outcome: 'NOT_A_SURVEY' });
    const greeting = await insertJourney(t, { senderId: seller.id, kind: 'GREETING' });
    expect(await surveys.recordSurveyAnswer(await sent(greeting), 5, null)).toEqual({ outcome: 'NOT_A_SURVEY' });
    expect(await surveys.recordSurveyAnswer('0193a4b2-c1d0-7e8f-9a0b-1c2d3e4f5a6b', 5, null)).toEqual({
      outcome: 'NOT_A_SURVEY',
    });
    expect(await surveys.recordSurveyAnswer('not-a-uuid', 5, null)).toEqual({ outcome: 'NOT_A_SURVEY' });
  });

  it('CSAT: the mean score to one decimal over the days asked for (UTC, inclusive); none: null', async () => {
    const journey = await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'Q', scale: 'CSAT', askComment: false },
    });
    expect(await stats(journey)).toEqual({ responses: 0, averageScore: null, netPromoterScore: null });
    await answered(journey, 5, '2026-01-01T00:00:00Z');
    await answered(journey, 4, '2026-01-15T12:00:00Z');
    await answered(journey, 4, '2026-01-31T23:59:59.999Z');
    await answered(journey, 1, '2026-02-01T00:00:00Z');
    expect(await stats(journey)).toEqual({ responses: 4, averageScore: 3.5, netPromoterScore: null });
    // January: 5 + 4 + 4 = 13 / 3 = 4.333…
    expect(await stats(journey, '2026-01-01', '2026-01-31')).toEqual({
      responses: 3,
      averageScore: 4.3,
      netPromoterScore: null,
    });
    expect(await stats(journey, '2026-02-01')).toMatchObject({ responses: 1, averageScore: 1 });
    expect(await stats(journey, undefined, '2026-01-01')).toMatchObject({ responses: 1, averageScore: 5 });
    expect(await stats(journey, '2026-03-01', '2026-03-31')).toEqual({
      responses: 0,
      averageScore: null,
      netPromoterScore: null,
    });
  });

  it('NPS: % of 9–10 minus % of 0–6, one decimal', async () => {
    const journey = await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'Q', scale: 'NPS', askComment: false },
    });
    for (const score of [10, 10, 9, 8, 7, 6]) await answered(journey, score);
    // 3 promoters of 6 (50 %) minus 1 detractor (16.67 %)
    expect(await stats(journey)).toEqual({ responses: 6, averageScore: null, netPromoterScore: 33.3 });
    const viaRest = await rest(t, seller.staff).get(`/outreach-journeys/${journey}/survey-stats?from=${utcToday()}`);
    expect(viaRest.body).toEqual({ responses: 6, averageScore: null, netPromoterScore: 33.3 });
    expect(
      (await rest(t, seller.staff).get(`/outreach-journeys/${journey}/survey-stats?to=${addDaysUtc(utcToday(), -1)}`))
        .body,
    ).toEqual({
      responses: 0,
      averageScore: null,
      netPromoterScore: null,
    });
  });

  it('lists the answers a page at a time; another organization gets NOT_FOUND, a center FORBIDDEN', async () => {
    const journey = await insertJourney(t, {
      senderId: seller.id,
      survey: { question: 'Q', scale: 'CSAT', askComment: true },
    });
    for (const score of [1, 2, 3]) await answered(journey, score);
    const first = await gql(t, seller.readonly, RESPONSES, { journeyId: journey, first: 2 });
    expect(first.data.surveyResponses).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const rest2 = await gql(t, seller.readonly, RESPONSES, {
      journeyId: journey,
      after: first.data.surveyResponses.pageInfo.endCursor,
    });
    const scores = [...first.data.surveyResponses.edges, ...rest2.data.surveyResponses.edges].map((e) => e.node.score);
    expect(scores.sort()).toEqual([1, 2, 3]);
    expect(first.data.surveyResponses.edges[0].node).toMatchObject({ unit: { id: unitId }, journey: { id: journey } });
    const viaRest = await rest(t, seller.readonly).get(`/outreach-journeys/${journey}/survey-responses?first=5`);
    expect(viaRest.body.totalCount).toBe(3);

    const stranger = await gql(t, otherSeller.staff, RESPONSES, { journeyId: journey });
    expect(stranger.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'journeyId' });
    expect((await gql(t, otherSeller.staff, STATS, { journeyId: journey })).errors?.[0].extensions.code).toBe(
      'NOT_FOUND',
    );
    expect((await rest(t, otherSeller.staff).get(`/outreach-journeys/${journey}/survey-stats`)).status).toBe(404);
    expect((await gql(t, center.staff, STATS, { journeyId: journey })).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('from after to is refused, naming to', async () => {
    const res = await gql(t, seller.staff, STATS, { journeyId: csat, from: '2026-02-01', to: '2026-01-31' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});
