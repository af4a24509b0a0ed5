import { QueryFailedError } from 'typeorm';

/**
 * What an error log line may say about an error. Database errors carry the statement's values
 * (TypeORM's QueryFailedError: `.query` and `.parameters`; pg's error: `.detail`, `.where`, and
 * messages such as `invalid input syntax for type uuid: "<value>"`): customers' names, emails,
 * key hashes. Only what identifies the failure is kept: the SQLSTATE code, the constraint, table
 * and column, and where in our code it happened. Other errors keep their type, message and stack.
 */
interface LoggedError {
  type: string;
  message?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  stack?: string;
  cause?: LoggedError;
}

type DriverError = {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  severity?: unknown;
  routine?: unknown;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A pg (or PGlite) error: it has a SQLSTATE code and a severity, and its message may quote values. */
function isDriverError(error: object): error is Error & DriverError {
  const e = error as DriverError;
  return (
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    (typeof e.severity === 'string' || typeof e.routine === 'string')
  );
}

/** The stack's frames without its first line, which repeats the message. */
const framesOnly = (stack: unknown) =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n')
    : undefined;

/** A database error: what identifies the failure, never the message, which may quote the statement's values. */
function databaseFailure(error: Error, name: string): LoggedError {
  const driver = (error instanceof QueryFailedError ? error.driverError : error) as DriverError | undefined;
  return {
    type: name,
    code: text(driver?.code),
    constraint: text(driver?.constraint),
    table: text(driver?.table),
    column: text(driver?.column),
    stack: framesOnly(error.stack),
  };
}

export function logSafeError(error: unknown, depth = 0): LoggedError | string {
  if (error === null || typeof error !== 'object')
    return typeof error === 'string' ? error.slice(0, 200) : String(error);
  const name = (error as Error).constructor?.name ?? 'Error';
  if (error instanceof QueryFailedError || isDriverError(error)) return databaseFailure(error as Error, name);
  const cause = (error as { cause?: unknown }).cause;
  return {
    type: name,
    message: text((error as Error).message),
    code: text((error as { code?: unknown }).code),
    stack: text((error as Error).stack),
    ...(cause !== undefined && depth < 3 ? { cause: logSafeError(cause, depth + 1) as LoggedError } : {}),
  };
}

/** One line for a stored error text (e.g. a job's last_error): an error's own message, or for a database error its code and constraint, no values. */
export function describeSafely(error: unknown): string {
  const logged = logSafeError(error);
  if (typeof logged === 'string') return logged;
  if (logged.message) return logged.message;
  return `${logged.type}${logged.code ? ` (SQLSTATE ${logged.code}${logged.constraint ? `, constraint ${logged.constraint}` : ''})` : ''}`;
}
