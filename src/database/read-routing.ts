import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  EventSubscriber,
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
} from 'typeorm';

/**
 * Which database a read goes to, when read replicas are configured (see replicas.ts). A read may go
 * to a replica only when the request being served is marked read-only (a REST GET or HEAD under
 * /api/v1, the coverage batch, a GraphQL query), has committed nothing itself, and its caller (API
 * key) wrote nothing this replica has not replayed yet: read your writes. Everything else
 * (writes, reads inside a transaction, authentication, background work, which runs outside any
 * request) reads the primary.
 */

/** What the request being served tells the routing. */
export interface ReadScope {
  /** A REST GET/HEAD under /api/v1, the coverage batch or a GraphQL query: its reads may go to a replica. */
  readOnly: boolean;
  /** A transaction of this request committed: its later reads see that on the primary. */
  wrote: boolean;
  /**
   * The answer went out (or the client left). Work the request started that outlives it (a timer,
   * a worker it woke, a loop started lazily) keeps this scope through AsyncLocalStorage: once ended,
   * that work runs as background work (the primary, no write noted for this caller).
   */
  ended: boolean;
  readonly req: FastifyRequest;
}

const storage = new AsyncLocalStorage<ReadScope>();

/** How many replica sets run in this process (tests start several apps), and the longest lag any allows. */
const routing = { sets: 0, maxLagMs: 0 };

/** When each caller (API key) last wrote, as far as this server process knows: read your writes. */
const lastWriteAt = new Map<string, number>();

export function enableReadRouting(maxLagMs: number): () => void {
  routing.sets += 1;
  routing.maxLagMs = Math.max(routing.maxLagMs, maxLagMs);
  return () => {
    routing.sets -= 1;
    if (routing.sets === 0) lastWriteAt.clear();
  };
}

/** REST operations sent as POST only because their input is large: reads, like a GET. */
const READ_ONLY_POSTS = new Set(['/api/v1/coverage:batch']);

/**
 * Fastify preHandler hook, registered after authentication so that the key lookup itself reads the
 * primary (a key just created must work at once). A no-op without replicas.
 */
export function markReadScope(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (routing.sets === 0) return done();
  const read = req.method === 'GET' || req.method === 'HEAD';
  const readOnly = read
    ? req.url.startsWith('/api/v1/') || req.url === '/api/v1'
    : req.method === 'POST' && READ_ONLY_POSTS.has(req.url.split('?')[0]);
  const scope: ReadScope = { readOnly, wrote: false, ended: false, req };
  reply.raw.once('close', () => {
    // a write outside any transaction leaves no commit to notice: the request's end marks it
    if (!read && !scope.readOnly) noteWrite(scope);
    scope.ended = true;
  });
  storage.run(scope, done);
}

/** A GraphQL operation resolved: a query's reads may go to a replica (see readRoutingPlugin). */
function markGraphqlOperation(kind: string): void {
  const scope = currentReadScope();
  if (scope && kind === 'query') scope.readOnly = true;
}

export function currentReadScope(): ReadScope | undefined {
  if (routing.sets === 0) return undefined;
  const scope = storage.getStore();
  return scope?.ended ? undefined : scope;
}

function noteWrite(scope: ReadScope): void {
  scope.wrote = true;
  const key = scope.req.caller?.apiKeyId;
  if (key) lastWriteAt.set(key, Date.now());
}

/** When the caller of this request last wrote, if recently enough to matter. */
export function lastWriteOf(scope: ReadScope): number | undefined {
  const key = scope.req.caller?.apiKeyId;
  return key === undefined ? undefined : lastWriteAt.get(key);
}

/**
 * Forgets writes older than the longest lag allowed: any replica within its bound has replayed
 * them, so they no longer keep a caller on the primary.
 */
export function forgetOldWrites(now: number): void {
  const before = now - routing.maxLagMs;
  for (const [key, at] of lastWriteAt) if (at < before) lastWriteAt.delete(key);
}

/** Every committed transaction of a request counts as its caller's write (see noteWrite). */
@EventSubscriber()
export class ReadYourWrites implements EntitySubscriberInterface {
  afterTransactionCommit(): void {
    const scope = currentReadScope();
    if (scope) noteWrite(scope);
  }
}

/** What the policy knows of a replica: whether it answers, and the primary's time it has replayed up to. */
export interface ReplicaView {
  down: boolean;
  /** The time of the newest primary WAL sample the replica has replayed (see replicas.ts), if any. */
  replayedAt: number | undefined;
}

/**
 * The policy: the replica (its index) a read of this request may go to, trying them in turn from
 * `start`, or -1 for the primary. A replica serves only a read-only request that wrote nothing, when
 * it answers, lags no more than maxLagMs, and has replayed past the caller's last write.
 */
export function chooseReplica(
  request: { readOnly: boolean; wrote: boolean; lastWriteAt: number | undefined } | undefined,
  replicas: readonly ReplicaView[],
  now: number,
  maxLagMs: number,
  start = 0,
): number {
  if (!request?.readOnly || request.wrote) return -1;
  for (let i = 0; i < replicas.length; i++) {
    const index = (start + i) % replicas.length;
    const { down, replayedAt } = replicas[index];
    if (down || replayedAt === undefined || now - replayedAt > maxLagMs) continue;
    // a sample taken in the same millisecond as the write may have been read before it
    if (request.lastWriteAt !== undefined && replayedAt <= request.lastWriteAt) continue;
    return index;
  }
  return -1;
}

/**
 * The one way a raw read asks for a read runner: a replica when the policy allows (see
 * replicas.ts), else the primary. The caller releases it.
 */
export function readRunner(db: DataSource): QueryRunner {
  return db.createQueryRunner('slave');
}

/** em.query for a read: on the caller's transaction when it has one, else on a read runner. */
export async function readQuery<T = unknown>(em: EntityManager, sql: string, params: unknown[]): Promise<T> {
  if (em.queryRunner) return em.query(sql, params);
  const runner = readRunner(em.dataSource);
  try {
    return await runner.query(sql, params);
  } finally {
    await runner.release();
  }
}

/** Marks a GraphQL query's reads as read-only (for replicas); no per-request work without replicas. */
const graphqlOperationHook: GraphQLRequestListener<BaseContext> = {
  async didResolveOperation({ operation }) {
    if (operation) markGraphqlOperation(operation.operation);
  },
};

export const readRoutingPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return currentReadScope() ? graphqlOperationHook : undefined;
  },
};
