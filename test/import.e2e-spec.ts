import { createProduct, createTenant, gql, rest, uniqueSerial, type Tenant } from './support/api.js';
import { ndjson, postImport, sqlQuery, tableCounts, utcDate, type ImportAnswer } from './support/input-helpers.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Bulk registration, POST /api/v1/units:import (README, "Bulk registration"): NDJSON or CSV rows
 * in, one NDJSON result line a row out (in row order), then a summary. A bad row never stops the
 * good ones; the same Idempotency-Key creates nothing twice; the rules are those of registerUnit.
 */

const PURCHASE_DATE = utcDate(-45);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('bulk unit import (POST /api/v1/units:import)', () => {
  let t: TestApp;
  let maker: Tenant;
  let otherMaker: Tenant;
  let retailer: Tenant;
  let otherRetailer: Tenant;
  let center: Tenant;
  let product: { id: string; sku: string };
  let otherProduct: { id: string; sku: string };

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
    otherMaker = await createTenant(t, 'MANUFACTURER');
    retailer = await createTenant(t, 'RETAILER');
    otherRetailer = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
    product = await createProduct(t, maker.staff);
    otherProduct = await createProduct(t, otherMaker.staff);
  });
  afterAll(async () => {
    await t.close();
  });

  const row = (overrides: Record<string, unknown> = {}): Record<string, any> & { serialNumber: string } => ({
    sku: product.sku,
    serialNumber: uniqueSerial(),
    purchaseDate: PURCHASE_DATE,
    ...overrides,
  });

  /** The unit with this serial as the key's organization sees it over REST (status and body). */
  const bySerial = (key: string, serialNumber: string) =>
    rest(t, key).get(`/units:by-serial?serialNumber=${encodeURIComponent(serialNumber)}`);

  const serialsInDb = async (serials: string[]) =>
    (
      await sqlQuery<{ serial_number: string }>(
        t,
        'SELECT serial_number FROM units WHERE serial_number = ANY($1::text[])',
        [serials],
      )
    )
      .map((r) => r.serial_number)
      .sort();

  /** A streamed answer: 200 NDJSON, one line a row in row order, then the summary. */
  function expectStreamed(answer: ImportAnswer, rows: number) {
    expect({ status: answer.status, contentType: answer.contentType }).toEqual({
      status: 200,
      contentType: expect.stringMatching(/^application\/x-ndjson/),
    });
    expect(answer.rows.map((r) => r.row)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
    expect(answer.lines[answer.lines.length - 1]).toHaveProperty('summary');
    expect(answer.summary).toEqual({
      rows,
      created: answer.rows.filter((r) => r.status === 'created').length,
      failed: answer.rows.filter((r) => r.status === 'error').length,
    });
  }

  it('NDJSON rows are registered and answered one line a row, in row order, then a summary; each unit reads back as sent', async () => {
    const rows = [
      row({
        customer: { name: 'Ada Lovelace', email: 'Ada@Example.com', phone: '+44 20 7946 0000' },
        purchasePrice: { amount: '169.99', currency: 'USD' },
      }),
      row({ productId: product.id, sku: undefined, deliveryDate: utcDate(-40), proofOfPurchaseRef: 'RCPT-1' }),
      row({ purchasePrice: { amount: '1500', currency: 'JPY' } }),
    ];
    const answer = await postImport(t, maker.staff, ndjson(rows));
    expectStreamed(answer, 3);
    expect(answer.rows).toEqual(
      rows.map((r, i) => ({
        row: i + 1,
        status: 'created',
        id: expect.stringMatching(UUID),
        serialNumber: r.serialNumber,
      })),
    );
    expect(answer.summary).toEqual({ rows: 3, created: 3, failed: 0 });

    const first = await bySerial(maker.readonly, rows[0].serialNumber);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: answer.rows[0].id,
      productId: product.id,
      manufacturerId: maker.id,
      retailerId: null,
      purchaseDate: PURCHASE_DATE,
      status: 'ACTIVE',
      version: 1,
      purchasePrice: { amount: '169.99', currency: 'USD' },
      owner: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0000' },
    });
    expect((await bySerial(maker.readonly, rows[1].serialNumber)).body).toMatchObject({
      id: answer.rows[1].id,
      deliveryDate: utcDate(-40),
      proofOfPurchaseRef: 'RCPT-1',
    });
    expect((await bySerial(maker.readonly, rows[2].serialNumber)).body.purchasePrice).toEqual({
      amount: '1500',
      currency: 'JPY',
    });
  });

  it('CSV with a header of dotted names (customer.name, purchasePrice.amount, purchasePrice.currency) and quoted cells holding commas and quotes registers each row with those values', async () => {
    const serials = [uniqueSerial(), uniqueSerial(), uniqueSerial()];
    const csv =
      [
        'sku,serialNumber,purchaseDate,customer.name,customer.email,customer.marketingConsent,purchasePrice.amount,purchasePrice.currency,proofOfPurchaseRef',
        `${product.sku},${serials[0]},${PURCHASE_DATE},"Lovelace, Ada",ada@example.com,yes,169.99,USD,"RCPT 1, till 4"`,
        `${product.sku},${serials[1]},${PURCHASE_DATE},"Bob ""The Builder"" Smith",,no,"1,299.00",EUR,`,
        `${product.sku},${serials[2]},${PURCHASE_DATE},,,,,,`,
      ].join('\r\n') + '\r\n';
    const answer = await postImport(t, maker.staff, csv, { contentType: 'text/csv; charset=utf-8' });
    expectStreamed(answer, 3);
    expect(answer.rows[0]).toMatchObject({ row: 1, status: 'created', serialNumber: serials[0] });
    // "1,299.00" is not a decimal amount: the row names the field, the others are created
    expect(answer.rows[1]).toMatchObject({
      row: 2,
      status: 'error',
      errorCode: 'VALIDATION_ERROR',
      field: 'purchasePrice.amount',
    });
    expect(answer.rows[2]).toMatchObject({ row: 3, status: 'created', serialNumber: serials[2] });

    const ada = await bySerial(maker.readonly, serials[0]);
    expect(ada.body).toMatchObject({
      owner: { name: 'Lovelace, Ada', email: 'ada@example.com', marketingConsent: true },
      purchasePrice: { amount: '169.99', currency: 'USD' },
      proofOfPurchaseRef: 'RCPT 1, till 4',
    });
    expect((await bySerial(maker.readonly, serials[2])).body).toMatchObject({ owner: null, purchasePrice: null });
    expect(await serialsInDb([serials[1]])).toEqual([]);

    const quoted = uniqueSerial();
    const second = await postImport(
      t,
      maker.staff,
      `sku,serialNumber,purchaseDate,customer.name\n${product.sku},${quoted},${PURCHASE_DATE},"Bob ""The Builder"" Smith"\n`,
      { contentType: 'text/csv' },
    );
    expect(second.rows[0]).toMatchObject({ status: 'created' });
    expect((await bySerial(maker.readonly, quoted)).body.owner.name).toBe('Bob "The Builder" Smith');
  });

  it('a bad row never stops the good ones: invalid JSON, missing serial, unknown sku, future date, a serial repeated from earlier in the file and a serial already registered are error rows, in row order', async () => {
    const registered = uniqueSerial();
    const pre = await gql(
      t,
      maker.staff,
      `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { __typename } }`,
      {
        input: { productId: product.id, serialNumber: registered, purchaseDate: PURCHASE_DATE },
      },
    );
    expect(pre.data.registerUnit.__typename).toBe('Unit');

    const good = [row(), row(), row(), row()];
    const future = row({ purchaseDate: utcDate(1) });
    const unknownSku = row({ sku: 'NO-SUCH-SKU' });
    const lines = [
      good[0], // 1 created
      '{"sku": "' + product.sku + '", "serialNumber": ', // 2 not JSON
      { sku: product.sku, purchaseDate: PURCHASE_DATE }, // 3 no serial
      unknownSku, // 4 unknown sku
      good[1], // 5 created
      future, // 6 future purchase date
      { ...row(), serialNumber: good[0].serialNumber }, // 7 repeats row 1
      row({ serialNumber: registered }), // 8 already registered
      ['not', 'an', 'object'], // 9 not an object
      row({ purchaseDate: '2026-02-30' }), // 10 no such day
      row({ colour: 'red' }), // 11 unknown field
      good[2], // 12 created
      row({ productId: otherProduct.id, sku: undefined }), // 13 another manufacturer's product
      good[3], // 14 created
    ];
    const before = await tableCounts(t);
    const answer = await postImport(t, maker.staff, ndjson(lines));
    expectStreamed(answer, 14);
    const brief = answer.rows.map((r) =>
      r.status === 'created' ? [r.row, 'created'] : [r.row, r.errorCode, r.field ?? null],
    );
    expect(brief).toEqual([
      [1, 'created'],
      [2, 'VALIDATION_ERROR', null],
      [3, 'VALIDATION_ERROR', 'serialNumber'],
      [4, 'PRODUCT_NOT_FOUND', 'sku'],
      [5, 'created'],
      [6, 'PURCHASE_DATE_IN_FUTURE', 'purchaseDate'],
      [7, 'DUPLICATE_SERIAL_NUMBER', 'serialNumber'],
      [8, 'DUPLICATE_SERIAL_NUMBER', 'serialNumber'],
      [9, 'VALIDATION_ERROR', null],
      [10, 'VALIDATION_ERROR', 'purchaseDate'],
      [11, 'VALIDATION_ERROR', 'colour'],
      [12, 'created'],
      [13, 'VALIDATION_ERROR', 'productId'],
      [14, 'created'],
    ]);
    for (const r of answer.rows.filter((x) => x.status === 'error')) expect(r.message).toEqual(expect.any(String));
    expect(answer.summary).toEqual({ rows: 14, created: 4, failed: 10 });

    expect(await serialsInDb(good.map((g) => g.serialNumber))).toEqual(good.map((g) => g.serialNumber).sort());
    expect(await serialsInDb([future.serialNumber, unknownSku.serialNumber])).toEqual([]);
    const after = await tableCounts(t);
    expect({
      units: after.units - before.units,
      events: after.unit_events - before.unit_events,
      outbox: after.outbox_events - before.outbox_events,
    }).toEqual({ units: 4, events: 4, outbox: 4 });
    // the unit registered before the import is untouched
    expect((await bySerial(maker.readonly, registered)).body).toMatchObject({
      version: 1,
      purchaseDate: PURCHASE_DATE,
    });
  });

  it('bad CSV rows (unknown sku, invalid date, future date, repeated serial, unknown column value) are error rows and the good rows are created', async () => {
    const s = [uniqueSerial(), uniqueSerial(), uniqueSerial(), uniqueSerial(), uniqueSerial()];
    const csv = [
      'sku,serialNumber,purchaseDate,customer.name',
      `${product.sku},${s[0]},${PURCHASE_DATE},Ada`,
      `NO-SUCH-SKU,${s[1]},${PURCHASE_DATE},Bob`,
      `${product.sku},${s[2]},22/11/2026,Cy`,
      `${product.sku},${s[3]},${utcDate(3)},Di`,
      `${product.sku},${s[0]},${PURCHASE_DATE},Ed`,
      `${product.sku},,${PURCHASE_DATE},Flo`,
      `${product.sku},${s[4]},${PURCHASE_DATE},"Gus, Jr."`,
    ].join('\n');
    const answer = await postImport(t, maker.staff, csv, { contentType: 'text/csv' });
    expectStreamed(answer, 7);
    expect(answer.rows.map((r) => [r.status, r.errorCode ?? null, r.field ?? null])).toEqual([
      ['created', null, null],
      ['error', 'PRODUCT_NOT_FOUND', 'sku'],
      ['error', 'VALIDATION_ERROR', 'purchaseDate'],
      ['error', 'PURCHASE_DATE_IN_FUTURE', 'purchaseDate'],
      ['error', 'DUPLICATE_SERIAL_NUMBER', 'serialNumber'],
      ['error', 'VALIDATION_ERROR', 'serialNumber'],
      ['created', null, null],
    ]);
    expect(await serialsInDb(s)).toEqual([s[0], s[4]].sort());
    expect((await bySerial(maker.readonly, s[0])).body.owner.name).toBe('Ada');
  });

  it('a row whose customer is an array instead of an object is an error row naming "customer", and the rows after it are still created', async () => {
    const after = [row(), row()];
    const answer = await postImport(t, maker.staff, ndjson([row({ customer: [{ name: 'Ada' }] }), ...after]));
    expect(answer.lines.find((l) => l.status === 'aborted')).toBeUndefined();
    expectStreamed(answer, 3);
    expect(answer.rows[0]).toMatchObject({ row: 1, status: 'error', errorCode: 'VALIDATION_ERROR', field: 'customer' });
    expect(answer.rows.slice(1).map((r) => r.status)).toEqual(['created', 'created']);
    expect(await serialsInDb(after.map((a) => a.serialNumber))).toEqual(after.map((a) => a.serialNumber).sort());
  });

  it('a CSV row with a stray quote is an error row, and the rows before and after it are still created', async () => {
    const [a, b, c] = [uniqueSerial(), uniqueSerial(), uniqueSerial()];
    const csv = `sku,serialNumber,purchaseDate\n${product.sku},${a},${PURCHASE_DATE}\n${product.sku},${b}"x,${PURCHASE_DATE}\n${product.sku},${c},${PURCHASE_DATE}\n`;
    const answer = await postImport(t, maker.staff, csv, { contentType: 'text/csv' });
    expect({ status: answer.status, body: answer.status === 200 ? undefined : answer.body }).toEqual({
      status: 200,
      body: undefined,
    });
    expect(answer.rows.map((r) => r.status)).toEqual(['created', 'error', 'created']);
    expect(answer.summary).toEqual({ rows: 3, created: 2, failed: 1 });
    expect(await serialsInDb([a, c])).toEqual([a, c].sort());
  });

  it('2,500 rows (several batches) are all created, answered in row order, each found by GET /api/v1/units:by-serial with a REGISTERED history row and a UnitRegistered event', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => row({ serialNumber: `BULK-${uniqueSerial()}-${i}` }));
    const answer = await postImport(t, maker.staff, ndjson(rows));
    expectStreamed(answer, 2500);
    expect(answer.summary).toEqual({ rows: 2500, created: 2500, failed: 0 });
    expect(answer.rows.map((r) => r.serialNumber)).toEqual(rows.map((r) => r.serialNumber));
    const ids: string[] = answer.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(2500);

    for (let i = 0; i < rows.length; i += 20) {
      const found = await Promise.all(rows.slice(i, i + 20).map((r) => bySerial(maker.readonly, r.serialNumber)));
      expect(found.map((res) => [res.status, res.body.id])).toEqual(ids.slice(i, i + 20).map((id) => [200, id]));
    }
    for (let i = 0; i < ids.length; i += 25) {
      const chunk = ids.slice(i, i + 25);
      const query = `{ ${chunk.map((id, j) => `u${j}: unit(id: "${id}") { history(first: 5) { edges { node { type } } } }`).join(' ')} }`;
      const res = await gql(t, maker.readonly, query);
      expect(res.errors).toBeUndefined();
      expect(chunk.map((_, j) => res.data[`u${j}`].history.edges.map((e: any) => e.node.type))).toEqual(
        chunk.map(() => ['REGISTERED']),
      );
    }
    const [{ n }] = await sqlQuery(
      t,
      `SELECT count(*)::int AS n FROM outbox_events WHERE event_type = 'UnitRegistered' AND aggregate_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(n).toBe(2500);
  }, 240_000);

  it('results stay in row order when error rows fall on both sides of a batch boundary', async () => {
    const lines = Array.from({ length: 1100 }, (_, i) =>
      i % 100 === 99 ? row({ purchaseDate: 'not-a-date' }) : row(),
    );
    const answer = await postImport(t, maker.staff, ndjson(lines));
    expectStreamed(answer, 1100);
    expect(answer.rows.filter((r) => r.status === 'error').map((r) => r.row)).toEqual(
      Array.from({ length: 11 }, (_, i) => (i + 1) * 100),
    );
    expect(answer.rows.filter((r) => r.status === 'created').map((r) => r.serialNumber)).toEqual(
      lines.filter((_, i) => i % 100 !== 99).map((l) => l.serialNumber),
    );
  }, 120_000);

  it('a retry with the same Idempotency-Key creates nothing twice and answers the same ids and the same errors', async () => {
    const dup = row();
    const lines = [
      ...Array.from({ length: 1200 }, () => row()),
      row({ sku: 'NO-SUCH-SKU' }),
      dup,
      { ...row(), serialNumber: dup.serialNumber },
    ];
    const body = ndjson(lines);
    const first = await postImport(t, maker.staff, body, { idempotencyKey: 'import-retry-1' });
    expectStreamed(first, 1203);
    expect(first.summary).toEqual({ rows: 1203, created: 1201, failed: 2 });
    const before = await tableCounts(t);

    const retry = await postImport(t, maker.staff, body, { idempotencyKey: 'import-retry-1' });
    expectStreamed(retry, 1203);
    expect(retry.rows).toEqual(first.rows);
    expect(retry.summary).toEqual(first.summary);
    expect(await tableCounts(t)).toEqual(before);
    const [{ n }] = await sqlQuery(t, 'SELECT count(*)::int AS n FROM units WHERE serial_number = ANY($1::text[])', [
      lines.map((l) => l.serialNumber),
    ]);
    expect(n).toBe(1201);
  }, 120_000);

  it('without an Idempotency-Key, sending the same file again creates nothing new: every row is a DUPLICATE_SERIAL_NUMBER error', async () => {
    const lines = [row(), row()];
    const first = await postImport(t, maker.staff, ndjson(lines));
    expect(first.summary).toEqual({ rows: 2, created: 2, failed: 0 });
    const before = await tableCounts(t);
    const again = await postImport(t, maker.staff, ndjson(lines));
    expect(again.rows.map((r) => [r.status, r.errorCode, r.field])).toEqual([
      ['error', 'DUPLICATE_SERIAL_NUMBER', 'serialNumber'],
      ['error', 'DUPLICATE_SERIAL_NUMBER', 'serialNumber'],
    ]);
    expect(await tableCounts(t)).toEqual(before);
  });

  it('the same Idempotency-Key with a different first row is refused with 422 problem+json before any row is written', async () => {
    const original = [row(), row()];
    const first = await postImport(t, maker.staff, ndjson(original), { idempotencyKey: 'import-conflict-1' });
    expect(first.summary).toEqual({ rows: 2, created: 2, failed: 0 });
    const before = await tableCounts(t);

    const other = [row(), ...original, row()];
    const answer = await postImport(t, maker.staff, ndjson(other), { idempotencyKey: 'import-conflict-1' });
    expect({ status: answer.status, contentType: answer.contentType }).toEqual({
      status: 422,
      contentType: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(answer.body).toMatchObject({
      status: 422,
      code: 'CONFLICT',
      field: 'Idempotency-Key',
      correlationId: answer.headers['x-request-id'],
    });
    expect(answer.lines).toEqual([]);
    expect(await tableCounts(t)).toEqual(before);
    expect(await serialsInDb([other[0].serialNumber, other[3].serialNumber])).toEqual([]);
  });

  it('an Idempotency-Key that is not 1 to 255 visible characters is refused with 400 naming it, and nothing is written', async () => {
    const before = await tableCounts(t);
    const lines = [row()];
    for (const key of ['has spaces', 'k'.repeat(256)]) {
      const answer = await postImport(t, maker.staff, ndjson(lines), { idempotencyKey: key });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
    }
    expect(await tableCounts(t)).toEqual(before);
  });

  it("a retailer's import registers the units as sold by that retailer; a row naming another retailer is an error row", async () => {
    const mine = row({ manufacturerId: maker.id, customer: { name: 'Store customer' } });
    const explicit = row({ manufacturerId: maker.id, retailerId: retailer.id });
    const foreign = row({ manufacturerId: maker.id, retailerId: otherRetailer.id });
    const noMaker = row();
    const answer = await postImport(t, retailer.staff, ndjson([mine, explicit, foreign, noMaker]));
    expectStreamed(answer, 4);
    expect(answer.rows.map((r) => [r.status, r.errorCode ?? null, r.field ?? null])).toEqual([
      ['created', null, null],
      ['created', null, null],
      ['error', 'VALIDATION_ERROR', 'retailerId'],
      ['error', 'VALIDATION_ERROR', 'manufacturerId'],
    ]);
    for (const serial of [mine.serialNumber, explicit.serialNumber]) {
      const unit = await bySerial(retailer.readonly, serial);
      expect(unit.status).toBe(200);
      expect(unit.body).toMatchObject({ retailerId: retailer.id, manufacturerId: maker.id });
      expect((await bySerial(otherRetailer.readonly, serial)).status).toBe(404);
    }
    expect(await serialsInDb([foreign.serialNumber, noMaker.serialNumber])).toEqual([]);
  });

  it("a manufacturer's import may name a retailer, but not an organization that is no retailer", async () => {
    const sold = row({ retailerId: retailer.id });
    const notRetailer = row({ retailerId: center.id });
    const answer = await postImport(t, maker.staff, ndjson([sold, notRetailer]));
    expect(answer.rows.map((r) => [r.status, r.field ?? null])).toEqual([
      ['created', null],
      ['error', 'retailerId'],
    ]);
    expect((await bySerial(retailer.readonly, sold.serialNumber)).body.retailerId).toBe(retailer.id);
  });

  it('serial numbers are unique per manufacturer: the same serial for two manufacturers in one platform import is created twice', async () => {
    const serial = uniqueSerial();
    const answer = await postImport(
      t,
      PLATFORM_KEY,
      ndjson([
        { productId: product.id, serialNumber: serial, purchaseDate: PURCHASE_DATE },
        { productId: otherProduct.id, serialNumber: serial, purchaseDate: PURCHASE_DATE },
        { productId: product.id, serialNumber: serial, purchaseDate: PURCHASE_DATE },
      ]),
    );
    expect(answer.rows.map((r) => [r.status, r.errorCode ?? null])).toEqual([
      ['created', null],
      ['created', null],
      ['error', 'DUPLICATE_SERIAL_NUMBER'],
    ]);
    expect((await bySerial(maker.readonly, serial)).body.manufacturerId).toBe(maker.id);
    expect((await bySerial(otherMaker.readonly, serial)).body.manufacturerId).toBe(otherMaker.id);
  });

  const refusedCallers: [string, number, string, () => string | null][] = [
    ['a service center STAFF key', 403, 'FORBIDDEN', () => center.staff],
    ['a manufacturer READONLY key', 403, 'FORBIDDEN', () => maker.readonly],
    ['a retailer READONLY key', 403, 'FORBIDDEN', () => retailer.readonly],
    ['no API key', 401, 'UNAUTHENTICATED', () => null],
  ];
  it.each(refusedCallers)('%s is refused (%i %s) and nothing is written', async (_who, status, code, key) => {
    const before = await tableCounts(t);
    const lines = [row({ manufacturerId: maker.id }), row({ manufacturerId: maker.id })];
    for (const contentType of ['application/x-ndjson', 'text/csv']) {
      const body =
        contentType === 'text/csv'
          ? `sku,manufacturerId,serialNumber,purchaseDate\n${lines.map((l) => `${l.sku},${l.manufacturerId},${l.serialNumber},${l.purchaseDate}`).join('\n')}\n`
          : ndjson(lines);
      const answer = await postImport(t, key(), body, {
        contentType,
        idempotencyKey: `refused-${status}-${contentType}`,
      });
      expect({ status: answer.status, contentType: answer.contentType }).toEqual({
        status,
        contentType: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(answer.body).toMatchObject({ code });
      expect(answer.lines).toEqual([]);
    }
    expect(await tableCounts(t)).toEqual(before);
    expect(await serialsInDb(lines.map((l) => l.serialNumber))).toEqual([]);
  });

  it.each(['application/json', 'text/plain', 'application/xml'])(
    'an import body of type %s is refused with 415 problem+json and nothing is written',
    async (contentType) => {
      const before = await tableCounts(t);
      const r = row();
      const body = contentType === 'application/json' ? JSON.stringify([r]) : ndjson([r]);
      const answer = await postImport(t, maker.staff, body, { contentType });
      expect({ status: answer.status, contentType: answer.contentType }).toEqual({
        status: 415,
        contentType: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(answer.body).toMatchObject({ status: 415, code: 'BAD_USER_INPUT', detail: expect.any(String) });
      expect(await tableCounts(t)).toEqual(before);
      expect(await serialsInDb([r.serialNumber])).toEqual([]);
    },
  );

  it.each([
    ['an empty NDJSON body', 'application/x-ndjson', ''],
    ['an NDJSON body of blank lines', 'application/x-ndjson', '\n\n  \n'],
    ['an empty CSV body', 'text/csv', ''],
    ['a CSV body with only its header row', 'text/csv', 'sku,serialNumber,purchaseDate\n'],
  ])('%s answers only a summary with rows 0', async (_what, contentType, body) => {
    const before = await tableCounts(t);
    const answer = await postImport(t, maker.staff, body, { contentType });
    expect({ status: answer.status, contentType: answer.contentType }).toEqual({
      status: 200,
      contentType: expect.stringMatching(/^application\/x-ndjson/),
    });
    expect(answer.lines).toEqual([{ summary: { rows: 0, created: 0, failed: 0 } }]);
    expect(await tableCounts(t)).toEqual(before);
  });
});
