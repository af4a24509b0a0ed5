import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../common/dates/calendar-date.js';
import type { Money } from '../common/money/money.js';
import {
  disallowedResolution,
  exchangeCarriesCoverage,
  lastReturnDay,
  lineAmounts,
  lineRefusal,
  offersWarrantyAlternative,
  policyClash,
  policyFor,
  refundFor,
  shipByDate,
  RETURN_REASONS,
  type ItemCondition,
  type RefundFacts,
  type ReturnLineFacts,
  type ReturnReason,
  type ReturnResolution,
  type WindowPolicy,
  type WindowUnit,
} from './return-rules.js';

/**
 * The return rules against docs/rules.md ("Returns" and "Dates and money"), one rule per case:
 *   window: from the purchase date (or the delivery date, per windowStartsFrom; the purchase date
 *   while there is none), returns are accepted through start + windowDays days inclusive;
 *   unopenedWindowDays instead when the declared condition is UNOPENED; a purchase inside the
 *   holiday range may come back until holidayReturnUntil if that is later. Calendar dates in UTC.
 *   restocking fee = price × restockingFeePercent (a percentage), waived when
 *   waiveFeeWhenRetailerAtFault and the reason is DEFECTIVE, DAMAGED_IN_TRANSIT or WRONG_ITEM;
 *   expectedRefund = price − fee for REFUND and STORE_CREDIT, none for EXCHANGE and REPAIR.
 *   Money rounds half up to the currency's minor unit (2 for USD/EUR, 0 for JPY, 3 for BHD).
 *   policy: the one whose categories hold the product's category, else the default (no categories).
 * Every expected date and amount below is worked out by hand, never by the code under test.
 */

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

/** A registration instant at noon UTC on the given calendar date. */
const noonUtc = (date: CalendarDate): Date => new Date(`${date}T12:00:00Z`);

/** The standard policy: 30 days from the purchase date, no unopened window, no holiday range. */
function policy(overrides: Partial<WindowPolicy> = {}): WindowPolicy {
  return {
    windowDays: 30,
    unopenedWindowDays: null,
    windowStartsFrom: 'PURCHASE_DATE',
    holidayPurchaseStart: null,
    holidayPurchaseEnd: null,
    holidayReturnUntil: null,
    ...overrides,
  };
}

/** The 2025 holiday range: purchases 2025-11-20 .. 2025-12-24 may come back until 2026-01-31. */
const HOLIDAY: Partial<WindowPolicy> = {
  holidayPurchaseStart: '2025-11-20',
  holidayPurchaseEnd: '2025-12-24',
  holidayReturnUntil: '2026-01-31',
};

/**
 * The standard unit: bought 2026-01-10, no delivery date, registered that day at noon UTC.
 * With the standard policy its last return day is 2026-01-10 + 30 days: 21 days to 2026-01-31,
 * 9 more to 2026-02-09.
 */
function unit(overrides: Partial<WindowUnit> = {}): WindowUnit {
  return { purchaseDate: '2026-01-10', deliveryDate: null, registeredAt: noonUtc('2026-01-10'), ...overrides };
}

/** Bought (and registered) on `date`. */
const boughtOn = (date: CalendarDate, overrides: Partial<WindowUnit> = {}): WindowUnit =>
  unit({ purchaseDate: date, registeredAt: noonUtc(date), ...overrides });

// ---------------------------------------------------------------------------------------------
// lastReturnDay, table-driven
// ---------------------------------------------------------------------------------------------

interface WindowCase {
  name: string;
  policy: WindowPolicy;
  unit: WindowUnit;
  condition: ItemCondition;
  /** The last day a return is accepted. */
  lastDay: CalendarDate;
  /** The calendar day after it, written by hand: the first day a return is refused. */
  dayAfter: CalendarDate;
}

const windowCases: WindowCase[] = [
  {
    name: 'inclusive: 30 days from a 2026-01-10 purchase run through 2026-02-09',
    policy: policy(),
    unit: unit(),
    condition: 'OPENED',
    lastDay: '2026-02-09',
    dayAfter: '2026-02-10',
  },
  {
    name: 'windowDays 0: the purchase day itself (2026-01-10) is the last day',
    policy: policy({ windowDays: 0 }),
    unit: unit(),
    condition: 'OPENED',
    lastDay: '2026-01-10',
    dayAfter: '2026-01-11',
  },
  {
    name: 'windowDays 1: the day after the purchase (2026-01-11) is the last day',
    policy: policy({ windowDays: 1 }),
    unit: unit(),
    condition: 'OPENED',
    lastDay: '2026-01-11',
    dayAfter: '2026-01-12',
  },
  {
    name: 'leap year: 14 days from 2024-02-15 end on 2024-02-29',
    policy: policy({ windowDays: 14 }),
    unit: boughtOn('2024-02-15'),
    condition: 'OPENED',
    lastDay: '2024-02-29',
    dayAfter: '2024-03-01',
  },
  {
    name: 'common year: 14 days from 2025-02-15 end on 2025-03-01 (13 days to 02-28, one more)',
    policy: policy({ windowDays: 14 }),
    unit: boughtOn('2025-02-15'),
    condition: 'OPENED',
    lastDay: '2025-03-01',
    dayAfter: '2025-03-02',
  },
  {
    name: 'year end: 30 days from 2025-12-20 end on 2026-01-19 (11 days to 12-31, 19 more)',
    policy: policy(),
    unit: boughtOn('2025-12-20'),
    condition: 'OPENED',
    lastDay: '2026-01-19',
    dayAfter: '2026-01-20',
  },
  {
    name: 'a year: 365 days from 2026-01-10 (2026 is no leap year) end on 2027-01-10',
    policy: policy({ windowDays: 365 }),
    unit: unit(),
    condition: 'OPENED',
    lastDay: '2027-01-10',
    dayAfter: '2027-01-11',
  },
];

