import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { AuthService } from '../auth/auth.service.js';
import { DomainError } from '../errors/domain-error.js';
import { problemDetails, toDomainError } from '../errors/error-mapping.js';
import { requestFingerprint, type IdempotencyService } from '../idempotency/idempotency.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { apiKeyId: string; key: string };
  }
}

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when a GraphQL request body runs a mutation (queries need no idempotency). */
function isGraphqlMutation(body: unknown): boolean {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = typeof operationName === 'string' ? operations.find((o) => o.name?.value === operationName) : operations[0];
    return operation?.operation === 'mutation';
  } catch {
    return false; // GraphQL itself answers the syntax error
  }
}

function isGraphqlPath(req: FastifyRequest): boolean {
  return req.url.split('?')[0] === '/graphql';
}

/** Errors raised before a route handler runs: problem+json for REST, a GraphQL error body for /graphql. */
export function sendEarlyError(req: FastifyRequest, reply: FastifyReply, error: DomainError) {
  const correlationId = String(req.id);
  if (error.category === 'SERVICE_UNAVAILABLE') reply.header('Retry-After', '5');
  if (isGraphqlPath(req)) {
    return reply.status(error.httpStatus).type('application/json').send({
      errors: [{ message: error.message, extensions: { code: error.category, ...(error.details.field ? { field: error.details.field } : {}), correlationId } }],
    });
  }
  return reply.status(error.httpStatus).type('application/problem+json').send(problemDetails(error, correlationId, req.url));
}

export function registerHooks(fastify: FastifyInstance, auth: AuthService, idempotency: IdempotencyService) {
  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // Authentication for every route: the caller (or the reason the key was refused) is kept on the
  // request; operations that need a caller refuse without one (see Ctx).
  fastify.addHook('preHandler', async (req) => {
    try {
      req.caller = await auth.authenticate(req.headers.authorization);
    } catch (error) {
      req.caller = null;
      req.authError = toDomainError(error);
    }
  });

  fastify.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !req.caller || !MUTATING_METHODS.has(req.method)) return;
    if (req.body !== null && typeof req.body === 'object' && 'pipe' in (req.body as object)) return; // streamed bodies handle keys themselves
    if (isGraphqlPath(req) && !isGraphqlMutation(req.body)) return;
    try {
      idempotency.validateKey(key);
      const outcome = await idempotency.claim(req.caller.apiKeyId, key, requestFingerprint(req.method, req.url, req.body));
      if (outcome.kind === 'replay') {
        reply.header('Idempotent-Replayed', 'true');
        if (outcome.contentType) reply.type(outcome.contentType);
        return reply.status(outcome.statusCode).send(outcome.body);
      }
      req.idempotency = { apiKeyId: req.caller.apiKeyId, key };
    } catch (error) {
      return sendEarlyError(req, reply, toDomainError(error));
    }
  });

  // a GraphQL answer that only says "the database is down" is a 503, as over REST (see graphql.config.ts)
  fastify.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode === 200 && reply.hasHeader('retry-after') && isGraphqlPath(req)) reply.code(503);
    return payload;
  });

  fastify.addHook('onSend', async (req, reply, payload) => {
    const claim = req.idempotency;
    if (!claim) return payload;
    req.idempotency = undefined;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    const failedOnOurSide = reply.statusCode >= 500 || body === null || /"code":"(INTERNAL_SERVER_ERROR|SERVICE_UNAVAILABLE)"/.test(body);
    if (failedOnOurSide) await idempotency.release(claim.apiKeyId, claim.key);
    else await idempotency.complete(claim.apiKeyId, claim.key, { statusCode: reply.statusCode, body, contentType: String(reply.getHeader('content-type') ?? '') || null });
    return payload;
  });
}
