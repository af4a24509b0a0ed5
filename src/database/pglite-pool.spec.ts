import { closePglite, commandOf, pglitePoolDriver } from './pglite-pool.js';

type Client = { query(sql: string): Promise<{ rows: unknown[] }>; release(): void };
type Pool = {
  connect(): Promise<Client>;
  connect(callback: (err: unknown, client: Client | null, release: () => void) => void): void;
  readonly idleCount: number;
};

/** Whether the pool hands the client over within the time (it does not while another client holds the session). */
async function handedOverWithin(connecting: Promise<Client>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([connecting.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the PGlite pool', () => {
  const dataDir = `memory://pglite-pool-spec-${process.pid}`;
  let pool: Pool;

  beforeAll(async () => {
    const { Pool } = pglitePoolDriver(dataDir);
    pool = new Pool() as unknown as Pool;
    (await pool.connect()).release(); // opens the embedded database once, before the timed waits
  });

  afterAll(() => closePglite(dataDir));

  it('frees the session when a client taken with the promise form is released', async () => {
    const first = await pool.connect();
    expect((await first.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(pool.idleCount).toBe(0);
    first.release();
    expect(pool.idleCount).toBe(1);

    const second = pool.connect();
    expect(await handedOverWithin(second, 2000)).toBe(true);
    (await second).release();
  });

  it('frees the session with the release function of the callback form', async () => {
    const { client, release } = await new Promise<{ client: Client; release: () => void }>((resolve, reject) =>
      pool.connect((err, client, release) => (err ? reject(err) : resolve({ client: client!, release }))),
    );
    expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    release();

    const next = pool.connect();
    expect(await handedOverWithin(next, 2000)).toBe(true);
    (await next).release();
  });

  it('keeps the session for its holder until the holder releases it', async () => {
    const holder = await pool.connect();
    const waiting = pool.connect();
    expect(await handedOverWithin(waiting, 100)).toBe(false);
    holder.release();
    expect(await handedOverWithin(waiting, 2000)).toBe(true);
    (await waiting).release();
  });

  it('counts a second release of the same client once', async () => {
    const released = await pool.connect();
    released.release();
    const holder = await pool.connect();
    released.release(); // were it counted, it would free the session holder still has
    const waiting = pool.connect();
    expect(await handedOverWithin(waiting, 100)).toBe(false);
    holder.release();
    (await waiting).release();
  });
});

describe('the command a PGlite result reports', () => {
  it('is the first word of a plain statement', () => {
    expect(commandOf('  update t set a = 1')).toBe('UPDATE');
    expect(commandOf('SELECT 1')).toBe('SELECT');
  });

  it("is the main statement's after WITH queries, whatever their bodies, strings and comments hold", () => {
    const sql = `WITH batch AS (SELECT id FROM t WHERE note = 'it''s (not) an UPDATE' LIMIT 5 FOR UPDATE),
                      "select" (n) AS MATERIALIZED (
                        -- a comment's (parentheses) and 'quote'
                        /* UPDATE ( */ SELECT 1)
                 UPDATE t SET a = 1 FROM batch WHERE t.id = batch.id`;
    expect(commandOf(sql)).toBe('UPDATE');
    expect(commandOf('WITH x AS (DELETE FROM t RETURNING id) SELECT count(*) FROM x')).toBe('SELECT');
    expect(commandOf('with recursive r(n) as (values (1)) delete from t using r')).toBe('DELETE');
  });

  it('stays WITH when it cannot tell', () => {
    expect(commandOf("WITH x AS (SELECT 'unterminated")).toBe('WITH');
    expect(commandOf('WITH x AS (SELECT 1) /* unterminated')).toBe('WITH');
    expect(commandOf('WITH x AS (SELECT 1) -- no end of line')).toBe('WITH');
  });
});
