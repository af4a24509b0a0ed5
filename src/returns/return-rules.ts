import { Decimal } from 'decimal.js';
import { addDays, maxDate, toCalendarDate, type CalendarDate } from '../common/dates/calendar-date.js';
import { money, type Money } from '../common/money/money.js';
import type { CoverageStart } from '../products/warranty-terms.js';

export const RETURN_REASONS = [
  'DEFECTIVE',
  'DAMAGED_IN_TRANSIT',
  'NOT_AS_DESCRIBED',
  'WRONG_ITEM',
  'CHANGED_MIND',
  'OTHER',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const ITEM_CONDITIONS = ['UNOPENED', 'OPENED', 'DAMAGED'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];
export const RETURN_RESOLUTIONS = ['REFUND', 'EXCHANGE', 'STORE_CREDIT', 'REPAIR'] as const;
export type ReturnResolution = (typeof RETURN_RESOLUTIONS)[number];

/** Reasons where the retailer is at fault: the restocking fee may be waived. */
const RETAILER_AT_FAULT: readonly ReturnReason[] = ['DEFECTIVE', 'DAMAGED_IN_TRANSIT', 'WRONG_ITEM'];

export interface WindowPolicy {
  windowDays: number;
  unopenedWindowDays: number | null;
  windowStartsFrom: CoverageStart;
  holidayPurchaseStart: CalendarDate | null;
  holidayPurchaseEnd: CalendarDate | null;
  holidayReturnUntil: CalendarDate | null;
}

export interface WindowUnit {
  purchaseDate: CalendarDate;
  deliveryDate: CalendarDate | null;
  registeredAt: Date;
}

/**
 * The last day a return is accepted (docs/rules.md): start + windowDays days inclusive, the start
 * being the purchase, delivery (purchase while there is none) or registration date; the unopened
 * window instead for UNOPENED items; a purchase inside the holiday range until holidayReturnUntil
 * when that is later.
 */
export function lastReturnDay(policy: WindowPolicy, unit: WindowUnit, condition: ItemCondition): CalendarDate {
  const start =
    policy.windowStartsFrom === 'DELIVERY_DATE'
      ? (unit.deliveryDate ?? unit.purchaseDate)
      : policy.windowStartsFrom === 'REGISTRATION_DATE'
        ? toCalendarDate(unit.registeredAt)
        : unit.purchaseDate;
  const days =
    condition === 'UNOPENED' && policy.unopenedWindowDays !== null ? policy.unopenedWindowDays : policy.windowDays;
  const regular = addDays(start, days);
  const { holidayPurchaseStart: from, holidayPurchaseEnd: to, holidayReturnUntil: until } = policy;
  if (from && to && until && unit.purchaseDate >= from && unit.purchaseDate <= to) return maxDate(regular, until);
  return regular;
}

export interface RefundFacts {
  price: Money | null;
  restockingFeePercent: string;
  waiveFeeWhenRetailerAtFault: boolean;
  reason: ReturnReason;
  resolution: ReturnResolution;
}

/**
 * Restocking fee = price × restockingFeePercent / 100, rounded half up to the currency's minor
 * unit; waived for the reasons where the retailer is at fault when the policy says so. The
 * expected refund = price − fee, for REFUND and STORE_CREDIT only: an exchange or a repair gives
 * no money back and so takes no fee. Null where the unit has no recorded price.
 */
export function refundFor(facts: RefundFacts): { restockingFee: Money | null; expectedRefund: Money | null } {
  if (!facts.price || (facts.resolution !== 'REFUND' && facts.resolution !== 'STORE_CREDIT'))
    return { restockingFee: null, expectedRefund: null };
  const { amount, currency } = facts.price;
  const waived = facts.waiveFeeWhenRetailerAtFault && RETAILER_AT_FAULT.includes(facts.reason);
  const fee = money(waived ? 0 : new Decimal(amount).times(facts.restockingFeePercent).dividedBy(100), currency);
  return { restockingFee: fee, expectedRefund: money(new Decimal(amount).minus(fee.amount), currency) };
}

/** What a line's amounts read from its policy and from its unit. */
interface FeePolicy {
  restockingFeePercent: string;
  waiveFeeWhenRetailerAtFault: boolean;
}
interface PricedUnit {
  purchasePriceAmount: string | null;
  purchasePriceCurrency: string | null;
}

/** A line's amounts as stored: decimal strings in the unit's purchase currency. */
interface LineAmounts {
  restockingFee: string | null;
  expectedRefund: string | null;
  currency: string | null;
}

/**
 * The fee and refund of a line (refundFor) by the policy that decided it and the unit's purchase
 * price; none at all without a policy.
 */
export function lineAmounts(
  policy: FeePolicy | null,
  unit: PricedUnit,
  reason: ReturnReason,
  resolution: ReturnResolution,
): LineAmounts {
  if (!policy) return { restockingFee: null, expectedRefund: null, currency: null };
  const price =
    unit.purchasePriceAmount && unit.purchasePriceCurrency
      ? { amount: unit.purchasePriceAmount, currency: unit.purchasePriceCurrency.trim() }
      : null;
  const { restockingFee, expectedRefund } = refundFor({
    price,
    restockingFeePercent: policy.restockingFeePercent,
    waiveFeeWhenRetailerAtFault: policy.waiveFeeWhenRetailerAtFault,
    reason,
    resolution,
  });
  return {
    restockingFee: restockingFee?.amount ?? null,
    expectedRefund: expectedRefund?.amount ?? null,
    currency: price?.currency ?? null,
  };
}

/** The last day to ship an authorized return: the earliest of its lines' policies' ship-by dates. */
export function shipByDate(authorizedOn: CalendarDate, shipWithinDays: readonly number[]): CalendarDate {
  return addDays(authorizedOn, Math.min(...shipWithinDays));
}

/**
 * An exchanged unit hands its coverage on to the replacement only when it was defective
 * (docs/rules.md): the carry-over coverage, and its service plans move with it.
 */
export function exchangeCarriesCoverage(reason: ReturnReason): boolean {
  return reason === 'DEFECTIVE';
}

/** Why a policy does not allow a resolution (asked for at request time, made at resolution), or null. */
export function disallowedResolution(
  policy: { name: string; allowedResolutions: readonly ReturnResolution[] },
  resolution: ReturnResolution,
): string | null {
  if (policy.allowedResolutions.includes(resolution)) return null;
  return `"${policy.name}" allows ${policy.allowedResolutions.join(', ')}, not ${resolution}.`;
}

/**
 * A retailer has one policy per category and one default (no categories): why a new policy for
 * `categories` clashes with the existing ones (the first that it clashes with), or null.
 */
export function policyClash(
  existing: readonly { name: string; categories: string[] }[],
  categories: readonly string[],
): string | null {
  const clash = existing.find((p) =>
    categories.length === 0 ? p.categories.length === 0 : p.categories.some((c) => categories.includes(c)),
  );
  if (!clash) return null;
  return categories.length === 0
    ? `"${clash.name}" is already your default policy (no categories).`
    : `"${clash.name}" already covers ${clash.categories.filter((c) => categories.includes(c)).join(', ')}.`;
}

/** The retailer's policy for a category: the one listing it, else its default (no categories). */
export function policyFor<P extends { categories: string[] }>(policies: P[], category: string): P | null {
  return (
    policies.find((p) => p.categories.includes(category)) ?? policies.find((p) => p.categories.length === 0) ?? null
  );
}

export interface ReturnLineFacts {
  soldByCaller: boolean;
  unitStatus: string;
  /** The number of another open return holding the unit, if any. */
  openReturnNumber: string | null;
  category: string;
  policy: (WindowPolicy & { name: string; allowedResolutions: readonly ReturnResolution[] }) | null;
  unit: WindowUnit;
  condition: ItemCondition;
  requestedResolution: ReturnResolution;
  requestedOn: CalendarDate;
}

type LineRefusalReason = 'VALIDATION_ERROR' | 'UNIT_NOT_ACTIVE' | 'RESOLUTION_NOT_ALLOWED' | 'RETURN_WINDOW_EXPIRED';

/**
 * Why one line of a return request fails, checked in docs/rules.md's order (a policy, the window, an
 * allowed resolution, the unit ACTIVE, sold by this retailer, not on another open return), or
 * null. The window comes early so that a defective unit past it gets the warranty alternative.
 */
export function lineRefusal(f: ReturnLineFacts): { reason: LineRefusalReason; message: string } | null {
  if (!f.policy)
    return {
      reason: 'VALIDATION_ERROR',
      message: `you have no return policy for ${f.category} and no default policy.`,
    };
  const lastDay = lastReturnDay(f.policy, f.unit, f.condition);
  if (f.requestedOn > lastDay)
    return { reason: 'RETURN_WINDOW_EXPIRED', message: `the return window ended on ${lastDay}.` };
  const disallowed = disallowedResolution(f.policy, f.requestedResolution);
  if (disallowed) return { reason: 'RESOLUTION_NOT_ALLOWED', message: disallowed };
  if (f.unitStatus !== 'ACTIVE') return { reason: 'UNIT_NOT_ACTIVE', message: `the unit is ${f.unitStatus}.` };
  if (!f.soldByCaller) return { reason: 'VALIDATION_ERROR', message: 'the unit was not sold by you.' };
  if (f.openReturnNumber)
    return { reason: 'VALIDATION_ERROR', message: `the unit is already on return ${f.openReturnNumber}.` };
  return null;
}

/**
 * A line refused for its window whose unit is defective may still be under warranty: the answer
 * then carries the coverage check, so the retailer can open a repair instead (docs/rules.md).
 */
export function offersWarrantyAlternative(refusal: LineRefusalReason, reason: ReturnReason): boolean {
  return refusal === 'RETURN_WINDOW_EXPIRED' && reason === 'DEFECTIVE';
}
