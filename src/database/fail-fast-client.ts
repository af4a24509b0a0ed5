import pg from 'pg';

/** pg's error when a query got no answer within query_timeout. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * A pg client that closes its connection when a query got no answer within query_timeout. pg
 * only stops waiting: the connection stays busy with the unanswered query, so every request the
 * pool later hands it to would wait out the timeout again. Closed, it leaves the pool (TypeORM
 * and pg-pool drop a client that errors) and a fresh connection is opened once the database
 * answers again; PostgreSQL rolls back whatever that connection had open.
 */
export class FailFastClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as AnyQuery;
    const dropOnTimeout = (error: unknown) => {
      if ((error as Error | undefined)?.message === QUERY_READ_TIMEOUT) this.connection.stream.destroy();
    };
    const failFastQuery: AnyQuery = (...args) => {
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) => {
          dropOnTimeout(error);
          (callback as (e: unknown, r: unknown) => void)(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      // the caller gets the rejection as before; this only closes the connection on a timeout
      if (result instanceof Promise) result.catch(dropOnTimeout);
      return result;
    };
    Object.assign(this, { query: failFastQuery });
  }
}
