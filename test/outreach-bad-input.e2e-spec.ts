import { createProduct, createTenant, gql, type Tenant } from './support/api.js';
import {
  bad400,
  G,
  itAcceptsTheBaselines,
  itRefusesEach,
  mentioned,
  R,
  refused,
  type BadCase,
  type GqlResult,
  type OpSpec,
  type RestRefusal,
} from './support/bad-input-table.js';
import { untypedOperation } from './support/graphql-documents.js';
import { longText, sqlQuery, tableCounts } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Malformed input to the journey and product-resource operations (docs/outreach.md), over GraphQL
 * (variables) and REST (JSON bodies and paths). docs/rules.md, "Always": bad input is a clear
 * error naming the field, and nothing is stored. GraphQL answers BAD_USER_INPUT for a malformed
 * value, or a GenericError union member for a rule (what a kind needs, a template that does not
 * parse); REST answers problem+json with `code` and `field` (400 invalid input, 422 refused by a rule).
 */

interface Fixtures {
  maker: Tenant;
  seller: Tenant;
  productId: string;
  journey: { id: string; version: number };
  newJourney: () => Promise<{ id: string; version: number }>;
}

type OpName = 'createOutreachJourney' | 'updateOutreachJourney' | 'addProductResource';

const ERRORS = '... on ErrorResult { errorCode message } ... on GenericError { field }';
const CREATE = untypedOperation('CreateOutreachJourney');

const OPS: Record<OpName, OpSpec<Fixtures>> = {
  createOutreachJourney: {
    mutation: `mutation($input: CreateOutreachJourneyInput!) { createOutreachJourney(input: $input) {
      __typename ... on OutreachJourney { id version } ${ERRORS} } }`,
    key: (f) => f.seller.staff,
    valid: () => ({
      name: 'Thank-you coupon',
      kind: 'COUPON',
      trigger: 'DAYS_AFTER_PURCHASE',
      offsetDays: 3,
      productCategories: ['FRIDGE'],
      coupon: { prefix: 'THANKS', discountPercent: 15, validDays: 60 },
      templates: [{ locale: 'en', subject: 'A gift for you', body: 'Hello {{ owner.name }}: {{ coupon.code }}' }],
    }),
    rest: (input) => ({ path: '/outreach-journeys', body: input }),
    restStatus: 201,
  },
  updateOutreachJourney: {
    mutation: `mutation($input: UpdateOutreachJourneyInput!) { updateOutreachJourney(input: $input) {
      __typename ... on OutreachJourney { id version } ${ERRORS} } }`,
    key: (f) => f.seller.staff,
    valid: (f) => ({ id: f.journey.id, expectedVersion: f.journey.version, name: 'Renamed', active: false }),
    rest: ({ id, ...body }) => ({ path: `/outreach-journeys/${id}`, body }),
    restMethod: 'patch',
    restStatus: 200,
    setup: async (f) => ({ ...f, journey: await f.newJourney() }),
  },
  addProductResource: {
    mutation: `mutation($input: AddProductResourceInput!) { addProductResource(input: $input) { id resources { id } } }`,
    key: (f) => f.maker.staff,
    valid: (f) => ({
      productId: f.productId,
      kind: 'MANUAL',
      title: 'User manual',
      url: 'https://support.example.com/manual.pdf',
      locale: 'en',
    }),
    rest: ({ productId, ...body }) => ({ path: `/products/${productId}/resources`, body }),
    restStatus: 201,
  },
};

const invalid = (field: string): GqlResult => ({ result: 'VALIDATION_ERROR', field });
const template = (field: string): GqlResult => ({ result: 'TEMPLATE_INVALID', field });
const template422 = (field: string): RestRefusal => ({ status: 422, errorCode: 'TEMPLATE_INVALID', field });

