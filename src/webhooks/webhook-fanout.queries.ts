import type { EntityManager } from 'typeorm';
import type { OrganizationKind } from '../organizations/organization.entity.js';

/** The SQL of the fan-out: its place in the published outbox feed, the events after it, the subscribed endpoints. */

/** Moves the position on and ends the turn, if the turn is still ours and the position unchanged. */
export async function advance(em: EntityManager, token: string, from: string, to: string): Promise<boolean> {
  const [, affected] = await em.query(
    `UPDATE webhook_fanout_position SET last_publish_seq = $3, lease_token = NULL, lease_until = NULL
      WHERE lease_token = $1 AND last_publish_seq = $2`,
    [token, from, to],
  );
  return affected === 1;
}

/** Extends the turn's lease while a long round goes on; false when the turn is no longer ours. */
export async function renewTurn(em: EntityManager, token: string, leaseMs: number): Promise<boolean> {
  const [, affected] = await em.query(
    `UPDATE webhook_fanout_position
        SET lease_until = now() + make_interval(secs => $2::double precision / 1000)
      WHERE lease_token = $1`,
    [token, leaseMs],
  );
  return affected === 1;
}

export async function endTurn(em: EntityManager, token: string): Promise<void> {
  await em.query(`UPDATE webhook_fanout_position SET lease_token = NULL, lease_until = NULL WHERE lease_token = $1`, [
    token,
  ]);
}

export interface PublishedEvent {
  id: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: Date;
  publishSeq: string;
}

interface PublishedRow {
  id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  occurred_at: Date;
  publish_seq: string;
}

const toPublished = (r: PublishedRow): PublishedEvent => ({
  id: String(r.id),
  eventType: r.event_type,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  occurredAt: r.occurred_at,
  publishSeq: String(r.publish_seq),
});

/**
 * Takes the fan-out's turn under a lease, when events were published after its position, and
 * reads up to `limit` of them, in one statement: the position they follow, and the events (none,
 * and no write, when nothing is new or another replica holds the turn). A replica that dies
 * holding the turn loses it when the lease runs out.
 */
export async function takeTurnWithEvents(
  em: EntityManager,
  token: string,
  leaseMs: number,
  limit: number,
): Promise<{ position: string; events: PublishedEvent[] } | null> {
  const rows: Array<PublishedRow & { position: string }> = await em.query(
    `WITH turn AS (
       UPDATE webhook_fanout_position p
          SET lease_token = $1, lease_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE (p.lease_until IS NULL OR p.lease_until < now())
          AND EXISTS (SELECT 1 FROM outbox_events o WHERE o.publish_seq > p.last_publish_seq)
       RETURNING p.last_publish_seq
     )
     SELECT t.last_publish_seq AS position, o.id, o.event_type, o.aggregate_type, o.aggregate_id, o.occurred_at, o.publish_seq
       FROM turn t
       JOIN LATERAL (SELECT * FROM outbox_events WHERE publish_seq > t.last_publish_seq ORDER BY publish_seq LIMIT $3) o ON true
      ORDER BY o.publish_seq`,
    [token, leaseMs, limit],
  );
  if (rows.length === 0) return null;
  return { position: String(rows[0].position), events: rows.map(toPublished) };
}

/** One published event, or null (never published, or deleted after the retention). */
export async function publishedEvent(em: EntityManager, id: string): Promise<PublishedEvent | null> {
  const rows: PublishedRow[] = await em.query(
    `SELECT id, event_type, aggregate_type, aggregate_id, occurred_at, publish_seq
       FROM outbox_events WHERE id = $1 AND publish_seq IS NOT NULL`,
    [id],
  );
  return rows[0] ? toPublished(rows[0]) : null;
}

export interface SubscribedEndpoint {
  id: string;
  organizationId: string;
  organizationKind: OrganizationKind;
  enabled: boolean;
  /** What an attempt needs, for the deliveries handed straight to the dispatcher. */
  url: string;
  failingSince: Date | null;
  secrets: string[];
}

/** Every endpoint that takes an event type (an empty filter takes every type), with its organization's kind. */
export async function subscribedTo(em: EntityManager, eventType: string): Promise<SubscribedEndpoint[]> {
  const rows: {
    id: string;
    organization_id: string;
    kind: OrganizationKind;
    enabled: boolean;
    url: string;
    failing_since: Date | null;
    secrets: string[];
  }[] = await em.query(
    `SELECT e.id, e.organization_id, o.kind, e.enabled, e.url, e.failing_since,
            array_remove(ARRAY[e.secret, CASE WHEN e.previous_secret_until > now() THEN e.previous_secret END], NULL) AS secrets
       FROM webhook_endpoints e JOIN organizations o ON o.id = e.organization_id
      WHERE e.event_types = '{}' OR $1 = ANY (e.event_types)
      ORDER BY e.id`,
    [eventType],
  );
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    organizationKind: r.kind,
    enabled: r.enabled,
    url: r.url,
    failingSince: r.failing_since,
    secrets: r.secrets,
  }));
}