const unopenedCases: WindowCase[] = [
  {
    name: 'unopened: UNOPENED uses unopenedWindowDays 45: 2026-01-10 + 45 = 2026-02-24',
    policy: policy({ unopenedWindowDays: 45 }),
    unit: unit(),
    condition: 'UNOPENED',
    lastDay: '2026-02-24',
    dayAfter: '2026-02-25',
  },
  {
    name: 'unopened: OPENED keeps the normal 30 days (2026-02-09) even with unopenedWindowDays 45',
    policy: policy({ unopenedWindowDays: 45 }),
    unit: unit(),
    condition: 'OPENED',
    lastDay: '2026-02-09',
    dayAfter: '2026-02-10',
  },
  {
    name: 'unopened: DAMAGED keeps the normal 30 days (2026-02-09) even with unopenedWindowDays 45',
    policy: policy({ unopenedWindowDays: 45 }),
    unit: unit(),
    condition: 'DAMAGED',
    lastDay: '2026-02-09',
    dayAfter: '2026-02-10',
  },
  {
    name: 'unopened: UNOPENED with unopenedWindowDays null uses the normal 30 days (2026-02-09)',
    policy: policy({ unopenedWindowDays: null }),
    unit: unit(),
    condition: 'UNOPENED',
    lastDay: '2026-02-09',
    dayAfter: '2026-02-10',
  },
  {
    name: 'unopened: "instead" — a shorter unopenedWindowDays 14 applies to UNOPENED: 2026-01-24',
    policy: policy({ unopenedWindowDays: 14 }),
    unit: unit(),
    condition: 'UNOPENED',
    lastDay: '2026-01-24',
    dayAfter: '2026-01-25',
  },
  {
    name: 'unopened: unopenedWindowDays 0 is a window of its own (not "none"): UNOPENED ends on the purchase day',
    policy: policy({ unopenedWindowDays: 0 }),
    unit: unit(),
    condition: 'UNOPENED',
    lastDay: '2026-01-10',
    dayAfter: '2026-01-11',
  },
];

const holidayCases: WindowCase[] = [
  {
    name: 'holiday: bought on holidayPurchaseStart (2025-11-20): regular 2025-12-20, extended to 2026-01-31',
    policy: policy(HOLIDAY),
    unit: boughtOn('2025-11-20'),
    condition: 'OPENED',
    lastDay: '2026-01-31',
    dayAfter: '2026-02-01',
  },
  {
    name: 'holiday: bought on holidayPurchaseEnd (2025-12-24): regular 2026-01-23, extended to 2026-01-31',
    policy: policy(HOLIDAY),
    unit: boughtOn('2025-12-24'),
    condition: 'OPENED',
    lastDay: '2026-01-31',
    dayAfter: '2026-02-01',
  },
  {
    name: 'holiday: bought the day before holidayPurchaseStart (2025-11-19): the regular 2025-12-19 only',
    policy: policy(HOLIDAY),
    unit: boughtOn('2025-11-19'),
    condition: 'OPENED',
    lastDay: '2025-12-19',
    dayAfter: '2025-12-20',
  },
  {
    name: 'holiday: bought the day after holidayPurchaseEnd (2025-12-25): the regular 2026-01-24 only',
    policy: policy(HOLIDAY),
    unit: boughtOn('2025-12-25'),
    condition: 'OPENED',
    lastDay: '2026-01-24',
    dayAfter: '2026-01-25',
  },
  {
    name: 'holiday: holidayReturnUntil (2026-01-05) earlier than the regular last day (2026-01-19) keeps the regular one',
    policy: policy({ ...HOLIDAY, holidayReturnUntil: '2026-01-05' }),
    unit: boughtOn('2025-12-20'),
    condition: 'OPENED',
    lastDay: '2026-01-19',
    dayAfter: '2026-01-20',
  },
  {
    name: 'holiday: holidayReturnUntil equal to the regular last day (2026-01-23) gives that day',
    policy: policy({ ...HOLIDAY, holidayReturnUntil: '2026-01-23' }),
    unit: boughtOn('2025-12-24'),
    condition: 'OPENED',
    lastDay: '2026-01-23',
    dayAfter: '2026-01-24',
  },
  {
    name: 'holiday: UNOPENED 45 days from 2025-11-20 (2026-01-04) is extended to 2026-01-31',
    policy: policy({ ...HOLIDAY, unopenedWindowDays: 45 }),
    unit: boughtOn('2025-11-20'),
    condition: 'UNOPENED',
    lastDay: '2026-01-31',
    dayAfter: '2026-02-01',
  },
  {
    name: 'holiday: never shortens: UNOPENED 90 days from 2025-12-24 (2026-03-24) is later than 2026-01-31 and stays',
    policy: policy({ ...HOLIDAY, unopenedWindowDays: 90 }),
    unit: boughtOn('2025-12-24'),
    condition: 'UNOPENED',
    lastDay: '2026-03-24',
    dayAfter: '2026-03-25',
  },
  {
    name: 'holiday: the purchase decides, not the delivery: bought 2025-11-19, delivered 2025-11-25 (in range): regular 2025-12-25',
    policy: policy({ ...HOLIDAY, windowStartsFrom: 'DELIVERY_DATE' }),
    unit: boughtOn('2025-11-19', { deliveryDate: '2025-11-25' }),
    condition: 'OPENED',
    lastDay: '2025-12-25',
    dayAfter: '2025-12-26',
  },
  {
    name: 'holiday: bought 2025-12-24 (in range), delivered 2025-12-28: regular 2026-01-27 from delivery, extended to 2026-01-31',
    policy: policy({ ...HOLIDAY, windowStartsFrom: 'DELIVERY_DATE' }),
    unit: boughtOn('2025-12-24', { deliveryDate: '2025-12-28' }),
    condition: 'OPENED',
    lastDay: '2026-01-31',
    dayAfter: '2026-02-01',
  },
  {
    name: 'holiday: a holidayReturnUntil without a purchase range extends nothing: 2025-12-20 + 30 = 2026-01-19',
    policy: policy({ holidayReturnUntil: '2026-01-31' }),
    unit: boughtOn('2025-12-20'),
    condition: 'OPENED',
    lastDay: '2026-01-19',
    dayAfter: '2026-01-20',
  },
];

