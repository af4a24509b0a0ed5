import { readFileSync } from 'node:fs';
import { prefersHtml } from '../src/common/http/index-page.js';
import { createTenant, type Tenant } from './support/api.js';
import { tableCounts } from './support/input-helpers.js';
import { fastifyRoutes } from './support/matrix-routes.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * What a newcomer meets first over HTTP (issue 11): a body in a content type a route does not
 * take is a 415 that names the one it does, and GET / and GET /api/v1 say where everything is.
 */

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const SOME_ID = '01a20276-bf94-7380-82ea-d9d4c6aa887b';
const JSON_TEXT = JSON.stringify({ sku: 'SKU-1', name: 'Fridge', category: 'cooling' });
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** What a client may send instead of the JSON a route takes; `undefined` is no Content-Type at all. */
const REFUSED_CONTENT_TYPES: [label: string, contentType: string | undefined, body: string][] = [
  ['no Content-Type (a JSON body)', undefined, JSON_TEXT],
  ['curl -d (application/x-www-form-urlencoded)', 'application/x-www-form-urlencoded', JSON_TEXT],
  ['text/plain', 'text/plain', JSON_TEXT],
  ['application/xml', 'application/xml', '<product sku="SKU-1"/>'],
  [
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="sku"\r\n\r\nSKU-1\r\n--x--\r\n',
  ],
  ['text/csv (a streamed type only the import takes)', 'text/csv', 'sku,name\nSKU-1,Fridge\n'],
  ['a Content-Type that does not parse', 'json', JSON_TEXT],
];

