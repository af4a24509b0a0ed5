import { Field, InterfaceType, Int, ObjectType } from '@nestjs/graphql';
import { ErrorCode } from './error-code.js';

/**
 * Expected business failures, returned (not thrown) as members of result unions. Services
 * return these instances; union types resolve them by class.
 */
@InterfaceType('ErrorResult')
export abstract class ErrorResult {
  @Field(() => ErrorCode)
  errorCode: ErrorCode;

  @Field()
  message: string;
}

@ObjectType({ implements: () => [ErrorResult] })
export class GenericError extends ErrorResult {
  @Field({ nullable: true, description: 'The input field the error is about, as a dotted path, when there is one.' })
  field?: string;

  constructor(errorCode: ErrorCode, message: string, field?: string) {
    super();
    this.errorCode = errorCode;
    this.message = message;
    this.field = field;
  }
}

@ObjectType({ implements: () => [ErrorResult] })
export class InvalidStateTransitionError extends ErrorResult {
  @Field() fromState: string;
  @Field() toState: string;
  @Field(() => [String]) allowedStates: string[];

  constructor(fromState: string, toState: string, allowedStates: string[], message?: string) {
    super();
    this.errorCode = ErrorCode.INVALID_STATE_TRANSITION;
    this.message =
      message ?? `Cannot move from ${fromState} to ${toState}; allowed: ${allowedStates.join(', ') || 'none'}.`;
    this.fromState = fromState;
    this.toState = toState;
    this.allowedStates = allowedStates;
  }
}

@ObjectType({ implements: () => [ErrorResult] })
export class VersionConflictError extends ErrorResult {
  @Field(() => Int) currentVersion: number;

  constructor(currentVersion: number) {
    super();
    this.errorCode = ErrorCode.VERSION_CONFLICT;
    this.message = `The record was changed by someone else: it is at version ${currentVersion}. Reload it and try again.`;
    this.currentVersion = currentVersion;
  }
}

export const validationError = (field: string, message: string) =>
  new GenericError(ErrorCode.VALIDATION_ERROR, message, field);

/**
 * Thrown inside a transaction to roll it back while still answering with a business error:
 * the transaction helper catches it and returns the result.
 */
export class RollbackWithResult extends Error {
  constructor(readonly result: ErrorResult) {
    super(result.message);
  }
}

/** resolveType for a result union: an error result by its class, anything else the success type. */
export function resultType<T>(success: T) {
  return (value: unknown) =>
    value instanceof GenericError
      ? GenericError
      : value instanceof InvalidStateTransitionError
        ? InvalidStateTransitionError
        : value instanceof VersionConflictError
          ? VersionConflictError
          : success;
}
