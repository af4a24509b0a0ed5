import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { JSON_CONTENT_TYPE } from '../http/streaming-body.js';
import { DomainError } from './domain-error.js';

/** PostgreSQL and driver failures that mean "the database is not reachable now": 503, try again. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P03',
  '08000',
  '08003',
  '08006',
  '53300',
  '25P03',
  '57P05',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  return (
    typeof e?.message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|Query read timeout|is not queryable/i.test(e.message)
  );
}

/** Any thrown error as a DomainError: the single place where unknown failures become 500s. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof GraphQLError && typeof error.extensions?.code === 'string') {
    const code = error.extensions.code;
    if (code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED') {
      return new DomainError('BAD_USER_INPUT', error.message);
    }
  }
  if (isDatabaseUnavailable(error)) {
    return new DomainError('SERVICE_UNAVAILABLE', 'The database is not available right now; try again shortly.');
  }
  // a value PostgreSQL cannot read (a malformed uuid or date that slipped past validation) is the caller's input
  if (
    error instanceof QueryFailedError &&
    ['22P02', '22007', '22008', '22003'].includes((error.driverError as { code?: string })?.code ?? '')
  ) {
    return new DomainError('BAD_USER_INPUT', 'A value in the request is not valid for its field.');
  }
  if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '57014') {
    return new DomainError('SERVICE_UNAVAILABLE', 'The request took too long and was stopped; try again shortly.');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const category =
      status === 404
        ? 'NOT_FOUND'
        : status === 401
          ? 'UNAUTHENTICATED'
          : status === 403
            ? 'FORBIDDEN'
            : status === 413
              ? 'PAYLOAD_TOO_LARGE'
              : status === 429
                ? 'RATE_LIMITED'
                : status < 500
                  ? 'BAD_USER_INPUT'
                  : 'INTERNAL_SERVER_ERROR';
    return new DomainError(category, error.message, { status });
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    if (status === 413)
      return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is too large.', { field: 'body' });
    if (status === 415)
      return new DomainError(
        'BAD_USER_INPUT',
        `Send the body as JSON with the header Content-Type: ${JSON_CONTENT_TYPE}.`,
        { status, field: 'Content-Type' },
      );
    return new DomainError('BAD_USER_INPUT', fastifyError.message ?? 'The request is not valid.', {
      status,
      field: 'body',
    });
  }
  return new DomainError(
    'INTERNAL_SERVER_ERROR',
    'Something went wrong on our side. The correlation id helps us find it.',
  );
}

/** RFC 9457 problem details, with the same code as GraphQL's extensions.code. */
export function problemDetails(error: DomainError, correlationId: string, instance?: string) {
  return {
    type: `https://aftercare.dev/problems/${error.category.toLowerCase().replace(/_/g, '-')}`,
    title: error.category
      .replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^\w/, (c) => c.toUpperCase()),
    status: error.httpStatus,
    detail: error.message,
    code: error.category,
    ...(error.details.errorCode ? { errorCode: error.details.errorCode } : {}),
    ...(error.details.field ? { field: error.details.field } : {}),
    ...(error.details.extra ?? {}),
    ...(instance ? { instance } : {}),
    correlationId,
  };
}

export function toGraphQLError(error: DomainError, correlationId: string): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: error.category,
      ...(error.details.errorCode ? { errorCode: error.details.errorCode } : {}),
      ...(error.details.field ? { field: error.details.field } : {}),
      ...(error.details.extra ?? {}),
      correlationId,
    },
  });
}