const startCases: WindowCase[] = [
  {
    name: 'start: DELIVERY_DATE counts from the delivery (2026-01-15): 2026-02-14',
    policy: policy({ windowStartsFrom: 'DELIVERY_DATE' }),
    unit: unit({ deliveryDate: '2026-01-15' }),
    condition: 'OPENED',
    lastDay: '2026-02-14',
    dayAfter: '2026-02-15',
  },
  {
    name: 'start: DELIVERY_DATE with no delivery date counts from the purchase (2026-01-10): 2026-02-09',
    policy: policy({ windowStartsFrom: 'DELIVERY_DATE' }),
    unit: unit({ deliveryDate: null }),
    condition: 'OPENED',
    lastDay: '2026-02-09',
    dayAfter: '2026-02-10',
  },
  {
    name: 'start: PURCHASE_DATE ignores a later delivery (2026-01-15): 2026-02-09',
    policy: policy({ windowStartsFrom: 'PURCHASE_DATE' }),
    unit: unit({ deliveryDate: '2026-01-15' }),
    condition: 'OPENED',
    lastDay: '2026-02-09',
    dayAfter: '2026-02-10',
  },
  {
    name: 'start: DELIVERY_DATE with the unopened window: 2026-01-15 + 45 = 2026-03-01',
    policy: policy({ windowStartsFrom: 'DELIVERY_DATE', unopenedWindowDays: 45 }),
    unit: unit({ deliveryDate: '2026-01-15' }),
    condition: 'UNOPENED',
    lastDay: '2026-03-01',
    dayAfter: '2026-03-02',
  },
  {
    name: 'start: REGISTRATION_DATE counts from the registration (2026-01-20 at noon UTC): 2026-02-19',
    policy: policy({ windowStartsFrom: 'REGISTRATION_DATE' }),
    unit: unit({ registeredAt: noonUtc('2026-01-20') }),
    condition: 'OPENED',
    lastDay: '2026-02-19',
    dayAfter: '2026-02-20',
  },
  {
    name: 'start: REGISTRATION_DATE is the UTC date: 2026-01-20 23:30 at UTC−5 is 2026-01-21 04:30 UTC: 2026-02-20',
    policy: policy({ windowStartsFrom: 'REGISTRATION_DATE' }),
    unit: unit({ registeredAt: new Date('2026-01-20T23:30:00-05:00') }),
    condition: 'OPENED',
    lastDay: '2026-02-20',
    dayAfter: '2026-02-21',
  },
  {
    name: 'start: REGISTRATION_DATE is the UTC date: 2026-01-21 01:00 at UTC+2 is 2026-01-20 23:00 UTC: 2026-02-19',
    policy: policy({ windowStartsFrom: 'REGISTRATION_DATE' }),
    unit: unit({ registeredAt: new Date('2026-01-21T01:00:00+02:00') }),
    condition: 'OPENED',
    lastDay: '2026-02-19',
    dayAfter: '2026-02-20',
  },
  {
    name: 'start: REGISTRATION_DATE at 2026-01-20 23:59:59.999 UTC is still 2026-01-20: 2026-02-19',
    policy: policy({ windowStartsFrom: 'REGISTRATION_DATE' }),
    unit: unit({ registeredAt: new Date('2026-01-20T23:59:59.999Z') }),
    condition: 'OPENED',
    lastDay: '2026-02-19',
    dayAfter: '2026-02-20',
  },
  {
    name: 'start: REGISTRATION_DATE at 2026-01-21 00:00:00.000 UTC is 2026-01-21: 2026-02-20',
    policy: policy({ windowStartsFrom: 'REGISTRATION_DATE' }),
    unit: unit({ registeredAt: new Date('2026-01-21T00:00:00.000Z') }),
    condition: 'OPENED',
    lastDay: '2026-02-20',
    dayAfter: '2026-02-21',
  },
];

