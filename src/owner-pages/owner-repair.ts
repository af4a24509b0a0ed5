import { Decimal } from 'decimal.js';
import type { DataSource } from 'typeorm';
import type { Caller } from '../common/auth/caller.js';
import { ErrorResult, validationError } from '../common/errors/error-results.js';
import { changeInTransaction, type Change } from '../common/lifecycle/lifecycle.js';
import { needsApproval, ticketEstimate } from '../repairs/repair-estimate.js';
import type { RepairTicketEntity } from '../repairs/repair-ticket.entity.js';
import { REPAIR_TICKET_LIFECYCLE, type RepairHistoryDetails } from '../repairs/repair-ticket.lifecycle.js';
import { FINAL_REPAIR_STATUSES, type RepairStatus } from '../repairs/repair-ticket.machine.js';
import { findHistoryOfTickets, findOrganization, findTicket } from '../repairs/repair-ticket.queries.js';
import { estimateApproval } from '../repairs/repairs.service.js';

/** How the history names the owner's own answer, so the center reads who gave it and the page finds a refusal. */
export const BY_THE_OWNER = 'the owner (repair tracking page)';
export const OWNER_DECLINED_NOTE = `Estimate declined by ${BY_THE_OWNER}`;

export type OwnerDecision = 'approve' | 'decline';

/**
 * Recorded, or not: the ticket moved on since the page showed it (another answer, a form sent
 * twice, the center's work), or nothing waits for the owner. The page then shows the ticket as it is.
 */
export type DecisionOutcome = 'RECORDED' | 'NOT_RECORDED';

/**
 * The owner's answer to a customer-paid estimate, from the repair tracking page. DOMAIN.md: the
 * organization that opened the ticket acts for the customer, so the approval goes through the same
 * path as the opener's (RepairsService.approveEstimate: the version guard, the history row, the
 * RepairEstimateApproved event, the bench's guard then lets work start), recorded as the opener's
 * act with a history note that says the owner gave it. A refusal changes nothing on the bench:
 * it is a history note (and a RepairTicketUpdated event) for the center to call the owner.
 */
export async function decideEstimate(
  db: DataSource,
  ticketId: string,
  expectedVersion: number,
  decision: OwnerDecision,
): Promise<DecisionOutcome> {
  const ticket = await findTicket(db.manager, ticketId);
  if (!ticket || ticket.version !== expectedVersion) return 'NOT_RECORDED';
  if (FINAL_REPAIR_STATUSES.includes(ticket.status) || !needsApproval(ticket, ticketEstimate(ticket)))
    return 'NOT_RECORDED';
  // a refusal already on record for this estimate is not written again (one note, one event)
  if (decision === 'decline' && declinedByOwner(await findHistoryOfTickets(db.manager, [ticket.id]), ticket))
    return 'NOT_RECORDED';
  const opener = await findOrganization(db.manager, ticket.openedById);
  if (!opener) return 'NOT_RECORDED';
  // no API key acts here: the owner acts through the opener, as the domain has it
  const actingFor: Caller = {
    apiKeyId: '',
    organizationId: opener.id,
    organizationKind: opener.kind,
    role: 'STAFF',
    technicianId: null,
  };
  const result = await changeInTransaction(
    db,
    REPAIR_TICKET_LIFECYCLE,
    {
      caller: actingFor,
      id: ticket.id,
      expectedVersion,
      decide: (current) => (decision === 'approve' ? estimateApproval(current, BY_THE_OWNER) : ownerRefusal(current)),
    },
    () => null,
  );
  // a stale version (the same form sent twice at once) or a refusal: nothing was written
  return result instanceof ErrorResult ? 'NOT_RECORDED' : 'RECORDED';
}

function ownerRefusal(
  current: RepairTicketEntity,
): Change<RepairStatus, RepairTicketEntity, RepairHistoryDetails> | ErrorResult {
  const estimate = ticketEstimate(current);
  if (!estimate || !needsApproval(current, estimate))
    return validationError('decision', 'There is no estimate waiting for the owner.');
  const pays = estimate.customerPays;
  return {
    to: current.status,
    history: { note: `${OWNER_DECLINED_NOTE}: the customer would pay ${pays.amount} ${pays.currency}` },
    event: 'RepairTicketUpdated',
  };
}

/** Whether the owner's last word on the estimate now waiting is a refusal (nothing changed on the ticket since). */
export function declinedByOwner(history: { note: string | null }[], ticket: RepairTicketEntity): boolean {
  const last = history[history.length - 1];
  const estimate = ticketEstimate(ticket);
  return Boolean(
    last?.note?.startsWith(OWNER_DECLINED_NOTE) &&
    estimate &&
    last.note.endsWith(` ${estimate.customerPays.amount} ${estimate.customerPays.currency}`) &&
    new Decimal(estimate.customerPays.amount).greaterThan(0),
  );
}
