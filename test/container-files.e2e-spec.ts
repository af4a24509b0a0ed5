import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = process.cwd();
const FILES = [
  'Dockerfile',
  'compose.yaml',
  '.dockerignore',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

type Edit = [file: string, from: string | RegExp, to: string];

/**
 * Runs the lint .ci/container-check.sh falls back to without a container engine, on a copy of
 * the container files with these edits; returns its exit code and what it printed.
 */
function lintWith(...edits: Edit[]): { code: number | null; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aftercare-container-'));
  try {
    mkdirSync(path.join(dir, 'src'));
    for (const file of FILES) copyFileSync(path.join(ROOT, file), path.join(dir, file));
    for (const [file, from, to] of edits) {
      const before = readFileSync(path.join(dir, file), 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`the edit of ${file} (${String(from)}) changed nothing`);
      writeFileSync(path.join(dir, file), after);
    }
    const run = spawnSync(process.execPath, [path.join(ROOT, '.ci', 'container-lint.mjs'), dir], { encoding: 'utf8' });
    return { code: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the container files and their lint', () => {
  it('the Dockerfile, .dockerignore and compose.yaml of the repository pass', () => {
    expect(lintWith()).toEqual({
      code: 0,
      output: 'container-check: Dockerfile, .dockerignore and compose.yaml pass the lint\n',
    });
  });

  it.each<[string, Edit[], string]>([
    [
      'a final stage running as root',
      [['Dockerfile', /^USER node\n/m, '']],
      'the final stage must switch to a non-root USER',
    ],
    [
      'a healthcheck with curl, which the slim image lacks',
      [['Dockerfile', /CMD \["node", "-e".*/, 'CMD curl -f http://localhost:3000/health/ready || exit 1']],
      'the HEALTHCHECK uses curl or wget',
    ],
    [
      "node without the start script's --disable-proto=delete",
      [['Dockerfile', '"--disable-proto=delete", ', '']],
      'must run node with --disable-proto=delete',
    ],
    [
      'an unpinned base image',
      [['Dockerfile', 'node:${NODE_VERSION}-bookworm-slim AS runtime', 'node AS runtime']],
      'pin the base image node',
    ],
    [
      'runtime dependencies with the dev ones',
      [['Dockerfile', 'npm ci --omit=dev', 'npm ci']],
      'must be installed with npm ci --omit=dev',
    ],
    ['an unknown instruction', [['Dockerfile', 'EXPOSE 3000', 'EXPOSES 3000']], 'Unknown instruction: EXPOSES'],
    [
      'a COPY of a file the context does not have',
      [['Dockerfile', 'COPY src ./src', 'COPY source ./src']],
      'COPY source: no such file',
    ],
    [
      'a .dockerignore that lets local data and .env files in',
      [['.dockerignore', /^\*\n/m, 'node_modules\n']],
      '.env must be kept out of the build context',
    ],
    [
      'the app starting before PostgreSQL is healthy',
      [['compose.yaml', 'condition: service_healthy', 'condition: service_started']],
      'must depend on db with condition: service_healthy',
    ],
    [
      'a duration Compose cannot read',
      [['compose.yaml', 'interval: 5s', 'interval: 5 seconds']],
      '/services/db/healthcheck/interval must match format "duration"',
    ],
    [
      'a key Compose does not know',
      [
        [
          'compose.yaml',
          '    restart: unless-stopped\n\n  app:',
          '    restart: unless-stopped\n    healthcheck_typo: true\n\n  app:',
        ],
      ],
      'must NOT have additional properties',
    ],
    [
      'an admin key written into the file',
      [['compose.yaml', /AFTERCARE_ADMIN_KEY: \$\{.*\n/, 'AFTERCARE_ADMIN_KEY: ac_written_into_the_file_0123456789\n']],
      'must take AFTERCARE_ADMIN_KEY from the environment',
    ],
    [
      'PostgreSQL other than 15',
      [['compose.yaml', 'postgres:15-alpine', 'postgres:16-alpine']],
      'a service must run PostgreSQL 15',
    ],
    [
      'a duplicate key',
      [['compose.yaml', '    image: aftercare:local\n', '    image: aftercare:local\n    image: other:local\n']],
      'Map keys must be unique',
    ],
  ])('refuses %s', (_what, edits, message) => {
    const { code, output } = lintWith(...edits);
    expect(code).toBe(1);
    expect(output).toContain(message);
  });
});
