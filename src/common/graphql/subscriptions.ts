import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Context, SubscribePayload } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import type { AuthService } from '../auth/auth.service.js';
import type { Caller } from '../auth/caller.js';
import { measureOperation, type QueryLimits } from './query-limits.js';

interface SocketExtra {
  request: { headers: Record<string, string | string[] | undefined> };
  caller?: Caller;
  /** The Authorization value the socket authenticated with: checked again for every message. */
  authorization?: string;
}

/**
 * GraphQL subscriptions over graphql-ws at /graphql, with the same API keys as every request: the
 * key comes in the connection_init payload ({ "authorization": "Bearer <key>" }) or the upgrade
 * request's Authorization header. A missing or refused key closes the socket (4403 Forbidden); a
 * key revoked or expired later ends its subscriptions at their next message.
 * Operations get a request-shaped context, so @Ctx() and the loaders work as over HTTP, and the
 * same depth and alias limits as over HTTP (Apollo's plugins do not see WebSocket operations).
 */
export function subscriptionOptions(auth: AuthService, limits: QueryLimits) {
  return {
    'graphql-ws': {
      path: '/graphql',
      onConnect: async (ctx: Context<Record<string, unknown> | undefined, SocketExtra>) => {
        const params = ctx.connectionParams ?? {};
        const fromParams = params.authorization ?? params.Authorization;
        const header = typeof fromParams === 'string' ? fromParams : ctx.extra.request.headers.authorization;
        try {
          const authorization = typeof header === 'string' ? header : undefined;
          const caller = await auth.authenticate(authorization);
          if (!caller) return false;
          ctx.extra.caller = caller;
          ctx.extra.authorization = authorization;
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (_ctx: unknown, _id: string, payload: SubscribePayload) => {
        let document;
        try {
          document = parse(payload.query);
        } catch {
          return undefined; // graphql-ws answers the syntax error itself
        }
        const operation = document.definitions.find(
          (d): d is OperationDefinitionNode =>
            d.kind === Kind.OPERATION_DEFINITION && (!payload.operationName || d.name?.value === payload.operationName),
        );
        if (!operation) return undefined;
        const { depth, aliases } = measureOperation(operation, document);
        const refuse = (message: string) => [
          new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', errorCode: 'QUERY_TOO_COMPLEX' } }),
        ];
        if (depth > limits.maxDepth)
          return refuse(`The query is ${depth} levels deep; the limit is ${limits.maxDepth}.`);
        if (aliases > limits.maxAliases)
          return refuse(`The query uses ${aliases} aliases; the limit is ${limits.maxAliases}.`);
        return undefined;
      },
      context: (ctx: Context<Record<string, unknown> | undefined, SocketExtra>) => ({
        req: {
          caller: ctx.extra.caller ?? null,
          id: randomUUID(),
          headers: { authorization: ctx.extra.authorization },
        },
      }),
    },
  };
}

/**
 * An async iterator fed by pushes, whose return() ends it at once (an async generator would wait
 * for the next item first, leaking the listener of a client that unsubscribed).
 */
export class PushIterator<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly takers: ((result: IteratorResult<T>) => void)[] = [];
  private closed = false;

  constructor(private readonly onClose: () => void) {}

  push(item: T): void {
    if (this.closed) return;
    const taker = this.takers.shift();
    if (taker) taker({ value: item, done: false });
    else this.items.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.takers.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.onClose();
      for (const taker of this.takers.splice(0)) taker({ value: undefined, done: true });
      this.items.length = 0;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
