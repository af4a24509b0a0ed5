import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { JobRunner } from '../src/common/jobs/job-runner.service.js';
import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { ndjson, postImport, sqlQuery, tableCounts, utcDate } from './support/input-helpers.js';
import { createServiceCenter, repairsApi } from './support/repairs-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Hostile input (issue 10, findings 1, 7 and 8), over GraphQL and REST: prototype pollution
 * through the bulk import, personal data and key material in error logs, and input that used to
 * end in a 500. Every refusal is a 4xx naming the field, with nothing stored.
 */

const REGISTER = `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) {
  __typename ... on Unit { id serialNumber } ... on GenericError { errorCode message field } } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id expiresAt } } }`;
const PURCHASE_DATE = utcDate(-30);

let t: TestApp;
let maker: Tenant;
let product: { id: string; sku: string };
/** Log lines written while the suite runs (the app logs at "warn" here), as parsed JSON. */
const logLines: Record<string, unknown>[] = [];
const logText = () => logLines.map((l) => JSON.stringify(l)).join('\n');

const customer = {
  name: 'Zelda Quarrington',
  email: 'zelda.q@example.com',
  phone: '+44 20 7946 0999',
  birthDate: '1984-07-19',
};
const validUnit = (overrides: Record<string, unknown> = {}) => ({
  productId: product.id,
  serialNumber: uniqueSerial(),
  purchaseDate: PURCHASE_DATE,
  customer: { name: 'Ada Lovelace' },
  ...overrides,
});
const row = (overrides: Record<string, unknown> = {}) => ({
  sku: product.sku,
  serialNumber: uniqueSerial(),
  purchaseDate: PURCHASE_DATE,
  ...overrides,
});

const serialsInDb = async (serials: string[]) =>
  (
    await sqlQuery<{ serial_number: string }>(
      t,
      'SELECT serial_number FROM units WHERE serial_number = ANY($1) ORDER BY serial_number',
      [serials],
    )
  ).map((r) => r.serial_number);

/** A REST answer is a problem+json 400 naming the field. */
function expect400(res: { status: number; headers: Record<string, string>; body: any }, field: string) {
  expect({
    status: res.status,
    type: res.headers['content-type'],
    code: res.body?.code,
    field: res.body?.field,
  }).toEqual({
    status: 400,
    type: expect.stringMatching(/^application\/problem\+json/),
    code: 'BAD_USER_INPUT',
    field,
  });
  expect(res.body.detail).toEqual(expect.any(String));
}

/** A GraphQL answer is a BAD_USER_INPUT error naming the field, with no data for the operation. */
function expectGql400(
  res: { status: number; data: any; errors?: { message: string; extensions: Record<string, any> }[] },
  field: string,
) {
  expect({
    clientError: res.status === 200 || res.status === 400,
    code: res.errors?.[0]?.extensions?.code,
    field: res.errors?.[0]?.extensions?.field,
  }).toEqual({ clientError: true, code: 'BAD_USER_INPUT', field });
  expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
}

beforeAll(async () => {
  t = await startTestApp({ LOG_LEVEL: 'warn' });
  // the lines go to the logger's destination: read them there, whatever that destination is
  const log = t.app.getHttpAdapter().getInstance().log as unknown as Record<
    symbol,
    { write: (line: string) => boolean }
  >;
  const destination = log[pino.symbols.streamSym];
  destination.write = (line: string) => {
    logLines.push(JSON.parse(line));
    return true;
  };
  maker = await createTenant(t, 'MANUFACTURER');
  product = await createProduct(t, maker.staff);
});

afterAll(async () => {
  await t?.close();
});

