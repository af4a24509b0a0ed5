import { partiesFromRow, readingContext, type PublicResource } from '../common/events/public-events.js';
import type { RepairsService } from './repairs.service.js';

/** The repair ticket's public events; an organization receives the ticket as GET /repair-tickets/{id} shows it. */
export const repairTicketPublicEvents = (repairs: RepairsService): PublicResource => ({
  aggregateType: 'RepairTicket',
  viewSchema: 'RepairTicket',
  events: [
    {
      name: 'repair_ticket.opened',
      description: 'A unit was taken in for repair at a service center.',
      from: ['RepairTicketOpened'],
    },
    {
      name: 'repair_ticket.status_changed',
      description: 'The repair ticket moved to another status.',
      from: ['RepairTicketStatusChanged'],
    },
    {
      name: 'repair_ticket.estimate_approved',
      description: "The customer's approval of the estimate was recorded.",
      from: ['RepairEstimateApproved'],
    },
  ],
  parties: partiesFromRow('repair_tickets', ['service_center_id', 'opened_by_id', 'manufacturer_id']),
  read: (caller, id) => repairs.get(readingContext(caller), id),
});
