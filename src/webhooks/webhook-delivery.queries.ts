import type { EntityManager } from 'typeorm';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { WebhookDeliveryEntity, type WebhookAttempt, type WebhookDeliveryStatus } from './webhook-delivery.entity.js';

/** The SQL of webhook deliveries; the rules are in delivery-outcome.ts and the services. */

export interface NewDelivery {
  id: string;
  endpointId: string;
  organizationId: string;
  eventId: string | null;
  messageId: string;
  eventType: string;
  body: string;
  /** PENDING to be attempted; FAILED when the endpoint is disabled (recoverable later). */
  status: WebhookDeliveryStatus;
  /** Set when the delivery is leased to this replica as it is written (handed to its dispatcher, no claim). */
  leaseToken?: string | null;
}

/**
 * Inserts deliveries in one statement; an (event, endpoint) pair already delivered is skipped.
 * Those with a lease token are written leased for `leaseMs`. Returns the ids written.
 */
export async function insertDeliveries(
  em: EntityManager,
  deliveries: NewDelivery[],
  leaseMs = 0,
): Promise<Set<string>> {
  if (deliveries.length === 0) return new Set();
  const columns = (d: NewDelivery) => [
    d.id,
    d.endpointId,
    d.organizationId,
    d.eventId,
    d.messageId,
    d.eventType,
    d.body,
    d.status,
    d.leaseToken ?? null,
  ];
  const rows: { id: string }[] = await em.query(
    `INSERT INTO webhook_deliveries (id, endpoint_id, organization_id, event_id, message_id, event_type, body, status,
                                     next_attempt_at, finished_at, lease_token, lease_until)
     SELECT d.id, d.endpoint_id, d.organization_id, d.event_id, d.message_id, d.event_type, d.body, d.status,
            CASE WHEN d.status = 'PENDING' THEN now() END, CASE WHEN d.status <> 'PENDING' THEN now() END,
            d.lease_token, CASE WHEN d.lease_token IS NOT NULL THEN now() + make_interval(secs => $10::double precision / 1000) END
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[])
            AS d(id, endpoint_id, organization_id, event_id, message_id, event_type, body, status, lease_token)
     ON CONFLICT (event_id, endpoint_id) DO NOTHING
     RETURNING id`,
    [...transpose(deliveries.map(columns), 9), leaseMs],
  );
  return new Set(rows.map((r) => r.id));
}

/** Gives up leases taken but not used (deliveries handed over that could not start in time), by id and token. */
export async function releaseLeases(em: EntityManager, leases: Array<{ id: string; token: string }>): Promise<void> {
  if (leases.length === 0) return;
  await em.query(
    `UPDATE webhook_deliveries d SET lease_token = NULL, lease_until = NULL
       FROM unnest($1::uuid[], $2::uuid[]) AS l(id, token)
      WHERE d.id = l.id AND d.lease_token = l.token`,
    [leases.map((l) => l.id), leases.map((l) => l.token)],
  );
}

const transpose = (rows: unknown[][], width: number) =>
  Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));

export async function findDelivery(em: EntityManager, id: string): Promise<WebhookDeliveryEntity | null> {
  return em.getRepository(WebhookDeliveryEntity).findOneBy({ id });
}

export interface DeliveryListFilter {
  endpointId?: string;
  status?: WebhookDeliveryStatus;
  eventType?: string;
}

/** An organization's deliveries, newest first (ids are UUIDv7: "after" is "id < cursor"). */
export async function listForOrganization(
  em: EntityManager,
  organizationId: string,
  filter: DeliveryListFilter,
  page: PageRequest,
): Promise<{ rows: WebhookDeliveryEntity[]; count: number }> {
  const query = em
    .getRepository(WebhookDeliveryEntity)
    .createQueryBuilder('d')
    .where('d.organization_id = :organizationId', { organizationId });
  if (filter.endpointId) query.andWhere('d.endpoint_id = :endpointId', { endpointId: filter.endpointId });
  if (filter.status) query.andWhere('d.status = :status', { status: filter.status });
  if (filter.eventType) query.andWhere('d.event_type = :eventType', { eventType: filter.eventType });
  return pageOfQuery(query, 'd', page, 'DESC');
}

/** A delivery taken for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  organizationId: string;
  messageId: string;
  body: string;
  scheduledRetries: number;
  status: WebhookDeliveryStatus;
  url: string;
  enabled: boolean;
  failingSince: Date | null;
  secrets: string[];
}

const CLAIMED_COLUMNS = `d.id, d.endpoint_id, d.organization_id, d.message_id, d.body, d.scheduled_retries, d.status,
       e.url, e.enabled, e.failing_since,
       array_remove(ARRAY[e.secret, CASE WHEN e.previous_secret_until > now() THEN e.previous_secret END], NULL) AS secrets`;

interface ClaimedRow {
  id: string;
  endpoint_id: string;
  organization_id: string;
  message_id: string;
  body: string;
  scheduled_retries: number;
  status: WebhookDeliveryStatus;
  url: string;
  enabled: boolean;
  failing_since: Date | null;
  secrets: string[];
}

const toClaimed = (r: ClaimedRow): ClaimedDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  organizationId: r.organization_id,
  messageId: r.message_id,
  body: r.body,
  scheduledRetries: r.scheduled_retries,
  status: r.status,
  url: r.url,
  enabled: r.enabled,
  failingSince: r.failing_since,
  secrets: r.secrets,
});

/** Ids whose count is at the limit, and the others' ids and counts (unnest-ready). */
function atAndBelow(counts: ReadonlyMap<string, number>, limit: number) {
  const full: string[] = [];
  const ids: string[] = [];
  const ns: number[] = [];
  for (const [id, n] of counts) {
    if (n >= limit) {
      full.push(id);
    } else {
      ids.push(id);
      ns.push(n);
    }
  }
  return { full, ids, ns };
}

