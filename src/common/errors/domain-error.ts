/**
 * One error model for GraphQL and REST. Thrown errors carry a category that maps to the
 * GraphQL `extensions.code` and to the REST status; expected business failures are returned
 * as ErrorResult union members instead (see error-results.ts).
 */
export type ErrorCategory =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export const HTTP_STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

interface DomainErrorDetails {
  /** The input field the error is about, as a dotted path. */
  field?: string;
  /** A finer business code, e.g. UNIT_NOT_FOUND for a NOT_FOUND. */
  errorCode?: string;
  /** HTTP status override, e.g. 422 for an idempotency key reused with another body. */
  status?: number;
  extra?: Record<string, unknown>;
  /** HTTP headers the answer carries, e.g. the Accept of a 415. */
  headers?: Record<string, string>;
}

export class DomainError extends Error {
  constructor(
    readonly category: ErrorCategory,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get httpStatus(): number {
    return this.details.status ?? HTTP_STATUS_BY_CATEGORY[this.category];
  }
}

export const unauthenticated = (message = 'A valid API key is required (Authorization: Bearer <key>).') =>
  new DomainError('UNAUTHENTICATED', message);

export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);

export const notFound = (what: string, errorCode?: string, field?: string) =>
  new DomainError('NOT_FOUND', `${what} was not found.`, { errorCode, field });

export const badInput = (field: string, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { field, errorCode: 'VALIDATION_ERROR' });
