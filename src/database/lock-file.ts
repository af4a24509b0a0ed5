import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds a lock file: written into it when taken. */
export interface LockHolder {
  pid: number;
  hostname: string;
  since: string;
}

export interface HeldLock {
  file: string;
  /** Removes the lock file if it is still this process's; safe to call more than once. */
  release: () => void;
}

/** A lock being broken is left this long at most: its breaker died in between two system calls. */
const BREAKER_STALE_MS = 10_000;

function readHolder(file: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0) {
      return {
        text,
        holder: { pid: parsed.pid, hostname: String(parsed.hostname ?? ''), since: String(parsed.since ?? '') },
      };
    }
  } catch {
    // not ours or damaged: reported as an unknown holder, never broken automatically
  }
  return { text, holder: null };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A holder that can no longer hold the lock: on this machine, its process is gone, or its pid is
 * ours although this process never took the lock (a container restarted gets the same pid again).
 */
function isStale(holder: LockHolder, heldHere: boolean): boolean {
  if (holder.hostname !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere;
  return !processIsAlive(holder.pid);
}

const heldFiles = new Set<string>();

/** Creates the lock file with its whole content in one step: link() fails if the file exists. */
function create(file: string): boolean {
  const content = JSON.stringify({
    pid: process.pid,
    hostname: hostname(),
    since: new Date().toISOString(),
  } satisfies LockHolder);
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Removes a stale lock file, unless someone else is breaking it or took it meanwhile: a second
 * lock (`.break`) makes the read-compare-remove one step among processes that all break this way.
 */
function breakStale(file: string, staleText: string): void {
  const breaker = `${file}.break`;
  try {
    writeFileSync(breaker, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(breaker).mtimeMs > BREAKER_STALE_MS) unlinkSync(breaker);
    } catch {
      // another process removed it first
    }
    return;
  }
  try {
    if (readHolder(file)?.text === staleText) unlinkSync(file);
  } finally {
    unlinkSync(breaker);
  }
}

/**
 * Takes an exclusive lock file holding this process's pid, or says who holds it. A lock whose
 * process is gone (killed, crashed) is stale and is taken over.
 */
export function tryLockFile(file: string): HeldLock | { heldBy: LockHolder | null } {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (create(file)) {
      heldFiles.add(file);
      const release = () => {
        if (!heldFiles.delete(file)) return;
        const current = readHolder(file);
        if (current?.holder?.pid === process.pid) unlinkSync(file);
      };
      return { file, release };
    }
    const current = readHolder(file);
    if (!current) continue;
    if (!current.holder || !isStale(current.holder, heldFiles.has(file))) return { heldBy: current.holder };
    breakStale(file, current.text);
  }
  return { heldBy: readHolder(file)?.holder ?? null };
}

let exitHooksInstalled = false;
const releaseAtExit = new Set<HeldLock>();

function releaseAll(): void {
  for (const lock of releaseAtExit) {
    try {
      lock.release();
    } catch {
      // exiting: nothing better to do; the lock is stale once this process is gone
    }
  }
  releaseAtExit.clear();
}

/**
 * Releases the lock when the process ends: on exit (process.exit, an uncaught exception, the end of
 * the event loop) and on SIGINT/SIGTERM/SIGHUP when nothing else handles them. Where the process
 * has its own handler (the server drains, then exits), that handler ends it and the exit hook runs.
 * A SIGKILL leaves the file behind, stale, and the next process takes it over.
 */
export function releaseOnExit(lock: HeldLock): HeldLock {
  releaseAtExit.add(lock);
  if (!exitHooksInstalled) {
    exitHooksInstalled = true;
    process.on('exit', releaseAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const onSignal = () => {
        if (process.listenerCount(signal) > 1) return;
        releaseAll();
        process.removeListener(signal, onSignal);
        // the default action again, so the exit status still says which signal ended the process
        process.kill(process.pid, signal);
      };
      process.on(signal, onSignal);
    }
  }
  return {
    file: lock.file,
    release: () => {
      releaseAtExit.delete(lock);
      lock.release();
    },
  };
}
