import type { EntityManager } from 'typeorm';
import { daysBetween, type CalendarDate } from '../common/dates/calendar-date.js';
import { languageOf } from '../outreach/templates/locale.js';
import { lastReturnDay, policyFor } from '../returns/return-rules.js';
import { findRetailerPolicies } from '../returns/return.queries.js';
import type { RepairStatus } from '../repairs/repair-ticket.machine.js';
import { checkCoverage, coverageCandidates, type CoverageSource } from '../warranty/coverage-engine.js';
import { findCoverageFacts, findReplacedUnits, unitOfFactsRow } from '../warranty/coverage.queries.js';
import { coverageFactsOf } from '../warranty/coverage.service.js';
import type { OwnerLink, OwnerLinks } from './owner-links.js';
import { findOpenTicket, findResources, type ResourceRow, type UnitPageRow } from './owner-pages.queries.js';
import type { OwnerText } from './texts/owner-text.js';
import { formatDate, formatPercent } from './views/format.js';
import { html } from './views/html.js';
import { layout } from './views/layout.js';

interface Period {
  name: string;
  startsAt: CalendarDate;
  endsAt: CalendarDate;
}

/** What the unit page shows (OUTREACH.md, "Owner pages"), gathered at one moment. */
export interface UnitPageFacts {
  unit: UnitPageRow;
  coveredToday: boolean;
  coveredUntil: CalendarDate | null;
  /** Coverages in force today or still to come, each with its end. */
  coverages: (Period & { source: CoverageSource })[];
  plans: Period[];
  resources: ResourceRow[];
  /** While a return window is open: its last day, the days left and the restocking fee. */
  returnWindow: { lastDay: CalendarDate; daysLeft: number; restockingFeePercent: string } | null;
  openRepair: { number: string; status: RepairStatus; url: string } | null;
}

export async function gatherUnitPage(
  em: EntityManager,
  links: OwnerLinks,
  link: OwnerLink,
  unit: UnitPageRow,
  text: OwnerText,
  today: CalendarDate,
): Promise<UnitPageFacts> {
  // one after another: the embedded database has a single connection
  const coverage = await coverageToday(em, unit.id, today);
  const resources = await findResources(em, unit.productId, languageOf(text.lang));
  const returnWindow = unit.status === 'ACTIVE' ? await openReturnWindow(em, unit, today) : null;
  const ticket = await findOpenTicket(em, unit.id);
  return {
    unit,
    ...coverage,
    resources,
    returnWindow,
    openRepair: ticket && { number: ticket.number, status: ticket.status, url: repairLink(links, link, ticket.id) },
  };
}

/**
 * The open repair's page from the unit page: where the estimate may be decided only when the unit
 * link came in a message to the owner (a unit link from the API, for a receipt, shows it and no
 * more), and never for longer than the unit link itself.
 */
function repairLink(links: OwnerLinks, unitLink: OwnerLink, ticketId: string): string {
  return links.url(unitLink.messageId ? 'repair' : 'track', ticketId, { notAfter: unitLink.expiresOn });
}

/** The coverage as the warranty engine has it today: in force or not, until when, each coverage and plan. */
async function coverageToday(em: EntityManager, unitId: string, today: CalendarDate) {
  const [row] = await findCoverageFacts(em, 'id', [unitId]);
  if (!row) return { coveredToday: false, coveredUntil: null, coverages: [], plans: [] };
  const originalId = row.carry_over ? row.replacement_of_id : null;
  const [original] = originalId ? await findReplacedUnits(em, [originalId]) : [];
  const facts = coverageFactsOf(unitOfFactsRow(row), row, original);
  const verdict = checkCoverage(facts, today, null);
  const coverages = coverageCandidates(facts)
    .candidates.filter((c) => c.endsAt >= today)
    .map(({ source, name, startsAt, endsAt }) => ({ source, name, startsAt, endsAt }));
  return {
    coveredToday: verdict.covered,
    coveredUntil: verdict.coveredUntil,
    coverages,
    plans: facts.plans.map(({ name, startsAt, endsAt }) => ({ name, startsAt, endsAt })),
  };
}

/** The retailer's return window for the unit (as opened, the regular window) while it is open. */
async function openReturnWindow(em: EntityManager, unit: UnitPageRow, today: CalendarDate) {
  if (!unit.retailerId) return null;
  const policy = policyFor(await findRetailerPolicies(em, unit.retailerId), unit.category);
  if (!policy) return null;
  const lastDay = lastReturnDay(policy, unit, 'OPENED');
  if (lastDay < today) return null;
  return { lastDay, daysLeft: daysBetween(today, lastDay) + 1, restockingFeePercent: policy.restockingFeePercent };
}

function coverageName(text: OwnerText, source: CoverageSource, name: string): string {
  if (source === 'BASE_WARRANTY') return text.baseWarranty;
  if (source === 'REPAIR_WARRANTY') return text.repairWarranty;
  if (source === 'REPLACEMENT_CARRYOVER') return text.carryOver;
  return name; // a service plan: its name in the catalog
}

