import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';
import { ReadReplicas } from './replicas.js';
import { runPendingMigrations } from './run-migrations.js';

/** The one DataSource of the process; migrations run before anything else uses it. Reads may go to replicas. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const dataSource = createDataSource(config);
        await dataSource.initialize();
        try {
          await runPendingMigrations(dataSource, config);
        } catch (error) {
          // Nest never closes a provider that failed: free the connections and the DATA_DIR lock here
          await dataSource.destroy().catch(() => undefined);
          throw error;
        }
        return dataSource;
      },
    },
    {
      provide: ReadReplicas,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig) => {
        const replicas = new ReadReplicas(dataSource, config);
        replicas.start();
        return replicas;
      },
    },
  ],
  exports: [DataSource, ReadReplicas],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadReplicas) private readonly replicas: ReadReplicas,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.replicas.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