const allWindowCases = [...windowCases, ...unopenedCases, ...holidayCases, ...startCases];

function runWindowCase(c: WindowCase): void {
  const last = lastReturnDay(c.policy, c.unit, c.condition);
  expect(last).toBe(c.lastDay);
  // the service accepts a request on D when D <= the last day (ISO dates compare as strings)
  expect(c.lastDay <= last).toBe(true);
  expect(c.dayAfter <= last).toBe(false);
}

// ---------------------------------------------------------------------------------------------
// refundFor, table-driven
// ---------------------------------------------------------------------------------------------

const usd = (amount: string): Money => ({ amount, currency: 'USD' });

/** The standard line: 199.99 USD, 15% fee, fee waived when at fault, changed mind, refund. */
function line(overrides: Partial<RefundFacts> = {}): RefundFacts {
  return {
    price: usd('199.99'),
    restockingFeePercent: '15',
    waiveFeeWhenRetailerAtFault: true,
    reason: 'CHANGED_MIND',
    resolution: 'REFUND',
    ...overrides,
  };
}

interface RefundCase {
  name: string;
  facts: RefundFacts;
  /** Amounts in the price's currency; null where docs/rules.md says there is none. */
  fee: string | null;
  refund: string | null;
}

const feeCases: RefundCase[] = [
  {
    name: 'fee: 199.99 at 15% = 29.9985 rounds half up to 30.00; refund 199.99 − 30.00 = 169.99',
    facts: line(),
    fee: '30.00',
    refund: '169.99',
  },
  {
    name: 'fee: STORE_CREDIT takes the same fee and pays the same 169.99',
    facts: line({ resolution: 'STORE_CREDIT' }),
    fee: '30.00',
    refund: '169.99',
  },
  {
    name: 'fee: 0% takes nothing: fee 0.00, refund the whole 199.99',
    facts: line({ restockingFeePercent: '0' }),
    fee: '0.00',
    refund: '199.99',
  },
  {
    name: 'fee: 100% takes everything: fee 199.99, refund 0.00',
    facts: line({ restockingFeePercent: '100' }),
    fee: '199.99',
    refund: '0.00',
  },
  {
    name: 'fee: a fractional percentage: 12.30 at 12.5% = 1.5375 rounds to 1.54; refund 10.76',
    facts: line({ price: usd('12.30'), restockingFeePercent: '12.5' }),
    fee: '1.54',
    refund: '10.76',
  },
  {
    name: 'fee: the percentage as the database writes it ("15.0000") is still 15%: 30.00 / 169.99',
    facts: line({ restockingFeePercent: '15.0000' }),
    fee: '30.00',
    refund: '169.99',
  },
  {
    name: 'fee: a whole price ("200") at 15% = 30 is written with two decimals: 30.00; refund 170.00',
    facts: line({ price: usd('200') }),
    fee: '30.00',
    refund: '170.00',
  },
  {
    name: 'fee: 10.01 at 10% = 1.001 rounds down to 1.00; refund 9.01',
    facts: line({ price: usd('10.01'), restockingFeePercent: '10' }),
    fee: '1.00',
    refund: '9.01',
  },
  {
    name: 'EUR: 49.90 at 10% = 4.99 exactly; refund 44.91',
    facts: line({ price: { amount: '49.90', currency: 'EUR' }, restockingFeePercent: '10' }),
    fee: '4.99',
    refund: '44.91',
  },
];

const halfUpCases: RefundCase[] = [
  {
    name: 'half up: 10.05 at 10% = exactly 1.005 rounds up to 1.01 (half even would give 1.00); refund 9.04',
    facts: line({ price: usd('10.05'), restockingFeePercent: '10' }),
    fee: '1.01',
    refund: '9.04',
  },
  {
    name: 'half up: 10.10 at 5% = exactly 0.505 rounds up to 0.51 (half even would give 0.50); refund 9.59',
    facts: line({ price: usd('10.10'), restockingFeePercent: '5' }),
    fee: '0.51',
    refund: '9.59',
  },
  {
    name: 'half up: 0.50 at 5% = exactly 0.025 rounds up to 0.03 (half even would give 0.02); refund 0.47',
    facts: line({ price: usd('0.50'), restockingFeePercent: '5' }),
    fee: '0.03',
    refund: '0.47',
  },
  {
    name: 'half up, decimal not float: 1.10 at 15% = exactly 0.165 rounds up to 0.17; refund 0.93',
    facts: line({ price: usd('1.10'), restockingFeePercent: '15' }),
    fee: '0.17',
    refund: '0.93',
  },
  {
    name: 'half up: 0.10 at 5% = exactly 0.005 rounds up to 0.01; refund 0.09',
    facts: line({ price: usd('0.10'), restockingFeePercent: '5' }),
    fee: '0.01',
    refund: '0.09',
  },
  {
    name: 'below half: 0.09 at 5% = 0.0045 rounds down to 0.00; refund 0.09',
    facts: line({ price: usd('0.09'), restockingFeePercent: '5' }),
    fee: '0.00',
    refund: '0.09',
  },
];

