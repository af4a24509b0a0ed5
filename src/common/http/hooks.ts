import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../errors/domain-error.js';
import { problemDetails, toDomainError, toGraphQLError } from '../errors/error-mapping.js';
import { requestFingerprint, type IdempotencyService } from '../idempotency/idempotency.service.js';
import { currentRequestScope, runInRequestScope, type KeyClaim } from '../idempotency/request-scope.js';
import { isMetricsRequest } from '../metrics/metrics-route.js';
import { markReadScope } from '../../database/read-routing.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed, until its answer is stored or the key released. */
    idempotency?: { claim: KeyClaim; stopRenewing: () => void };
  }
}

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when a GraphQL request body runs a mutation (queries need no idempotency). */
function isGraphqlMutation(body: unknown): boolean {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    const operations = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation =
      typeof operationName === 'string' ? operations.find((o) => o.name?.value === operationName) : operations[0];
    return operation?.operation === 'mutation';
  } catch {
    return false; // GraphQL itself answers the syntax error
  }
}

function isGraphqlPath(req: FastifyRequest): boolean {
  return req.url.split('?')[0] === '/graphql';
}

/** The headers an error answer carries: its own, and Retry-After when the service is unavailable. */
export function setErrorHeaders(reply: FastifyReply, error: DomainError): void {
  if (error.category === 'SERVICE_UNAVAILABLE') reply.header('Retry-After', '5');
  if (error.details.headers) reply.headers(error.details.headers);
}

/** Errors raised before a route handler runs: problem+json for REST, a GraphQL error body for /graphql. */
export function sendEarlyError(req: FastifyRequest, reply: FastifyReply, error: DomainError) {
  const correlationId = String(req.id);
  setErrorHeaders(reply, error);
  if (isGraphqlPath(req)) {
    return reply
      .status(error.httpStatus)
      .type('application/json')
      .send({
        errors: [{ message: error.message, extensions: toGraphQLError(error, correlationId).extensions }],
      });
  }
  return reply
    .status(error.httpStatus)
    .type('application/problem+json')
    .send(problemDetails(error, correlationId, req.url));
}

/** The claim stops being this request's: its transactions are no longer fenced, its lease no longer renewed. */
function letGo(req: FastifyRequest): KeyClaim | undefined {
  const held = req.idempotency;
  if (!held) return undefined;
  req.idempotency = undefined;
  held.stopRenewing();
  const scope = currentRequestScope();
  if (scope?.claim === held.claim) scope.claim = undefined;
  return held.claim;
}

/** The request's Idempotency-Key when it applies: a mutation with a buffered body (queries need none). */
function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !MUTATING_METHODS.has(req.method)) return undefined;
  if (req.body !== null && typeof req.body === 'object' && 'pipe' in (req.body as object)) return undefined; // streamed bodies handle keys themselves
  if (isGraphqlPath(req) && !isGraphqlMutation(req.body)) return undefined;
  return key;
}

/** The lease is renewed while the request runs; a request that dies lets it run out. */
function holdClaim(req: FastifyRequest, reply: FastifyReply, idempotency: IdempotencyService, claim: KeyClaim) {
  const renewal = setInterval(() => {
    idempotency
      .renew(claim)
      .catch((error: unknown) => req.log.warn({ err: error }, 'could not renew the Idempotency-Key lease'));
  }, idempotency.renewEveryMs);
  renewal.unref();
  const stopRenewing = () => clearInterval(renewal);
  reply.raw.once('close', stopRenewing);
  req.idempotency = { claim, stopRenewing };
  const scope = currentRequestScope();
  if (scope) scope.claim = claim;
}

/** Claims the request's Idempotency-Key, or answers at once: the stored answer of a replay, or the refusal. */
async function claimIdempotencyKey(req: FastifyRequest, reply: FastifyReply, idempotency: IdempotencyService) {
  const key = idempotencyKeyOf(req);
  if (key === undefined || !req.caller) return;
  try {
    idempotency.validateKey(key);
    const outcome = await idempotency.claim(
      req.caller.apiKeyId,
      key,
      requestFingerprint(req.method, req.url, req.body),
    );
    if (outcome.kind === 'replay') {
      reply.header('Idempotent-Replayed', 'true');
      if (outcome.contentType) reply.type(outcome.contentType);
      return reply.status(outcome.statusCode).send(outcome.body);
    }
    holdClaim(req, reply, idempotency, outcome.claim);
  } catch (error) {
    return sendEarlyError(req, reply, toDomainError(error));
  }
}

/** The answer of a claimed key is stored for replays; a failure on our side releases the key instead. */
async function settleClaim(
  req: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  idempotency: IdempotencyService,
) {
  const claim = letGo(req);
  if (!claim) return;
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  const failedOnOurSide =
    reply.statusCode >= 500 || body === null || /"code":"(INTERNAL_SERVER_ERROR|SERVICE_UNAVAILABLE)"/.test(body);
  if (failedOnOurSide) {
    // not awaited: the answer does not wait for a database that may be the reason it failed;
    // if the release does not get through, the lease runs out instead
    idempotency
      .release(claim)
      .catch((error: unknown) => req.log.warn({ err: error }, 'could not release the Idempotency-Key'));
    return;
  }
  const withheld = currentRequestScope()?.answerCarriesSecret === true;
  try {
    await idempotency.complete(claim, {
      statusCode: reply.statusCode,
      body: withheld ? null : body,
      contentType: String(reply.getHeader('content-type') ?? '') || null,
    });
  } catch (error) {
    // the change is made and its answer goes out; a replay will say the answer was lost
    req.log.warn({ err: error }, 'could not store the answer for the Idempotency-Key');
  }
}

export function registerHooks(fastify: FastifyInstance, auth: AuthService, idempotency: IdempotencyService) {
  // everything a request runs (hooks, handler, services, its transactions) shares one request scope;
  // hooks with nothing to wait for call done() rather than return a promise (one less per request)
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    runInRequestScope(done);
  });

  // Authentication for every route: the caller (or the reason the key was refused) is kept on the
  // request; operations that need a caller refuse without one (see Ctx).
  fastify.addHook('preHandler', async (req) => {
    if (isMetricsRequest(req)) return; // the scraper is no API caller (see metrics-route.ts)
    try {
      req.caller = await auth.authenticate(req.headers.authorization);
    } catch (error) {
      req.caller = null;
      req.authError = toDomainError(error);
    }
  });

  // after authentication, which reads the primary: a read-only request's reads may go to a replica
  fastify.addHook('preHandler', markReadScope);

  fastify.addHook('preHandler', (req, reply) => claimIdempotencyKey(req, reply, idempotency));

  fastify.addHook('onSend', (req, reply, payload, done) => {
    // a GraphQL answer that only says "the database is down" is a 503, as over REST (see graphql.config.ts)
    if (reply.statusCode === 200 && reply.hasHeader('retry-after') && isGraphqlPath(req)) reply.code(503);
    if (!req.idempotency) return done(null, payload);
    settleClaim(req, reply, payload, idempotency).then(
      () => done(null, payload),
      (error: Error) => done(error),
    );
  });
}
