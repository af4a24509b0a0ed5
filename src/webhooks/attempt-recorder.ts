import type { DataSource } from 'typeorm';
import { recordAttempts, type RecordedAttempt } from './webhook-delivery.queries.js';

/** Attempts written together at most, and how long the first of them waits for company. */
const BATCH = 200;
const WAIT_MS = 5;

/**
 * Writes attempts a batch at a time: at full speed a replica makes thousands of attempts a
 * second, and one statement for a batch costs the database what one attempt's did. An attempt
 * waits at most a few milliseconds; its promise says whether it was written (false: another
 * replica had taken its delivery over).
 */
export class AttemptRecorder {
  private pending: Array<{ attempt: RecordedAttempt; done: (written: boolean) => void; failed: (e: unknown) => void }> =
    [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: DataSource) {}

  record(attempt: RecordedAttempt): Promise<boolean> {
    return new Promise((done, failed) => {
      this.pending.push({ attempt, done, failed });
      if (this.pending.length >= BATCH) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), WAIT_MS);
    });
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.splice(0, BATCH);
    if (batch.length === 0) return;
    if (this.pending.length > 0) this.timer = setTimeout(() => void this.flush(), 0);
    try {
      const written = await recordAttempts(
        this.db.manager,
        batch.map((b) => b.attempt),
      );
      for (const b of batch) b.done(written.has(b.attempt.id));
    } catch {
      // one bad row (or a deadlock) must not cost the others: write them one by one
      for (const b of batch) {
        try {
          b.done((await recordAttempts(this.db.manager, [b.attempt])).has(b.attempt.id));
        } catch (error) {
          b.failed(error);
        }
      }
    }
  }
}
