import type { EntityManager } from 'typeorm';
import { toCalendarDate } from '../../common/dates/calendar-date.js';
import { money } from '../../common/money/money.js';
import { policyFor } from '../../returns/return-rules.js';
import { findRetailerPolicies } from '../../returns/return.queries.js';
import { checkCoverage, coverageCandidates } from '../../warranty/coverage-engine.js';
import { findCoverageFacts, findReplacedUnits, unitOfFactsRow } from '../../warranty/coverage.queries.js';
import { coverageFactsOf } from '../../warranty/coverage.service.js';
import type { OrganizationKind } from '../../organizations/organization.entity.js';
import type { OutreachJourneyEntity } from '../outreach.entities.js';
import { languageOf } from '../templates/locale.js';
import type { MessageFacts } from '../templates/variables.js';
import type { OutreachMessageCouponView } from './outreach-event.views.js';
import { findResources, findUpgradeProgram, type UnitFacts } from './sending.queries.js';

/** The links a message carries: the owner's page and unsubscribe always, the survey and review for those kinds. */
export interface MessageLinks {
  ownerPage: string;
  unsubscribe: string;
  survey: string | null;
  review: string | null;
}

/** What a message is written from, besides what the database holds about the unit. */
export interface FactsInput {
  journey: OutreachJourneyEntity;
  unit: UnitFacts;
  sender: { id: string; name: string; kind: OrganizationKind };
  /** The template's locale: resources are listed in its language. */
  locale: string;
  links: MessageLinks;
  coupon: OutreachMessageCouponView | null;
  now: Date;
}

/** Kinds that speak of an upgrade program. */
const UPGRADE_KINDS = new Set(['REPAIR_OR_UPGRADE_OFFER']);

/**
 * The facts of one message (docs/outreach.md, "Templates"): the unit and its owner as they are at
 * send time, the coverage as the warranty engine computes it, the product's resources in the
 * message's language, the sender's return policy (retailers) and upgrade program.
 */
export async function gatherFacts(em: EntityManager, input: FactsInput): Promise<MessageFacts> {
  const { journey, unit, sender, now } = input;
  const today = toCalendarDate(now);
  // one after another: they share the caller's transaction (one connection)
  const coverage = await coverageOf(em, unit.id, today);
  const resources = await findResources(em, unit.productId, languageOf(input.locale));
  const returnPolicy = sender.kind === 'RETAILER' ? await returnPolicyOf(em, sender.id, unit.category) : null;
  const speaksOfUpgrade = UPGRADE_KINDS.has(journey.kind) || journey.trigger === 'UPGRADE_ELIGIBLE';
  const upgrade = speaksOfUpgrade ? await upgradeOf(em, sender.id, unit.category, today) : null;
  return {
    ownerName: unit.owner?.name ?? '',
    productName: unit.productName,
    productSku: unit.productSku,
    serialNumber: unit.serialNumber,
    purchaseDate: unit.purchaseDate,
    warrantyEndsAt: coverage.baseEndsAt,
    coveredUntil: coverage.coveredUntil,
    senderName: sender.name,
    links: input.links,
    coupon: input.coupon,
    resources,
    returnPolicy,
    upgrade,
  };
}

/** The base warranty's last day (none when it never applied) and the last day of any coverage, by the warranty engine. */
async function coverageOf(em: EntityManager, unitId: string, today: string) {
  const [row] = await findCoverageFacts(em, 'id', [unitId]);
  if (!row) return { baseEndsAt: null, coveredUntil: null };
  const originalId = row.carry_over ? row.replacement_of_id : null;
  const [original] = originalId ? await findReplacedUnits(em, [originalId]) : [];
  const facts = coverageFactsOf(unitOfFactsRow(row), row, original);
  const base = coverageCandidates(facts).candidates.find((c) => c.source === 'BASE_WARRANTY');
  return { baseEndsAt: base?.endsAt ?? null, coveredUntil: checkCoverage(facts, today, null).coveredUntil };
}

async function returnPolicyOf(em: EntityManager, retailerId: string, category: string) {
  const policy = policyFor(await findRetailerPolicies(em, retailerId), category);
  return policy
    ? {
        windowDays: policy.windowDays,
        startsFrom: policy.windowStartsFrom,
        restockingFeePercent: policy.restockingFeePercent,
      }
    : null;
}

async function upgradeOf(em: EntityManager, senderId: string, category: string, today: string) {
  const program = await findUpgradeProgram(em, senderId, category, today);
  if (!program) return null;
  return {
    programName: program.name,
    tradeInValue: program.maxTradeIn !== null ? money(program.maxTradeIn, program.currency) : null,
  };
}
