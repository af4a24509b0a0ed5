import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { releaseOnExit, tryLockFile, type HeldLock, type LockHolder } from './lock-file.js';

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
const folderLocks = new Map<string, HeldLock>();

/** The lock file inside DATA_DIR: one process at a time opens an embedded database folder. */
const DATA_DIR_LOCK_FILE = 'aftercare.lock';

/** Another process has the embedded database folder open. */
class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder
      ? `process ${holder.pid}${holder.hostname ? ` on ${holder.hostname}` : ''}${holder.since ? ` since ${holder.since}` : ''}`
      : 'another process';
    super(
      `The embedded database in ${dataDir} (DATA_DIR) is in use by ${who}. Only one Aftercare process (the server, ` +
        '`npm run seed:demo` or `npm run migrate`) can open it at a time: stop that one first, then run this again; ' +
        `or use PostgreSQL (DATABASE_URL) to run several. If no such process is running, delete ${lockFile}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

let memoryTemplate: Blob | null = null;

/**
 * In-memory databases opened from now on in this process start as a copy of this data directory
 * (a PGlite dumpDataDir tarball) instead of running initdb: the tests start every file's database
 * from one migrated snapshot. null goes back to a fresh initdb.
 */
export function startMemoryDatabasesFrom(tarball: Blob | null): void {
  memoryTemplate = tarball;
}

function isMemory(dataDir: string): boolean {
  return dataDir.startsWith('memory://');
}

function lockFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
  const lock = tryLockFile(file);
  if ('heldBy' in lock) throw new DataDirInUseError(dataDir, file, lock.heldBy);
  folderLocks.set(dataDir, releaseOnExit(lock));
}

function unlockFolder(dataDir: string): void {
  folderLocks.get(dataDir)?.release();
  folderLocks.delete(dataDir);
}

async function createSession(dataDir: string): Promise<Session> {
  if (!isMemory(dataDir)) lockFolder(dataDir);
  try {
    const db = await PGlite.create(dataDir, {
      ...(isMemory(dataDir) && memoryTemplate ? { loadDataDir: memoryTemplate } : {}),
      // dates stay ISO strings and numerics stay decimal text, as with node-postgres below
      parsers: { [types.DATE]: (v: string) => v, [types.NUMERIC]: (v: string) => v, [types.INT8]: (v: string) => v },
      serializers: {
        [types.BOOL]: (v: unknown) =>
          v === true || v === 'true' || v === 1
            ? 'TRUE'
            : v === false || v === 'false' || v === 0
              ? 'FALSE'
              : String(v),
      },
    });
    return new Session(db);
  } catch (error) {
    unlockFolder(dataDir);
    throw error;
  }
}

async function openSession(dataDir: string): Promise<Session> {
  let session = sessions.get(dataDir);
  if (!session) {
    session = createSession(dataDir);
    sessions.set(dataDir, session);
    // a failed open is not remembered: the next connect tries again
    session.catch(() => {
      if (sessions.get(dataDir) === session) sessions.delete(dataDir);
    });
  }
  return session;
}

/** Closes the embedded database of this data directory and releases its folder lock. */
export async function closePglite(dataDir: string): Promise<void> {
  const session = sessions.get(dataDir);
  if (!session) return;
  sessions.delete(dataDir);
  try {
    await (await session).db.close();
  } finally {
    unlockFolder(dataDir);
  }
}

/** The open embedded database's whole data directory, as a tarball PGlite can start from. */
export async function dumpPglite(dataDir: string): Promise<Blob> {
  const session = sessions.get(dataDir);
  if (!session) throw new Error(`no embedded database is open for ${dataDir}`);
  const { db } = await session;
  await db.query('CHECKPOINT');
  return db.dumpDataDir('none');
}

/**
 * A statement's command, as PostgreSQL's command tag names it (TypeORM returns an UPDATE's or a
 * DELETE's row count by it): after WITH and its queries, the main statement's.
 */
export function commandOf(sql: string): string {
  const first = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
  return first === 'WITH' ? commandAfterWithQueries(sql) : first;
}

const MAIN_COMMANDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE']);

/** The first command word outside parentheses, strings and comments, after the leading WITH. */
function commandAfterWithQueries(sql: string): string {
  let depth = 0;
  for (let i = sql.search(/with/i) + 4; i < sql.length; i++) {
    const rest = sql.slice(i, i + 2);
    if (rest === '--') i = sql.indexOf('\n', i);
    else if (rest === '/*') i = sql.includes('*/', i) ? sql.indexOf('*/', i) + 1 : -1;
    else if (sql[i] === "'" || sql[i] === '"') i = sql.indexOf(sql[i], i + 1);
    else if (sql[i] === '(') depth++;
    else if (sql[i] === ')') depth--;
    else if (depth === 0 && /\w/.test(sql[i])) {
      const word = /^\w+/.exec(sql.slice(i))![0];
      if (MAIN_COMMANDS.has(word.toUpperCase())) return word.toUpperCase();
      i += word.length - 1;
    }
    if (i < 0) break; // an unterminated string or comment
  }
  return 'WITH';
}

/** A checked-out session, as node-postgres' PoolClient: it holds the session until release(). */
class PgliteClient extends EventEmitter {
  private released = false;

  constructor(private readonly session: Session) {
    super();
  }

  /** Gives the session back to the pool; a second call does nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.session.release();
  }

  async query(
    sql: string | { text: string; values?: unknown[] },
    params?: unknown[] | ((err: unknown, res: unknown) => void),
    cb?: (err: unknown, res: unknown) => void,
  ) {
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
        return new PgliteClient(session);
      });
      if (callback) {
        promise.then(
          (client) => callback(null, client, () => client.release()),
          (err) => callback(err, null, () => undefined),
        );
        return undefined;
      }
      return promise;
    }

    end(callback?: (err?: unknown) => void) {
      this.session = null;
      closePglite(dataDir).then(
        () => callback?.(),
        (err) => callback?.(err),
      );
    }
  }
  return { Pool: PglitePool };
}
