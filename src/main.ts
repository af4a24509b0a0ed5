import { Worker } from 'node:worker_threads';
import { createApp } from './app.setup.js';
import { ConfigError, loadConfig } from './config/config.js';
import { EmailChannel } from './outreach/channels/email-channel.js';

/**
 * Ends the process after `ms` even if its event loop never turns again (a native call that hangs,
 * a runaway loop): a timer in the main thread could not fire then, a thread of its own can.
 */
function startKillSwitch(ms: number): void {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);`,
    { eval: true, workerData: { pid: process.pid, ms } },
  );
  worker.unref();
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const log = app.getHttpAdapter().getInstance().log;
  const where = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  log.info(
    `Aftercare listening on http://localhost:${config.port} (GraphQL /graphql, IDE /ide/, REST /api/v1, docs /api/v1/docs) on ${where}`,
  );
  log.info(app.get(EmailChannel).describe());
  // Graceful shutdown: stop accepting, let requests in flight finish, then close the database;
  // whatever is still running after SHUTDOWN_GRACE_MS is cut off (exit 1). A second signal stops at once.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    const grace = config.http.shutdownGraceMs;
    startKillSwitch(grace + 2000);
    setTimeout(() => process.exit(1), grace).unref();
    log.info(`${signal} received, draining`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