function coverageSection(text: OwnerText, f: UnitPageFacts, today: CalendarDate) {
  const date = (day: string) => formatDate(text.lang, day);
  const items = f.coverages.map((c) => {
    const name = coverageName(text, c.source, c.name);
    return c.startsAt <= today
      ? html`<li>${text.coverageUntil(name, date(c.endsAt))}</li>`
      : html`<li>${text.coverageFromTo(name, date(c.startsAt), date(c.endsAt))}</li>`;
  });
  return html`<section aria-labelledby="coverage">
    <h2 id="coverage">${text.coverageHeading}</h2>
    <p class="note ${f.coveredToday ? 'ok' : 'warn'}">
      ${f.coveredToday ? text.coveredToday : text.notCoveredToday}
      ${f.coveredUntil && f.coveredUntil >= today ? text.coveredUntil(date(f.coveredUntil)) : ''}
    </p>
    ${
      items.length
        ? html`<ul>
            ${items}
          </ul>`
        : ''
    }
  </section>`;
}

function plansSection(text: OwnerText, f: UnitPageFacts) {
  const date = (day: string) => formatDate(text.lang, day);
  const plans = f.plans.map((p) => html`<li>${text.planPeriod(p.name, date(p.startsAt), date(p.endsAt))}</li>`);
  return html`<section aria-labelledby="plans">
    <h2 id="plans">${text.plansHeading}</h2>
    ${
      plans.length
        ? html`<ul>
            ${plans}
          </ul>`
        : html`<p>${text.noPlans}</p>`
    }
  </section>`;
}

function helpSections(text: OwnerText, f: UnitPageFacts) {
  // only web links become links: anything else (a javascript: URL) is shown as its title
  const resourceItem = (r: ResourceRow) =>
    /^https?:\/\//i.test(r.url)
      ? html`<li><a href="${r.url}" rel="noopener noreferrer">${r.title}</a></li>`
      : html`<li>${r.title}</li>`;
  const guides = f.resources.filter((r) => r.kind !== 'SUPPORT_CONTACT');
  const contacts = f.resources.filter((r) => r.kind === 'SUPPORT_CONTACT');
  return html`${
      guides.length
        ? html`<section aria-labelledby="guides">
            <h2 id="guides">${text.resourcesHeading}</h2>
            <ul class="links">
              ${guides.map(resourceItem)}
            </ul>
          </section>`
        : ''
    }
    <section aria-labelledby="help">
      <h2 id="help">${text.helpHeading}</h2>
      <ul>
        ${f.unit.retailerName ? html`<li>${text.shop(f.unit.retailerName)}</li>` : ''}
        <li>${text.manufacturer(f.unit.manufacturerName)}</li>
      </ul>
      ${
        contacts.length
          ? html`<p>${text.supportContact}:</p>
              <ul class="links">
                ${contacts.map(resourceItem)}
              </ul>`
          : ''
      }
    </section>`;
}

function returnAndRepairSections(text: OwnerText, f: UnitPageFacts) {
  const w = f.returnWindow;
  const r = f.openRepair;
  return html`${
    w
      ? html`<section aria-labelledby="return">
          <h2 id="return">${text.returnHeading}</h2>
          <p>${text.returnOpen(formatDate(text.lang, w.lastDay), text.daysLeft(w.daysLeft))}</p>
          ${Number(w.restockingFeePercent) > 0 ? html`<p>${text.restockingFee(formatPercent(text.lang, w.restockingFeePercent))}</p>` : ''}
        </section>`
      : ''
  }${
    r
      ? html`<section aria-labelledby="repair">
          <h2 id="repair">${text.repairHeading}</h2>
          <p>${text.openRepair(r.number, text.statuses[r.status])}</p>
          <p class="links"><a href="${r.url}">${text.followRepair}</a></p>
        </section>`
      : ''
  }`;
}

export function renderUnitPage(text: OwnerText, f: UnitPageFacts, today: CalendarDate): string {
  const { unit } = f;
  const body = html`<section aria-labelledby="product">
      <h2 id="product">${unit.productName}</h2>
      <dl>
        <dt>${text.productCode}</dt>
        <dd>${unit.productSku}</dd>
        <dt>${text.serialNumber}</dt>
        <dd>${unit.serialNumber}</dd>
        <dt>${text.purchaseDate}</dt>
        <dd>${formatDate(text.lang, unit.purchaseDate)}</dd>
      </dl>
    </section>
    ${returnAndRepairSections(text, f)} ${coverageSection(text, f, today)} ${plansSection(text, f)}
    ${helpSections(text, f)}`;
  return layout({ text, title: text.unitTitle, brand: unit.retailerName ?? unit.manufacturerName, body });
}