/** claimDue's statement ($1 limit, $2/$7 shares, $3/$6 those at their share, $4/$5 lease, $8-$11 held here). */
const CLAIM_DUE = `WITH earliest AS (
       -- the earliest due deliveries only (an index scan of the due index, whose order is when each
       -- may be taken: its next attempt, or its lease's end if later), so the cost does not grow
       -- with the backlog nor with the deliveries leased to dispatchers
       SELECT id, endpoint_id, organization_id, greatest(next_attempt_at, lease_until) AS due_at FROM webhook_deliveries
        WHERE status = 'PENDING' AND greatest(next_attempt_at, lease_until) <= now()
          AND endpoint_id <> ALL($3::uuid[]) AND organization_id <> ALL($6::uuid[])
        ORDER BY greatest(next_attempt_at, lease_until)
        LIMIT $1 * 8
     ), within_endpoint AS (
       -- each endpoint's room here first, then its organization's among what is left
       SELECT e.id, e.organization_id, e.due_at FROM (
         SELECT *, row_number() OVER (PARTITION BY endpoint_id ORDER BY due_at, id) AS place FROM earliest
       ) e LEFT JOIN unnest($8::uuid[], $9::int[]) AS busy(id, n) ON busy.id = e.endpoint_id
        WHERE e.place <= $2 - coalesce(busy.n, 0)
     ), within_organization AS (
       SELECT w.id FROM (
         SELECT *, row_number() OVER (PARTITION BY organization_id ORDER BY due_at, id) AS place FROM within_endpoint
       ) w LEFT JOIN unnest($10::uuid[], $11::int[]) AS busy(id, n) ON busy.id = w.organization_id
        WHERE w.place <= $7 - coalesce(busy.n, 0)
        ORDER BY w.due_at, w.id
        LIMIT $1
     ), taken AS (
       -- locked by id, through the primary key: on a table without statistics yet, a plain
       -- "status = 'PENDING'" here let the planner scan the (partial) due index from its start for
       -- every row taken; IS NOT DISTINCT FROM is the same test for a status, which is never null,
       -- but does not match the due index's predicate
       SELECT d.id FROM webhook_deliveries d
        WHERE d.id = ANY (ARRAY(SELECT id FROM within_organization))
          AND d.status IS NOT DISTINCT FROM 'PENDING' AND (d.lease_until IS NULL OR d.lease_until < now())
        FOR UPDATE OF d SKIP LOCKED
     ), leased AS (
       UPDATE webhook_deliveries d SET lease_token = $4, lease_until = now() + make_interval(secs => $5::double precision / 1000)
         FROM taken WHERE d.id = taken.id
       RETURNING d.*
     )
     SELECT ${CLAIMED_COLUMNS} FROM leased d JOIN webhook_endpoints e ON e.id = d.endpoint_id`;

/**
 * Takes up to `limit` due deliveries for one attempt each, under a lease: no other replica takes
 * them until the lease runs out (a crashed replica's deliveries are taken again then, with the
 * same webhook-id). Each endpoint and organization gets no more than its share minus what this
 * replica holds of it already (in flight or waiting for a slot), and those at their share are not
 * looked at, so one slow endpoint never takes every delivery a look claims.
 *
 * The earliest due deliveries are read in the due index's order, never by a bitmap scan of every
 * due delivery and a sort: that is what the planner picks while the table has no statistics yet
 * (a new database's first burst: 170 ms a claim over 30,000 due deliveries instead of 1 ms, and
 * every claim of the burst paid it).
 */
export async function claimDue(
  em: EntityManager,
  options: {
    limit: number;
    perEndpoint: number;
    perOrganization: number;
    /** Deliveries this replica holds (in flight, or waiting for a slot), by endpoint and by organization. */
    heldHere: { endpoints: ReadonlyMap<string, number>; organizations: ReadonlyMap<string, number> };
    token: string;
    leaseMs: number;
  },
): Promise<ClaimedDelivery[]> {
  const endpoints = atAndBelow(options.heldHere.endpoints, options.perEndpoint);
  const organizations = atAndBelow(options.heldHere.organizations, options.perOrganization);
  const rows: ClaimedRow[] = await em.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_bitmapscan = off');
    return tx.query(CLAIM_DUE, [
      options.limit,
      options.perEndpoint,
      endpoints.full,
      options.token,
      options.leaseMs,
      organizations.full,
      options.perOrganization,
      endpoints.ids,
      endpoints.ns,
      organizations.ids,
      organizations.ns,
    ]);
  });
  return rows.map(toClaimed);
}