const CASES: BadCase<OpName>[] = [
  // createOutreachJourney: shapes
  G('createOutreachJourney', 'name', '  ', refused('name'), 'a blank name'),
  G('createOutreachJourney', 'name', longText(201), refused('name')),
  G('createOutreachJourney', 'kind', 'SPAM', mentioned('kind'), 'an unknown kind'),
  G('createOutreachJourney', 'trigger', 'FULL_MOON', mentioned('trigger'), 'an unknown trigger'),
  G('createOutreachJourney', 'offsetDays', 3651, refused('offsetDays')),
  G('createOutreachJourney', 'offsetDays', 1.5, mentioned('offsetDays'), 'offsetDays 1.5'),
  G('createOutreachJourney', 'channel', 'SMS', mentioned('channel'), 'an unknown channel'),
  G('createOutreachJourney', 'productCategories', [''], refused('productCategories'), 'an empty category'),
  G('createOutreachJourney', 'coupon.prefix', 'thanks', refused('coupon.prefix'), 'a prefix in small letters'),
  G('createOutreachJourney', 'coupon.prefix', 'T', refused('coupon.prefix'), 'a one-letter prefix'),
  G('createOutreachJourney', 'coupon.discountPercent', 101, refused('coupon.discountPercent')),
  G('createOutreachJourney', 'coupon.validDays', 0, refused('coupon.validDays')),
  G('createOutreachJourney', 'templates.0.body', longText(20_001), refused('templates.0.body')),
  G('createOutreachJourney', 'templates', 'Hello', mentioned('templates'), 'templates as a string'),
  // createOutreachJourney: the rules
  G(
    'createOutreachJourney',
    'coupon.discountAmount',
    { amount: '5', currency: 'EUR' },
    invalid('coupon'),
    'both a percentage and an amount',
  ),
  G('createOutreachJourney', 'kind', 'SURVEY', invalid('coupon'), 'a coupon on a SURVEY journey'),
  G(
    'createOutreachJourney',
    'annualDate',
    '12-24',
    invalid('annualDate'),
    'annualDate without the ANNUAL_DATE trigger',
  ),
  G(
    'createOutreachJourney',
    'templates.0.body',
    'Hi {{ owner.ssn }}',
    template('templates[0].body'),
    'an unknown variable',
  ),
  G(
    'createOutreachJourney',
    'templates.0.subject',
    'Hi {{ owner.name',
    template('templates[0].subject'),
    'an unclosed brace',
  ),
  G(
    'createOutreachJourney',
    'templates.0.locale',
    'en_US',
    invalid('templates[0].locale'),
    'a locale that is not BCP 47',
  ),
  G('createOutreachJourney', 'templates.0.body', '', invalid('templates[0].body'), 'an empty body'),
  R('createOutreachJourney', 'name', '', bad400('name'), 'an empty name'),
  R('createOutreachJourney', 'kind', 'SPAM', bad400('kind'), 'an unknown kind'),
  R('createOutreachJourney', 'offsetDays', -3651, bad400('offsetDays')),
  R('createOutreachJourney', 'offsetDays', '3', bad400('offsetDays'), 'offsetDays as a string'),
  R('createOutreachJourney', 'annualDate', '02-30', bad400('annualDate'), 'annualDate 02-30 (no such day)'),
  R('createOutreachJourney', 'annualDate', '2026-12-24', bad400('annualDate'), 'annualDate as a full date'),
  R('createOutreachJourney', 'reviewUrl', 'javascript:alert(1)', bad400('reviewUrl'), 'a javascript: review link'),
  R('createOutreachJourney', 'coupon.prefix', 'TH-1', bad400('coupon.prefix'), 'a prefix with a hyphen'),
  R('createOutreachJourney', 'coupon.discountPercent', 0, bad400('coupon.discountPercent')),
  R('createOutreachJourney', 'coupon.validDays', 3651, bad400('coupon.validDays')),
  R('createOutreachJourney', 'coupon.discountPercent', null, bad400('coupon'), 'a coupon with no discount'),
  R('createOutreachJourney', 'coupon', null, bad400('coupon'), 'a COUPON journey without a coupon'),
  R(
    'createOutreachJourney',
    'templates.1',
    { locale: 'EN', subject: 'Again', body: 'Hi' },
    bad400('templates[1].locale'),
    'two templates for one locale',
  ),
  R('createOutreachJourney', 'templates.0.body', 'Hi {% raw %}', template422('templates[0].body'), 'a tag'),
  R(
    'createOutreachJourney',
    'templates.0.body',
    'Hi {{ owner.name | upcase }}',
    template422('templates[0].body'),
    'a filter',
  ),
  R(
    'createOutreachJourney',
    'purpose',
    'SERVICE',
    bad400('purpose'),
    'an unknown field "purpose" (it follows the kind)',
  ),
  R('createOutreachJourney', '__proto__', { isAdmin: true }, bad400('body'), 'a "__proto__" key'),

  // updateOutreachJourney
  G('updateOutreachJourney', 'expectedVersion', 0, refused('expectedVersion')),
  G('updateOutreachJourney', 'id', 'nope', refused('id')),
  G('updateOutreachJourney', 'active', 'yes', mentioned('active'), 'active as a string'),
  G(
    'updateOutreachJourney',
    'templates',
    [{ locale: 'en', subject: 'x', body: '{{ nope }}' }],
    template('templates[0].body'),
    'an unknown variable',
  ),
  R('updateOutreachJourney', 'expectedVersion', 'one', bad400('expectedVersion')),
  R('updateOutreachJourney', 'id', 'nope', bad400('id'), 'an id in the path that is not an id'),
  R('updateOutreachJourney', 'name', '\u0007bell', bad400('name'), 'a control character in the name'),
  R('updateOutreachJourney', 'kind', 'SURVEY', bad400('kind'), 'the kind (it cannot change)'),

  // addProductResource
  G('addProductResource', 'url', 'ftp://files.example.com/x', refused('url'), 'an ftp:// url'),
  G('addProductResource', 'title', '', refused('title'), 'an empty title'),
  G('addProductResource', 'locale', 'english', refused('locale'), 'a locale that is not BCP 47'),
  G('addProductResource', 'kind', 'BROCHURE', mentioned('kind'), 'an unknown kind'),
  G('addProductResource', 'productId', 'nope', refused('productId')),
  R('addProductResource', 'url', 'https://user:pw@example.com/', bad400('url'), 'a url with credentials'),
  R('addProductResource', 'url', `https://example.com/${longText(2000)}`, bad400('url'), 'a 2,020-character url'),
  R('addProductResource', 'title', longText(201), bad400('title')),
  R('addProductResource', 'locale', 42, bad400('locale'), 'a locale as a number'),
  R('addProductResource', 'productId', 'nope', bad400('id'), 'a product id in the path that is not an id'),
];

