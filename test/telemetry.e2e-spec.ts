import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tracingRequested, untracedPath } from '../src/telemetry/telemetry-env.js';
import { builtServer, startServerProcess } from './support/server-process.js';
import { freshDatabase, PLATFORM_KEY } from './support/test-app.js';

// the built preload, as the Dockerfile runs it: node --import ./dist/telemetry/preload.js dist/main.js
const preload = () => path.join(path.dirname(builtServer()), 'telemetry', 'preload.js');

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A stand-in OTLP/HTTP receiver: keeps the spans of every JSON export request it gets. */
async function startReceiver() {
  const spans: ExportedSpan[] = [];
  const requests: { path: string; contentType: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type']) });
      if (req.url === '/v1/traces') {
        const exported = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const resource of exported.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: ExportedSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('OpenTelemetry tracing', () => {
  it('is requested by the standard variables only, and leaves probes and scrapes untraced', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
    expect(['/metrics', '/metrics?x=1', '/health/live', '/health/ready'].filter(untracedPath)).toHaveLength(4);
    expect(['/graphql', '/api/v1/me', '/metricsx', '/healthy'].filter(untracedPath)).toEqual([]);
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT the preload loads no module of OpenTelemetry', async () => {
    // a module hook in the server process writes down every module the server imports
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aftercare-loads-'));
    const loads = path.join(dir, 'loads.txt');
    const hooks = path.join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(loads)}, resolved.url + '\\n');
  return resolved;
}\n`,
    );
    const recorder = path.join(dir, 'record.mjs');
    writeFileSync(
      recorder,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const server = await startServerProcess({
      DATA_DIR: 'memory://telemetry-off',
      NODE_OPTIONS: `--disable-proto=delete --import ${recorder} --import ${preload()}`,
    });
    try {
      expect(
        (await fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${PLATFORM_KEY}` } })).status,
      ).toBe(200);
    } finally {
      await server.stop();
    }
    const modules = readFileSync(loads, 'utf8').split('\n').filter(Boolean);
    rmSync(dir, { recursive: true, force: true });
    expect(modules.some((url) => url.endsWith('/telemetry/preload.js'))).toBe(true); // the preload did run
    expect(modules.some((url) => url.includes('/@nestjs/core/'))).toBe(true); // and the recorder saw the application
    expect(modules.filter((url) => /opentelemetry|@fastify\/otel|telemetry\/tracing\.js/.test(url))).toEqual([]);
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT a request is exported as a server span with its route, database spans inside it, and the last spans leave on shutdown', async () => {
    const receiver = await startReceiver();
    const db = await freshDatabase();
    const server = await startServerProcess({
      ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: 'memory://telemetry-on' }),
      NODE_OPTIONS: `--disable-proto=delete --import ${preload()}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // batches wait a minute: what arrives was sent by the shutdown
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    });
    try {
      expect(
        (await fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${PLATFORM_KEY}` } })).status,
      ).toBe(200);
      expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(200);
      expect(receiver.spans).toEqual([]);
      await server.stop();
      expect(await server.exited).toEqual({ code: 0, signal: null });

      expect(
        receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType.startsWith('application/json')),
      ).toBe(true);
      const request = receiver.spans.find((s) => s.kind === 2 && s.name === 'GET /api/v1/me');
      expect(request).toBeDefined();
      expect(attribute(request!, 'http.route')).toEqual({ stringValue: '/api/v1/me' });
      const trace = receiver.spans.filter((s) => s.traceId === request!.traceId);
      expect(trace.some((s) => s.name.startsWith('handler - '))).toBe(true);
      // the key lookup ran on PostgreSQL in that request (the embedded database has no driver to trace)
      if (db.url) expect(trace.some((s) => s.name.startsWith('pg.query'))).toBe(true);
      // probes (the start-up wait polled /health/live) and scrapes are not traced
      expect(
        receiver.spans.filter(
          (s) =>
            /health|metrics/.test(s.name) || /health|metrics/.test(String(attribute(s, 'url.path')?.stringValue ?? '')),
        ),
      ).toEqual([]);
    } finally {
      await server.stop();
      await receiver.close();
      await db.drop();
    }
  });
});