const waiverCases: RefundCase[] = [
  ...(['DEFECTIVE', 'DAMAGED_IN_TRANSIT', 'WRONG_ITEM'] as ReturnReason[]).map((reason) => ({
    name: `waiver: ${reason} (retailer at fault) with waiveFeeWhenRetailerAtFault: fee 0.00, refund the whole 199.99`,
    facts: line({ reason }),
    fee: '0.00',
    refund: '199.99',
  })),
  ...(['NOT_AS_DESCRIBED', 'CHANGED_MIND', 'OTHER'] as ReturnReason[]).map((reason) => ({
    name: `waiver: ${reason} is not the retailer's fault: the 30.00 fee stays, refund 169.99`,
    facts: line({ reason }),
    fee: '30.00',
    refund: '169.99',
  })),
  ...(['DEFECTIVE', 'DAMAGED_IN_TRANSIT', 'WRONG_ITEM'] as ReturnReason[]).map((reason) => ({
    name: `waiver: ${reason} without waiveFeeWhenRetailerAtFault keeps the 30.00 fee, refund 169.99`,
    facts: line({ reason, waiveFeeWhenRetailerAtFault: false }),
    fee: '30.00',
    refund: '169.99',
  })),
  {
    name: 'waiver: STORE_CREDIT for a DEFECTIVE unit is waived too: 0.00 / 199.99',
    facts: line({ reason: 'DEFECTIVE', resolution: 'STORE_CREDIT' }),
    fee: '0.00',
    refund: '199.99',
  },
  {
    name: 'waiver: a waived JPY fee is written without decimals: 0 / 19999',
    facts: line({ price: { amount: '19999', currency: 'JPY' }, reason: 'WRONG_ITEM' }),
    fee: '0',
    refund: '19999',
  },
  {
    name: 'waiver: a waived BHD fee is written with three decimals: 0.000 / 19.999',
    facts: line({ price: { amount: '19.999', currency: 'BHD' }, reason: 'DAMAGED_IN_TRANSIT' }),
    fee: '0.000',
    refund: '19.999',
  },
];

const currencyCases: RefundCase[] = [
  {
    name: 'JPY (0 decimals): 19999 at 15% = 2999.85 rounds to 3000; refund 16999',
    facts: line({ price: { amount: '19999', currency: 'JPY' } }),
    fee: '3000',
    refund: '16999',
  },
  {
    name: 'JPY (0 decimals): half up: 1010 at 5% = exactly 50.5 rounds up to 51; refund 959',
    facts: line({ price: { amount: '1010', currency: 'JPY' }, restockingFeePercent: '5' }),
    fee: '51',
    refund: '959',
  },
  {
    name: 'JPY (0 decimals): 1009 at 5% = 50.45 rounds down to 50; refund 959',
    facts: line({ price: { amount: '1009', currency: 'JPY' }, restockingFeePercent: '5' }),
    fee: '50',
    refund: '959',
  },
  {
    name: 'BHD (3 decimals): 19.999 at 15% = 2.99985 rounds to 3.000; refund 16.999',
    facts: line({ price: { amount: '19.999', currency: 'BHD' } }),
    fee: '3.000',
    refund: '16.999',
  },
  {
    name: 'BHD (3 decimals): half up: 10.010 at 5% = exactly 0.5005 rounds up to 0.501; refund 9.509',
    facts: line({ price: { amount: '10.010', currency: 'BHD' }, restockingFeePercent: '5' }),
    fee: '0.501',
    refund: '9.509',
  },
  {
    name: 'BHD (3 decimals): 100% of 19.999 is 19.999; refund 0.000',
    facts: line({ price: { amount: '19.999', currency: 'BHD' }, restockingFeePercent: '100' }),
    fee: '19.999',
    refund: '0.000',
  },
];

const noMoneyCases: RefundCase[] = [
  {
    name: 'none: EXCHANGE gives no money back: fee and refund null',
    facts: line({ resolution: 'EXCHANGE' }),
    fee: null,
    refund: null,
  },
  {
    name: 'none: REPAIR gives no money back: fee and refund null',
    facts: line({ resolution: 'REPAIR' }),
    fee: null,
    refund: null,
  },
  {
    name: 'none: EXCHANGE of a DEFECTIVE unit: still null, not a waived 0.00',
    facts: line({ resolution: 'EXCHANGE', reason: 'DEFECTIVE' }),
    fee: null,
    refund: null,
  },
  {
    name: 'none: REPAIR with waiveFeeWhenRetailerAtFault false: still null',
    facts: line({ resolution: 'REPAIR', waiveFeeWhenRetailerAtFault: false }),
    fee: null,
    refund: null,
  },
  {
    name: 'none: no recorded price: REFUND gives null fee and refund',
    facts: line({ price: null }),
    fee: null,
    refund: null,
  },
  {
    name: 'none: no recorded price: STORE_CREDIT gives null fee and refund',
    facts: line({ price: null, resolution: 'STORE_CREDIT' }),
    fee: null,
    refund: null,
  },
  {
    name: 'none: no recorded price for a DEFECTIVE refund: null, not a waived 0.00',
    facts: line({ price: null, reason: 'DEFECTIVE' }),
    fee: null,
    refund: null,
  },
];

