import { AuthService } from '../src/common/auth/auth.service.js';
import { graphqlOptions } from '../src/common/graphql/graphql.config.js';
import { createProduct, createTenant, gql, uniqueSerial, type GqlResponse, type Tenant } from './support/api.js';
import { hasStackTrace, sqlQuery, tableCounts } from './support/input-helpers.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * What protects the GraphQL endpoint (README: GRAPHQL_MAX_DEPTH / _ALIASES / _COST refuse an
 * operation before any resolver runs; NODE_ENV=production turns off introspection, stack traces
 * and field suggestions; CSRF prevention; no batching) and the rest of the HTTP surface: the
 * landing page, the offline IDE, the REST docs, health checks and request ids.
 */

const LIMITS = { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_ALIASES: '5', GRAPHQL_MAX_COST: '1000' };

/** Refused as the client's fault: HTTP 400, extensions.code BAD_USER_INPUT, and nothing executed. */
function expectRefusedAsBadInput(res: GqlResponse, errorCode = 'QUERY_TOO_COMPLEX') {
  expect({
    status: res.status,
    code: res.errors?.[0]?.extensions?.code,
    errorCode: res.errors?.[0]?.extensions?.errorCode,
  }).toEqual({ status: 400, code: 'BAD_USER_INPUT', errorCode });
  expect(res.data ?? null).toBeNull();
}

