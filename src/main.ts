import { createApp } from './app.setup.js';
import { ConfigError, loadConfig } from './config/config.js';

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
  const where = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  app.getHttpAdapter().getInstance().log.info(
    `Aftercare listening on http://localhost:${config.port} (GraphQL /graphql, IDE /ide/, REST /api/v1, docs /api/v1/docs) on ${where}`,
  );
  // graceful shutdown: stop accepting, let requests in flight finish, then close the database
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.getHttpAdapter().getInstance().log.info(`${signal} received, draining`);
    const force = setTimeout(() => process.exit(1), config.http.shutdownGraceMs);
    force.unref();
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
