import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType, type GraphQLEnumType } from 'graphql';
import { createTenant, rest, uniqueSerial, type Tenant } from './support/api.js';
import { USD_LINES } from './support/claims-client.js';
import { checkedSuccesses, contractMismatches, openApiDocument, operations } from './support/openapi-validator.js';
import { insertJourney, insertMessage, insertSurveyAnswer, issueCoupon } from './support/outreach-fixtures.js';
import { PLATFORM_KEY, startTestApp, type TestApp } from './support/test-app.js';
import { addDaysUtc, planInput, utcToday } from './support/units-helpers.js';

/**
 * openapi.json is a contract: every operation declares its answer and its errors, and a call of
 * every operation, checked by rest() against the document, matches it. The other suites check
 * every REST answer they get the same way.
 */
describe('the OpenAPI document', () => {
  const components = openApiDocument.components;
  const resolve = (node: any) =>
    node?.$ref
      ? node.$ref
          .split('/')
          .slice(1)
          .reduce((at: any, part: string) => at[part], openApiDocument)
      : node;

  it.each(operations.map((o) => [o.operationId, o] as const))(
    '%s declares the schema of its success answer, a named component',
    (_id, operation) => {
      const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      expect(successes).toHaveLength(1);
      const [, response] = successes[0] as [string, any];
      for (const media of Object.values(response.content ?? {}) as any[]) {
        const schema = media.schema.items ?? media.schema;
        const refs = schema.oneOf ? schema.oneOf.map((s: any) => s.$ref) : [schema.$ref];
        for (const ref of refs) expect(resolve({ $ref: ref })).toEqual(expect.objectContaining({ type: 'object' }));
      }
      expect(Object.keys(response.content ?? {})).not.toHaveLength(0);
      expect(Object.keys(response.headers)).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy']));
    },
  );

  it("operation ids are unique verbs in the GraphQL API's words", () => {
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(
        /^(get|list|create|register|import|transfer|attach|submit|review|answer|cancel|open|update|assign|approve|request|transition|inspect|resolve|receive|complete|revoke|delete|rotate|send|retry|recover|redeem|preview|add|remove)[A-Z]\w+$/,
      );
    expect(ids).toEqual(expect.arrayContaining(['registerUnit', 'getCoverage', 'listUnits', 'importUnits']));
  });

  it('every error answer is problem+json with the one Problem schema; 429 and 503 say when to retry', () => {
    for (const operation of operations) {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(['401', '429', '503']));
      for (const [status, declared] of errors) {
        expect(declared).toEqual({ $ref: expect.stringMatching(/^#\/components\/responses\//) });
        const response = resolve(declared);
        expect(response.content).toEqual({
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
        if (status === '429' || status === '503') expect(Object.keys(response.headers)).toContain('Retry-After');
      }
    }
    expect(components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'correlationId']),
    );
  });

  it('mutations take an Idempotency-Key; paging numbers are integers with their bounds', () => {
    for (const operation of operations.filter((o) => o.method !== 'get')) {
      const params = openApiDocument.paths[operation.template][operation.method].parameters;
      expect(params).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    }
    for (const operation of operations.filter((o) => o.operationId.startsWith('list'))) {
      const params = openApiDocument.paths[operation.template][operation.method].parameters ?? [];
      const first = params.find((p: any) => p.name === 'first');
      if (first) expect(first.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    }
    for (const name of Object.keys(components.schemas).filter((n) => n.endsWith('Connection'))) {
      expect(components.schemas[name].properties.totalCount.type).toBe('integer');
    }
  });

  it('enums are components named as in GraphQL', () => {
    for (const name of [
      'UnitStatus',
      'RepairStatus',
      'ReturnStatus',
      'ClaimStatus',
      'UpgradeStatus',
      'FailureCategory',
      'CoverageType',
      'OrganizationKind',
      'ApiKeyRole',
    ]) {
      expect(components.schemas[name]).toMatchObject({ type: 'string', enum: expect.any(Array) });
    }
    // a named enum means the same values in both APIs (an input's narrower list must not take the name)
    const graphql = buildSchema(readFileSync(new URL('../schema.gql', import.meta.url), 'utf8'));
    const shared = Object.entries(components.schemas as Record<string, any>).filter(
      ([name, schema]) => schema.enum && isEnumType(graphql.getType(name)),
    );
    expect(shared.length).toBeGreaterThanOrEqual(15);
    for (const [name, schema] of shared) {
      const values = (graphql.getType(name) as GraphQLEnumType).getValues().map((v) => v.value as string);
      expect({ name, values: [...schema.enum].sort() }).toEqual({ name, values: [...values].sort() });
    }
    expect(openApiDocument.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(openApiDocument.info.license).toMatchObject({ name: 'Apache-2.0' });
  });

  it('the checker refuses an answer that is not what the document says', () => {
    const headers = { 'content-type': 'application/json' };
    expect(
      contractMismatches('GET', '/units/01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51', {
        status: 200,
        headers,
        body: { id: 'x' },
      }),
    ).toHaveLength(1);
    expect(
      contractMismatches('GET', '/units/01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51', { status: 418, headers, body: {} })[0],
    ).toMatch(/does not declare/);
    expect(
      contractMismatches('GET', '/me', {
        status: 401,
        headers: { 'content-type': 'application/problem+json' },
        body: { title: 'no' },
      }),
    ).toHaveLength(1);
  });
});

describe('every REST operation answers as openapi.json says', () => {
  let t: TestApp;
  let maker: Tenant;
  let retailer: Tenant;
  let center: Tenant;

  beforeAll(async () => {
    // webhooks to a closed local port, allowed over http: every attempt fails at once, no receiver needed
    t = await startTestApp({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1:9', WEBHOOK_TIMEOUT_MS: '2000' });
    maker = await createTenant(t, 'MANUFACTURER');
    retailer = await createTenant(t, 'RETAILER');
    center = await createTenant(t, 'SERVICE_CENTER');
  });
  afterAll(async () => {
    await t.close();
  });

  /** The body of a success, failing with what came back otherwise. */
  const ok = (res: any, status = 200) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const terms = {
    durationMonths: 24,
    startsFrom: 'PURCHASE_DATE',
    coverageTypes: ['PARTS', 'LABOR'],
    transferable: true,
  };
  const newProduct = async () =>
    ok(
      await rest(t, maker.staff).post('/products', {
        sku: `SKU-${uniqueSerial()}`,
        name: 'Fridge',
        category: 'FRIDGE',
        warrantyTerms: terms,
      }),
      201,
    );
  const newUnit = async (productId: string, purchaseDate: string) =>
    ok(
      await rest(t, retailer.staff).post('/units', {
        productId,
        serialNumber: uniqueSerial(),
        purchaseDate,
        customer: { name: 'Grace Hopper', email: 'grace@example.com' },
      }),
      201,
    );

  it('organizations, keys and technicians', async () => {
    ok(await rest(t, maker.readonly).get('/me'));
    const created = ok(
      await rest(t, PLATFORM_KEY).post('/organizations', { name: `Maker ${uniqueSerial()}`, kind: 'MANUFACTURER' }),
      201,
    );
    ok(await rest(t, maker.staff).get(`/organizations?first=2&kind=MANUFACTURER`));
    ok(await rest(t, maker.staff).get(`/organizations/${created.id}`));
    const key = ok(
      await rest(t, maker.admin).post('/api-keys', { organizationId: maker.id, name: 'Spare', role: 'READONLY' }),
      201,
    );
    ok(await rest(t, maker.admin).get('/api-keys?first=5'));
    ok(await rest(t, maker.admin).post(`/api-keys/${key.apiKey.id}:revoke`));
    ok(await rest(t, center.admin).post('/technicians', { serviceCenterId: center.id, name: 'Tess Tech' }), 201);
    ok(await rest(t, center.admin).get('/technicians'));
  });

  it('the catalog, units, their import, plans, history and coverage', async () => {
    const product = await newProduct();
    ok(await rest(t, maker.staff).get(`/products/${product.id}`));
    ok(await rest(t, maker.staff).get('/products?first=1&category=FRIDGE'));
    const plan = ok(await rest(t, maker.staff).post('/service-plans', planInput()), 201);
    ok(await rest(t, maker.staff).get('/service-plans'));

    const unit = await newUnit(product.id, addDaysUtc(utcToday(), -30));
    const rows = [0, 1]
      .map(() =>
        JSON.stringify({
          productId: product.id,
          serialNumber: uniqueSerial(),
          purchaseDate: utcToday(),
          customer: { name: 'Ada Lovelace' },
        }),
      )
      .join('\n');
    const imported = await rest(t, retailer.staff)
      .post('/units:import', rows)
      .set('content-type', 'application/x-ndjson')
      .buffer(true);
    expect(imported.status).toBe(200);
    ok(await rest(t, retailer.staff).get(`/units?first=2&status=ACTIVE`));
    ok(await rest(t, retailer.staff).get(`/units/${unit.id}`));
    ok(await rest(t, retailer.staff).get(`/units:by-serial?serialNumber=${encodeURIComponent(unit.serialNumber)}`));
    ok(
      await rest(t, retailer.staff).post(`/units/${unit.id}:attachServicePlan`, {
        servicePlanId: plan.id,
        purchasedAt: utcToday(),
      }),
    );
    ok(await rest(t, retailer.staff).get(`/units/${unit.id}/service-plans`));
    ok(
      await rest(t, retailer.staff).post(`/units/${unit.id}:transfer`, {
        newOwner: { name: 'Alan Turing', email: 'alan@example.com' },
      }),
    );
    ok(await rest(t, retailer.staff).get(`/units/${unit.id}/history?first=10`));
    ok(
      await rest(t, retailer.staff).get(
        `/coverage?serialNumber=${encodeURIComponent(unit.serialNumber)}&failureCategory=MECHANICAL`,
      ),
    );
    ok(
      await rest(t, retailer.staff).post('/coverage:batch', {
        queries: [{ serialNumber: unit.serialNumber }, { serialNumber: 'NO-SUCH-SERIAL' }],
      }),
    );
  });

  it('warranty claims', async () => {
    const unit = await newUnit((await newProduct()).id, addDaysUtc(utcToday(), -100));
    let claim = ok(
      await rest(t, retailer.staff).post('/warranty-claims', {
        unitId: unit.id,
        failureCategory: 'MECHANICAL',
        failureDate: addDaysUtc(utcToday(), -1),
        description: 'Does not cool',
        lines: USD_LINES,
      }),
      201,
    );
    ok(await rest(t, maker.staff).get(`/warranty-claims?first=5&unitId=${unit.id}`));
    claim = ok(
      await rest(t, maker.staff).post(`/warranty-claims/${claim.id}:review`, {
        decision: 'REQUEST_INFO',
        note: 'A photo, please',
        expectedVersion: claim.version,
      }),
    );
    claim = ok(
      await rest(t, retailer.staff).post(`/warranty-claims/${claim.id}:answer`, {
        note: 'Attached',
        expectedVersion: claim.version,
      }),
    );
    ok(await rest(t, retailer.staff).post(`/warranty-claims/${claim.id}:cancel`, { expectedVersion: claim.version }));
    ok(await rest(t, maker.staff).get(`/warranty-claims/${claim.id}`));
  });

  it('repair tickets', async () => {
    const unit = await newUnit((await newProduct()).id, addDaysUtc(utcToday(), -900));
    const technician = ok(
      await rest(t, center.admin).post('/technicians', { serviceCenterId: center.id, name: 'Bench Tech' }),
      201,
    );
    let ticket = ok(
      await rest(t, retailer.staff).post('/repair-tickets', {
        unitId: unit.id,
        serviceCenterId: center.id,
        reportedIssue: 'Door seal torn',
        failureCategory: 'MECHANICAL',
      }),
      201,
    );
    ticket = ok(
      await rest(t, center.admin).post(`/repair-tickets/${ticket.id}:assignTechnician`, {
        technicianId: technician.id,
        expectedVersion: ticket.version,
      }),
    );
    ticket = ok(
      await rest(t, center.staff).patch(`/repair-tickets/${ticket.id}`, {
        status: 'DIAGNOSING',
        expectedVersion: ticket.version,
      }),
    );
    ticket = ok(
      await rest(t, center.staff).patch(`/repair-tickets/${ticket.id}`, {
        status: 'AWAITING_APPROVAL',
        expectedVersion: ticket.version,
        addLaborMinutes: 30,
        addParts: [
          {
            partNumber: 'SEAL-1',
            description: 'Door seal',
            quantity: 1,
            unitCost: { amount: '39.90', currency: 'USD' },
          },
        ],
      }),
    );
    ok(
      await rest(t, retailer.staff).post(`/repair-tickets/${ticket.id}:approveEstimate`, {
        expectedVersion: ticket.version,
      }),
    );
    ok(await rest(t, center.staff).get(`/repair-tickets/${ticket.id}`));
    ok(await rest(t, center.staff).get('/repair-tickets?first=5&status=AWAITING_APPROVAL&overdue=false'));
  });

  it('returns', async () => {
    const unit = await newUnit((await newProduct()).id, addDaysUtc(utcToday(), -5));
    ok(
      await rest(t, retailer.admin).post('/return-policies', {
        name: 'Standard',
        windowDays: 30,
        restockingFeePercent: '0',
        allowedResolutions: ['REFUND'],
      }),
      201,
    );
    ok(await rest(t, retailer.admin).get('/return-policies'));
    let rma = ok(
      await rest(t, retailer.staff).post('/returns', {
        lines: [{ unitId: unit.id, reason: 'CHANGED_MIND', condition: 'UNOPENED', requestedResolution: 'REFUND' }],
      }),
      201,
    );
    rma = ok(
      await rest(t, retailer.staff).post(`/returns/${rma.id}:transition`, {
        to: 'IN_TRANSIT',
        trackingNumber: '1Z999',
        carrier: 'UPS',
        expectedVersion: rma.version,
      }),
    );
    rma = ok(
      await rest(t, retailer.staff).post(`/returns/${rma.id}:transition`, {
        to: 'RECEIVED',
        expectedVersion: rma.version,
      }),
    );
    const lineId = rma.lines[0].id;
    rma = ok(
      await rest(t, retailer.staff).post(`/returns/${rma.id}:inspect`, {
        lines: [{ lineId, grade: 'A', condition: 'UNOPENED' }],
        expectedVersion: rma.version,
      }),
    );
    ok(
      await rest(t, retailer.staff).post(`/returns/${rma.id}:resolve`, {
        lines: [{ lineId, resolution: 'REFUND' }],
        expectedVersion: rma.version,
      }),
    );
    ok(await rest(t, retailer.staff).get(`/returns/${rma.id}`));
    ok(await rest(t, retailer.staff).get('/returns?first=5&status=RESOLVED'));
  });

  it('upgrades', async () => {
    const product = await newProduct();
    const target = await newProduct();
    const program = ok(
      await rest(t, maker.staff).post('/upgrades/programs', {
        name: 'Trade up',
        eligibleCategories: ['FRIDGE'],
        targetProductIds: [target.id],
        minMonthsOwned: 0,
        tradeInValues: [{ grade: 'A', value: { amount: '100.00', currency: 'USD' } }],
        validFrom: addDaysUtc(utcToday(), -1),
      }),
      201,
    );
    ok(await rest(t, maker.staff).get('/upgrades/programs'));
    const unit = await newUnit(product.id, addDaysUtc(utcToday(), -400));
    ok(await rest(t, retailer.staff).get(`/upgrades/eligibility/${unit.id}`));
    let upgrade = ok(
      await rest(t, retailer.staff).post('/upgrades', {
        unitId: unit.id,
        programId: program.id,
        targetProductId: target.id,
      }),
      201,
    );
    upgrade = ok(
      await rest(t, retailer.staff).post(`/upgrades/${upgrade.id}:receiveTradeIn`, {
        expectedVersion: upgrade.version,
      }),
    );
    ok(
      await rest(t, retailer.staff).post(`/upgrades/${upgrade.id}:complete`, {
        grade: 'A',
        newSerialNumber: uniqueSerial(),
        purchaseDate: utcToday(),
        expectedVersion: upgrade.version,
      }),
    );
    const other = await newUnit(product.id, addDaysUtc(utcToday(), -400));
    const open = ok(
      await rest(t, retailer.staff).post('/upgrades', {
        unitId: other.id,
        programId: program.id,
        targetProductId: target.id,
      }),
      201,
    );
    ok(await rest(t, retailer.staff).post(`/upgrades/${open.id}:cancel`, { expectedVersion: open.version }));
    ok(await rest(t, retailer.staff).get(`/upgrades/${open.id}`));
    ok(await rest(t, retailer.staff).get(`/upgrades?first=5&programId=${program.id}`));
  });

  it('webhooks: endpoints, the catalogue and the delivery log', async () => {
    ok(await rest(t, retailer.readonly).get('/webhook-event-types'));
    const { endpoint } = ok(
      await rest(t, retailer.admin).post('/webhook-endpoints', {
        url: 'http://127.0.0.1:9/hook',
        description: 'Order system',
        eventTypes: ['unit.registered'],
      }),
      201,
    );
    ok(await rest(t, retailer.readonly).get('/webhook-endpoints?first=5'));
    ok(await rest(t, retailer.readonly).get(`/webhook-endpoints/${endpoint.id}`));
    const updated = ok(
      await rest(t, retailer.admin).patch(`/webhook-endpoints/${endpoint.id}`, {
        expectedVersion: endpoint.version,
        description: 'Orders',
      }),
    );
    ok(
      await rest(t, retailer.admin).post(`/webhook-endpoints/${endpoint.id}:rotateSecret`, {
        expectedVersion: updated.version,
      }),
    );
    const delivery = ok(await rest(t, retailer.staff).post(`/webhook-endpoints/${endpoint.id}:sendTest`));
    ok(await rest(t, retailer.staff).post(`/webhook-deliveries/${delivery.id}:retry`));
    ok(await rest(t, retailer.readonly).get(`/webhook-deliveries?first=5&endpointId=${endpoint.id}&status=PENDING`));
    ok(await rest(t, retailer.readonly).get(`/webhook-deliveries/${delivery.id}`));
    ok(
      await rest(t, retailer.staff).post(`/webhook-endpoints/${endpoint.id}:recoverDeliveries`, {
        since: new Date(Date.now() - 3600_000).toISOString(),
      }),
    );
    ok(await rest(t, retailer.admin).delete(`/webhook-endpoints/${endpoint.id}`));
  });

  it('outreach: messages, coupons, surveys, owner page links and previews', async () => {
    const unit = await newUnit((await newProduct()).id, utcToday());
    const journeyId = await insertJourney(t, {
      senderId: retailer.id,
      coupon: { prefix: 'THANKS', discountPercent: 10, discountAmount: null, discountCurrency: null, validDays: 30 },
    });
    const { code, messageId } = await issueCoupon(t, { journeyId, senderId: retailer.id, unitId: unit.id });
    const surveyJourneyId = await insertJourney(t, {
      senderId: retailer.id,
      survey: { question: 'How did we do?', scale: 'CSAT', askComment: true },
    });
    const surveyed = await insertMessage(t, { journeyId: surveyJourneyId, senderId: retailer.id, unitId: unit.id });
    await insertSurveyAnswer(t, { messageId: surveyed, score: 4, comment: 'Quick and friendly.' });
    ok(await rest(t, retailer.readonly).get(`/outreach-messages?first=5&journeyId=${journeyId}&status=SENT`));
    ok(await rest(t, retailer.readonly).get(`/outreach-messages/${messageId}`));
    ok(await rest(t, retailer.readonly).get(`/coupons/${code}`));
    ok(await rest(t, retailer.staff).post(`/coupons/${code}:redeem`, { orderReference: 'ORDER-2026-0042' }));
    ok(await rest(t, retailer.readonly).get(`/outreach-journeys/${surveyJourneyId}/survey-responses?first=5`));
    ok(await rest(t, retailer.readonly).get(`/outreach-journeys/${surveyJourneyId}/survey-stats?from=2026-01-01`));
    ok(await rest(t, retailer.readonly).get(`/units/${unit.id}/owner-page-url`));
    ok(await rest(t, retailer.readonly).get(`/outreach-journeys/${journeyId}/preview?unitId=${unit.id}&locale=it`));
  });

  it('outreach journeys and product resources', async () => {
    const created = ok(
      await rest(t, retailer.staff).post('/outreach-journeys', {
        name: 'Thank-you coupon',
        kind: 'COUPON',
        trigger: 'DAYS_AFTER_PURCHASE',
        offsetDays: 3,
        coupon: { prefix: 'THANKS', discountAmount: { amount: '20.00', currency: 'EUR' }, validDays: 60 },
      }),
      201,
    );
    ok(await rest(t, retailer.readonly).get('/outreach-journeys'));
    ok(await rest(t, retailer.readonly).get(`/outreach-journeys/${created.id}`));
    ok(await rest(t, retailer.admin).patch(`/outreach-journeys/${created.id}`, { expectedVersion: 1, active: false }));
    const product = await newProduct();
    const resource = ok(
      await rest(t, maker.staff).post(`/products/${product.id}/resources`, {
        kind: 'MANUAL',
        title: 'User manual',
        url: 'https://support.example.com/manual.pdf',
        locale: 'en',
      }),
      201,
    );
    ok(await rest(t, retailer.readonly).get(`/products/${product.id}/resources`));
    ok(await rest(t, maker.staff).delete(`/products/${product.id}/resources/${resource.id}`));
  });

  it('errors: 400, 401, 404, 409, 415 and 422 answers match the Problem schema', async () => {
    expect((await rest(t, null).get('/me')).status).toBe(401);
    expect((await rest(t, maker.staff).get('/units?first=0')).status).toBe(400);
    expect((await rest(t, maker.staff).get('/units/01936f3e-8a2b-7c4d-9e5f-0a1b2c3d4e51')).status).toBe(404);
    expect((await rest(t, maker.staff).post('/products', 'sku=1').set('content-type', 'text/plain')).status).toBe(415);
    const unit = await newUnit((await newProduct()).id, addDaysUtc(utcToday(), -5));
    const duplicate = await rest(t, retailer.staff).post('/units', {
      productId: unit.productId,
      serialNumber: unit.serialNumber,
      purchaseDate: utcToday(),
    });
    expect(duplicate.status).toBe(409);
    const stale = await rest(t, retailer.staff).post(`/units/${unit.id}:transfer`, {
      newOwner: { name: 'Late' },
      expectedVersion: unit.version + 5,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ errorCode: 'VERSION_CONFLICT', currentVersion: unit.version });
    const key = `contract-${uniqueSerial()}`;
    const first = { productId: unit.productId, serialNumber: uniqueSerial(), purchaseDate: utcToday() };
    expect((await rest(t, retailer.staff).post('/units', first).set('Idempotency-Key', key)).status).toBe(201);
    const reused = await rest(t, retailer.staff)
      .post('/units', { ...first, serialNumber: uniqueSerial() })
      .set('Idempotency-Key', key);
    expect(reused.status).toBe(422);
  });

  it('every operation of the document was called and its success answer checked', () => {
    expect([...checkedSuccesses].sort()).toEqual(operations.map((o) => o.operationId).sort());
  });
});
