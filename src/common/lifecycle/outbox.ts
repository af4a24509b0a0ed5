import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { markOutboxWritten } from '../events/outbox-signals.js';

export interface DomainEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes domain events into the outbox in the caller's transaction: they exist exactly when the
 * change they describe was committed, and a relay can deliver them later.
 */
export async function recordEvents(em: EntityManager, caller: Caller | null, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const tuples = events.map((event, i) => {
    values.push(
      event.type,
      event.aggregateType,
      event.aggregateId,
      caller?.organizationId ?? null,
      JSON.stringify(event.payload),
    );
    const p = i * 5;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`;
  });
  await em.query(
    `INSERT INTO outbox_events (event_type, aggregate_type, aggregate_id, actor_organization_id, payload) VALUES ${tuples.join(', ')}`,
    values,
  );
  markOutboxWritten(em);
}
