import type { EntityManager } from 'typeorm';
import { assertKind, type Caller } from '../common/auth/caller.js';
import { forbidden, notFound } from '../common/errors/domain-error.js';
import { OutreachJourneyEntity } from './outreach.entities.js';

/**
 * Outreach is office work of the organizations that have owners to write to (docs/outreach.md):
 * retailers and manufacturers. Service centers and the platform have no journeys, messages or
 * survey answers (FORBIDDEN); technician keys, which only work tickets, use none of it.
 */
export function assertOutreachSender(caller: Caller): void {
  assertOfficeKey(caller);
  assertKind(caller, ['RETAILER', 'MANUFACTURER'], 'write to owners');
}

/** Outreach (coupons included) is office work: a technician key, which only works tickets, uses none of it. */
export function assertOfficeKey(caller: Caller): void {
  if (caller.role === 'TECHNICIAN')
    throw forbidden('A technician key may only work on repair tickets assigned to its technician.');
}

/** The caller's own journey: NOT_FOUND naming `field` for one of another organization's, or none. */
export async function ownJourney(
  em: EntityManager,
  caller: Caller,
  id: string,
  field: string,
): Promise<OutreachJourneyEntity> {
  const journey = await em.getRepository(OutreachJourneyEntity).findOneBy({ id });
  if (!journey || journey.senderId !== caller.organizationId) throw notFound('Outreach journey', undefined, field);
  return journey;
}
