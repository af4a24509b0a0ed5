import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';
import {
  ErrorResult,
  GenericError,
  InvalidStateTransitionError,
  VersionConflictError,
} from '../errors/error-results.js';

/** REST status of a business failure: 400 invalid input, 409 conflicts, 422 refused by a rule. */
function statusOf(result: ErrorResult): number {
  if (result.errorCode === ErrorCode.VALIDATION_ERROR) return 400;
  if (result.errorCode === ErrorCode.VERSION_CONFLICT || result.errorCode === ErrorCode.DUPLICATE_SERIAL_NUMBER)
    return 409;
  return 422;
}

/**
 * REST answers a union result with the record, or with problem+json for an ErrorResult: the
 * same `errorCode`, `field` and details as the GraphQL union member.
 */
export function restResult<T>(result: T | ErrorResult): T {
  if (!(result instanceof ErrorResult)) return result;
  const extra: Record<string, unknown> = {};
  if (result instanceof VersionConflictError) extra.currentVersion = result.currentVersion;
  if (result instanceof InvalidStateTransitionError)
    Object.assign(extra, { fromState: result.fromState, toState: result.toState, allowedStates: result.allowedStates });
  const status = statusOf(result);
  throw new DomainError(status === 409 ? 'CONFLICT' : 'BAD_USER_INPUT', result.message, {
    status,
    errorCode: result.errorCode,
    field: result instanceof GenericError ? result.field : undefined,
    extra,
  });
}
