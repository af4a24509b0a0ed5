import { QueryFailedError } from 'typeorm';
import { describeSafely, logSafeError } from './log-safe.js';

function failedQuery() {
  const driverError = Object.assign(
    new Error('new row for relation "units" violates check constraint "units_serial"'),
    {
      code: '23514',
      severity: 'ERROR',
      constraint: 'units_serial',
      table: 'units',
      column: undefined,
      detail: 'Failing row contains (Ada Lovelace, ada@example.com).',
      routine: 'ExecConstraints',
    },
  );
  return new QueryFailedError('INSERT INTO units VALUES ($1, $2)', ['Ada Lovelace', 'ada@example.com'], driverError);
}

describe('logSafeError: what a log line may say about an error', () => {
  it('keeps the SQLSTATE code, constraint and table of a failed query, never its parameters, query, detail or message', () => {
    const logged = logSafeError(failedQuery());
    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      code: '23514',
      constraint: 'units_serial',
      table: 'units',
    });
    const text = JSON.stringify(logged);
    for (const leak of ['Ada Lovelace', 'ada@example.com', 'INSERT', 'Failing row', 'violates'])
      expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
  });

  it('treats a driver error on its own the same way (its message may quote a value)', () => {
    const pgError = Object.assign(new Error('invalid input syntax for type uuid: "ada@example.com"'), {
      code: '22P02',
      severity: 'ERROR',
      routine: 'string_to_uuid',
    });
    const logged = logSafeError(pgError);
    expect(logged).toMatchObject({ code: '22P02' });
    expect(JSON.stringify(logged)).not.toContain('ada@example.com');
  });

  it('keeps the type, message and stack of our own errors, and follows their cause', () => {
    const logged = logSafeError(new Error('the carrier API is down', { cause: failedQuery() }));
    expect(logged).toMatchObject({ type: 'Error', message: 'the carrier API is down', cause: { code: '23514' } });
    expect(JSON.stringify(logged)).not.toContain('Ada Lovelace');
  });

  it('describes an error in one line for storage: our message, or a database error by code and constraint', () => {
    expect(describeSafely(new Error('the carrier API is down'))).toBe('the carrier API is down');
    expect(describeSafely(failedQuery())).toBe('QueryFailedError (SQLSTATE 23514, constraint units_serial)');
  });
});
