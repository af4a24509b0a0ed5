#!/usr/bin/env node
// A webhook receiver to try Aftercare's webhooks with: it checks every message's signature with
// the standardwebhooks library, as an integrator's receiver would, prints one line per message,
// and answers 204 (400 when the signature does not verify).
// Usage: WEBHOOK_SECRET=whsec_… node scripts/webhook-receiver.mjs [port]   (port 4000 by default)
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const port = Number(process.argv[2] ?? 4000);
const secret = process.env.WEBHOOK_SECRET;
if (!secret?.startsWith('whsec_')) {
  process.stderr.write('Set WEBHOOK_SECRET to the endpoint secret (whsec_…) shown when it was created.\n');
  process.exit(2);
}
const webhook = new Webhook(secret);

http
  .createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        const message = webhook.verify(body, req.headers);
        process.stdout.write(`verified ${message.type} ${message.data?.id ?? ''} (${req.headers['webhook-id']})\n`);
        res.writeHead(204).end();
      } catch (error) {
        process.stdout.write(`refused a message: ${error.message}\n`);
        res.writeHead(400).end();
      }
    });
  })
  .listen(port, () => process.stdout.write(`listening on port ${port}\n`));
