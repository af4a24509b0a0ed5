import { Global, Module } from '@nestjs/common';
import { AuthService } from './auth/auth.service.js';
import { EventFeed } from './events/event-feed.service.js';
import { OutboxTasks } from './events/outbox-tasks.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { JobRunner } from './jobs/job-runner.service.js';

/** Shared mechanisms, one instance each for the whole application. */
@Global()
@Module({
  providers: [AuthService, IdempotencyService, JobRunner, EventFeed, OutboxTasks],
  exports: [AuthService, IdempotencyService, JobRunner, EventFeed],
})
export class CommonModule {}
