#!/usr/bin/env node
// Reads the API's CPU profile from a `BENCH_PROFILE=<dir> npm run bench:coverage` run and, for each
// measured line, prints the serving process's CPU per request (the API's, or the baseline's) (all of it, and without the socket writes, which
// on a loaded machine mostly measure waiting for a core) and the functions, files and packages
// with the most self-time. On a shared machine, wall-clock rates are noise; these shares are not.
// Usage: node bench/cpu-profile.mjs <dir> [bench/results/coverage.json] [top=25]
import { readdirSync, readFileSync, statSync } from 'node:fs';

const [dir, resultsFile = 'bench/results/coverage.json', topArg = '25'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench/cpu-profile.mjs <profile dir> [results.json] [top]');
const top = Number(topArg);
const print = (line) => process.stdout.write(`${line}\n`);
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));

/** The largest profile in a folder: the process that served (a worker thread writes a small one too). */
function load(folder) {
  const largest = readdirSync(folder)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => `${folder}/${f}`)
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const profile = JSON.parse(readFileSync(largest, 'utf8'));
  return { profile, nodes: new Map(profile.nodes.map((n) => [n.id, n.callFrame])) };
}
const api = load(dir);
const baseline = load(`${dir}/baseline`);

/** Self-time in µs per profile node between two timestamps of the monotonic clock. */
function selfTime({ profile }, windows) {
  const self = new Map();
  let clock = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clock += dt;
    if (windows.some((w) => clock >= w.fromUs && clock < w.toUs)) self.set(id, (self.get(id) ?? 0) + dt);
  });
  return self;
}

const where = (frame) => frame.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
const packageOf = (frame) =>
  /node_modules\/((@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1] ??
  (frame.url.includes('/dist/') ? `dist/${where(frame).split('/')[1]}` : frame.url.startsWith('node:') ? 'node' : '');

function report(name, line) {
  const source = name.startsWith('baseline') ? baseline : api;
  const self = selfTime(source, line.windows);
  const by = { function: new Map(), file: new Map(), package: new Map() };
  let busy = 0;
  let writes = 0;
  for (const [id, us] of self) {
    const frame = source.nodes.get(id);
    if (frame.functionName === '(idle)') continue;
    busy += us;
    if (frame.functionName === 'writev' || frame.functionName === 'writeBuffer') writes += us;
    const add = (map, key) => map.set(key, (map.get(key) ?? 0) + us);
    add(by.function, `${frame.functionName || '(anonymous)'} ${where(frame)}:${frame.lineNumber + 1}`);
    add(by.file, where(frame) || frame.functionName);
    add(by.package, packageOf(frame) || frame.functionName);
  }
  const perRequest = (us) => (us / 1000 / line.total).toFixed(3);
  print(
    `\n== ${name}: ${line.total} requests, server CPU ${perRequest(busy)} ms/request, ${perRequest(busy - writes)} ms/request without socket writes`,
  );
  for (const [kind, map] of Object.entries(by)) {
    print(`-- self-time by ${kind}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      print(`${((100 * us) / busy).toFixed(1).padStart(6)}%  ${key}`);
  }
}

for (const [name, line] of Object.entries(results)) if (line?.windows && line.total) report(name, line);
