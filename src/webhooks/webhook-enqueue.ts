import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids.js';
import { insertDeliveries, type NewDelivery } from './webhook-delivery.queries.js';
import { messageBody, messageIdOf } from './webhook-fanout.service.js';

/** The enabled endpoints of an organization that take this event type. */
export function endpointsTaking(em: EntityManager, organizationId: string, type: string): Promise<{ id: string }[]> {
  return em.query(
    `SELECT id FROM webhook_endpoints
      WHERE organization_id = $1 AND enabled AND (event_types = '{}' OR $2 = ANY (event_types))
      ORDER BY id`,
    [organizationId, type],
  );
}

/**
 * Events about an organization's own doings that no outbox event carries (an outreach message for
 * its own systems to send, say): one delivery per enabled endpoint of that organization that takes
 * the type, in the caller's transaction, so the delivery exists exactly when the caller's change
 * commits. The body and webhook-id are those of every other delivery; the dispatcher sends them.
 */
export async function enqueueOrganizationEvent(
  em: EntityManager,
  organizationId: string,
  type: string,
  data: object,
  occurredAt: Date = new Date(),
  /** The caller's endpointsTaking answer, if it has one (read in this transaction). */
  taking?: { id: string }[],
): Promise<number> {
  const endpoints = taking ?? (await endpointsTaking(em, organizationId, type));
  const body = messageBody(type, occurredAt, data);
  const deliveries: NewDelivery[] = endpoints.map((endpoint) => {
    const id = newId();
    return {
      id,
      endpointId: endpoint.id,
      organizationId,
      eventId: null,
      messageId: messageIdOf(id),
      eventType: type,
      body,
      status: 'PENDING',
    };
  });
  await insertDeliveries(em, deliveries);
  return deliveries.length;
}
