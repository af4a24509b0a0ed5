import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../auth/caller.js';
import { DomainError, unauthenticated } from '../errors/domain-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook: the caller, null when no key was sent. */
    caller?: Caller | null;
    /** Set by the authentication hook when a key was sent but is not valid. */
    authError?: DomainError;
  }
}

/** What every service call gets: who is calling and the request's correlation id. */
export interface RequestContext {
  caller: Caller;
  correlationId: string;
}

function requestOf(context: ExecutionContext): FastifyRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: FastifyRequest }>().req;
  }
  return context.switchToHttp().getRequest<FastifyRequest>();
}

function contextFromRequest(req: FastifyRequest): RequestContext {
  if (req.authError) throw req.authError;
  if (!req.caller) throw unauthenticated();
  return { caller: req.caller, correlationId: String(req.id) };
}

/** The authenticated request context. Every GraphQL operation and REST route that takes it requires a valid API key. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext =>
  contextFromRequest(requestOf(context)),
);
