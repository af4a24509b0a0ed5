import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { tryLockFile, type HeldLock, type LockHolder } from './lock-file.js';

describe('tryLockFile', () => {
  let dir: string;
  let file: string;
  const held: HeldLock[] = [];
  const take = () => {
    const lock = tryLockFile(file);
    if ('release' in lock) held.push(lock);
    return lock;
  };
  const holderInFile = () => JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  const writeHolder = (holder: Partial<LockHolder>) =>
    writeFileSync(file, JSON.stringify({ hostname: hostname(), since: '2026-01-01T00:00:00.000Z', ...holder }));
  /** The pid of a process that has already ended. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aftercare-lockfile-'));
    file = path.join(dir, 'test.lock');
  });

  afterEach(() => {
    for (const lock of held.splice(0)) lock.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes a free lock, writing this process as its holder; release removes the file', () => {
    const lock = take();
    expect('release' in lock).toBe(true);
    expect(holderInFile()).toMatchObject({ pid: process.pid, hostname: hostname() });
    (lock as HeldLock).release();
    expect(existsSync(file)).toBe(false);
  });

  it('a second take while held says who holds it, even from the holding process', () => {
    take();
    expect(take()).toEqual({ heldBy: expect.objectContaining({ pid: process.pid }) });
  });

  it('a live process of this machine holds the lock', () => {
    writeHolder({ pid: process.ppid });
    expect(take()).toEqual({ heldBy: { pid: process.ppid, hostname: hostname(), since: '2026-01-01T00:00:00.000Z' } });
    expect(holderInFile().pid).toBe(process.ppid);
  });

  it('a lock whose process is gone is stale and taken over', () => {
    writeHolder({ pid: deadPid() });
    expect('release' in take()).toBe(true);
    expect(holderInFile().pid).toBe(process.pid);
  });

  it("a lock naming this process's pid that this process never took is stale (a restarted container gets the same pid)", () => {
    writeHolder({ pid: process.pid });
    expect('release' in take()).toBe(true);
  });

  it("another machine's lock is never broken: its pid says nothing here", () => {
    writeHolder({ pid: deadPid(), hostname: `not-${hostname()}` });
    expect(take()).toEqual({ heldBy: expect.objectContaining({ hostname: `not-${hostname()}` }) });
  });

  it('a lock file that is not ours (unreadable content) is respected, holder unknown', () => {
    writeFileSync(file, 'something else');
    expect(take()).toEqual({ heldBy: null });
    expect(readFileSync(file, 'utf8')).toBe('something else');
  });

  it('release leaves a lock that another process took meanwhile', () => {
    const lock = take() as HeldLock;
    writeHolder({ pid: process.ppid });
    lock.release();
    expect(holderInFile().pid).toBe(process.ppid);
  });

  it('a stale lock that another process is breaking right now (a fresh .break file) is left to it', () => {
    const dead = deadPid();
    writeHolder({ pid: dead });
    writeFileSync(`${file}.break`, '1');
    expect(take()).toEqual({ heldBy: expect.objectContaining({ pid: dead }) });
    expect(holderInFile().pid).toBe(dead);
  });

  it('a .break file left by a process that died while breaking is cleared once old, and the stale lock taken over', () => {
    writeHolder({ pid: deadPid() });
    writeFileSync(`${file}.break`, '1');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.break`, longAgo, longAgo);
    expect('release' in take()).toBe(true);
    expect(holderInFile().pid).toBe(process.pid);
    expect(existsSync(`${file}.break`)).toBe(false);
  });
});