/** What a refused call must leave as it was: the written tables, the journeys and their versions, the resources. */
async function outreachCounts(t: TestApp) {
  const [journeys] = await sqlQuery(
    t,
    `SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS versions FROM outreach_journeys`,
  );
  const [resources] = await sqlQuery(t, `SELECT count(*)::int AS n FROM product_resources`);
  return { ...(await tableCounts(t)), journeys, resources };
}

describe('outreach bad input: a clear error naming the field, and nothing stored', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_POLL_MS: '0' });
    const maker = await createTenant(t, 'MANUFACTURER');
    const seller = await createTenant(t, 'RETAILER');
    const product = await createProduct(t, maker.staff);
    const newJourney = async () => {
      const res = await gql(t, seller.staff, CREATE, {
        input: { name: 'Welcome', kind: 'WARRANTY_INFO', trigger: 'UNIT_REGISTERED' },
      });
      const created = res.data.createOutreachJourney;
      if (created.__typename !== 'OutreachJourney') throw new Error(`fixture refused: ${JSON.stringify(res)}`);
      return { id: created.id as string, version: created.version as number };
    };
    f = { maker, seller, productId: product.id, journey: await newJourney(), newJourney };
  });
  afterAll(async () => {
    await t.close();
  });

  itRefusesEach(CASES, { ops: OPS, app: () => t, fixtures: () => f, counts: outreachCounts });

  itAcceptsTheBaselines({ ops: OPS, app: () => t, fixtures: () => f }, (op, answer) => {
    if (op === 'addProductResource') expect(answer).toMatchObject({ id: expect.any(String) });
    else expect(answer).toMatchObject({ id: expect.any(String), version: expect.any(Number) });
  });
});
