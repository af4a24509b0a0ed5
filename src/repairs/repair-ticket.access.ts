import { isPlatform, type Caller } from '../common/auth/caller.js';
import type { HistoryReference } from '../units/unit-history.js';
import type { SqlCondition } from '../common/sql/sql-condition.js';
import type { RepairTicketEntity } from './repair-ticket.entity.js';

/**
 * Who sees a repair ticket, who sees its technicians, who works it. Each visibility rule once,
 * as a SQL condition on a repair_tickets alias (lists) and as TypeScript on a loaded row (get,
 * subscriptions, history links), side by side; test/visibility-repair-tickets.e2e-spec.ts checks
 * that the two forms agree.
 */

type TicketParties = Pick<RepairTicketEntity, 'serviceCenterId' | 'openedById' | 'manufacturerId'>;

/**
 * Sees the ticket: the platform, its service center (every key of the center, technicians
 * included, whoever the ticket is assigned to), the organization that opened it, the unit's
 * manufacturer (read only).
 */
export function ticketVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  if (isPlatform(caller)) return { sql: 'TRUE', params: [] };
  const me = `$${paramIndex}`;
  return {
    sql: `(${alias}.service_center_id = ${me} OR ${alias}.opened_by_id = ${me} OR ${alias}.manufacturer_id = ${me})`,
    params: [caller.organizationId],
  };
}

export function canSeeTicket(caller: Caller, ticket: TicketParties): boolean {
  return isPlatform(caller) || ticketAudience(ticket).includes(caller.organizationId);
}

/**
 * Technicians are their service center's own (docs/rules.md): the center (its keys and
 * technicians) and the platform see who is assigned and who acted, and find tickets by
 * technician; the opener and the manufacturer see the center, never its technicians.
 */
export function technicianVisibility(caller: Caller, alias: string, paramIndex: number): SqlCondition {
  if (isPlatform(caller)) return { sql: 'TRUE', params: [] };
  return { sql: `${alias}.service_center_id = $${paramIndex}`, params: [caller.organizationId] };
}

export function seesTechnicians(caller: Caller, ticket: Pick<RepairTicketEntity, 'serviceCenterId'>): boolean {
  return isPlatform(caller) || caller.organizationId === ticket.serviceCenterId;
}

/** Works the ticket (the bench): the center's STAFF and ADMIN keys, and the technician it is assigned to. */
export function mayWorkTicket(
  caller: Caller,
  ticket: Pick<RepairTicketEntity, 'serviceCenterId' | 'technicianId'>,
): boolean {
  if (caller.organizationId !== ticket.serviceCenterId) return false;
  if (caller.role === 'STAFF' || caller.role === 'ADMIN') return true;
  return caller.role === 'TECHNICIAN' && caller.technicianId !== null && caller.technicianId === ticket.technicianId;
}

/** The ticket named in its unit's history, shown to those who see the ticket. */
export function ticketReference(ticket: TicketParties & Pick<RepairTicketEntity, 'id' | 'number'>): HistoryReference {
  return { kind: 'REPAIR_TICKET', id: ticket.id, label: ticket.number, seenBy: ticketAudience(ticket) };
}

/** The organizations that see a ticket besides the platform. */
function ticketAudience(ticket: TicketParties): string[] {
  return [ticket.serviceCenterId, ticket.openedById, ticket.manufacturerId];
}
