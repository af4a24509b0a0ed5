import { createClient, type Client } from 'graphql-ws';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { JobRunner } from '../../src/common/jobs/job-runner.service.js';
import type { Outcome } from './matrix-client.js';
import { describeArgs, OPERATIONS, type Operation } from './matrix-operations.js';
import { expectedFor, type Row, type RowContext } from './matrix-runner.js';
import { versionOf } from './matrix-world.js';
import { UPDATE, run } from './repairs-client.js';
import type { TestApp } from './test-app.js';

// The matrix's rows for GraphQL subscriptions, over graphql-ws: every caller subscribes at once;
// refusals come back at once, and after one change of the object (relayed from the outbox by one
// job round) every allowed caller gets a message.

/** Makes the app listen on a free port and returns its graphql-ws address. */
export async function listenForSubscriptions(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `ws://127.0.0.1:${port}/graphql`;
}

interface Subscriber {
  label: string;
  client: Client;
  expected: Outcome;
  outcome?: Outcome;
  body?: any;
  raw?: string;
}

/** graphql-ws refuses a connection's key by closing the socket (4401/4403): the WebSocket form of UNAUTHENTICATED. */
function outcomeOfError(error: unknown): { outcome: Outcome; raw: string } {
  if (Array.isArray(error))
    return {
      outcome: (error[0]?.extensions?.code as Outcome) ?? 'OTHER:error',
      raw: JSON.stringify(error).slice(0, 300),
    };
  const code = (error as { code?: number })?.code;
  if (code === 4401 || code === 4403) return { outcome: 'UNAUTHENTICATED', raw: `closed ${code}` };
  return { outcome: `OTHER:${code ?? String(error)}`, raw: String((error as { reason?: string })?.reason ?? error) };
}

async function until(check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function runSubscriptionRow(ctx: RowContext & { wsUrl: string }, r: Row): Promise<string[]> {
  const op: Operation = OPERATIONS[r.op];
  const gq = op.graphql!;
  const args = await op.args({ w: ctx.w, fresh: ctx.fresh, caller: ctx.w.callers[0], allowed: false, cache: {} });
  const subscribers: Subscriber[] = ctx.w.callers.map((caller) => {
    const client = createClient({
      url: ctx.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: caller.key ? { authorization: `Bearer ${caller.key}` } : {},
    });
    const sub: Subscriber = { label: caller.label, client, expected: expectedFor(r, caller).outcome };
    client.subscribe(
      { query: gq.document, variables: gq.variables(args) },
      {
        next: (message) => {
          if (sub.outcome) return;
          if (message.errors) Object.assign(sub, outcomeOfError(message.errors));
          else
            Object.assign(sub, {
              outcome: 'OK',
              body: message.data?.[gq.field],
              raw: JSON.stringify(message.data).slice(0, 300),
            });
        },
        error: (error) => {
          if (!sub.outcome) Object.assign(sub, outcomeOfError(error));
        },
        complete: () => {},
      },
    );
    return sub;
  });
  try {
    await until(() => subscribers.every((s) => s.outcome || s.expected === 'OK'), 3000);
    // a change of the ticket, relayed to the feed: every allowed subscriber hears of it (again
    // while some have not: a subscription still being set up on a loaded machine misses a change)
    const ticketId = ctx.w.ticket.id;
    for (let attempt = 0; attempt < 5 && !subscribers.every((s) => s.outcome); attempt++) {
      const changed = await run(ctx.t, ctx.w.orgs.S.staff, UPDATE, {
        ticketId,
        expectedVersion: await versionOf(ctx.t, 'repair_tickets', ticketId),
        note: 'Matrix subscription check',
      });
      if (changed.__typename !== 'RepairTicket')
        throw new Error(`the subscription's trigger was refused: ${JSON.stringify(changed)}`);
      await ctx.t.app.get(JobRunner).runOnce();
      await until(() => subscribers.every((s) => s.outcome), 2000);
    }
    return subscribers.flatMap((s) => {
      const caller = ctx.w.callers.find((c) => c.label === s.label)!;
      const where = `${s.label} over graphql-ws`;
      if (s.outcome !== s.expected)
        return [
          `${where}: expected ${s.expected}, got ${s.outcome ?? 'no answer'} ${s.raw ?? ''} (args ${describeArgs(args)})`,
        ];
      return s.outcome === 'OK'
        ? (op.leaks?.(s.body, ctx.w, caller, 'GraphQL') ?? []).map((leak) => `${where}: ${leak}`)
        : [];
    });
  } finally {
    await Promise.all(subscribers.map((s) => s.client.dispose()));
  }
}
