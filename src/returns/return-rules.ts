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
export const RETAILER_AT_FAULT: readonly ReturnReason[] = ['DEFECTIVE', 'DAMAGED_IN_TRANSIT', 'WRONG_ITEM'];

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

export type LineRefusalReason =
  'VALIDATION_ERROR' | 'UNIT_NOT_ACTIVE' | 'RESOLUTION_NOT_ALLOWED' | 'RETURN_WINDOW_EXPIRED';

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
  if (!f.policy.allowedResolutions.includes(f.requestedResolution)) {
    return {
      reason: 'RESOLUTION_NOT_ALLOWED',
      message: `"${f.policy.name}" allows ${f.policy.allowedResolutions.join(', ')}, not ${f.requestedResolution}.`,
    };
  }
  if (f.unitStatus !== 'ACTIVE') return { reason: 'UNIT_NOT_ACTIVE', message: `the unit is ${f.unitStatus}.` };
  if (!f.soldByCaller) return { reason: 'VALIDATION_ERROR', message: 'the unit was not sold by you.' };
  if (f.openReturnNumber)
    return { reason: 'VALIDATION_ERROR', message: `the unit is already on return ${f.openReturnNumber}.` };
  return null;
}
