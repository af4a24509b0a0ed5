import { HttpException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { JSON_CONTENT_TYPE } from '../http/streaming-body.js';
import { DomainError, type ErrorCategory } from './domain-error.js';

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

/** GraphQL's own refusals of a request (parse, validation, variable coercion) are the caller's input. */
const GRAPHQL_INPUT_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/** A value PostgreSQL cannot read (a malformed uuid or date that slipped past validation) is the caller's input. */
const UNREADABLE_VALUE_CODES = new Set(['22P02', '22007', '22008', '22003']);

/** PostgreSQL's query_canceled: the statement timeout stopped the request. */
const STATEMENT_TIMEOUT_CODE = '57014';

/** The categories of the HTTP statuses Nest's own exceptions carry; other statuses below 500 are bad input. */
const CATEGORY_BY_HTTP_STATUS: Partial<Record<number, ErrorCategory>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

const driverCode = (error: QueryFailedError) => (error.driverError as { code?: string })?.code ?? '';

/** One kind of failure and the DomainError it becomes, or undefined when the error is not of that kind. */
type ErrorMapping = (error: unknown) => DomainError | undefined;

/** Tried in order; the first that recognises the error decides. */
const ERROR_MAPPINGS: readonly ErrorMapping[] = [
  (error) =>
    error instanceof GraphQLError && GRAPHQL_INPUT_CODES.has(error.extensions?.code as string)
      ? new DomainError('BAD_USER_INPUT', error.message)
      : undefined,
  (error) =>
    isDatabaseUnavailable(error)
      ? new DomainError('SERVICE_UNAVAILABLE', 'The database is not available right now; try again shortly.')
      : undefined,
  (error) =>
    error instanceof QueryFailedError && UNREADABLE_VALUE_CODES.has(driverCode(error))
      ? new DomainError('BAD_USER_INPUT', 'A value in the request is not valid for its field.')
      : undefined,
  (error) =>
    error instanceof QueryFailedError && driverCode(error) === STATEMENT_TIMEOUT_CODE
      ? new DomainError('SERVICE_UNAVAILABLE', 'The request took too long and was stopped; try again shortly.')
      : undefined,
  (error) => (error instanceof HttpException ? fromHttpException(error) : undefined),
  fromFastifyClientError,
];

function fromHttpException(error: HttpException): DomainError {
  const status = error.getStatus();
  const category = CATEGORY_BY_HTTP_STATUS[status] ?? (status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR');
  return new DomainError(category, error.message, { status });
}

/** Fastify's own 4xx refusals (body too large, wrong content type, unparseable JSON). */
function fromFastifyClientError(error: unknown): DomainError | undefined {
  const fastifyError = error as { statusCode?: number; message?: string };
  if (typeof fastifyError?.statusCode !== 'number' || fastifyError.statusCode >= 500) return undefined;
  const status = fastifyError.statusCode;
  if (status === 413) return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is too large.', { field: 'body' });
  if (status === 415)
    return new DomainError(
      'BAD_USER_INPUT',
      `Send the body as JSON with the header Content-Type: ${JSON_CONTENT_TYPE}.`,
      {
        status,
        field: 'Content-Type',
      },
    );
  return new DomainError('BAD_USER_INPUT', fastifyError.message ?? 'The request is not valid.', {
    status,
    field: 'body',
  });
}

/** Any thrown error as a DomainError: the single place where unknown failures become 500s. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  for (const mapping of ERROR_MAPPINGS) {
    const mapped = mapping(error);
    if (mapped) return mapped;
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
