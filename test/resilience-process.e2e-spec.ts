import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { startServerProcess, builtServer, type ServerProcess } from './support/server-process.js';
import { freshDatabase, PLATFORM_KEY } from './support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function graphql(server: ServerProcess, key: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A manufacturer with a STAFF key and one product, made over the API as a client would. */
async function manufacturerWithProduct(server: ServerProcess) {
  const org = await graphql(
    server,
    PLATFORM_KEY,
    `
      mutation ($input: CreateOrganizationInput!) {
        createOrganization(input: $input) {
          id
        }
      }
    `,
    {
      input: { name: `Maker ${randomUUID()}`, kind: 'MANUFACTURER' },
    },
  );
  const made = await graphql(
    server,
    PLATFORM_KEY,
    `
      mutation ($input: CreateApiKeyInput!) {
        createApiKey(input: $input) {
          secret
        }
      }
    `,
    {
      input: { organizationId: org.createOrganization.id, name: 'import', role: 'STAFF' },
    },
  );
  const key: string = made.createApiKey.secret;
  const product = await graphql(
    server,
    key,
    `
      mutation ($input: CreateProductInput!) {
        createProduct(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        sku: `SKU-${randomUUID().slice(0, 8)}`,
        name: 'Kettle',
        category: 'FRIDGE',
        warrantyTerms: { durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'] },
      },
    },
  );
  return { organizationId: org.createOrganization.id as string, key, productId: product.createProduct.id as string };
}

/** Times a /health/live call: the event loop answers or it does not. */
async function timedLive(server: ServerProcess, pad = ''): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${server.baseUrl}/health/live${pad ? `?pad=${pad}` : ''}`, {
    signal: AbortSignal.timeout(3000),
  }).catch(() => null);
  return { status: res?.status ?? 0, ms: Date.now() - started };
}

describe('the server as a process', () => {
  beforeAll(() => {
    builtServer(); // builds once here if dist is missing or older than the sources
  }, 180_000);

  /**
   * Finding 6: the log pipe going away (closed) or stalling (nobody reads, the pipe fills) must
   * not stop the event loop: the server keeps answering and SIGTERM ends it within the grace.
   */
  describe('with its stdout closed or stalled', () => {
    const GRACE_MS = 3000;
    // a long query string makes every request's log line long, so the pipe fills quickly
    const pad = 'x'.repeat(8000);

    for (const how of ['closed', 'stalled'] as const) {
      it(`keeps answering when the log reader is ${how}, and stops on SIGTERM within SHUTDOWN_GRACE_MS`, async () => {
        const server = await startServerProcess(
          { DATA_DIR: `memory://stdout-${how}`, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS) },
          { stdout: 'pipe' },
        );
        try {
          const stdout = server.child.stdout!;
          if (how === 'closed') stdout.destroy();
          else stdout.pause();
          const answers = [];
          for (let i = 0; i < 300; i++) answers.push(await timedLive(server, pad));
          expect(answers.filter((a) => a.status !== 200 || a.ms > 1000)).toEqual([]);

          const signalled = Date.now();
          server.child.kill('SIGTERM');
          const ended = await Promise.race([server.exited, sleep(GRACE_MS + 1500).then(() => null)]);
          expect(ended).not.toBeNull();
          expect(Date.now() - signalled).toBeLessThan(GRACE_MS + 1500);
        } finally {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      });
    }
  });

  /**
   * A server killed outright (SIGKILL, an OOM kill) in the middle of a bulk import: the same
   * import sent again with the same Idempotency-Key to a new server creates every row exactly once.
   */
  it('a bulk import cut by SIGKILL, sent again with its Idempotency-Key, registers every row exactly once', async () => {
    const db = await freshDatabase();
    const dataDir = db.url ? undefined : mkdtempSync(path.join(os.tmpdir(), 'aftercare-sigkill-'));
    const env: Record<string, string> = db.url ? { DATABASE_URL: db.url } : { DATA_DIR: dataDir! };
    const ROWS = 8_000;
    const idempotencyKey = `import-${randomUUID()}`;
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    try {
      first = await startServerProcess(env);
      const maker = await manufacturerWithProduct(first);
      const prefix = `KILL-${randomUUID().slice(0, 8)}`;
      const ndjson =
        Array.from({ length: ROWS }, (_, i) =>
          JSON.stringify({ productId: maker.productId, serialNumber: `${prefix}-${i}`, purchaseDate: '2026-05-01' }),
        ).join('\n') + '\n';
      const sendImport = (server: ServerProcess) =>
        fetch(`${server.baseUrl}/api/v1/units:import`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-ndjson',
            authorization: `Bearer ${maker.key}`,
            'idempotency-key': idempotencyKey,
          },
          body: ndjson,
        });

      // read the answer until the first rows are reported (their batch committed), then kill
      const res = await sendImport(first);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let seen = '';
      while (!seen.includes('"status":"created"')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += Buffer.from(value).toString('utf8');
      }
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      await reader.read().catch(() => undefined);
      expect(seen).not.toContain('"summary"');

      second = await startServerProcess(env);
      const retried = await sendImport(second);
      expect(retried.status).toBe(200);
      const lines = (await retried.text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const rows = lines.filter((line) => 'row' in line);
      expect(rows).toHaveLength(ROWS);
      expect(rows.filter((row) => row.status !== 'created')).toEqual([]);
      expect(new Set(rows.map((row) => row.id)).size).toBe(ROWS);
      expect(lines.at(-1)).toEqual({ summary: { rows: ROWS, created: ROWS, failed: 0 } });
      await second.stop();

      // exactly once in the database: one unit per serial, one history entry and one event per unit
      const countsSql = `SELECT (SELECT count(*) FROM units WHERE serial_number LIKE $1)::int AS units,
        (SELECT count(DISTINCT serial_number) FROM units WHERE serial_number LIKE $1)::int AS serials,
        (SELECT count(*) FROM unit_events e JOIN units u ON u.id = e.unit_id WHERE u.serial_number LIKE $1 AND e.type = 'REGISTERED')::int AS history,
        (SELECT count(*) FROM outbox_events o JOIN units u ON u.id = o.aggregate_id WHERE u.serial_number LIKE $1 AND o.event_type = 'UnitRegistered')::int AS events`;
      let counts: Record<string, number>;
      if (db.url) {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        counts = (await client.query(countsSql, [`${prefix}-%`])).rows[0];
        await client.end();
      } else {
        const local = await PGlite.create(dataDir!);
        counts = (await local.query<Record<string, number>>(countsSql, [`${prefix}-%`])).rows[0];
        await local.close();
      }
      expect(counts).toEqual({ units: ROWS, serials: ROWS, history: ROWS, events: ROWS });
    } finally {
      first?.child.kill('SIGKILL');
      await second?.stop();
      await db.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
