import type { EntityManager } from 'typeorm';
import type { PeriodicTask } from '../jobs/job-runner.service.js';

/** Events a run publishes at most; a full batch makes the relay run again at once. */
export const RELAY_BATCH = 1000;
export const OUTBOX_RELAY = 'outbox-relay';

/**
 * Publishes outbox events: gives each committed, unpublished event the next publish_seq. The job
 * runner holds the task's advisory lock, so one relay runs at a time across replicas and the
 * numbers follow commit order: a replica reading publish_seq > its cursor never skips an event.
 * `published` hears how many a run published, once its transaction has committed.
 */
export function outboxRelay(everyMs: number, published: (count: number) => void = () => undefined): PeriodicTask {
  let count = 0;
  return {
    name: OUTBOX_RELAY,
    everyMs,
    async run(em: EntityManager) {
      [, count] = await em.query(
        `WITH batch AS (SELECT id FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED),
              numbered AS (SELECT id, nextval('outbox_publish_seq') AS seq FROM (SELECT id FROM batch ORDER BY id) b)
         UPDATE outbox_events o SET published_at = now(), publish_seq = n.seq FROM numbered n WHERE o.id = n.id`,
      );
    },
    committed() {
      if (count > 0) published(count);
    },
  };
}

/** Published events older than the retention are deleted, hourly. */
export function outboxCleanup(retentionDays: number): PeriodicTask {
  return {
    name: 'outbox-cleanup',
    everyMs: 3600_000,
    async run(em: EntityManager) {
      await em.query(`DELETE FROM outbox_events WHERE published_at < now() - make_interval(days => $1)`, [
        retentionDays,
      ]);
    },
  };
}
