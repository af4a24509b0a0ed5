import type { Writable } from 'node:stream';

/** Log text waiting for a slow reader beyond this is dropped rather than kept in memory. */
const MAX_BUFFERED_LOG_BYTES = 8 * 1024 * 1024;

export interface LogDestination {
  write(line: string): boolean;
  /** Lines dropped so far because the reader was gone or too slow. */
  readonly dropped: number;
}

/**
 * Where the logs go: stdout, written without ever blocking the process. A reader that stalls
 * (a full pipe) or goes away (EPIPE) must not stop the event loop: pino's synchronous writes
 * would wait, or retry, forever, and with them every request, health check and shutdown timer.
 * Through the stream, a write never waits: lines queue while the reader is slow, are dropped
 * past MAX_BUFFERED_LOG_BYTES, and all are dropped once the stream has failed. The count of
 * dropped lines is logged as soon as a line goes out again.
 */
export function nonBlockingDestination(
  out: Writable = process.stdout,
  maxBufferedBytes = MAX_BUFFERED_LOG_BYTES,
): LogDestination {
  const stream = streamState(out);
  let dropped = 0;
  let droppedSinceReport = 0;
  return {
    get dropped() {
      return dropped;
    },
    write(line: string): boolean {
      if (stream.broken || out.destroyed || out.writableLength > maxBufferedBytes) {
        dropped++;
        droppedSinceReport++;
        return true;
      }
      if (droppedSinceReport > 0) {
        out.write(
          `${JSON.stringify({ level: 40, time: new Date().toISOString(), service: 'aftercare', msg: `${droppedSinceReport} log lines were dropped: the log reader was too slow or gone` })}\n`,
        );
        droppedSinceReport = 0;
      }
      out.write(line);
      return true;
    },
  };
}

/** Kept on the stream itself, under a registry symbol: one 'error' listener per stream, however
 * many times this module is loaded (each jest test file loads it anew on the same stdout). */
const STATE = Symbol.for('aftercare.log-destination.state');

/** Whether the stream has failed; an EPIPE on stdout would otherwise be an uncaught 'error' event and end the process. */
function streamState(out: Writable): { broken: boolean } {
  const holder = out as Writable & { [STATE]?: { broken: boolean } };
  let state = holder[STATE];
  if (!state) {
    const created = { broken: false };
    out.on('error', () => {
      created.broken = true;
    });
    holder[STATE] = created;
    state = created;
  }
  return state;
}

let stdoutDestination: LogDestination | undefined;

/** The process's one stdout destination, shared by every logger it makes (one 'error' listener). */
export function stdoutLogDestination(): LogDestination {
  stdoutDestination ??= nonBlockingDestination(process.stdout);
  return stdoutDestination;
}
