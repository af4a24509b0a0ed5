import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { HistoryReference } from '../units/unit-history.js';
import type { RepairTicketEntity } from './repair-ticket.entity.js';

export type TicketParties = Pick<RepairTicketEntity, 'serviceCenterId' | 'openedById' | 'manufacturerId'>;

/** Who sees a ticket besides the platform: its service center, the organization that opened it, the unit's manufacturer (read only). */
export function ticketAudience(ticket: TicketParties): string[] {
  return [ticket.serviceCenterId, ticket.openedById, ticket.manufacturerId];
}

export function canSeeTicket(caller: Caller, ticket: TicketParties): boolean {
  return isPlatform(caller) || ticketAudience(ticket).includes(caller.organizationId);
}

/** The ticket named in its unit's history, shown to those who see the ticket. */
export function ticketReference(ticket: TicketParties & Pick<RepairTicketEntity, 'id' | 'number'>): HistoryReference {
  return { kind: 'REPAIR_TICKET', id: ticket.id, label: ticket.number, seenBy: ticketAudience(ticket) };
}
