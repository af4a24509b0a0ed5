import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { outboxCleanup, outboxRelay } from './outbox-relay.js';

/** Puts the outbox relay and its cleanup on the job runner. */
@Injectable()
export class OutboxTasks implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.runner.every(outboxRelay(this.config.jobs.pollMs));
    this.runner.every(outboxCleanup(this.config.jobs.outboxRetentionDays));
  }
}
