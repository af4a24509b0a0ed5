import { In, type EntityManager } from 'typeorm';
import { pageOfQuery, type PageRequest } from '../common/pagination/pagination.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

/** The SQL of webhook endpoints; the rules are in webhook-endpoints.service.ts. */

export async function findById(em: EntityManager, id: string): Promise<WebhookEndpointEntity | null> {
  return em.getRepository(WebhookEndpointEntity).findOneBy({ id });
}

export async function listForOrganization(
  em: EntityManager,
  organizationId: string,
  page: PageRequest,
): Promise<{ rows: WebhookEndpointEntity[]; count: number }> {
  const query = em
    .getRepository(WebhookEndpointEntity)
    .createQueryBuilder('e')
    .where('e.organization_id = :organizationId', { organizationId });
  return pageOfQuery(query, 'e', page);
}

export interface NewEndpoint {
  id: string;
  organizationId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  secret: string;
  secretPrefix: string;
}

export async function insert(em: EntityManager, endpoint: NewEndpoint): Promise<WebhookEndpointEntity> {
  await em.query(
    `INSERT INTO webhook_endpoints (id, organization_id, url, description, event_types, secret, secret_prefix)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7)`,
    [
      endpoint.id,
      endpoint.organizationId,
      endpoint.url,
      endpoint.description,
      endpoint.eventTypes,
      endpoint.secret,
      endpoint.secretPrefix,
    ],
  );
  return em.getRepository(WebhookEndpointEntity).findOneByOrFail({ id: endpoint.id });
}

/** The fields given change (undefined leaves one as it is); enabling clears the reason it was disabled. */
export async function update(
  em: EntityManager,
  id: string,
  change: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean },
): Promise<WebhookEndpointEntity> {
  await em.query(
    `UPDATE webhook_endpoints
        SET url = coalesce($2, url),
            description = CASE WHEN $3::boolean THEN $4 ELSE description END,
            event_types = coalesce($5::text[], event_types),
            enabled = coalesce($6, enabled),
            disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
            failing_since = CASE WHEN $6 THEN NULL ELSE failing_since END
      WHERE id = $1`,
    [
      id,
      change.url ?? null,
      change.description !== undefined,
      change.description ?? null,
      change.eventTypes ?? null,
      change.enabled ?? null,
    ],
  );
  return em.getRepository(WebhookEndpointEntity).findOneByOrFail({ id });
}

export async function remove(em: EntityManager, id: string): Promise<void> {
  await em.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
}

/** A new current secret; the one it replaces keeps signing for `overlapMs`. */
export async function rotateSecret(
  em: EntityManager,
  id: string,
  secret: string,
  prefix: string,
  overlapMs: number,
): Promise<WebhookEndpointEntity> {
  await em.query(
    `UPDATE webhook_endpoints
        SET previous_secret = secret, previous_secret_until = now() + make_interval(secs => $4::double precision / 1000),
            secret = $2, secret_prefix = $3
      WHERE id = $1`,
    [id, secret, prefix, overlapMs],
  );
  return em.getRepository(WebhookEndpointEntity).findOneByOrFail({ id });
}

/** The secrets that sign now: the current one, and the previous one during its overlap. */
export async function signingSecrets(em: EntityManager, id: string): Promise<string[]> {
  const [row]: { secret: string; previous_secret: string | null }[] = await em.query(
    `SELECT secret, CASE WHEN previous_secret_until > now() THEN previous_secret END AS previous_secret
       FROM webhook_endpoints WHERE id = $1`,
    [id],
  );
  return row ? [row.secret, ...(row.previous_secret ? [row.previous_secret] : [])] : [];
}

export async function findByIds(em: EntityManager, ids: readonly string[]): Promise<WebhookEndpointEntity[]> {
  return em.getRepository(WebhookEndpointEntity).findBy({ id: In([...ids]) });
}