describe('first contact over HTTP', () => {
  let t: TestApp;
  let maker: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    maker = await createTenant(t, 'MANUFACTURER');
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (method: string, path: string, contentType: string | undefined, body: string) => {
    let req = t.http[method.toLowerCase() as 'post' | 'patch' | 'put'](path).set(
      'authorization',
      `Bearer ${maker.admin}`,
    );
    // supertest names no type for a Buffer: the body goes out with no Content-Type header at all
    req = contentType === undefined ? req : req.set('content-type', contentType);
    return req.send(contentType === undefined ? Buffer.from(body) : body);
  };

  describe('415 for a body a route does not take', () => {
    it('every REST route with a body answers 415 problem+json naming Content-Type: application/json (the import: NDJSON or CSV), and stores nothing', async () => {
      const routes = fastifyRoutes(t).filter((route) => /^(POST|PATCH|PUT) /.test(route));
      expect(routes).toEqual(
        expect.arrayContaining(['POST /units', 'POST /units:import', 'PATCH /repair-tickets/{id}']),
      );
      const before = await tableCounts(t);
      const wrong: unknown[] = [];
      for (const route of routes) {
        const [method, path] = route.split(' ');
        const url = `/api/v1${path.replace(/\{\w+\}/g, SOME_ID)}`;
        const isImport = path === '/units:import';
        for (const [label, contentType, body] of REFUSED_CONTENT_TYPES) {
          if (isImport && contentType === 'text/csv') continue; // the import takes CSV
          const res = await post(method, url, contentType, body);
          const expected = isImport
            ? /NDJSON \(Content-Type: application\/x-ndjson\) or CSV \(Content-Type: text\/csv\)/
            : /Content-Type: application\/json/;
          const ok =
            res.status === 415 &&
            String(res.headers['content-type']).startsWith('application/problem+json') &&
            res.body.status === 415 &&
            res.body.code === 'BAD_USER_INPUT' &&
            res.body.field === 'Content-Type' &&
            expected.test(res.body.detail) &&
            res.headers.accept ===
              (isImport ? 'application/x-ndjson, application/ndjson, text/csv' : 'application/json') &&
            res.body.correlationId === res.headers['x-request-id'];
          if (!ok) wrong.push({ route, label, status: res.status, accept: res.headers.accept, body: res.body });
        }
      }
      expect(wrong).toEqual([]);
      expect(await tableCounts(t)).toEqual(before);
    });

    it('a body sent without Content-Type is told so', async () => {
      const res = await post('POST', '/api/v1/products', undefined, JSON_TEXT);
      expect(res.status).toBe(415);
      expect(res.body.detail).toBe(
        'The request has a body but no Content-Type header. Send the body as JSON with the header Content-Type: application/json.',
      );
    });

    it('the import refuses one JSON document with 415 naming NDJSON and CSV, and registers nothing', async () => {
      const before = await tableCounts(t);
      const res = await post(
        'POST',
        '/api/v1/units:import',
        'application/json',
        JSON.stringify({ productId: SOME_ID, serialNumber: 'SN-JSON-1', purchaseDate: '2026-01-15' }),
      );
      expect({ status: res.status, field: res.body.field, accept: res.headers.accept }).toEqual({
        status: 415,
        field: 'Content-Type',
        accept: 'application/x-ndjson, application/ndjson, text/csv',
      });
      expect(res.body.detail).toMatch(/NDJSON .* or CSV/);
      expect(await tableCounts(t)).toEqual(before);
    });

    it('GraphQL POST answers 415 as GraphQL errors (no data, code BAD_USER_INPUT, field Content-Type) and runs nothing', async () => {
      const before = await tableCounts(t);
      const mutation = JSON.stringify({
        query: `mutation { createProduct(input: { sku: "GQL-415", name: "N", category: "C", warrantyTerms: { durationMonths: 24, startsFrom: PURCHASE_DATE, coverageTypes: [PARTS] } }) { id } }`,
      });
      for (const [label, contentType] of REFUSED_CONTENT_TYPES) {
        const res = await post('POST', '/graphql', contentType, mutation);
        expect({ label, status: res.status, type: res.headers['content-type'], accept: res.headers.accept }).toEqual({
          label,
          status: 415,
          type: expect.stringMatching(/^application\/json/),
          accept: 'application/json',
        });
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors).toEqual([
          {
            message: expect.stringMatching(/Send the body as JSON with the header Content-Type: application\/json\.$/),
            extensions: { code: 'BAD_USER_INPUT', field: 'Content-Type', correlationId: res.headers['x-request-id'] },
          },
        ]);
      }
      expect(await tableCounts(t)).toEqual(before);
    });

    it('JSON with a charset runs, over REST and GraphQL', async () => {
      const created = await post(
        'POST',
        '/api/v1/products',
        'application/json; charset=utf-8',
        JSON.stringify({
          sku: 'SKU-CHARSET',
          name: 'Washer',
          category: 'laundry',
          warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS'] },
        }),
      );
      expect(created.status).toBe(201);
      const me = await post(
        'POST',
        '/graphql',
        'application/json; charset=utf-8',
        JSON.stringify({ query: '{ me { role } }' }),
      );
      expect(me.status).toBe(200);
      expect(me.body.data).toEqual({ me: { role: 'ADMIN' } });
    });

    it('GET requests, which carry no body, are unaffected by the Content-Type rules', async () => {
      const me = await t.http.get('/api/v1/me').set('authorization', `Bearer ${maker.readonly}`);
      expect(me.status).toBe(200);
      const withStrayType = await t.http
        .get('/api/v1/me')
        .set('authorization', `Bearer ${maker.readonly}`)
        .set('content-type', 'text/plain');
      expect(withStrayType.status).toBe(200);
      const graph = await t.http
        .get('/graphql')
        .query({ query: '{ me { role } }' })
        .set('authorization', `Bearer ${maker.readonly}`)
        .set('apollo-require-preflight', 'true');
      expect(graph.status).toBe(200);
      expect(graph.body.data).toEqual({ me: { role: 'READONLY' } });
    });

    it('a POST without a body and without Content-Type reaches the route, which names its missing input', async () => {
      const res = await t.http.post('/api/v1/products').set('authorization', `Bearer ${maker.admin}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('the index at GET / and GET /api/v1', () => {
    const LINKS = {
      graphql: '/graphql',
      graphqlIde: '/ide/',
      restDocs: '/api/v1/docs',
      openApi: '/api/v1/openapi.json',
      healthLive: '/health/live',
      healthReady: '/health/ready',
      metrics: '/metrics',
    };

    it.each(['/', '/api/v1', '/api/v1/'])(
      'GET %s answers JSON with the version of package.json and the public paths, without an API key',
      async (path) => {
        const res = await t.http.get(path);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers.vary).toMatch(/Accept/);
        expect(res.body).toEqual({
          name: 'Aftercare',
          description: expect.any(String),
          version: PACKAGE_VERSION,
          links: LINKS,
        });
      },
    );

    it('every path the index names answers (the GraphQL endpoint with its landing page)', async () => {
      for (const [name, path] of Object.entries(LINKS)) {
        const res = await t.http.get(path).set('accept', name === 'graphql' ? 'text/html' : '*/*');
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
      }
    });

    it('a refused API key does not stand in the way of the index', async () => {
      const res = await t.http.get('/').set('authorization', 'Bearer ac_not_a_key_of_this_server_000000000000');
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(PACKAGE_VERSION);
    });

    it('a browser gets a small self-contained HTML page: the same links, no script, nothing loaded from elsewhere', async () => {
      const res = await t.http.get('/').set('accept', BROWSER_ACCEPT);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.text).toContain(PACKAGE_VERSION);
      const hrefs = [...res.text.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
      expect(hrefs).toEqual(Object.values(LINKS));
      expect(res.text).not.toMatch(/<script|<link|<img|@import|url\(/i);
      expect(res.text.length).toBeLessThan(4096);
      const apiIndex = await t.http.get('/api/v1').set('accept', BROWSER_ACCEPT);
      expect(apiIndex.text).toBe(res.text);
    });

    it('HTML only when text/html outranks JSON in Accept', () => {
      expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
      expect(prefersHtml('text/html')).toBe(true);
      expect(prefersHtml('text/*, application/json;q=0.5')).toBe(true);
      expect(prefersHtml(undefined)).toBe(false);
      expect(prefersHtml('*/*')).toBe(false);
      expect(prefersHtml('application/json')).toBe(false);
      expect(prefersHtml('application/json, text/html')).toBe(false);
      expect(prefersHtml('text/html;q=0.5, application/json')).toBe(false);
      expect(prefersHtml('text/html;q=0, */*')).toBe(false);
      expect(prefersHtml('text/html;q=nonsense')).toBe(false);
    });

    it('the index is not an operation of the OpenAPI document', async () => {
      const res = await t.http.get('/api/v1/openapi.json');
      expect(
        Object.keys(res.body.paths).filter((path) => path === '/' || path === '/api/v1' || path === '/api/v1/'),
      ).toEqual([]);
    });
  });
});

describe('the index when /metrics is not served', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_ENABLED: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('names no /metrics link', async () => {
    const res = await t.http.get('/');
    expect(res.status).toBe(200);
    expect(res.body.links.metrics).toBeUndefined();
    expect((await t.http.get('/metrics')).status).toBe(404);
  });
});
