import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A message as the receiver got it. */
export interface Received {
  /** The request's path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
  at: number;
}

/** How the receiver answers one request (by default 204). */
export type Answer = (message: Received, res: ServerResponse) => void;

/**
 * A real HTTP receiver for webhooks on a local port, as an integrator would run: it records every
 * request and answers as the test says; `verify` checks a message's signatures with the
 * standardwebhooks library, as a receiver would.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private answer: Answer = (_m, res) => res.writeHead(204).end();
  private waiters: Array<() => void> = [];
  private server!: Server;
  port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        let json: Received['json'];
        try {
          json = JSON.parse(body);
        } catch {
          json = { type: '(not JSON)', timestamp: '', data: {} };
        }
        const message = { url: req.url ?? '', headers: req.headers, body, json, at: Date.now() };
        receiver.received.push(message);
        receiver.answer(message, res);
        for (const wake of receiver.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  get url(): string {
    return this.urlOf('hooks');
  }

  /** A URL on this receiver with its own path, to tell endpoints apart. */
  urlOf(path: string): string {
    return `http://127.0.0.1:${this.port}/${path}`;
  }

  answerWith(answer: Answer): void {
    this.answer = answer;
  }

  /** Waits until `count` messages matching `match` arrived (default: any), or fails after `timeoutMs`. */
  async waitFor(count: number, match: (m: Received) => boolean = () => true, timeoutMs = 15000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.filter(match);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `expected ${count} webhook(s), got ${found.length}: ${this.received.map((m) => m.json.type).join(', ')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The message's payload if it verifies with the secret (standardwebhooks); throws otherwise. */
  static verify(message: Received, secret: string): unknown {
    return new Webhook(secret).verify(message.body, {
      'webhook-id': String(message.headers['webhook-id']),
      'webhook-timestamp': String(message.headers['webhook-timestamp']),
      'webhook-signature': String(message.headers['webhook-signature']),
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
