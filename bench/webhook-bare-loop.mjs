#!/usr/bin/env node
// The ceiling of bench/webhooks.mjs, run by it in a process of its own so that its CPU is told
// apart from the receiver's: the messages the server delivered, POSTed again to the same receiver
// paths as the server's dispatcher sends them (signed by the server's own signing code with each
// endpoint's secret, the same headers, keep-alive connections, the dispatcher's limits of
// attempts in flight in all, per endpoint and per organization), with no database.
// Input: a JSON file (argv[2]) { build, port, limits: { total, perEndpoint, perOrganization },
// messages: [{ path, body, secret }] }, all of one organization. Output: one JSON line.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { signatureHeader } = await import(pathToFileURL(join(input.build, 'webhooks/webhook-signature.js')).href);
const { total, perEndpoint, perOrganization } = input.limits;
const limit = Math.min(total, perOrganization);

// the server's agent options (src/webhooks/webhook-sender.ts)
const agent = new http.Agent({
  keepAlive: true,
  maxSockets: 512,
  maxTotalSockets: 512,
  maxFreeSockets: 512,
  timeout: 5000,
});

/** Messages waiting, by endpoint (receiver path), taken a turn per endpoint as the dispatcher does. */
const queues = new Map();
for (const message of input.messages)
  (queues.get(message.path) ?? queues.set(message.path, []).get(message.path)).push(message);
const inFlightByPath = new Map();
let inFlight = 0;
let done = 0;
const latencies = [];

function send(message) {
  const messageId = `msg_${randomUUID().replaceAll('-', '')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const sent = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: input.port,
        method: 'POST',
        path: message.path,
        agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Aftercare-Webhooks/1',
          'webhook-id': messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader([message.secret], messageId, timestamp, message.body),
          'content-length': Buffer.byteLength(message.body),
        },
      },
      (res) => {
        res.on('end', () => {
          latencies.push(performance.now() - sent);
          resolve();
        });
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(message.body);
  });
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
await new Promise((finish, fail) => {
  const pump = () => {
    let progress = true;
    while (progress && inFlight < limit) {
      progress = false;
      for (const [path, queue] of queues) {
        if (inFlight >= limit) break;
        if ((inFlightByPath.get(path) ?? 0) >= perEndpoint) continue;
        const message = queue.shift();
        if (queue.length === 0) queues.delete(path);
        inFlight++;
        inFlightByPath.set(path, (inFlightByPath.get(path) ?? 0) + 1);
        progress = true;
        send(message).then(() => {
          inFlight--;
          inFlightByPath.set(path, inFlightByPath.get(path) - 1);
          if (++done === input.messages.length) finish();
          else pump();
        }, fail);
      }
    }
  };
  pump();
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
process.stdout.write(
  `${JSON.stringify({
    perSecond: input.messages.length / seconds,
    seconds,
    p50: at(50),
    p99: at(99),
    inFlight: limit,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
