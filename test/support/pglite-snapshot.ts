import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { tryLockFile } from '../../src/database/lock-file.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { dumpPglite } from '../../src/database/pglite-pool.js';
import { runPendingMigrations } from '../../src/database/run-migrations.js';

const PREFIX = 'aftercare-pglite-migrated-';
/** Snapshots of older migrations are removed once this old: a run still using one has read it long since. */
const OLD_SNAPSHOT_MS = 60 * 60 * 1000;
/** How long a worker waits for another to build the snapshot before building its own. */
const WAIT_FOR_BUILDER_MS = 120_000;

/** Changes whenever a migration's code or PGlite's version does: the snapshot is keyed by it. */
function snapshotKey(): string {
  // the package exports no package.json; the tests run from the repository root (as server-process.ts assumes)
  const manifest = path.join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const pgliteVersion = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(pgliteVersion);
  for (const migration of MIGRATIONS)
    hash.update(`\0${migration.name}\0${migration.prototype.up}\0${migration.prototype.down}`);
  return hash.digest('hex').slice(0, 16);
}

function readSnapshot(file: string): Blob | null {
  try {
    return new Blob([readFileSync(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function buildSnapshot(file: string): Promise<void> {
  const dataDir = `memory://snapshot-${randomBytes(6).toString('hex')}`;
  const dataSource = createDataSource(
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: '' }),
  );
  await dataSource.initialize();
  try {
    await runPendingMigrations(dataSource, {
      databaseUrl: undefined,
      db: { poolMax: 1, statementTimeoutMs: 0, queryTimeoutMs: 0, connectTimeoutMs: 0 },
    });
    const tarball = Buffer.from(await (await dumpPglite(dataDir)).arrayBuffer());
    // written aside and renamed: a reader sees the whole file or none
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, tarball);
    renameSync(temp, file);
  } finally {
    await dataSource.destroy();
  }
}

function removeOldSnapshots(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX) || path.join(tmpdir(), name) === keep) continue;
    const full = path.join(tmpdir(), name);
    try {
      if (Date.now() - statSync(full).mtimeMs > OLD_SNAPSHOT_MS) unlinkSync(full);
    } catch {
      // another run removed it
    }
  }
}

/**
 * The embedded database with every migration applied, as a PGlite data directory tarball, made
 * once and kept in the temp folder under a key of the migrations: starting from it instead of
 * initdb plus the migrations saves several seconds per test file. Jest workers build it once
 * between them: the first takes a lock file, the others wait for the file to appear.
 */
export async function migratedSnapshot(): Promise<Blob> {
  const file = path.join(tmpdir(), `${PREFIX}${snapshotKey()}.tar`);
  const deadline = Date.now() + WAIT_FOR_BUILDER_MS;
  for (;;) {
    const ready = readSnapshot(file);
    if (ready) return ready;
    const lock = tryLockFile(`${file}.lock`);
    if ('release' in lock) {
      try {
        if (!readSnapshot(file)) {
          await buildSnapshot(file);
          removeOldSnapshots(file);
        }
      } finally {
        lock.release();
      }
    } else if (Date.now() > deadline) {
      throw new Error(
        `the migrated PGlite snapshot ${file} did not appear within ${WAIT_FOR_BUILDER_MS} ms; its builder holds ${file}.lock`,
      );
    } else {
      await sleep(200);
    }
  }
}
