import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { GqlArgumentsHost } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendEarlyError, setErrorHeaders } from '../http/hooks.js';
import { isFastifyUnsupportedMediaType, unsupportedMediaType } from '../http/streaming-body.js';
import { problemDetails, toDomainError, toGraphQLError } from './error-mapping.js';
import { logSafeError } from './log-safe.js';

/** One filter, two protocols: REST gets problem+json, GraphQL a GraphQLError with extensions.code. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const isGraphql = host.getType<string>() === 'graphql';
    const req: FastifyRequest | undefined = isGraphql
      ? GqlArgumentsHost.create(host).getContext<{ req?: FastifyRequest }>()?.req
      : host.switchToHttp().getRequest<FastifyRequest>();
    // Fastify's own 415 (a Content-Type header it cannot read) says what the route takes, as ours do
    const error =
      req && isFastifyUnsupportedMediaType(exception) ? unsupportedMediaType(req) : toDomainError(exception);
    const correlationId = String(req?.id ?? 'unknown');
    // the error's code, constraint and the correlation id: never a query's parameters or values
    if (error.httpStatus >= 500)
      this.logger.error({ msg: 'request failed', err: logSafeError(exception), correlationId });
    if (isGraphql) return toGraphQLError(error, correlationId);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // a /graphql request refused before GraphQL ran (its JSON body) is answered as GraphQL answers
    if (req && req.url.split('?')[0] === '/graphql') return sendEarlyError(req, reply, error);
    setErrorHeaders(reply, error);
    return reply
      .status(error.httpStatus)
      .type('application/problem+json')
      .send(problemDetails(error, correlationId, req?.url));
  }
}
