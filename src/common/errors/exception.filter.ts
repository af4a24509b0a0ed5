import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { GqlArgumentsHost } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemDetails, toDomainError, toGraphQLError } from './error-mapping.js';

/** One filter, two protocols: REST gets problem+json, GraphQL a GraphQLError with extensions.code. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const error = toDomainError(exception);
    const isGraphql = host.getType<string>() === 'graphql';
    const req: FastifyRequest | undefined = isGraphql
      ? GqlArgumentsHost.create(host).getContext<{ req?: FastifyRequest }>()?.req
      : host.switchToHttp().getRequest<FastifyRequest>();
    const correlationId = String(req?.id ?? 'unknown');
    if (error.httpStatus >= 500) this.logger.error({ err: exception, correlationId }, 'request failed');
    if (isGraphql) return toGraphQLError(error, correlationId);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error.category === 'SERVICE_UNAVAILABLE') reply.header('Retry-After', '5');
    return reply.status(error.httpStatus).type('application/problem+json').send(problemDetails(error, correlationId, req?.url));
  }
}
