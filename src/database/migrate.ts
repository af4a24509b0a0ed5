/** `npm run migrate`: applies pending migrations to the configured database and exits. */
import { ConfigError, loadConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { runPendingMigrations } from './run-migrations.js';

try {
  const config = loadConfig();
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const applied = await runPendingMigrations(dataSource, config);
  process.stdout.write(
    applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}\n` : 'the database is up to date\n',
  );
  await dataSource.destroy();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? 'Configuration error: ' : ''}${(error as Error).message}\n`);
  process.exit(1);
}
