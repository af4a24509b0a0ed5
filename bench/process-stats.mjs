// What the benches read of a process from /proc (Linux): its CPU time and its resident memory. On a
// shared machine requests/s follow the neighbours' load; the CPU a process spends per unit of work
// does not. Each answers null where /proc cannot tell (another OS, a remote database).
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux

/** CPU seconds a process has used so far, split into user and kernel (system) time. */
export function cpuTimesOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid) {
  const times = cpuTimesOf(pid);
  return times && times.user + times.system;
}

/** A process's resident set now, in kB. */
export function rssKbOf(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) || null;
  } catch {
    return null;
  }
}

/** CPU seconds so far of each PostgreSQL backend serving `dbName` (pid → seconds), read on this machine. */
export async function backendCpuSeconds(client, dbName) {
  const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  return new Map(rows.map(({ pid }) => [pid, cpuSecondsOf(pid)]));
}
