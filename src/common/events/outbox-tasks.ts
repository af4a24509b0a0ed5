import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { JobRunner } from '../jobs/job-runner.service.js';
import { OUTBOX_RELAY, RELAY_BATCH, outboxCleanup, outboxRelay } from './outbox-relay.js';
import { OutboxSignals } from './outbox-signals.js';

/**
 * How long the relay waits after a commit woke it, for more commits to publish with it: at a few
 * hundred commits a second, one run per commit would cost the database more than the commits.
 */
const GATHER_COMMITS_MS = 20;

/**
 * Puts the outbox relay and its cleanup on the job runner. The relay runs every poll, and soon
 * after a commit here wrote events; once it has published, the fan-out hears of it.
 */
@Injectable()
export class OutboxTasks implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly signals: OutboxSignals,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.runner.every(
      outboxRelay(this.config.jobs.pollMs, (count) => {
        this.signals.published();
        // a full batch: more may be waiting
        if (count === RELAY_BATCH) this.runner.wake(OUTBOX_RELAY);
      }),
    );
    this.runner.every(outboxCleanup(this.config.jobs.outboxRetentionDays));
    this.signals.onCommitted(() => this.runner.wake(OUTBOX_RELAY, GATHER_COMMITS_MS));
  }
}