const allRefundCases = [...feeCases, ...halfUpCases, ...waiverCases, ...currencyCases, ...noMoneyCases];

function runRefundCase(c: RefundCase): void {
  const { restockingFee, expectedRefund } = refundFor(c.facts);
  const currency = c.facts.price?.currency;
  expect(restockingFee).toEqual(c.fee === null ? null : { amount: c.fee, currency });
  expect(expectedRefund).toEqual(c.refund === null ? null : { amount: c.refund, currency });
}

// ---------------------------------------------------------------------------------------------
// policyFor
// ---------------------------------------------------------------------------------------------

interface TestPolicy {
  name: string;
  categories: string[];
}

const DEFAULT_POLICY: TestPolicy = { name: 'default', categories: [] };
const COMPUTERS: TestPolicy = { name: 'computers', categories: ['LAPTOP', 'TABLET'] };
const PHONES: TestPolicy = { name: 'phones', categories: ['PHONE'] };

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('lastReturnDay (docs/rules.md "Returns": the window, start + windowDays days inclusive)', () => {
  it('the hand-worked table is itself consistent: dayAfter is exactly one calendar day after lastDay', () => {
    expect(allWindowCases.length).toBeGreaterThanOrEqual(30);
    for (const { name, lastDay, dayAfter } of allWindowCases) {
      const gap = Date.parse(`${dayAfter}T00:00:00Z`) - Date.parse(`${lastDay}T00:00:00Z`);
      expect({ name, gap }).toEqual({ name, gap: 86_400_000 });
    }
  });

  describe('the regular window: the last day is accepted, the day after is not', () => {
    it.each<WindowCase>(windowCases)('$name', runWindowCase);
  });
  describe('the unopened window: only for UNOPENED, the normal one when unopenedWindowDays is null', () => {
    it.each<WindowCase>(unopenedCases)('$name', runWindowCase);
  });
  describe('the holiday range: a purchase inside it may come back until holidayReturnUntil if later', () => {
    it.each<WindowCase>(holidayCases)('$name', runWindowCase);
  });
  describe('the start: purchase, delivery (purchase while there is none) or registration (UTC date)', () => {
    it.each<WindowCase>(startCases)('$name', runWindowCase);
  });
});

describe('refundFor (docs/rules.md "Returns" and "Dates and money")', () => {
  it('the hand-worked table is itself consistent: fee + refund = price in every row with money', () => {
    expect(allRefundCases.length).toBeGreaterThanOrEqual(30);
    for (const { name, facts, fee, refund } of allRefundCases) {
      if (fee === null || refund === null) continue;
      expect({ name, sum: new Decimal(fee).plus(refund).toString() }).toEqual({
        name,
        sum: new Decimal(facts.price!.amount).toString(),
      });
    }
  });

  describe('restocking fee = price × restockingFeePercent / 100, rounded half up to the minor unit', () => {
    it.each<RefundCase>(feeCases)('$name', runRefundCase);
  });
  describe('half up, never half even', () => {
    it.each<RefundCase>(halfUpCases)('$name', runRefundCase);
  });
  describe('the waiver: DEFECTIVE, DAMAGED_IN_TRANSIT and WRONG_ITEM when waiveFeeWhenRetailerAtFault', () => {
    it.each<RefundCase>(waiverCases)('$name', runRefundCase);
  });
  describe('currencies without a minor unit (JPY) and with three decimals (BHD)', () => {
    it.each<RefundCase>(currencyCases)('$name', runRefundCase);
  });
  describe('no fee and no refund: EXCHANGE, REPAIR, or no recorded price', () => {
    it.each<RefundCase>(noMoneyCases)('$name', runRefundCase);
  });

  it.each<RefundCase>(allRefundCases.filter((c) => c.fee !== null))(
    "the result adds up and stays in the price's currency: $name",
    (c) => {
      const { restockingFee, expectedRefund } = refundFor(c.facts);
      expect(restockingFee!.currency).toBe(c.facts.price!.currency);
      expect(expectedRefund!.currency).toBe(c.facts.price!.currency);
      expect(new Decimal(restockingFee!.amount).plus(expectedRefund!.amount).equals(c.facts.price!.amount)).toBe(true);
      expect(new Decimal(restockingFee!.amount).isNegative()).toBe(false);
      expect(new Decimal(expectedRefund!.amount).isNegative()).toBe(false);
    },
  );
});

