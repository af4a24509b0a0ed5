import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { TELEMETRY_SHUTDOWN, type TelemetryShutdown } from './telemetry-env.js';

/** The last spans may wait this long to leave; shutdown must end within SHUTDOWN_GRACE_MS. */
const FLUSH_TIMEOUT_MS = 2000;

const logger = new Logger('Telemetry');

/**
 * Sends the spans still buffered once the server has stopped taking requests (Nest calls
 * shutdown hooks after the HTTP server closed), when preload.ts started tracing; else nothing.
 */
@Injectable()
export class TelemetryFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    const shutdown = (globalThis as Record<symbol, TelemetryShutdown | undefined>)[TELEMETRY_SHUTDOWN];
    if (!shutdown) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), FLUSH_TIMEOUT_MS);
    });
    try {
      const outcome = await Promise.race([shutdown().then(() => 'sent' as const), late]);
      if (outcome === 'late') logger.warn(`spans not sent within ${FLUSH_TIMEOUT_MS} ms of shutdown were dropped`);
    } catch (error) {
      logger.warn({
        msg: 'could not send the last spans',
        err: error instanceof Error ? error.message : String(error),
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
