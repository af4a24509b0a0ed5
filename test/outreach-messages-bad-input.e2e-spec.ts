import { createProduct, createTenant, uniqueSerial, type Tenant } from './support/api.js';
import {
  bad400,
  G,
  itAcceptsTheBaselines,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type OpSpec,
} from './support/bad-input-table.js';
import { longText, sqlQuery, tableCounts } from './support/input-helpers.js';
import { insertJourney, insertMessage, issueCoupon } from './support/outreach-fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { mustRegister, utcToday } from './support/units-helpers.js';

/**
 * Malformed input to the outreach reads and to redeemCoupon (docs/outreach.md), over GraphQL
 * (variables) and REST (paths, query strings, JSON bodies): a clear error naming the field, and
 * nothing stored (no coupon redeemed, no answer recorded). Journeys, messages and coupons are
 * written straight into the tables (test/support/outreach-fixtures.ts).
 */

interface Fixtures {
  org: Tenant;
  unitId: string;
  journeyId: string;
  surveyJourneyId: string;
  /** The coupon a case tries to redeem: a fresh one for each case (setup), so a baseline can redeem it. */
  code: string;
  newCoupon: () => Promise<string>;
}

type OpName =
  | 'outreachMessages'
  | 'coupon'
  | 'redeemCoupon'
  | 'surveyResponses'
  | 'surveyStats'
  | 'ownerPageUrl'
  | 'previewOutreach';

