import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PLATFORM_KEY } from './test-app.js';

const ROOT = process.cwd();
const MAIN = path.join(ROOT, 'dist', 'main.js');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The built server (dist/main.js), as `npm start` runs it. CI builds before testing; a missing or
 * older build than the sources is rebuilt here, so a local `npm test` tests the current code.
 */
export function builtServer(): string {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSourceTime(path.join(ROOT, 'src'))) {
    spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, stdio: 'ignore' },
    );
  }
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build`');
  return MAIN;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Resolves when the process has ended, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stderr, for failure messages. */
  stderr: () => string;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * Starts the built server as its own process on a free loopback port and waits until
 * /health/live answers. `stdout: 'pipe'` leaves the log pipe to the test (to stall or close it).
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { stdout?: 'pipe' | 'ignore' } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  // as `npm start` runs it: with prototype mutation disabled
  const child = spawn(process.execPath, ['--disable-proto=delete', builtServer()], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      AFTERCARE_ADMIN_KEY: PLATFORM_KEY,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (ended) throw new Error(`the server exited while starting:\n${errors}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within 60 s:\n${errors}`);
    }
    const live = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
    if (live?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    baseUrl,
    exited,
    stderr: () => errors,
    stop: async (graceMs = 10_000) => {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
