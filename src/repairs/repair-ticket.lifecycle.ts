import { historyTable, type Lifecycle } from '../common/lifecycle/lifecycle.js';
import { recordUnitHistory } from '../units/units.service.js';
import { ticketReference } from './repair-ticket.access.js';
import { RepairHistoryEntity, RepairTicketEntity } from './repair-ticket.entity.js';
import { markUnitRepairFinished } from './repair-ticket.queries.js';
import { FINAL_REPAIR_STATUSES, REPAIR_TICKET_MACHINE, type RepairStatus } from './repair-ticket.machine.js';

/** A ticket's history row besides the move: the note, and the note as the center reads it when it names a technician. */
export interface RepairHistoryDetails {
  note: string | null;
  centerNote?: string | null;
}

/** Repair tickets in the lifecycle: their history (with the technician who acted), payloads, and what finishing does. */
export const REPAIR_TICKET_LIFECYCLE: Lifecycle<RepairStatus, RepairTicketEntity, RepairHistoryDetails> = {
  machine: REPAIR_TICKET_MACHINE,
  table: 'repair_tickets',
  entity: RepairTicketEntity,
  writeHistory: historyTable(
    RepairHistoryEntity,
    (ticket: RepairTicketEntity, caller, details: RepairHistoryDetails | undefined) => ({
      ticketId: ticket.id,
      actorOrganizationId: caller!.organizationId,
      technicianId: caller!.technicianId,
      note: details?.note || null,
      centerNote: details?.centerNote ?? null,
    }),
  ),
  payload: (ticket, from, to) => ({
    ticketId: ticket.id,
    unitId: ticket.unitId,
    from,
    to,
    serviceCenterId: ticket.serviceCenterId,
    openedById: ticket.openedById,
    manufacturerId: ticket.manufacturerId,
  }),
  async afterMove(em, caller, ticket, _from, to) {
    if (!FINAL_REPAIR_STATUSES.includes(to)) return;
    // a finished ticket no longer lets its center read the owner's contact
    await markUnitRepairFinished(em, ticket.unitId, ticket.serviceCenterId);
    await recordUnitHistory(em, caller, [
      {
        unitId: ticket.unitId,
        type: 'REPAIR_FINISHED',
        summary: `Repair ${to.toLowerCase()}`,
        references: [ticketReference(ticket)],
      },
    ]);
  },
};