describe('finding 1: no input reaches Object.prototype', () => {
  afterEach(() => {
    // a polluted prototype would be seen by every object of the process, this test's included
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it.each([
    ['__proto__.polluted'],
    ['constructor.prototype.polluted'],
    ['customer.__proto__'],
    ['prototype'],
    ['colour'],
    ['customer'],
  ])(
    'a CSV header naming the column %s is refused whole with a 400 naming it, before any row is written',
    async (column) => {
      const before = await tableCounts(t);
      const serial = uniqueSerial();
      const csv = `sku,serialNumber,purchaseDate,${column}\n${product.sku},${serial},${PURCHASE_DATE},yes\n`;
      const answer = await postImport(t, maker.staff, csv, { contentType: 'text/csv' });
      expect({ status: answer.status, type: answer.contentType }).toEqual({
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(answer.body).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_ERROR', field: column });
      expect(answer.body.detail).toContain(`"${column}"`);
      expect(await tableCounts(t)).toEqual(before);
      expect(await serialsInDb([serial])).toEqual([]);
    },
  );

  it('a CSV header naming a column twice is refused naming it', async () => {
    const answer = await postImport(
      t,
      maker.staff,
      `sku,serialNumber,serialNumber,purchaseDate\n${product.sku},A,B,${PURCHASE_DATE}\n`,
      { contentType: 'text/csv' },
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'serialNumber' });
  });

  it('after a hostile header, every tenant is still served: a CSV with the allowed dotted columns imports', async () => {
    await postImport(
      t,
      maker.staff,
      `sku,serialNumber,purchaseDate,__proto__.polluted\n${product.sku},${uniqueSerial()},${PURCHASE_DATE},yes\n`,
      { contentType: 'text/csv' },
    );
    const serial = uniqueSerial();
    const csv = `sku,serialNumber,purchaseDate,customer.name,customer.marketingConsent,purchasePrice.amount,purchasePrice.currency\n${product.sku},${serial},${PURCHASE_DATE},Ada,yes,12.50,USD\n`;
    const answer = await postImport(t, maker.staff, csv, { contentType: 'text/csv' });
    expect(answer.rows.map((r) => r.status)).toEqual(['created']);
    const other = await createTenant(t, 'RETAILER');
    expect((await rest(t, other.staff).get('/me')).status).toBe(200);
  });

  it.each([
    ['a top-level "__proto__" key', '"__proto__":{"polluted":true}', '__proto__'],
    ['a "constructor" key', '"constructor":{"prototype":{"polluted":true}}', 'constructor'],
    ['a "__proto__" key in customer', '"customer":{"name":"Ada","__proto__":{"isAdmin":true}}', 'customer.__proto__'],
    ['an unknown field', '"colour":"red"', 'colour'],
  ])(
    'an NDJSON row with %s is one error row naming it; the rows around it are created',
    async (_what, fragment, field) => {
      const [a, c] = [row(), row()];
      // written by hand: JSON.stringify cannot write a "__proto__" key
      const bad = `${JSON.stringify(row()).slice(0, -1)},${fragment}}`;
      const answer = await postImport(t, maker.staff, ndjson([a, bad, c]));
      expect(answer.rows.map((r) => [r.status, r.field ?? null])).toEqual([
        ['created', null],
        ['error', field],
        ['created', null],
      ]);
      expect(answer.summary).toEqual({ rows: 3, created: 2, failed: 1 });
    },
  );

  it('a JSON body with "__proto__" or "constructor.prototype" is a 400 over REST and GraphQL, and nothing is stored', async () => {
    const before = await tableCounts(t);
    const poisoned = `{"productId":"${product.id}","serialNumber":"${uniqueSerial()}","purchaseDate":"${PURCHASE_DATE}","__proto__":{"polluted":true}}`;
    const viaRest = await rest(t, maker.staff).post('/units').set('content-type', 'application/json').send(poisoned);
    expect400(viaRest, 'body');
    const viaGraphql = await t.http
      .post('/graphql')
      .set('authorization', `Bearer ${maker.staff}`)
      .set('content-type', 'application/json')
      .send(
        `{"query":${JSON.stringify(REGISTER)},"variables":{"input":{"constructor":{"prototype":{"polluted":true}},"serialNumber":"X"}}}`,
      );
    expect({ status: viaGraphql.status, extensions: viaGraphql.body.errors?.[0]?.extensions }).toMatchObject({
      status: 400,
      extensions: { code: 'BAD_USER_INPUT', field: 'body' },
    });
    expect(await tableCounts(t)).toEqual(before);
  });

  it('every npm script that runs the server, the migrations, the demo seed or the tests runs node with --disable-proto=delete', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // the flag comes before the entry file (other options, such as a preload, may sit between)
    for (const name of ['start', 'start:prod', 'migrate', 'seed:demo'])
      expect({ name, script: scripts[name] }).toEqual({
        name,
        script: expect.stringMatching(/\bnode (\S+ )*--disable-proto=delete( \S+)* dist\/\S+\.js$/),
      });
    expect(scripts.test).toMatch(/NODE_OPTIONS='[^']*--disable-proto=delete[^']*' jest/);
  });
});

describe('finding 8: NUL, lone surrogates, deep nesting, impossible dates, overflowing amounts and invisible characters are 400s naming the field', () => {
  const NUL = 'A\u0000B';
  const LONE = 'A\ud800B';

  it.each([
    ['a NUL in customer.name', { customer: { name: NUL } }, 'customer.name'],
    ['a NUL in serialNumber', { serialNumber: NUL }, 'serialNumber'],
    ['a lone surrogate in customer.name', { customer: { name: LONE } }, 'customer.name'],
    ['a lone low surrogate in proofOfPurchaseRef', { proofOfPurchaseRef: '\udc00' }, 'proofOfPurchaseRef'],
  ])(
    'registerUnit with %s: 400 naming it over REST and GraphQL variables, nothing stored',
    async (_what, overrides, field) => {
      const before = await tableCounts(t);
      expect400(await rest(t, maker.staff).post('/units', validUnit(overrides)), field);
      expectGql400(await gql(t, maker.staff, REGISTER, { input: validUnit(overrides) }), field);
      expect(await tableCounts(t)).toEqual(before);
    },
  );

  it('a NUL in an inline GraphQL literal (an argument and a field of an input object) is BAD_USER_INPUT naming it', async () => {
    expectGql400(await gql(t, maker.staff, '{ unitBySerial(serialNumber: "A\\u0000B") { id } }'), 'serialNumber');
    expectGql400(
      await gql(t, maker.staff, '{ units(first: 5, filter: { serialNumber: "A\\u0000B" }) { totalCount } }'),
      'serialNumber',
    );
    expectGql400(
      await gql(t, maker.staff, '{ warrantyCoverage(query: { serialNumber: "SN\\u0000" }) { covered } }'),
      'serialNumber',
    );
    // a lone surrogate cannot even be written in a GraphQL string: the parser refuses it
    const lone = await gql(t, maker.staff, '{ unitBySerial(serialNumber: "\\ud800") { id } }');
    expect({ status: lone.status, code: lone.errors?.[0]?.extensions?.code }).toEqual({
      status: 400,
      code: 'GRAPHQL_PARSE_FAILED',
    });
  });

  it.each([
    ['GET /units:by-serial (query string)', '/units:by-serial?serialNumber=A%00B', 'serialNumber'],
    ['GET /units (list filter)', '/units?serialNumber=A%00B', 'serialNumber'],
    ['GET /coverage', '/coverage?serialNumber=%00', 'serialNumber'],
    ['GET /units/{id} (path parameter)', '/units/%00', 'id'],
    ['GET /units (cursor)', '/units?after=%00', 'after'],
    ['GET /repair-tickets (cursor)', '/repair-tickets?after=x%00', 'after'],
  ])('%s with a NUL: 400 naming it', async (_what, path, field) => {
    expect400(await rest(t, maker.staff).get(path), field);
  });

  it('bulk import: a row with a lone surrogate or a NUL is one failed row naming the field; the other rows are written and the summary says so', async () => {
    const good = [row(), row(), row()];
    const lines = [
      JSON.stringify(good[0]),
      JSON.stringify(row({ customer: { name: 'x' } })).replace('"name":"x"', '"name":"Ada \\ud800"'),
      JSON.stringify(good[1]),
      JSON.stringify(row({ serialNumber: 'NUL\u0000SERIAL' })),
      JSON.stringify(good[2]),
    ];
    const answer = await postImport(t, maker.staff, lines.join('\n') + '\n');
    expect(answer.lines.find((l) => l.status === 'aborted')).toBeUndefined();
    expect(answer.rows.map((r) => [r.status, r.field ?? null])).toEqual([
      ['created', null],
      ['error', 'customer.name'],
      ['created', null],
      ['error', 'serialNumber'],
      ['created', null],
    ]);
    expect(answer.summary).toEqual({ rows: 5, created: 3, failed: 2 });
    expect(await serialsInDb(good.map((g) => g.serialNumber))).toEqual(good.map((g) => g.serialNumber).sort());
  });

  it('bulk import: a CSV cell holding a NUL is one failed row naming its column', async () => {
    const [a, b] = [uniqueSerial(), uniqueSerial()];
    const csv = `sku,serialNumber,purchaseDate,customer.name\n${product.sku},${a},${PURCHASE_DATE},Ada\u0000Lovelace\n${product.sku},${b},${PURCHASE_DATE},Bob\n`;
    const answer = await postImport(t, maker.staff, csv, { contentType: 'text/csv' });
    expect(answer.rows.map((r) => [r.status, r.field ?? null])).toEqual([
      ['error', 'customer.name'],
      ['created', null],
    ]);
  });

  it('10,000 nested brackets in a JSON body are a 400 naming the body, over REST and GraphQL', async () => {
    const before = await tableCounts(t);
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect400(
      await rest(t, maker.staff).post('/units').set('content-type', 'application/json').send(`{"customer":${deep}}`),
      'body',
    );
    const viaGraphql = await t.http
      .post('/graphql')
      .set('authorization', `Bearer ${maker.staff}`)
      .set('content-type', 'application/json')
      .send(
        `{"query":${JSON.stringify(REGISTER)},"variables":{"input":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`,
      );
    expect({ status: viaGraphql.status, extensions: viaGraphql.body.errors?.[0]?.extensions }).toMatchObject({
      status: 400,
      extensions: { code: 'BAD_USER_INPUT', field: 'body' },
    });
    expect(await tableCounts(t)).toEqual(before);
  });

  it('10,000 nested input objects in an inline GraphQL literal are refused as a client error', async () => {
    const res = await gql(
      t,
      maker.staff,
      `mutation { registerUnit(input: ${'{ customer: '.repeat(10_000)}{}${' }'.repeat(10_000)}) { __typename } }`,
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  describe('DateTime (createApiKey expiresAt) is read strictly', () => {
    it.each([
      ['30 February', '2027-02-30T00:00:00Z'],
      ['the year 275760', '275760-01-01T00:00:00Z'],
      ['the year 10000', '+010000-01-01T00:00:00Z'],
      ['hour 24', '2027-01-01T24:00:00Z'],
      ['no time zone', '2027-01-01T10:00:00'],
      ['a date without a time', '2027-01-01'],
      ['a number', 1798761600000],
    ])('%s (%j) is a 400 naming expiresAt over REST and GraphQL, and no key is made', async (_what, expiresAt) => {
      const before = await tableCounts(t);
      const input = { organizationId: maker.id, name: 'strict date', role: 'READONLY', expiresAt };
      expect400(await rest(t, maker.admin).post('/api-keys', input), 'expiresAt');
      expectGql400(await gql(t, maker.admin, CREATE_KEY, { input }), 'expiresAt');
      if (typeof expiresAt === 'string') {
        const literal = await gql(
          t,
          maker.admin,
          `mutation { createApiKey(input: { organizationId: "${maker.id}", name: "x", role: READONLY, expiresAt: "${expiresAt}" }) { secret } }`,
        );
        // a literal is checked while the operation is validated, before it runs
        expect({ status: literal.status, code: literal.errors?.[0]?.extensions?.code }).toEqual({
          status: 400,
          code: 'GRAPHQL_VALIDATION_FAILED',
        });
        expect(literal.errors![0].message).toContain('date-time');
      }
      expect(await tableCounts(t)).toEqual(before);
    });

    it('a real date-time with an offset is kept as that instant (28 February 2027, 23:30 at -02:00 is 1 March 01:30 UTC)', async () => {
      const input = {
        organizationId: maker.id,
        name: 'offset',
        role: 'READONLY',
        expiresAt: '2027-02-28T23:30:00-02:00',
      };
      const viaGraphql = await gql(t, maker.admin, CREATE_KEY, { input });
      expect(viaGraphql.errors).toBeUndefined();
      expect(viaGraphql.data.createApiKey.apiKey.expiresAt).toBe('2027-03-01T01:30:00.000Z');
      const viaRest = await rest(t, maker.admin).post('/api-keys', { ...input, expiresAt: '2028-02-29T12:00:00.250Z' });
      expect(viaRest.status).toBe(201);
      expect(viaRest.body.apiKey?.expiresAt ?? viaRest.body.expiresAt).toBe('2028-02-29T12:00:00.250Z');
    });
  });

  describe('amounts and quantities are bounded so that every sum fits its column', () => {
    it.each([
      [
        'a purchase price of a billion',
        { purchasePrice: { amount: '1000000000', currency: 'USD' } },
        'purchasePrice.amount',
      ],
      [
        'a purchase price with 15 integer digits',
        { purchasePrice: { amount: '999999999999999', currency: 'USD' } },
        'purchasePrice.amount',
      ],
    ])('registerUnit with %s: 400 naming the field over REST and GraphQL', async (_what, overrides, field) => {
      expect400(await rest(t, maker.staff).post('/units', validUnit(overrides)), field);
      expectGql400(await gql(t, maker.staff, REGISTER, { input: validUnit(overrides) }), field);
    });

    it('a repair ticket takes the largest parts until its total would not fit, refuses the next (400 naming addParts), and closes with a warranty claim for the whole total', async () => {
      const center = await createServiceCenter(t);
      const serial = uniqueSerial();
      await gql(t, maker.staff, REGISTER, { input: validUnit({ serialNumber: serial, purchaseDate: utcDate(-10) }) });
      const graphql = repairsApi(t, 'GraphQL');
      const restApi = repairsApi(t, 'REST');
      const opened = await graphql.open(center.staff, {
        serialNumber: serial,
        manufacturerId: maker.id,
        serviceCenterId: center.id,
        reportedIssue: 'Dead',
        failureCategory: 'ELECTRICAL',
      });
      let ticket = opened.ticket!;
      expect(ticket).toBeDefined();
      const parts = Array.from({ length: 100 }, (_, i) => ({
        partNumber: `P-${i}`,
        description: 'Board',
        quantity: 1000,
        unitCost: { amount: '999999999.9999', currency: 'USD' },
      }));
      // 100 × 1,000 × 999,999,999.9999 ≈ 10^14 a request: nine fit in numeric(19, 4), the tenth would not
      for (let i = 0; i < 9; i++) {
        const api = i % 2 ? restApi : graphql;
        const updated = await api.update(center.staff, ticket.id, {
          expectedVersion: ticket.version,
          addParts: parts,
          ...(i === 0 ? { status: 'DIAGNOSING' } : {}),
        });
        expect(updated.failure).toBeUndefined();
        ticket = updated.ticket!;
      }
      const before = await tableCounts(t);
      for (const api of [graphql, restApi]) {
        const refused = await api.update(center.staff, ticket.id, { expectedVersion: ticket.version, addParts: parts });
        expect(refused.ticket).toBeUndefined();
        expect(refused.failure).toMatchObject({ errorCode: 'VALIDATION_ERROR', field: 'addParts' });
        if (api === restApi) expect(refused.failure!.httpStatus).toBe(400);
      }
      expect(await tableCounts(t)).toEqual(before);
      for (const status of ['IN_REPAIR', 'QUALITY_CHECK', 'READY', 'CLOSED']) {
        const moved = await graphql.update(center.staff, ticket.id, { expectedVersion: ticket.version, status });
        expect({ status, failure: moved.failure }).toEqual({ status, failure: undefined });
        ticket = moved.ticket!;
      }
      const [claim] = await sqlQuery(
        t,
        `SELECT requested_total::text AS total FROM warranty_claims WHERE repair_ticket_id = $1`,
        [ticket.id],
      );
      // each unit cost is rounded to the cent (1,000,000,000.00): 9 × 100 × 1,000 of them
      expect(claim.total).toBe('900000000000000.0000');
    });

    it('a claim line quantity above 1,000 is a 400 naming it', async () => {
      const res = await rest(t, maker.staff).post('/warranty-claims', {
        unitId: '00000000-0000-4000-8000-000000000000',
        failureCategory: 'ELECTRICAL',
        failureDate: PURCHASE_DATE,
        description: 'x',
        lines: [
          { kind: 'PART', description: 'Board', quantity: '1000.5', unitAmount: { amount: '1', currency: 'USD' } },
        ],
      });
      expect400(res, 'lines.0.quantity');
    });
  });

  describe('identifiers refuse zero-width and bidirectional formatting characters', () => {
    it.each([
      ['a zero-width space in serialNumber', 'SN\u200B123'],
      ['a right-to-left override in serialNumber', 'SN\u202E321'],
      ['a byte order mark in serialNumber', '\uFEFFSN123'],
      ['a line separator in serialNumber', 'SN\u2028123'],
    ])('registerUnit with %s: 400 naming serialNumber over REST and GraphQL', async (_what, serialNumber) => {
      expect400(await rest(t, maker.staff).post('/units', validUnit({ serialNumber })), 'serialNumber');
      expectGql400(await gql(t, maker.staff, REGISTER, { input: validUnit({ serialNumber }) }), 'serialNumber');
    });

    it('createProduct with a zero-width joiner in its sku: 400 naming sku over REST and GraphQL', async () => {
      const input = {
        sku: 'NW\u200D-500',
        name: 'Fridge',
        category: 'FRIDGE',
        warrantyTerms: { durationMonths: 12, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] },
      };
      expect400(await rest(t, maker.staff).post('/products', input), 'sku');
      expectGql400(
        await gql(t, maker.staff, 'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
          input,
        }),
        'sku',
      );
    });

    it('names and descriptions keep their accents, scripts and emoji', async () => {
      const res = await gql(t, maker.staff, REGISTER, {
        input: validUnit({ customer: { name: 'Zoë Ñúñez 山田 👩‍🔧' } }),
      });
      expect(res.data.registerUnit.__typename).toBe('Unit');
    });
  });
});

describe('finding 7: error logs carry the code, the constraint and the correlation id, never values', () => {
  beforeAll(async () => {
    // make the database refuse writes that validation accepts, as a failing statement would
    await sqlQuery(
      t,
      `ALTER TABLE units ADD CONSTRAINT hardening_refused_serial CHECK (serial_number NOT LIKE 'LOG-BOOM%')`,
    );
    await sqlQuery(t, `ALTER TABLE api_keys ADD CONSTRAINT hardening_refused_key CHECK (name <> 'LOG-BOOM-KEY')`);
  });
  afterAll(async () => {
    await sqlQuery(t, 'ALTER TABLE units DROP CONSTRAINT hardening_refused_serial');
    await sqlQuery(t, 'ALTER TABLE api_keys DROP CONSTRAINT hardening_refused_key');
  });
  beforeEach(() => {
    logLines.length = 0;
  });

  const expectNoValues = (text: string) => {
    for (const value of [
      customer.name,
      customer.email,
      customer.phone,
      customer.birthDate,
      'Zelda',
      'INSERT',
      'parameters',
      '"query"',
      '"detail"',
    ]) {
      expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    }
  };

  it.each(['GraphQL', 'REST'])(
    'a unit registration the database refuses (over %s) is logged with its code, constraint and correlation id, without the customer',
    async (via) => {
      const input = validUnit({ serialNumber: `LOG-BOOM-${uniqueSerial()}`, customer });
      const correlationId =
        via === 'GraphQL'
          ? (await gql(t, maker.staff, REGISTER, { input })).errors![0].extensions.correlationId
          : (await rest(t, maker.staff).post('/units', input)).body.correlationId;
      expect(correlationId).toEqual(expect.any(String));
      const line = logLines.find((l) => l.correlationId === correlationId);
      expect(line).toMatchObject({ err: { code: '23514', constraint: 'hardening_refused_serial', table: 'units' } });
      expectNoValues(logText());
    },
  );

  it('a failed API key creation is logged without the key, its hash or its prefix', async () => {
    const res = await gql(t, maker.admin, CREATE_KEY, {
      input: { organizationId: maker.id, name: 'LOG-BOOM-KEY', role: 'READONLY' },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const text = logText();
    expect(text).toContain('hardening_refused_key');
    expect(text).not.toMatch(/[0-9a-f]{64}/i);
    expect(text).not.toMatch(/ac_[A-Za-z0-9_]{8,}/);
    expectNoValues(text);
  });

  it('a bulk import batch the database refuses: the refused row fails alone, the others are written, and the log names no customer', async () => {
    const rows = Array.from({ length: 50 }, (_, i) =>
      row({ customer: { ...customer, email: `c${i}.${customer.email}` } }),
    );
    rows[20] = { ...rows[20], serialNumber: `LOG-BOOM-${uniqueSerial()}` };
    const answer = await postImport(t, maker.staff, ndjson(rows));
    expect(answer.lines.find((l) => l.status === 'aborted')).toBeUndefined();
    expect(answer.summary).toEqual({ rows: 50, created: 49, failed: 1 });
    expect(answer.rows[20]).toMatchObject({ row: 21, status: 'error', errorCode: 'VALIDATION_ERROR' });
    expect(logText()).toContain('hardening_refused_serial');
    expectNoValues(logText());
  });

  it("any database error logged under err or error, through Fastify's logger or Nest's, keeps its code and loses its values", async () => {
    const failure = await sqlQuery(t, 'SELECT $1::int', [`${customer.name} ${customer.email}`]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    t.app.getHttpAdapter().getInstance().log.error({ err: failure }, 'through Fastify');
    new Logger('Hardening').error({ msg: 'through Nest', error: failure });
    const lines = logLines.filter((l) => l.msg === 'through Fastify' || l.msg === 'through Nest');
    expect(lines.map((l) => ((l.err ?? l.error) as { code?: string })?.code)).toEqual(['22P02', '22P02']);
    expectNoValues(logText());
  });

  it('a failing background task is logged without the values of its statement', async () => {
    const runner = t.app.get(JobRunner);
    runner.every({
      name: 'hardening-failing-task',
      everyMs: 1,
      run: async (em) => {
        await em.query('SELECT $1::int', [`${customer.email} 4111111111111111`]);
      },
    });
    await runner.runOnce(Date.now() + 10_000_000);
    const text = logText();
    expect(text).toContain('periodic task failed');
    expect(text).toContain('22P02');
    expect(text).not.toContain('4111111111111111');
    expectNoValues(text);
  });
});