describe('policyFor (docs/rules.md "Returns": the category\'s policy, else the default, else none)', () => {
  it.each<[name: string, policies: TestPolicy[], category: string, expected: TestPolicy | null]>([
    [
      'the policy listing the category wins over the default, even when the default comes first',
      [DEFAULT_POLICY, COMPUTERS, PHONES],
      'PHONE',
      PHONES,
    ],
    [
      'the policy listing the category wins over the default when it comes first',
      [PHONES, DEFAULT_POLICY],
      'PHONE',
      PHONES,
    ],
    [
      'any category a policy lists picks it: TABLET is the second of LAPTOP, TABLET',
      [DEFAULT_POLICY, COMPUTERS, PHONES],
      'TABLET',
      COMPUTERS,
    ],
    [
      'a category no policy lists falls back to the default (no categories)',
      [COMPUTERS, DEFAULT_POLICY, PHONES],
      'TELEVISION',
      DEFAULT_POLICY,
    ],
    ['the default alone serves every category', [DEFAULT_POLICY], 'PHONE', DEFAULT_POLICY],
    ['no policy lists the category and there is no default: none', [COMPUTERS, PHONES], 'TELEVISION', null],
    ['no policies at all: none', [], 'PHONE', null],
    [
      'categories match exactly: "phone" is not "PHONE", so the default',
      [DEFAULT_POLICY, PHONES],
      'phone',
      DEFAULT_POLICY,
    ],
    ['an unknown category (empty) takes the default', [COMPUTERS, DEFAULT_POLICY], '', DEFAULT_POLICY],
  ])('%s', (_name, policies, category, expected) => {
    expect(policyFor(policies, category)).toBe(expected);
  });
});

