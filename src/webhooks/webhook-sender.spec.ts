import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { parseAllowHosts } from './webhook-address.js';
import { attemptDelivery } from './webhook-sender.js';
import { newWebhookSecret, secretPrefix, signatureHeader } from './webhook-signature.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP receiver on a local port; each test says how it answers. */
async function receiver(handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('webhook signatures', () => {
  it('verify with the standardwebhooks library, with each secret after a rotation', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretPrefix(newSecret)).toHaveLength(10);
    const body = JSON.stringify({ type: 'webhook.test', timestamp: '2026-12-02T10:00:00.000Z', data: { id: 'x' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_0190a000',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([newSecret, oldSecret], 'msg_0190a000', timestamp, body),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(body.replace('x', 'y'), headers)).toThrow();
  });
});

describe('one delivery attempt', () => {
  let server: Server | null = null;
  afterEach(async () => {
    if (server) await close(server);
    server = null;
  });

  const attempt = (port: number, extra: { timeoutMs?: number; host?: string } = {}) =>
    attemptDelivery({
      url: `http://${extra.host ?? 'receiver.test'}:${port}/hook`,
      body: '{"type":"webhook.test"}',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
      timeoutMs: extra.timeoutMs ?? 2000,
      allowedHosts: parseAllowHosts(`receiver.test:${port}`),
      // the name does not exist: the socket reaches the receiver only through the checked address
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });

  it('posts the body and headers to the checked address and reports a 2xx', async () => {
    let seen: { headers: IncomingMessage['headers']; body: string } | null = null;
    const r = await receiver((req, res, body) => {
      seen = { headers: req.headers, body };
      res.writeHead(204).end();
    });
    server = r.server;
    const outcome = await attempt(r.port);
    expect(outcome).toMatchObject({ responseStatus: 204, error: null });
    expect(seen!.body).toBe('{"type":"webhook.test"}');
    expect(seen!.headers['webhook-id']).toBe('msg_1');
    expect(seen!.headers['content-type']).toBe('application/json');
  });

  it('does not follow a redirect: a 3xx is a failure', async () => {
    let hits = 0;
    const r = await receiver((_req, res) => {
      hits++;
      res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    });
    server = r.server;
    expect(await attempt(r.port)).toMatchObject({ responseStatus: 307, error: 'answered 307' });
    expect(hits).toBe(1);
  });

  it('reports the Retry-After of a 429', async () => {
    const r = await receiver((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end('slow down'));
    server = r.server;
    expect(await attempt(r.port)).toMatchObject({ responseStatus: 429, retryAfter: '7' });
  });

  it('gives up on a receiver that never answers, within the timeout', async () => {
    const r = await receiver(() => undefined);
    server = r.server;
    const outcome = await attempt(r.port, { timeoutMs: 300 });
    expect(outcome).toMatchObject({ responseStatus: null, error: 'no answer within 300 ms' });
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('reports a refused connection', async () => {
    const r = await receiver(() => undefined);
    const { port } = r;
    await close(r.server);
    expect(await attempt(port)).toMatchObject({ responseStatus: null, error: 'connection refused' });
  });

  it('checks the address again at the attempt: a host no longer allowed is refused without a request', async () => {
    let hits = 0;
    const r = await receiver((_req, res) => {
      hits++;
      res.writeHead(200).end();
    });
    server = r.server;
    const outcome = await attemptDelivery({
      url: `https://receiver.test:${r.port}/hook`,
      body: '{}',
      headers: {},
      timeoutMs: 1000,
      allowedHosts: [],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    expect(outcome.error).toBe('URL refused: receiver.test does not resolve to public addresses only');
    expect(hits).toBe(0);
  });

  it('counts a slow DNS answer in the attempt timeout', async () => {
    const outcome = await attemptDelivery({
      url: 'https://slow-dns.test/hook',
      body: '{}',
      headers: {},
      timeoutMs: 200,
      allowedHosts: [],
      resolve: () =>
        new Promise((resolve) => setTimeout(() => resolve([{ address: '93.184.215.14', family: 4 }]), 3000)),
    });
    expect(outcome.error).toBe('URL refused: slow-dns.test does not resolve to public addresses only');
    expect(outcome.durationMs).toBeLessThan(1000);
  });
});
