import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { builtServer, startServerProcess, type ServerProcess } from './support/server-process.js';
import { PLATFORM_KEY } from './support/test-app.js';

const ROOT = process.cwd();
const LOCK = 'aftercare.lock';

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built script (or inline ES module code) to its end, with the test environment of a server. */
function run(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        AFTERCARE_ADMIN_KEY: PLATFORM_KEY,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not end within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const holderPid = (dataDir: string): number =>
  (JSON.parse(readFileSync(path.join(dataDir, LOCK), 'utf8')) as { pid: number }).pid;

/** The organization keys `npm run seed:demo` printed ("ADMIN  ac_..."). */
const printedKeys = (stdout: string): string[] => [...stdout.matchAll(/^\s+ADMIN\s+(\S+)$/gm)].map((m) => m[1]);

describe('one process at a time on an embedded database folder (DATA_DIR lock)', () => {
  let workDir: string;
  let dataDir: string;
  let server: ServerProcess | undefined;
  const seedScript = path.join(ROOT, 'dist', 'demo', 'seed.js');
  const lockModule = path.join(ROOT, 'dist', 'database', 'lock-file.js');

  beforeAll(() => {
    builtServer(); // builds once here if dist is missing or older than the sources
    workDir = mkdtempSync(path.join(tmpdir(), 'aftercare-lock-'));
    // one folder for every test: initdb and the migrations run once, in the first process to open it
    dataDir = path.join(workDir, 'data');
  }, 180_000);

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('the demo seed run first, then the server: the server accepts the keys the seed printed; a second server and the seed refuse while it runs, naming the folder', async () => {
    const seed = await run([seedScript], { DATA_DIR: dataDir }, 300_000);
    expect(seed.code).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK))).toBe(false);
    const keys = printedKeys(seed.stdout);
    expect(keys.length).toBeGreaterThanOrEqual(4);

    server = await startServerProcess({ DATA_DIR: dataDir });
    expect(holderPid(dataDir)).toBe(server.child.pid);
    for (const key of keys) {
      const res = await fetch(`${server.baseUrl}/api/v1/units?first=1`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status).toBe(200);
    }

    const second = await run([builtServer()], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    const said = second.stdout + second.stderr;
    expect(said).toContain(`The embedded database in ${dataDir} (DATA_DIR) is in use by process ${server.child.pid}`);
    expect(said).toContain('stop that one first');
    expect(said).toContain(path.join(dataDir, LOCK));

    const seedAgain = await run([seedScript], { DATA_DIR: dataDir });
    expect(seedAgain.code).toBe(1);
    expect(seedAgain.stdout + seedAgain.stderr).toContain(
      `The embedded database in ${dataDir} (DATA_DIR) is in use by process ${server.child.pid}`,
    );
    expect(printedKeys(seedAgain.stdout)).toEqual([]);

    // the refused processes left the lock to its holder, which still serves
    expect(holderPid(dataDir)).toBe(server.child.pid);
    const ready = await fetch(`${server.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
  }, 600_000);

  it('a server stopped with SIGTERM or SIGINT releases the folder; one killed outright leaves a stale lock (its pid is gone) that the next server takes over', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      server = await startServerProcess({ DATA_DIR: dataDir });
      server.child.kill(signal);
      expect((await server.exited).code).toBe(0);
      expect(existsSync(path.join(dataDir, LOCK))).toBe(false);
    }

    server = await startServerProcess({ DATA_DIR: dataDir });
    const killedPid = server.child.pid;
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    expect(holderPid(dataDir)).toBe(killedPid);

    server = await startServerProcess({ DATA_DIR: dataDir });
    expect(holderPid(dataDir)).toBe(server.child.pid);
  }, 300_000);

  it('a lock held by a live process of another name is respected: the server refuses rather than guess', async () => {
    // this test's own process is alive and is no Aftercare server
    writeFileSync(
      path.join(dataDir, LOCK),
      JSON.stringify({ pid: process.pid, hostname: hostname(), since: '2026-01-01T00:00:00.000Z' }),
    );
    const refused = await run([builtServer()], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain(
      `in use by process ${process.pid} on ${hostname()} since 2026-01-01T00:00:00.000Z`,
    );
    expect(holderPid(dataDir)).toBe(process.pid);
    rmSync(path.join(dataDir, LOCK));
  }, 120_000);

  describe('a process with no signal handler of its own (a script)', () => {
    const holder = (then: string) => `
      import { releaseOnExit, tryLockFile } from ${JSON.stringify(lockModule)};
      const lock = tryLockFile(process.env.LOCK_FILE);
      if (!('release' in lock)) process.exit(3);
      releaseOnExit(lock);
      process.stdout.write('locked\\n');
      ${then}`;

    it('releases the lock when it crashes with an uncaught exception', async () => {
      const file = path.join(workDir, 'crash.lock');
      const crashed = await run(
        ['--input-type=module', '-e', holder(`setTimeout(() => { throw new Error('boom'); }, 10);`)],
        { LOCK_FILE: file },
      );
      expect(crashed.stdout).toBe('locked\n');
      expect(crashed.stderr).toContain('boom');
      expect(crashed.code).toBe(1);
      expect(existsSync(file)).toBe(false);
    });

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`releases the lock on ${signal} and still ends by that signal`, async () => {
        const file = path.join(workDir, `${signal}.lock`);
        const child = spawn(
          process.execPath,
          ['--input-type=module', '-e', holder('setInterval(() => undefined, 1000);')],
          {
            cwd: ROOT,
            env: { PATH: process.env.PATH ?? '', LOCK_FILE: file },
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
        await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(child.pid);
        child.kill(signal);
        expect(await ended).toBe(signal);
        expect(existsSync(file)).toBe(false);
      });
    }
  });
});