describe('lineRefusal: every line must pass, checked in docs/rules.md order (policy, window, resolution, ACTIVE, sold by you, open return)', () => {
  const policy = {
    name: 'Standard',
    allowedResolutions: ['REFUND', 'EXCHANGE'] as ReturnResolution[],
    windowDays: 30,
    unopenedWindowDays: null,
    windowStartsFrom: 'PURCHASE_DATE' as const,
    holidayPurchaseStart: null,
    holidayPurchaseEnd: null,
    holidayReturnUntil: null,
  };
  const ok: ReturnLineFacts = {
    soldByCaller: true,
    unitStatus: 'ACTIVE',
    openReturnNumber: null,
    category: 'FRIDGE',
    policy,
    unit: { purchaseDate: '2026-01-10', deliveryDate: null, registeredAt: new Date('2026-01-10T12:00:00Z') },
    condition: 'OPENED',
    requestedResolution: 'REFUND',
    requestedOn: '2026-02-09',
  };
  it.each<[string, Partial<ReturnLineFacts>, string | null]>([
    ['a line that passes every check (the last day of the window) is not refused', {}, null],
    ['the day after the window: RETURN_WINDOW_EXPIRED', { requestedOn: '2026-02-10' }, 'RETURN_WINDOW_EXPIRED'],
    ['a unit sold by another retailer: VALIDATION_ERROR', { soldByCaller: false }, 'VALIDATION_ERROR'],
    ['a unit not ACTIVE: UNIT_NOT_ACTIVE', { unitStatus: 'REPLACED' }, 'UNIT_NOT_ACTIVE'],
    ['a unit on another open return: VALIDATION_ERROR', { openReturnNumber: 'RMA-000001' }, 'VALIDATION_ERROR'],
    ['no policy for the category and no default: VALIDATION_ERROR', { policy: null }, 'VALIDATION_ERROR'],
    [
      'a resolution the policy does not allow: RESOLUTION_NOT_ALLOWED',
      { requestedResolution: 'STORE_CREDIT' },
      'RESOLUTION_NOT_ALLOWED',
    ],
    [
      'several failures: the first in docs/rules.md order (the window) is the one named',
      { soldByCaller: false, unitStatus: 'RETURNED', requestedOn: '2027-01-01' },
      'RETURN_WINDOW_EXPIRED',
    ],
    [
      'an expired window is named before a resolution not allowed (so a defective unit gets the warranty alternative)',
      { requestedResolution: 'REPAIR', requestedOn: '2027-01-01' },
      'RETURN_WINDOW_EXPIRED',
    ],
    [
      'a resolution not allowed is named before a unit not ACTIVE',
      { requestedResolution: 'REPAIR', unitStatus: 'RETURNED' },
      'RESOLUTION_NOT_ALLOWED',
    ],
    [
      'a unit not ACTIVE is named before one not sold by you',
      { unitStatus: 'RETURNED', soldByCaller: false },
      'UNIT_NOT_ACTIVE',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(lineRefusal({ ...ok, ...overrides })?.reason ?? null).toBe(expected);
  });
});

describe("lineAmounts: a line's fee and refund as stored, by the policy that decided it and the unit's price", () => {
  const feePolicy = { restockingFeePercent: '15', waiveFeeWhenRetailerAtFault: true };
  const priced = { purchasePriceAmount: '200.00', purchasePriceCurrency: 'USD' };

  it('a refund: 15 % of 200.00 USD is a 30.00 fee and a 170.00 refund, in the purchase currency', () => {
    expect(lineAmounts(feePolicy, priced, 'CHANGED_MIND', 'REFUND')).toEqual({
      restockingFee: '30.00',
      expectedRefund: '170.00',
      currency: 'USD',
    });
  });

  it('the waiver applies as in refundFor: a defective unit takes no fee when the policy says so', () => {
    expect(lineAmounts(feePolicy, priced, 'DEFECTIVE', 'STORE_CREDIT')).toEqual({
      restockingFee: '0.00',
      expectedRefund: '200.00',
      currency: 'USD',
    });
  });

  it('the stored currency is char(3): padding is dropped', () => {
    expect(lineAmounts(feePolicy, { ...priced, purchasePriceCurrency: 'EUR ' }, 'OTHER', 'REFUND').currency).toBe(
      'EUR',
    );
  });

  it("an exchange or a repair: no amounts, the currency still the unit's", () => {
    for (const resolution of ['EXCHANGE', 'REPAIR'] as const) {
      expect(lineAmounts(feePolicy, priced, 'CHANGED_MIND', resolution)).toEqual({
        restockingFee: null,
        expectedRefund: null,
        currency: 'USD',
      });
    }
  });

  it('no recorded price: no amounts and no currency', () => {
    expect(
      lineAmounts(feePolicy, { purchasePriceAmount: null, purchasePriceCurrency: null }, 'CHANGED_MIND', 'REFUND'),
    ).toEqual({ restockingFee: null, expectedRefund: null, currency: null });
  });

  it('no policy (the failing line of a rejected request may have none): nothing at all', () => {
    expect(lineAmounts(null, priced, 'CHANGED_MIND', 'REFUND')).toEqual({
      restockingFee: null,
      expectedRefund: null,
      currency: null,
    });
  });
});

describe("shipByDate: an authorized return ships by the earliest ship-by date of its lines' policies", () => {
  it.each<[string, number[], CalendarDate]>([
    ['one policy of 14 days', [14], '2026-03-15'],
    ['the shortest of 14, 7 and 30 days', [14, 7, 30], '2026-03-08'],
    ['across the end of the month', [31], '2026-04-01'],
  ])('%s', (_name, days, expected) => {
    expect(shipByDate('2026-03-01', days)).toBe(expected);
  });
});

describe('exchangeCarriesCoverage: only a defective unit hands its coverage and plans on to the replacement', () => {
  it.each(RETURN_REASONS.map((reason) => [reason, reason === 'DEFECTIVE'] as const))('%s: %s', (reason, expected) => {
    expect(exchangeCarriesCoverage(reason)).toBe(expected);
  });
});

describe('offersWarrantyAlternative: a defective unit refused for its window gets the coverage check instead', () => {
  it('a defective unit past its window', () => {
    expect(offersWarrantyAlternative('RETURN_WINDOW_EXPIRED', 'DEFECTIVE')).toBe(true);
  });
  it('any other reason past the window', () => {
    for (const reason of RETURN_REASONS.filter((r) => r !== 'DEFECTIVE'))
      expect(offersWarrantyAlternative('RETURN_WINDOW_EXPIRED', reason)).toBe(false);
  });
  it('a defective unit refused for anything but its window', () => {
    for (const refusal of ['VALIDATION_ERROR', 'UNIT_NOT_ACTIVE', 'RESOLUTION_NOT_ALLOWED'] as const)
      expect(offersWarrantyAlternative(refusal, 'DEFECTIVE')).toBe(false);
  });
});

describe('disallowedResolution: a resolution must be one the policy allows, at request and at resolution', () => {
  const standard = { name: 'Standard', allowedResolutions: ['REFUND', 'EXCHANGE'] as ReturnResolution[] };
  it('an allowed resolution: no refusal', () => {
    expect(disallowedResolution(standard, 'EXCHANGE')).toBeNull();
  });
  it('another: named with what the policy allows', () => {
    expect(disallowedResolution(standard, 'REPAIR')).toBe('"Standard" allows REFUND, EXCHANGE, not REPAIR.');
  });
});

describe('policyClash: one policy per category and one default (no categories) per retailer', () => {
  const fridges = { name: 'Fridges', categories: ['FRIDGE', 'FREEZER'] };
  const fallback = { name: 'Everything else', categories: [] };
  it.each<[string, { name: string; categories: string[] }[], string[], string | null]>([
    ['a first policy clashes with nothing', [], ['FRIDGE'], null],
    ['a category no policy lists', [fridges, fallback], ['PHONE'], null],
    ['a first default beside category policies', [fridges], [], null],
    ['a second default', [fridges, fallback], [], '"Everything else" is already your default policy (no categories).'],
    [
      'a category already listed: the policy and the shared categories named',
      [fridges, fallback],
      ['PHONE', 'FREEZER', 'FRIDGE'],
      '"Fridges" already covers FRIDGE, FREEZER.',
    ],
    [
      'several clashes: the first existing policy is named',
      [{ name: 'Phones', categories: ['PHONE'] }, fridges],
      ['FRIDGE', 'PHONE'],
      '"Phones" already covers PHONE.',
    ],
  ])('%s', (_name, existing, categories, expected) => {
    expect(policyClash(existing, categories)).toBe(expected);
  });
});