describe('GraphQL protections and the HTTP surface', () => {
  let dev: TestApp;
  let prod: TestApp;
  let maker: Tenant;
  let prodMaker: Tenant;
  let product: { id: string };

  beforeAll(async () => {
    dev = await startTestApp({ NODE_ENV: 'development', ...LIMITS });
    prod = await startTestApp({ NODE_ENV: 'production' });
    maker = await createTenant(dev, 'MANUFACTURER');
    product = await createProduct(dev, maker.staff);
    prodMaker = await createTenant(prod, 'MANUFACTURER');
    const registered = await gql(
      dev,
      maker.staff,
      `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { __typename } }`,
      {
        input: { productId: product.id, serialNumber: uniqueSerial(), purchaseDate: '2026-01-15' },
      },
    );
    if (registered.errors) throw new Error(JSON.stringify(registered.errors));
  });
  afterAll(async () => {
    await dev?.close();
    await prod?.close();
  });

  const unitsWithSerial = async (serialNumber: string) =>
    (await sqlQuery(dev, 'SELECT id FROM units WHERE serial_number = $1', [serialNumber])).length;

  describe('query limits (GRAPHQL_MAX_DEPTH=6, GRAPHQL_MAX_ALIASES=5, GRAPHQL_MAX_COST=1000)', () => {
    it('a query exactly GRAPHQL_MAX_DEPTH levels deep runs', async () => {
      const res = await gql(
        dev,
        maker.staff,
        `{ units(first: 1) { edges { node { history(first: 1) { edges { node { type } } } } } } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.units.edges[0].node.history.edges[0].node.type).toBe('REGISTERED');
    });

    it('a query one level deeper than GRAPHQL_MAX_DEPTH is refused with 400 BAD_USER_INPUT', async () => {
      const res = await gql(
        dev,
        maker.staff,
        `{ units(first: 1) { edges { node { history(first: 1) { edges { node { actor { id } } } } } } } }`,
      );
      expectRefusedAsBadInput(res);
      expect(res.errors?.[0]?.message).toMatch(/7 levels deep; the limit is 6/);
    });

    it('depth hidden in nested fragments counts the same and is refused', async () => {
      const res = await gql(
        dev,
        maker.staff,
        `{ ...Q }
        fragment Q on Query { units(first: 1) { edges { ...E } } }
        fragment E on UnitEdge { node { history(first: 1) { ...H } } }
        fragment H on UnitEventConnection { edges { node { actor { id } } } }`,
      );
      expectRefusedAsBadInput(res);
    });

    it('a too-deep mutation is refused before any resolver runs: the unit is not registered', async () => {
      const serialNumber = uniqueSerial();
      const before = await tableCounts(dev);
      const res = await gql(
        dev,
        maker.staff,
        `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) {
        ... on Unit { replacementOf { replacementOf { replacementOf { replacementOf { replacementOf { replacementOf { id } } } } } } } } }`,
        { input: { productId: product.id, serialNumber, purchaseDate: '2026-01-15' } },
      );
      expect(await unitsWithSerial(serialNumber)).toBe(0);
      expect(await tableCounts(dev)).toEqual(before);
      expectRefusedAsBadInput(res);
    });

    it('GRAPHQL_MAX_ALIASES aliases run; one more is refused with 400 BAD_USER_INPUT', async () => {
      const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `k${i}: me { role }`).join(' ')} }`;
      const ok = await gql(dev, maker.staff, aliased(5));
      expect(ok.errors).toBeUndefined();
      expect(Object.keys(ok.data)).toHaveLength(5);
      const refused = await gql(dev, maker.staff, aliased(6));
      expectRefusedAsBadInput(refused);
      expect(refused.errors?.[0]?.message).toMatch(/6 aliases; the limit is 5/);
    });

    it('a mutation with more aliases than allowed registers none of its units', async () => {
      const serials = Array.from({ length: 6 }, () => uniqueSerial());
      const defs = serials.map((_, i) => `$i${i}: RegisterUnitInput!`).join(', ');
      const fields = serials.map((_, i) => `u${i}: registerUnit(input: $i${i}) { __typename }`).join(' ');
      const variables = Object.fromEntries(
        serials.map((serialNumber, i) => [
          `i${i}`,
          { productId: product.id, serialNumber, purchaseDate: '2026-01-15' },
        ]),
      );
      const res = await gql(dev, maker.staff, `mutation(${defs}) { ${fields} }`, variables);
      for (const serial of serials) expect(await unitsWithSerial(serial)).toBe(0);
      expectRefusedAsBadInput(res);
    });

    it('a cheap list query runs under GRAPHQL_MAX_COST', async () => {
      const res = await gql(
        dev,
        maker.staff,
        `{ units(first: 5) { edges { node { id history(first: 5) { edges { node { type } } } } } } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.units.edges[0].node.history.edges[0].node.type).toBe('REGISTERED');
    });

    it('units(first: 100) with history(first: 100) on each costs more than GRAPHQL_MAX_COST and is refused with 400 BAD_USER_INPUT', async () => {
      const res = await gql(
        dev,
        maker.staff,
        `{ units(first: 100) { edges { node { id history(first: 100) { edges { node { at type summary } } } } } } }`,
      );
      expectRefusedAsBadInput(res);
      expect(res.errors?.[0]?.message).toMatch(/the limit is 1000/);
    });

    it('page sizes given as variables count toward the cost as well', async () => {
      const res = await gql(
        dev,
        maker.staff,
        `query($n: Int) { units(first: $n) { edges { node { history(first: $n) { edges { node { at } } } } } } }`,
        { n: 100 },
      );
      expectRefusedAsBadInput(res);
    });
  });

  describe('batching and CSRF prevention', () => {
    const ME = '{ me { role } }';

    it('a batched HTTP array of operations is refused with 400 and runs none of them', async () => {
      const serials = [uniqueSerial(), uniqueSerial()];
      const op = (serialNumber: string) => ({
        query: `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) { __typename } }`,
        variables: { input: { productId: product.id, serialNumber, purchaseDate: '2026-01-15' } },
      });
      const res = await dev.http
        .post('/graphql')
        .set('authorization', `Bearer ${maker.staff}`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(serials.map(op)));
      expect(res.status).toBe(400);
      expect(Array.isArray(res.body)).toBe(false);
      expect(res.body.errors?.[0]?.message).toMatch(/batching/i);
      for (const serial of serials) expect(await unitsWithSerial(serial)).toBe(0);
    });

    it('a GET without the apollo-require-preflight header is refused as a possible CSRF', async () => {
      const res = await dev.http.get('/graphql').query({ query: ME }).set('authorization', `Bearer ${maker.staff}`);
      expect(res.status).toBe(400);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery/);
    });

    it('a GET query with the apollo-require-preflight header runs', async () => {
      const res = await dev.http
        .get('/graphql')
        .query({ query: ME })
        .set('authorization', `Bearer ${maker.staff}`)
        .set('apollo-require-preflight', 'true');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ me: { role: 'STAFF' } });
    });

    it('a mutation over GET is refused even with the preflight header, and nothing is registered', async () => {
      const serialNumber = uniqueSerial();
      const query = `mutation { registerUnit(input: { productId: "${product.id}", serialNumber: "${serialNumber}", purchaseDate: "2026-01-15" }) { __typename } }`;
      const res = await dev.http
        .get('/graphql')
        .query({ query })
        .set('authorization', `Bearer ${maker.staff}`)
        .set('apollo-require-preflight', 'true');
      expect(res.status).toBe(405);
      expect(res.body.data ?? null).toBeNull();
      expect(await unitsWithSerial(serialNumber)).toBe(0);
    });

    it.each([
      ['text/plain', (body: string) => body],
      ['application/x-www-form-urlencoded', (body: string) => `payload=${encodeURIComponent(body)}`],
      [
        'multipart/form-data; boundary=x',
        (body: string) => `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${body}\r\n--x--\r\n`,
      ],
    ])(
      'a %s POST without a preflight header (a form a browser sends cross-site) is refused and registers nothing',
      async (contentType, encode) => {
        const serialNumber = uniqueSerial();
        const body = JSON.stringify({
          query: `mutation { registerUnit(input: { productId: "${product.id}", serialNumber: "${serialNumber}", purchaseDate: "2026-01-15" }) { __typename } }`,
        });
        const res = await dev.http
          .post('/graphql')
          .set('authorization', `Bearer ${maker.staff}`)
          .set('content-type', contentType)
          .send(encode(body));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body?.data ?? null).toBeNull();
        expect(await unitsWithSerial(serialNumber)).toBe(0);
      },
    );

    it('an application/json POST runs', async () => {
      const res = await gql(dev, maker.staff, ME);
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ me: { role: 'STAFF' } });
    });
  });

  describe('production (NODE_ENV=production) and development', () => {
    it('production refuses introspection (__schema and __type) and answers no schema', async () => {
      for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Unit") { fields { name } } }']) {
        const res = await gql(prod, prodMaker.staff, query);
        expect(res.status).toBe(400);
        expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(res.errors?.[0]?.message).toMatch(/introspection/i);
        expect(res.data ?? null).toBeNull();
      }
    });

    it('development answers introspection with the schema', async () => {
      const res = await gql(dev, maker.staff, '{ __schema { queryType { name } types { name } } }');
      expect(res.errors).toBeUndefined();
      expect(res.data.__schema.queryType.name).toBe('Query');
      expect(res.data.__schema.types.map((type: { name: string }) => type.name)).toEqual(
        expect.arrayContaining(['Unit', 'Product', 'RegisterUnitInput']),
      );
    });

    it('production errors carry no stack trace, whatever went wrong', async () => {
      const answers: unknown[] = [];
      const call = async (
        query: string,
        variables: Record<string, unknown> = {},
        key: string | null = prodMaker.staff,
      ) => {
        const res = await gql(prod, key, query, variables);
        expect(res.errors?.length).toBeGreaterThan(0);
        answers.push(res.errors);
      };
      await call('{ me { role } '); // syntax
      await call('{ me { rolee } }'); // validation
      await call('{ me { role } }', {}, null); // unauthenticated
      await call('{ unit(id: "01a20276-bf94-7380-82ea-d9d4c6aa887b") { id } }'); // not found
      await call('{ unit(id: "nope") { id } }'); // bad id
      await call(`mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
        input: {
          sku: 'S',
          name: 'N',
          category: 'C',
          warrantyTerms: { durationMonths: 601, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] },
        },
      }); // validation pipe
      await call(`mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
        input: {
          sku: 'S',
          name: 'N',
          category: 'C',
          warrantyTerms: { durationMonths: '24', startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] },
        },
      }); // variable coercion
      for (const errors of answers) expect(hasStackTrace(errors)).toBe(false);
      const restProblem = await prod.http
        .get('/api/v1/units/not-a-uuid')
        .set('authorization', `Bearer ${prodMaker.staff}`);
      expect(restProblem.status).toBe(400);
      expect(hasStackTrace(restProblem.body)).toBe(false);
    });

    it("development errors carry a stack trace only for a failure on our side (INTERNAL_SERVER_ERROR), never for the caller's", async () => {
      const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`;
      const terms = { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] };
      const callerErrors = [
        await gql(dev, maker.staff, '{ me { role } '), // syntax
        await gql(dev, maker.staff, '{ me { rolee } }'), // validation
        await gql(dev, null, '{ me { role } }'), // unauthenticated
        await gql(dev, maker.staff, '{ unit(id: "01a20276-bf94-7380-82ea-d9d4c6aa887b") { id } }'), // not found
        await gql(dev, maker.staff, '{ unit(id: "nope") { id } }'), // bad id
        await gql(dev, maker.staff, CREATE, {
          input: { sku: 'S', name: 'N', category: 'C', warrantyTerms: { ...terms, durationMonths: 601 } },
        }), // validation pipe
        await gql(dev, maker.staff, CREATE, {
          input: { sku: 'S', name: 'N', category: 'C', warrantyTerms: { ...terms, durationMonths: '24' } },
        }), // variable coercion
      ];
      expect(callerErrors.map((res) => res.errors?.[0]?.extensions?.code)).toEqual([
        'GRAPHQL_PARSE_FAILED',
        'GRAPHQL_VALIDATION_FAILED',
        'UNAUTHENTICATED',
        'NOT_FOUND',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
        'BAD_USER_INPUT',
      ]);
      for (const res of callerErrors) expect(hasStackTrace(res.errors)).toBe(false);
      // a failure on our side: the database refuses a write the API let through
      await sqlQuery(
        dev,
        `ALTER TABLE products ADD CONSTRAINT stack_probe_refused_sku CHECK (sku NOT LIKE 'STACK-BOOM%')`,
      );
      try {
        const failed = await gql(dev, maker.staff, CREATE, {
          input: { sku: 'STACK-BOOM-1', name: 'N', category: 'C', warrantyTerms: terms },
        });
        expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
        expect(hasStackTrace(failed.errors)).toBe(true);
      } finally {
        await sqlQuery(dev, 'ALTER TABLE products DROP CONSTRAINT stack_probe_refused_sku');
      }
    });

    it('NODE_ENV=test (as production) asks Apollo for no stack traces, and any that reaches formatError leaves with an INTERNAL_SERVER_ERROR only', () => {
      const auth = dev.app.get(AuthService);
      const options = (nodeEnv: string) =>
        graphqlOptions({ ...dev.config, nodeEnv, isProduction: nodeEnv === 'production' }, {}, auth);
      expect(
        ['test', 'production', 'development'].map((env) => options(env).includeStacktraceInErrorResponses),
      ).toEqual([false, false, true]);
      const formatError = options('development').formatError!;
      const traced = (code: string) => ({
        message: 'm',
        extensions: { code, stacktrace: ['Error: m', '    at somewhere (file.js:1:1)'] },
      });
      expect(formatError(traced('NOT_FOUND'), new Error('m')).extensions).toEqual({ code: 'NOT_FOUND' });
      expect(formatError(traced('BAD_USER_INPUT'), new Error('m')).extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(formatError(traced('INTERNAL_SERVER_ERROR'), new Error('m')).extensions?.stacktrace).toHaveLength(2);
    });

    it('production never suggests field names ("Did you mean") for a mistyped field, argument or type in the query', async () => {
      for (const query of [
        '{ mee { role } }',
        '{ units(frist: 5) { totalCount } }',
        'query($f: UnitFiltr) { units(filter: $f) { totalCount } }',
      ]) {
        const res = await gql(prod, prodMaker.staff, query);
        expect(res.errors?.length).toBeGreaterThan(0);
        expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean/i);
      }
    });

    it('production never suggests field or enum names ("Did you mean") for a mistyped input field or enum value in the variables', async () => {
      const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`;
      const mistypedField = await gql(prod, prodMaker.staff, CREATE, {
        input: {
          sku: 'S-1',
          name: 'N',
          category: 'C',
          warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTyps: ['PARTS'] },
        },
      });
      const mistypedEnum = await gql(prod, prodMaker.staff, CREATE, {
        input: {
          sku: 'S-2',
          name: 'N',
          category: 'C',
          warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DAT', coverageTypes: ['PARTS'] },
        },
      });
      for (const res of [mistypedField, mistypedEnum]) {
        expect(res.errors?.length).toBeGreaterThan(0);
        expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean/i);
        expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });

    it('development does suggest field names, so the production check above is not vacuous', async () => {
      const res = await gql(dev, maker.staff, '{ mee { role } }');
      expect(res.errors?.[0]?.message).toMatch(/Did you mean "me"\?/);
    });
  });

  describe('landing page, IDE, REST docs, health and request ids', () => {
    /** The local references (href/src) of an HTML page, resolved the way a browser would. */
    const referencedUrls = (html: string, pageUrl: string) => {
      const base = new URL(html.match(/<base\s+href="([^"]*)"/i)?.[1] ?? pageUrl, `http://localhost${pageUrl}`);
      return [...html.replace(/<base\b[^>]*>/gi, '').matchAll(/\s(?:href|src)="([^"]+)"/gi)]
        .map((m) => m[1])
        .filter((ref) => !ref.startsWith('#') && !ref.startsWith('data:'))
        .map((ref) => new URL(ref, base));
    };

    it('GET /graphql asking for HTML is a landing page that points to the IDE at /ide/', async () => {
      const res = await dev.http.get('/graphql').set('accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/href="\/ide\/"/);
    });

    it('GET /ide/ serves the IDE page, and every script and style it names is local (no CDN)', async () => {
      const res = await dev.http.get('/ide/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/<script[^>]+src=/);
      const urls = referencedUrls(res.text, '/ide/');
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.filter((url) => url.host !== 'localhost').map(String)).toEqual([]);
      expect(res.text).not.toMatch(/(?:src|href)="(?:https?:)?\/\/(?!localhost)/i);
    });

    it('every script, style and image the IDE page at /ide/ names loads from this server (resolved against its <base href>)', async () => {
      const res = await dev.http.get('/ide/');
      const missing: string[] = [];
      for (const url of referencedUrls(res.text, '/ide/')) {
        const asset = await dev.http.get(url.pathname);
        if (asset.status !== 200) missing.push(`${url.pathname} -> ${asset.status}`);
      }
      expect(missing).toEqual([]);
    });

    it("the IDE page at /ide/ is set up to call this server's /graphql endpoint", async () => {
      const res = await dev.http.get('/ide/');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/endpointURL["']?\s*:\s*["'`]\/graphql["'`]/);
    });

    it('GET /api/v1/openapi.json is an OpenAPI 3 document listing /api/v1/units and the import route', async () => {
      const res = await dev.http.get('/api/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/units', '/api/v1/units:import', '/api/v1/units/{id}']),
      );
      expect(Object.keys(res.body.paths['/api/v1/units'])).toEqual(expect.arrayContaining(['get', 'post']));
    });

    it('GET /api/v1/docs serves the Swagger UI page, whose local scripts and styles load', async () => {
      const res = await dev.http.get('/api/v1/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/swagger-ui/i);
      const urls = referencedUrls(res.text, '/api/v1/docs');
      expect(urls.filter((url) => url.host !== 'localhost').map(String)).toEqual([]);
      for (const url of urls.filter((u) => /\.(css|js)$/.test(u.pathname))) {
        const asset = await dev.http.get(url.pathname);
        expect({ asset: url.pathname, status: asset.status }).toEqual({ asset: url.pathname, status: 200 });
      }
    });

    it('/health/live and /health/ready answer 200 without an API key', async () => {
      const live = await dev.http.get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
      const ready = await dev.http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', database: 'ok' });
    });

    it('every kind of response carries an x-request-id header, and problem bodies carry it as correlationId', async () => {
      const responses = [
        await dev.http.get('/health/live'),
        await dev.http.get('/health/ready'),
        await dev.http.get('/api/v1/me').set('authorization', `Bearer ${maker.readonly}`),
        await dev.http.get('/api/v1/me'),
        await dev.http.get('/api/v1/no-such-route'),
        await dev.http.get('/api/v1/units/not-a-uuid').set('authorization', `Bearer ${maker.readonly}`),
        await dev.http
          .post('/api/v1/units')
          .set('authorization', `Bearer ${maker.staff}`)
          .set('content-type', 'application/json')
          .send('{"broken": '),
        await dev.http.post('/graphql').set('content-type', 'application/json').send({ query: '{ me { role } }' }),
        await dev.http.get('/graphql').query({ query: '{ me { role } }' }),
        await dev.http.get('/api/v1/openapi.json'),
        await dev.http.get('/ide/'),
      ];
      for (const res of responses) {
        const id = res.headers['x-request-id'];
        expect({ url: (res as any).req?.path, id: typeof id === 'string' && id.length > 0 }).toEqual({
          url: (res as any).req?.path,
          id: true,
        });
        if (String(res.headers['content-type']).startsWith('application/problem+json'))
          expect(res.body.correlationId).toBe(id);
      }
      expect(new Set(responses.map((r) => r.headers['x-request-id'])).size).toBe(responses.length);
    });

    it('an incoming x-request-id is echoed on REST, GraphQL and health answers, and used as the correlationId of errors', async () => {
      const health = await dev.http.get('/health/live').set('x-request-id', 'lb-trace-0001');
      expect(health.headers['x-request-id']).toBe('lb-trace-0001');
      const problem = await dev.http
        .get('/api/v1/units/not-a-uuid')
        .set('authorization', `Bearer ${maker.readonly}`)
        .set('x-request-id', 'lb-trace-0002');
      expect(problem.headers['x-request-id']).toBe('lb-trace-0002');
      expect(problem.body.correlationId).toBe('lb-trace-0002');
      const graph = await gql(dev, null, '{ me { role } }', {}, { 'x-request-id': 'lb-trace-0003' });
      expect(graph.headers['x-request-id']).toBe('lb-trace-0003');
      expect(graph.errors?.[0]?.extensions?.correlationId).toBe('lb-trace-0003');
    });

    it('an incoming x-request-id that is not a plain token (spaces, newlines, over 100 characters) is replaced, not echoed', async () => {
      for (const given of ['has spaces in it', 'x'.repeat(101), 'a\tb']) {
        const res = await dev.http.get('/health/live').set('x-request-id', given);
        expect(res.headers['x-request-id']).toEqual(expect.any(String));
        expect(res.headers['x-request-id']).not.toBe(given);
        expect(res.headers['x-request-id']).toMatch(/^[\w.-]{1,100}$/);
      }
    });
  });
});