/** A query string of the values that are set. */
const queryOf = (input: Record<string, any>) =>
  new URLSearchParams(
    Object.entries(input)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();

const get = (path: string) => ({ path, body: undefined });

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  outreachMessages: {
    mutation: `query($filter: OutreachMessageFilter, $first: Int, $after: String) {
      outreachMessages(filter: $filter, first: $first, after: $after) { totalCount } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ first: 10, filter: { journeyId: f.journeyId, unitId: f.unitId, status: 'SENT' } }),
    variables: (input) => input,
    rest: ({ filter, ...page }) => get(`/outreach-messages?${queryOf({ ...page, ...filter })}`),
    restMethod: 'get',
    restStatus: 200,
  },
  coupon: {
    mutation: `query($code: String!) { coupon(code: $code) { code } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ code: f.code }),
    variables: (input) => input,
    rest: ({ code }) => get(`/coupons/${encodeURIComponent(code)}`),
    restMethod: 'get',
    restStatus: 200,
  },
  redeemCoupon: {
    mutation: `mutation($input: RedeemCouponInput!) { redeemCoupon(input: $input) {
      __typename ... on Coupon { code redeemedAt } ... on GenericError { errorCode field } } }`,
    key: (f) => f.org.staff,
    valid: (f) => ({ code: f.code, orderReference: 'ORDER-2026-0042' }),
    rest: ({ code, ...body }) => ({ path: `/coupons/${encodeURIComponent(code)}:redeem`, body }),
    restStatus: 200,
    setup: async (f) => ({ ...f, code: await f.newCoupon() }),
  },
  surveyResponses: {
    mutation: `query($journeyId: ID!, $first: Int) { surveyResponses(journeyId: $journeyId, first: $first) { totalCount } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ journeyId: f.surveyJourneyId, first: 10 }),
    variables: (input) => input,
    rest: ({ journeyId, ...page }) => get(`/outreach-journeys/${journeyId}/survey-responses?${queryOf(page)}`),
    restMethod: 'get',
    restStatus: 200,
  },
  surveyStats: {
    mutation: `query($journeyId: ID!, $from: Date, $to: Date) { surveyStats(journeyId: $journeyId, from: $from, to: $to) { responses } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ journeyId: f.surveyJourneyId, from: '2026-01-01', to: '2026-12-31' }),
    variables: (input) => input,
    rest: ({ journeyId, ...days }) => get(`/outreach-journeys/${journeyId}/survey-stats?${queryOf(days)}`),
    restMethod: 'get',
    restStatus: 200,
  },
  ownerPageUrl: {
    mutation: `query($unitId: ID!) { ownerPageUrl(unitId: $unitId) }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ unitId: f.unitId }),
    variables: (input) => input,
    rest: ({ unitId }) => get(`/units/${unitId}/owner-page-url`),
    restMethod: 'get',
    restStatus: 200,
  },
  previewOutreach: {
    mutation: `query($journeyId: ID!, $unitId: ID!, $locale: String) {
      previewOutreach(journeyId: $journeyId, unitId: $unitId, locale: $locale) { subject } }`,
    key: (f) => f.org.readonly,
    valid: (f) => ({ journeyId: f.journeyId, unitId: f.unitId, locale: 'sv' }),
    variables: (input) => input,
    rest: ({ journeyId, ...query }) => get(`/outreach-journeys/${journeyId}/preview?${queryOf(query)}`),
    restMethod: 'get',
    restStatus: 200,
  },
};

const CASES: BadCase<OpName>[] = [
  // the message log
  G('outreachMessages', 'filter.status', 'LOST', mentioned('status'), 'an unknown status "LOST"'),
  G('outreachMessages', 'filter.journeyId', 'nope', refused('journeyId')),
  G('outreachMessages', 'filter.unitId', "x'; DROP TABLE outreach_messages; --", refused('unitId'), 'a unitId of SQL'),
  G('outreachMessages', 'first', 101, refused('first')),
  G('outreachMessages', 'after', 'not-a-cursor', refused('after')),
  R('outreachMessages', 'filter.status', 'LOST', bad400('status'), 'an unknown status "LOST"'),
  R('outreachMessages', 'filter.journeyId', 'nope', bad400('journeyId')),
  R('outreachMessages', 'filter.unitId', 'nope', bad400('unitId')),
  R('outreachMessages', 'first', 0, bad400('first')),
  R('outreachMessages', 'after', 'not-a-cursor', bad400('after')),

  // coupons
  G('coupon', 'code', '', refused('code'), 'an empty code'),
  G('coupon', 'code', '   ', refused('code'), 'a blank code'),
  G('coupon', 'code', longText(65), refused('code')),
  G('coupon', 'code', 42, mentioned('code'), 'code as a number'),
  R('coupon', 'code', longText(65), bad400('code')),
  R('coupon', 'code', '  ', bad400('code'), 'a blank code'),
  G('redeemCoupon', 'code', '', refused('code'), 'an empty code'),
  G('redeemCoupon', 'code', '   ', refused('code'), 'a blank code'),
  G('redeemCoupon', 'code', longText(65), refused('code')),
  G('redeemCoupon', 'code', 'THANKS-\u202eXX', refused('code'), 'a code with a bidirectional override'),
  G('redeemCoupon', 'orderReference', '', refused('orderReference'), 'an empty orderReference'),
  G('redeemCoupon', 'orderReference', '   ', refused('orderReference'), 'a blank orderReference'),
  G('redeemCoupon', 'orderReference', longText(201), refused('orderReference')),
  G('redeemCoupon', 'orderReference', 'ORDER\u00001', refused('orderReference'), 'an orderReference with NUL'),
  G('redeemCoupon', 'orderReference', 42, mentioned('orderReference'), 'orderReference as a number'),
  G('redeemCoupon', 'redeemedAt', '2020-01-01T00:00:00Z', mentioned('redeemedAt'), 'an unknown field'),
  R('redeemCoupon', 'code', longText(65), bad400('code')),
  R('redeemCoupon', 'orderReference', '', bad400('orderReference'), 'an empty orderReference'),
  R('redeemCoupon', 'orderReference', longText(201), bad400('orderReference')),
  R('redeemCoupon', 'orderReference', 42, bad400('orderReference'), 'orderReference as a number'),
  R('redeemCoupon', 'orderReference', ['ORDER-1'], bad400('orderReference'), 'orderReference as an array'),
  R('redeemCoupon', 'redeemedAt', '2020-01-01T00:00:00Z', bad400('redeemedAt'), 'an unknown field "redeemedAt"'),
  R('redeemCoupon', '__proto__', { isAdmin: true }, bad400('body'), 'a "__proto__" key (the whole body is refused)'),

  // surveys
  G('surveyResponses', 'journeyId', 'nope', refused('journeyId')),
  G('surveyResponses', 'first', 0, refused('first')),
  R('surveyResponses', 'journeyId', 'nope', bad400('id'), 'an id in the path that is not an id'),
  R('surveyResponses', 'first', 101, bad400('first')),
  G('surveyStats', 'from', '2026-02-30', mentioned('calendar date'), 'from "2026-02-30" (no such day)'),
  G('surveyStats', 'to', 'yesterday', mentioned('calendar date'), 'to "yesterday"'),
  G('surveyStats', 'to', '2025-12-31', refused('to'), 'to before from'),
  G('surveyStats', 'journeyId', 'nope', refused('journeyId')),
  R('surveyStats', 'from', '2026-02-30', bad400('from'), 'from "2026-02-30" (no such day)'),
  R('surveyStats', 'to', '31/12/2026', bad400('to')),
  R('surveyStats', 'to', '2025-12-31', bad400('to'), 'to before from'),
  R('surveyStats', 'journeyId', 'nope', bad400('id'), 'an id in the path that is not an id'),

  // owner links and previews
  G('ownerPageUrl', 'unitId', 'nope', refused('unitId')),
  R('ownerPageUrl', 'unitId', 'nope', bad400('id'), 'an id in the path that is not an id'),
  G('previewOutreach', 'unitId', 'nope', refused('unitId')),
  G('previewOutreach', 'journeyId', 'nope', refused('journeyId')),
  G('previewOutreach', 'locale', 'not a locale!', refused('locale')),
  R('previewOutreach', 'unitId', 'nope', bad400('unitId')),
  R('previewOutreach', 'unitId', undefined, bad400('unitId'), 'no unitId'),
  R('previewOutreach', 'locale', longText(36), bad400('locale')),
  R('previewOutreach', 'locale', 'not a locale!', bad400('locale')),
];

/** What a refused call must leave as it was: the written tables, and every coupon and survey answer. */
async function outreachCounts(t: TestApp) {
  const [coupons] = await sqlQuery(t, `SELECT count(*)::int AS n, count(redeemed_at)::int AS redeemed FROM coupons`);
  const [answers] = await sqlQuery(t, `SELECT count(*)::int AS n FROM survey_responses`);
  return { ...(await tableCounts(t)), coupons, answers };
}

describe('outreach bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    const maker = await createTenant(t, 'MANUFACTURER');
    const org = await createTenant(t, 'RETAILER');
    const product = await createProduct(t, maker.staff);
    const unit = await mustRegister(t, org.staff, {
      productId: product.id,
      manufacturerId: maker.id,
      serialNumber: uniqueSerial(),
      purchaseDate: utcToday(),
      customer: { name: 'Ada Owner', email: 'ada.owner@example.com', marketingConsent: true },
    });
    const journeyId = await insertJourney(t, {
      senderId: org.id,
      coupon: { prefix: 'THANKS', discountPercent: 10, discountAmount: null, discountCurrency: null, validDays: 30 },
    });
    const surveyJourneyId = await insertJourney(t, {
      senderId: org.id,
      survey: { question: 'How did we do?', scale: 'CSAT', askComment: true },
    });
    await insertMessage(t, { journeyId, senderId: org.id, unitId: unit.id });
    const newCoupon = async () => (await issueCoupon(t, { journeyId, senderId: org.id, unitId: unit.id })).code;
    f = { org, unitId: unit.id, journeyId, surveyJourneyId, code: await newCoupon(), newCoupon };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f, counts: outreachCounts });

  itAcceptsTheBaselines({ ops: OPS, app: () => t, fixtures: () => f }, (op, answer) => {
    if (op === 'redeemCoupon')
      expect(answer).toMatchObject({ code: expect.any(String), redeemedAt: expect.any(String) });
    else if (op === 'coupon') expect(answer).toMatchObject({ code: f.code });
    else if (op === 'outreachMessages' || op === 'surveyResponses') expect(answer.totalCount).toBeGreaterThanOrEqual(0);
    else if (op === 'surveyStats') expect(answer).toMatchObject({ responses: 0 });
    else if (op === 'ownerPageUrl') expect(typeof answer === 'string' ? answer : answer.url).toMatch(/\/o\//);
    else expect(answer).toMatchObject({ subject: expect.any(String) });
  });
});
