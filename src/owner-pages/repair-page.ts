import type { EntityManager } from 'typeorm';
import {
  estimateApproved,
  needsApproval,
  ticketEstimate,
  type RepairEstimateAmounts,
} from '../repairs/repair-estimate.js';
import type { RepairHistoryEntity, RepairTicketEntity } from '../repairs/repair-ticket.entity.js';
import { FINAL_REPAIR_STATUSES } from '../repairs/repair-ticket.machine.js';
import { findHistoryOfTickets, findTicket } from '../repairs/repair-ticket.queries.js';
import type { OwnerLink, OwnerLinks } from './owner-links.js';
import { findTicketParties } from './owner-pages.queries.js';
import { declinedByOwner, OWNER_DECLINED_NOTE } from './owner-repair.js';
import type { OwnerText } from './texts/owner-text.js';
import { formatDate, formatDateTime, formatMoney } from './views/format.js';
import { html, type Html } from './views/html.js';
import { layout } from './views/layout.js';

/** How often the page asks whether the ticket moved on (with JavaScript; without it the page is complete as sent). */
export const REFRESH_SECONDS = 5;

/**
 * What the tracking page shows of a ticket: its number, status, due date, the moves of its history
 * (when, to what), the estimate's totals and whether it is approved. Never a technician, a note or
 * a part list: less than the ticket's opener reads over the API.
 */
export interface RepairPageFacts {
  ticket: RepairTicketEntity;
  history: RepairHistoryEntity[];
  estimate: RepairEstimateAmounts | null;
  ownerLocale: string | null;
  productName: string;
  serialNumber: string;
  centerName: string;
  unitUrl: string;
  /** Opened through a `repair` link (the owner's): the estimate may be approved or declined here. */
  mayDecide: boolean;
}

export type RepairNotice = 'approvedNow' | 'declinedNow' | 'changedMeanwhile';

export async function gatherRepairPage(
  em: EntityManager,
  links: OwnerLinks,
  link: OwnerLink,
): Promise<RepairPageFacts | null> {
  const ticketId = link.objectId;
  const ticket = await findTicket(em, ticketId);
  if (!ticket) return null;
  const parties = await findTicketParties(em, ticket.unitId, ticket.serviceCenterId);
  if (!parties) return null;
  const history = await findHistoryOfTickets(em, [ticket.id]);
  return {
    ticket,
    history,
    estimate: ticketEstimate(ticket),
    ...parties,
    unitUrl: links.url('unit', ticket.unitId, { notAfter: link.expiresOn }),
    mayDecide: link.page === 'repair',
  };
}

/** The owner may approve or decline while the customer would pay and has not approved, on an open ticket. */
export const awaitsOwner = (f: RepairPageFacts) =>
  !FINAL_REPAIR_STATUSES.includes(f.ticket.status) && needsApproval(f.ticket, f.estimate);

function timeline(text: OwnerText, f: RepairPageFacts) {
  const items = f.history.flatMap((h) => {
    const moved = h.fromStatus !== h.toStatus;
    const declined = h.note?.startsWith(OWNER_DECLINED_NOTE) === true;
    const label = moved ? text.statuses[h.toStatus] : declined ? text.estimateDeclinedEvent : null;
    return label ? [{ at: h.at, label }] : [];
  });
  if (f.ticket.estimateApprovedAt && estimateApproved(f.ticket, f.estimate))
    items.push({ at: f.ticket.estimateApprovedAt, label: text.estimateApprovedEvent });
  items.sort((a, b) => a.at.getTime() - b.at.getTime());
  return html`<section aria-labelledby="timeline">
    <h2 id="timeline">${text.timelineHeading}</h2>
    <ol class="timeline">
      ${items.map((i) => html`<li><time datetime="${i.at.toISOString()}">${formatDateTime(text.lang, i.at)}</time>${i.label}</li>`)}
    </ol>
  </section>`;
}

function estimateSection(text: OwnerText, f: RepairPageFacts) {
  const e = f.estimate;
  if (!e)
    return html`<section aria-labelledby="estimate">
      <h2 id="estimate">${text.estimateHeading}</h2>
      <p>${text.noEstimate}</p>
    </section>`;
  const money = (m: RepairEstimateAmounts['total']) => formatMoney(text.lang, m);
  const row = (label: string, amount: string, cls = '') =>
    html`<tr${cls ? html` class="${cls}"` : ''}><th scope="row">${label}</th><td>${amount}</td></tr>`;
  return html`<section aria-labelledby="estimate">
    <h2 id="estimate">${text.estimateHeading}</h2>
    <table>
      ${row(text.parts, money(e.parts))}${row(text.labor, money(e.labor))}${row(text.total, money(e.total))}
      ${row(text.covered, money(e.covered))}${row(text.youPay, money(e.customerPays), 'pay')}
    </table>
    ${approvalPart(text, f)}
  </section>`;
}

function approvalPart(text: OwnerText, f: RepairPageFacts) {
  const approvedAt = f.ticket.estimateApprovedAt;
  if (approvedAt && estimateApproved(f.ticket, f.estimate))
    return html`<p>${text.approvedOn(formatDate(text.lang, approvedAt.toISOString().slice(0, 10)))}</p>`;
  if (!awaitsOwner(f) || !f.mayDecide) return '';
  const declined = declinedByOwner(f.history, f.ticket);
  return html`${declined ? html`<p class="note warn">${text.declinedState}</p>` : ''}
    <p>${text.askApproval(formatMoney(text.lang, f.estimate!.customerPays))}</p>
    <form method="post" action="">
      <input type="hidden" name="version" value="${f.ticket.version}" />
      <div class="actions">
        <button type="submit" name="decision" value="approve">${text.approve}</button>
        ${declined ? '' : html`<button type="submit" name="decision" value="decline" class="secondary">${text.decline}</button>`}
      </div>
    </form>`;
}

/** The part of the page that refreshes itself: everything that changes with the ticket. */
export function renderRepairLive(text: OwnerText, f: RepairPageFacts, notice?: RepairNotice): string {
  return liveHtml(text, f, notice).value;
}

function liveHtml(text: OwnerText, f: RepairPageFacts, notice?: RepairNotice): Html {
  const { ticket } = f;
  const open = !FINAL_REPAIR_STATUSES.includes(ticket.status);
  const tone = notice === 'changedMeanwhile' ? 'warn' : 'ok';
  return html`${notice ? html`<p class="note ${tone}" role="status">${text[notice]}</p>` : ''}
    <section aria-labelledby="state">
      <h2 id="state">${text.status}</h2>
      <p class="status">${text.statuses[ticket.status]}</p>
      ${open ? html`<p>${text.expectedBy(formatDate(text.lang, ticket.dueAt.toISOString().slice(0, 10)))}</p>` : ''}
    </section>
    ${estimateSection(text, f)} ${timeline(text, f)}`;
}

export function renderRepairPage(text: OwnerText, f: RepairPageFacts, notice?: RepairNotice): string {
  const body = html`<section aria-labelledby="product">
      <h2 id="product">${f.productName}</h2>
      <dl>
        <dt>${text.serialNumber}</dt>
        <dd>${f.serialNumber}</dd>
      </dl>
      <p class="links"><a href="${f.unitUrl}">${text.backToProduct}</a></p>
    </section>
    <div id="live" data-version="${f.ticket.version}" data-refresh-seconds="${REFRESH_SECONDS}" aria-live="polite">
      ${liveHtml(text, f, notice)}
    </div>`;
  return layout({ text, title: text.repairTitle(f.ticket.number), brand: f.centerName, live: true, body });
}
