import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';

/**
 * A node-postgres-shaped pool over one embedded PGlite database, for TypeORM's postgres driver.
 * PGlite is a single session, so a checked-out client holds it exclusively until released:
 * concurrent transactions queue instead of interleaving their statements in one session.
 * Results are shaped like pg's (rows, rowCount, command) so UPDATE row counts work.
 */
type Waiter = () => void;

class Session {
  private busy = false;
  private readonly waiters: Waiter[] = [];
  constructor(readonly db: PGlite) {}

  acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.busy = false;
  }

  get inUse(): boolean {
    return this.busy;
  }

  get waiting(): number {
    return this.waiters.length;
  }
}

const sessions = new Map<string, Promise<Session>>();

async function openSession(dataDir: string): Promise<Session> {
  const key = dataDir;
  let session = sessions.get(key);
  if (!session) {
    session = PGlite.create(dataDir, {
      // dates stay ISO strings and numerics stay decimal text, as with node-postgres below
      parsers: { [types.DATE]: (v: string) => v, [types.NUMERIC]: (v: string) => v, [types.INT8]: (v: string) => v },
      serializers: {
        [types.BOOL]: (v: unknown) => (v === true || v === 'true' || v === 1 ? 'TRUE' : v === false || v === 'false' || v === 0 ? 'FALSE' : String(v)),
      },
    }).then((db) => new Session(db));
    sessions.set(key, session);
  }
  return session;
}

export async function closePglite(dataDir: string): Promise<void> {
  const key = dataDir;
  const session = sessions.get(key);
  if (!session) return;
  sessions.delete(key);
  await (await session).db.close();
}

function commandOf(sql: string): string {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
}

class PgliteClient extends EventEmitter {
  constructor(private readonly session: Session) {
    super();
  }

  async query(sql: string | { text: string; values?: unknown[] }, params?: unknown[] | ((err: unknown, res: unknown) => void), cb?: (err: unknown, res: unknown) => void) {
    const text = typeof sql === 'string' ? sql : sql.text;
    let values = typeof sql === 'string' ? undefined : sql.values;
    let callback = cb;
    if (typeof params === 'function') callback = params;
    else if (params) values = params;
    try {
      let rows: unknown[];
      let affected: number | undefined;
      if (values && values.length > 0) {
        const res = await this.session.db.query(text, values);
        rows = res.rows;
        affected = res.affectedRows;
      } else {
        const results = await this.session.db.exec(text);
        const last = results[results.length - 1];
        rows = last?.rows ?? [];
        affected = last?.affectedRows;
      }
      const result = { rows, rowCount: affected ?? rows.length, command: commandOf(text) };
      callback?.(null, result);
      return result;
    } catch (error) {
      if (callback) {
        callback(error, null);
        return undefined;
      }
      throw error;
    }
  }
}

export function pglitePoolDriver(dataDir: string) {
  class PglitePool extends EventEmitter {
    private session: Session | null = null;
    // node-postgres' pool counters, for the metrics: one session, in use or idle, and its queue
    readonly options = { max: 1 };
    get totalCount(): number {
      return this.session ? 1 : 0;
    }
    get idleCount(): number {
      return this.session && !this.session.inUse ? 1 : 0;
    }
    get waitingCount(): number {
      return this.session?.waiting ?? 0;
    }

    connect(callback?: (err: unknown, client: PgliteClient | null, release: (err?: unknown) => void) => void) {
      const promise = openSession(dataDir).then(async (session) => {
        this.session = session;
        await session.acquire();
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          session.release();
        };
        return { client: new PgliteClient(session), release };
      });
      if (callback) {
        promise.then(({ client, release }) => callback(null, client, release), (err) => callback(err, null, () => undefined));
        return undefined;
      }
      return promise.then(({ client }) => client);
    }

    end(callback?: (err?: unknown) => void) {
      this.session = null;
      closePglite(dataDir).then(() => callback?.(), (err) => callback?.(err));
    }
  }
  return { Pool: PglitePool };
}