/** Takes one given delivery under a lease, whatever its status (a manual retry, a test message). */
export async function claimOne(
  em: EntityManager,
  id: string,
  token: string,
  leaseMs: number,
): Promise<ClaimedDelivery | null> {
  const rows: ClaimedRow[] = await em.query(
    `WITH leased AS (
       UPDATE webhook_deliveries SET lease_token = $2, lease_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1
       RETURNING *
     )
     SELECT ${CLAIMED_COLUMNS} FROM leased d JOIN webhook_endpoints e ON e.id = d.endpoint_id`,
    [id, token, leaseMs],
  );
  return rows[0] ? toClaimed(rows[0]) : null;
}

/** An attempt to write down, with the lease it was made under and its consequence. */
export interface RecordedAttempt {
  id: string;
  token: string;
  attempt: WebhookAttempt;
  status: WebhookDeliveryStatus;
  nextAttemptAt: Date | null;
  scheduledRetries: number;
  /** Whether it ends its endpoint's failing streak (a success) or starts one (a failure). */
  succeeded: boolean;
}

/**
 * Writes attempts and their consequences in one statement: each delivery's new state, if its
 * lease is still the one the attempt was made under, and each endpoint's failing streak, ended by
 * a success or started by a failure (no write when it already is as it should be). Returns the
 * ids written: an attempt whose delivery another replica took over meanwhile is not (that
 * replica's attempt is the one that counts).
 */
export async function recordAttempts(em: EntityManager, attempts: RecordedAttempt[]): Promise<Set<string>> {
  const rows: { id: string }[] = await em.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::text[], $5::timestamptz[], $6::int[], $7::boolean[])
                AS i(id, token, attempt, status, next_attempt_at, scheduled_retries, succeeded)
     ), recorded AS (
       UPDATE webhook_deliveries d
          SET attempts = d.attempts || jsonb_build_array(i.attempt), status = i.status,
              next_attempt_at = i.next_attempt_at, scheduled_retries = i.scheduled_retries,
              lease_token = NULL, lease_until = NULL,
              finished_at = CASE WHEN i.status = 'PENDING' THEN NULL ELSE now() END
         FROM input i
        WHERE d.id = i.id AND d.lease_token = i.token
       RETURNING d.id, d.endpoint_id, i.succeeded
     ), streak AS (
       UPDATE webhook_endpoints e SET failing_since = CASE WHEN s.succeeded THEN NULL ELSE now() END
         FROM (SELECT endpoint_id, bool_or(succeeded) AS succeeded FROM recorded GROUP BY endpoint_id) s
        WHERE e.id = s.endpoint_id
          AND (CASE WHEN s.succeeded THEN e.failing_since IS NOT NULL ELSE e.failing_since IS NULL END)
       RETURNING 1
     )
     SELECT id FROM recorded`,
    [
      attempts.map((a) => a.id),
      attempts.map((a) => a.token),
      attempts.map((a) => JSON.stringify(a.attempt)),
      attempts.map((a) => a.status),
      attempts.map((a) => a.nextAttemptAt),
      attempts.map((a) => a.scheduledRetries),
      attempts.map((a) => a.succeeded),
    ],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Disables an endpoint, saying why, and fails its waiting deliveries (recoverWebhookDeliveries
 * can queue them again). Returns the organization when this call disabled it, null if it already was.
 */
export async function disableEndpoint(em: EntityManager, endpointId: string, reason: string): Promise<string | null> {
  const [rows]: [{ organization_id: string }[], number] = await em.query(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, version = version + 1, updated_at = now()
      WHERE id = $1 AND enabled
      RETURNING organization_id`,
    [endpointId, reason],
  );
  if (rows.length === 0) return null;
  await em.query(
    // deliveries in flight elsewhere are left to their own attempt (the next one finds the endpoint
    // disabled): locking them here would take locks in the opposite order to the attempts' writes
    `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, finished_at = now()
      WHERE endpoint_id = $1 AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < now())`,
    [endpointId],
  );
  return rows[0].organization_id;
}

/** Queues again an endpoint's FAILED deliveries created since `since`; returns how many. */
export async function requeueFailed(em: EntityManager, endpointId: string, since: Date): Promise<number> {
  const [, affected] = await em.query(
    `UPDATE webhook_deliveries
        SET status = 'PENDING', next_attempt_at = now(), scheduled_retries = 0, finished_at = NULL
      WHERE endpoint_id = $1 AND status = 'FAILED' AND created_at >= $2`,
    [endpointId, since],
  );
  return affected;
}

/** Deliveries older than the retention are deleted, unless still waiting for an attempt. */
export async function deleteOlderThan(em: EntityManager, days: number): Promise<void> {
  await em.query(
    `DELETE FROM webhook_deliveries WHERE status <> 'PENDING' AND created_at < now() - make_interval(days => $1)`,
    [days],
  );
}
