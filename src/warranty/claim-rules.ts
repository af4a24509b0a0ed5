import { Decimal } from 'decimal.js';
import { daysBetween, type CalendarDate } from '../common/dates/calendar-date.js';
import { money, type Money } from '../common/money/money.js';
import type { FailureCategory } from '../products/warranty-terms.js';
import type { ClaimLineKind, StoredClaimLine } from './claim.entity.js';
import { LIVE_CLAIM_STATUSES, type ClaimStatus } from './warranty-claim.machine.js';

/** What the manufacturer decides on a claim (docs/rules.md, "Warranty claims"). */
export const CLAIM_DECISIONS = ['APPROVE', 'REJECT', 'REQUEST_INFO', 'MARK_PAID'] as const;
export type ClaimDecision = (typeof CLAIM_DECISIONS)[number];

interface ClaimLineFacts {
  kind: ClaimLineKind;
  description: string;
  partNumber?: string | null;
  laborCode?: string | null;
  quantity: string;
  unitAmount: Money;
}

/** Lines priced: each total rounded to the currency's minor unit; requestedTotal = Σ line totals; the first line in another currency when currencies differ. */
export function priceLines(
  lines: ClaimLineFacts[],
): { currency: string; lines: StoredClaimLine[]; requestedTotal: string } | { mixedCurrencyAt: number } {
  const currency = lines[0].unitAmount.currency;
  const mixed = lines.findIndex((l) => l.unitAmount.currency !== currency);
  if (mixed >= 0) return { mixedCurrencyAt: mixed };
  const priced = lines.map((l) => ({
    kind: l.kind,
    description: l.description.trim(),
    partNumber: l.partNumber?.trim() || null,
    laborCode: l.laborCode?.trim() || null,
    quantity: new Decimal(l.quantity).toString(),
    unitAmount: money(l.unitAmount.amount, currency).amount,
    total: money(new Decimal(l.quantity).times(l.unitAmount.amount), currency).amount,
  }));
  const total = priced.reduce((sum, l) => sum.plus(l.total), new Decimal(0));
  return { currency, lines: priced, requestedTotal: money(total, currency).amount };
}

/**
 * The approved total: what the manufacturer approves (the requested total when it does not say),
 * never above the requested total, less the coverage's deductible, never below zero.
 */
export function approvedAmount(
  requested: string,
  currency: string,
  approved: string | null,
  deductible: Money | null,
): string {
  let amount = new Decimal(approved ?? requested);
  if (deductible) amount = amount.minus(deductible.amount);
  return money(Decimal.max(amount, 0), currency).amount;
}

/** Flag on a claim whose lines already subtract the coverage's deductible (claims filed by repairs). */
export const DEDUCTIBLE_APPLIED = 'DEDUCTIBLE_APPLIED';

/**
 * The deductible to take off a claim's approval: the coverage's, unless the claim's lines already
 * took it off (a repair's claim) or it is in another currency (amounts are never combined across
 * currencies).
 */
export function applicableDeductible(claim: {
  flags: string[];
  currency: string;
  coverage: { deductible: Money | null } | null;
}): Money | null {
  const deductible = claim.coverage?.deductible ?? null;
  if (!deductible || claim.flags.includes(DEDUCTIBLE_APPLIED) || deductible.currency !== claim.currency) return null;
  return deductible;
}

/** APPROVED when the approved total is the requested total, PARTIALLY_APPROVED when below it. */
export function approvalStatus(requested: string, approved: string): ClaimStatus {
  return new Decimal(approved).lessThan(requested) ? 'PARTIALLY_APPROVED' : 'APPROVED';
}

interface ExistingClaim {
  failureCategory: FailureCategory;
  failureDate: CalendarDate;
  status: ClaimStatus;
}

/** DUPLICATE_SUSPECTED: another live claim on the unit for the same failure, failure dates within 30 days. */
export function isDuplicateSuspected(
  claim: { failureCategory: FailureCategory; failureDate: CalendarDate },
  others: ExistingClaim[],
): boolean {
  return others.some(
    (o) =>
      LIVE_CLAIM_STATUSES.includes(o.status) &&
      o.failureCategory === claim.failureCategory &&
      Math.abs(daysBetween(o.failureDate, claim.failureDate)) <= 30,
  );
}
