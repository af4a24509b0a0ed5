import { Global, Module } from '@nestjs/common';
import { AuthService } from './auth/auth.service.js';
import { EventFeed } from './events/event-feed.service.js';
import { PublicEvents } from './events/public-events.js';
import { OutboxSignals } from './events/outbox-signals.js';
import { OutboxTasks } from './events/outbox-tasks.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { JobRunner } from './jobs/job-runner.service.js';

/** Shared mechanisms, one instance each for the whole application. */
@Global()
@Module({
  providers: [AuthService, IdempotencyService, JobRunner, EventFeed, OutboxSignals, OutboxTasks, PublicEvents],
  exports: [AuthService, IdempotencyService, JobRunner, EventFeed, OutboxSignals, PublicEvents],
})
export class CommonModule {}
