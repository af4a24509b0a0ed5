import type { CalendarDate } from '../common/dates/calendar-date.js';
import type { FailureCategory, WarrantyTerms } from '../products/warranty-terms.js';
import {
  carryOverPeriod,
  checkCoverage,
  coverageCandidates,
  coversFailure,
  unitNotFoundVerdict,
  type AttachedPlanFacts,
  type CoverageCandidate,
  type CoverageInForce,
  type CoverageSource,
  type NotCoveredReason,
  type RepairWarrantyFacts,
  type ReplacedUnitFacts,
  type UnitCoverageFacts,
} from './coverage-engine.js';

/**
 * The coverage engine against docs/rules.md ("Dates and money", "Coverage"), one rule per case.
 * Every expected date below is worked out by hand from the rules, never by the code under test:
 *   "N months after D" is calendar months clamped to the month's last day, and
 *   a coverage of M months starting on S ends on (S + M months) − 1 day, inclusive.
 */

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

/** A registration instant at noon UTC on the given calendar date. */
const noonUtc = (date: CalendarDate): Date => new Date(`${date}T12:00:00Z`);

const DEFAULT_TERMS: WarrantyTerms = {
  durationMonths: 24,
  startsFrom: 'PURCHASE_DATE',
  coverageTypes: ['PARTS', 'LABOR'],
  excludedFailures: [],
  transferable: true,
  registrationRequiredWithinDays: null,
  maxClaims: null,
  repairWarrantyDays: 90,
};

/**
 * A unit bought 2024-01-31 and registered that day at noon UTC, with the default 24-month terms:
 * its base warranty runs 2024-01-31 .. 2026-01-30 (2024-01-31 + 24 months = 2026-01-31, minus a day).
 */
function facts(overrides: Partial<UnitCoverageFacts> = {}, terms: Partial<WarrantyTerms> = {}): UnitCoverageFacts {
  return {
    status: 'ACTIVE',
    purchaseDate: '2024-01-31',
    deliveryDate: null,
    registeredAt: noonUtc('2024-01-31'),
    terms: { ...DEFAULT_TERMS, ...terms },
    plans: [],
    repairs: [],
    replacementOf: null,
    claimsByCoverage: {},
    ...overrides,
  };
}

/**
 * A plan that starts the day after the default base warranty ends (2026-01-31) and lasts 36 months:
 * 2026-01-31 + 36 months = 2029-01-31, so its last day is 2029-01-30.
 */
function plan(overrides: Partial<AttachedPlanFacts> = {}): AttachedPlanFacts {
  return {
    servicePlanId: 'p1',
    name: 'Care+ 3 years',
    startsAt: '2026-01-31',
    endsAt: '2029-01-30',
    coverageTypes: ['PARTS', 'LABOR'],
    excludedFailures: [],
    maxClaims: null,
    deductible: null,
    ...overrides,
  };
}

/** A repair of a DISPLAY failure closed 2026-03-01: 90 days from then run to 2026-05-29 inclusive. */
function repair(overrides: Partial<RepairWarrantyFacts> = {}): RepairWarrantyFacts {
  return { ticketId: 't1', ticketNumber: 'R-0001', closedOn: '2026-03-01', failureCategory: 'DISPLAY', ...overrides };
}

/** The defective original: bought 2024-01-31 with 24 months, so its base warranty ends 2026-01-30. */
function original(handedOverOn: CalendarDate, overrides: Partial<ReplacedUnitFacts> = {}): ReplacedUnitFacts {
  return {
    purchaseDate: '2024-01-31',
    deliveryDate: null,
    registeredAt: noonUtc('2024-01-31'),
    terms: DEFAULT_TERMS,
    handedOverOn,
    ...overrides,
  };
}

/**
 * A replacement handed over (registered as purchased) on `handedOverOn`, whose own product gives
 * no base warranty (0 months), so that only the carry-over can cover it.
 */
function replacement(
  handedOverOn: CalendarDate,
  originalOverrides: Partial<ReplacedUnitFacts> = {},
): UnitCoverageFacts {
  return facts(
    {
      purchaseDate: handedOverOn,
      registeredAt: noonUtc(handedOverOn),
      replacementOf: original(handedOverOn, originalOverrides),
    },
    { durationMonths: 0 },
  );
}

// ---------------------------------------------------------------------------------------------
// checkCoverage, table-driven
// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  facts: UnitCoverageFacts;
  asOf: CalendarDate;
  failure: FailureCategory | null;
  covered: boolean;
  /** Every reason that applied, in any order; [] when covered. */
  reasons: NotCoveredReason[];
  /** The sources of `coverages`, in order. */
  sources?: CoverageSource[];
  /** Fields the first coverage in force must have. */
  first?: Partial<CoverageInForce>;
  coveredUntil?: CalendarDate | null;
  /** remainingClaims of each coverage in force, in order. */
  remainingClaims?: (number | null)[];
}

const sorted = <T>(values: readonly T[]): T[] => [...values].sort();

function runCase(c: Case): void {
  const verdict = checkCoverage(c.facts, c.asOf, c.failure);
  expect(verdict.asOf).toBe(c.asOf);
  expect(verdict.covered).toBe(c.covered);
  expect(sorted(verdict.reasons)).toEqual(sorted(c.reasons));
  // reasons say every reason once
  expect(new Set(verdict.reasons).size).toBe(verdict.reasons.length);
  if (c.covered) {
    expect(verdict.coverages.length).toBeGreaterThan(0);
  } else {
    expect(verdict.coverages).toEqual([]);
  }
  if (c.sources) expect(verdict.coverages.map((cov) => cov.source)).toEqual(c.sources);
  if (c.first) expect(verdict.coverages[0]).toMatchObject(c.first);
  if (c.coveredUntil !== undefined) expect(verdict.coveredUntil).toBe(c.coveredUntil);
  if (c.remainingClaims) expect(verdict.coverages.map((cov) => cov.remainingClaims)).toEqual(c.remainingClaims);
}

const rule1StartEvents: Case[] = [
  {
    name: 'rule 1: PURCHASE_DATE: a 24-month warranty bought 2024-01-31 covers the purchase day itself',
    facts: facts(),
    asOf: '2024-01-31',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
    first: { key: 'base', startsAt: '2024-01-31', endsAt: '2026-01-30' },
  },
  {
    name: 'rule 1: PURCHASE_DATE: a 24-month warranty bought 2024-01-31 covers its last day 2026-01-30',
    facts: facts(),
    asOf: '2026-01-30',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
    coveredUntil: '2026-01-30',
  },
  {
    name: 'rule 1: PURCHASE_DATE: a 24-month warranty bought 2024-01-31 is EXPIRED the day after, 2026-01-31',
    facts: facts(),
    asOf: '2026-01-31',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-01-30',
  },
  {
    name: 'rule 1: PURCHASE_DATE: the day before purchase, 2024-01-30, is NOT_YET_STARTED',
    facts: facts(),
    asOf: '2024-01-30',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['NOT_YET_STARTED'],
  },
  {
    name: 'rule 1: PURCHASE_DATE ignores a later delivery date (2026-01-30 covered, delivery 2024-02-10 irrelevant)',
    facts: facts({ deliveryDate: '2024-02-10' }),
    asOf: '2026-01-30',
    failure: null,
    covered: true,
    reasons: [],
    first: { startsAt: '2024-01-31', endsAt: '2026-01-30' },
  },
  {
    name: 'rule 1: DELIVERY_DATE: delivered 2024-02-10, covered from the delivery day (2024-02-10 .. 2026-02-09)',
    facts: facts({ deliveryDate: '2024-02-10' }, { startsFrom: 'DELIVERY_DATE' }),
    asOf: '2024-02-10',
    failure: null,
    covered: true,
    reasons: [],
    first: { source: 'BASE_WARRANTY', startsAt: '2024-02-10', endsAt: '2026-02-09' },
  },
  {
    name: 'rule 1: DELIVERY_DATE: NOT_YET_STARTED on 2024-02-09, after purchase but before delivery',
    facts: facts({ deliveryDate: '2024-02-10' }, { startsFrom: 'DELIVERY_DATE' }),
    asOf: '2024-02-09',
    failure: null,
    covered: false,
    reasons: ['NOT_YET_STARTED'],
    coveredUntil: '2026-02-09',
  },
  {
    name: 'rule 1: DELIVERY_DATE: delivered 2024-02-10, still covered 2026-02-09 (delivery + 24 months − 1 day)',
    facts: facts({ deliveryDate: '2024-02-10' }, { startsFrom: 'DELIVERY_DATE' }),
    asOf: '2026-02-09',
    failure: 'BATTERY',
    covered: true,
    reasons: [],
  },
  {
    name: 'rule 1: DELIVERY_DATE: delivered 2024-02-10, EXPIRED on 2026-02-10',
    facts: facts({ deliveryDate: '2024-02-10' }, { startsFrom: 'DELIVERY_DATE' }),
    asOf: '2026-02-10',
    failure: 'BATTERY',
    covered: false,
    reasons: ['EXPIRED'],
  },
  {
    name: 'rule 1: DELIVERY_DATE without a delivery date falls back to purchase: covered from 2024-01-31',
    facts: facts({ deliveryDate: null }, { startsFrom: 'DELIVERY_DATE' }),
    asOf: '2024-01-31',
    failure: null,
    covered: true,
    reasons: [],
    first: { startsAt: '2024-01-31', endsAt: '2026-01-30' },
  },
  {
    name: 'rule 1: DELIVERY_DATE without a delivery date falls back to purchase: EXPIRED 2026-01-31',
    facts: facts({ deliveryDate: null }, { startsFrom: 'DELIVERY_DATE' }),
    asOf: '2026-01-31',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-01-30',
  },
  {
    name: 'rule 1: REGISTRATION_DATE: registered 2024-03-05 at noon UTC, NOT_YET_STARTED on 2024-03-04',
    facts: facts({ registeredAt: noonUtc('2024-03-05') }, { startsFrom: 'REGISTRATION_DATE' }),
    asOf: '2024-03-04',
    failure: null,
    covered: false,
    reasons: ['NOT_YET_STARTED'],
  },
  {
    name: 'rule 1: REGISTRATION_DATE: registered 2024-03-05 at noon UTC, covered 2024-03-05 .. 2026-03-04',
    facts: facts({ registeredAt: noonUtc('2024-03-05') }, { startsFrom: 'REGISTRATION_DATE' }),
    asOf: '2026-03-04',
    failure: null,
    covered: true,
    reasons: [],
    first: { startsAt: '2024-03-05', endsAt: '2026-03-04' },
  },
  {
    name: 'rule 1: REGISTRATION_DATE: registered 2024-03-05 at noon UTC, EXPIRED on 2026-03-05',
    facts: facts({ registeredAt: noonUtc('2024-03-05') }, { startsFrom: 'REGISTRATION_DATE' }),
    asOf: '2026-03-05',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
  },
  {
    name: 'rule 1: REGISTRATION_DATE: registered 2024-03-05T23:30Z counts from that UTC date, covered on 2024-03-05',
    facts: facts({ registeredAt: new Date('2024-03-05T23:30:00Z') }, { startsFrom: 'REGISTRATION_DATE' }),
    asOf: '2024-03-05',
    failure: null,
    covered: true,
    reasons: [],
    first: { startsAt: '2024-03-05', endsAt: '2026-03-04' },
  },
  {
    name: 'rule 1: REGISTRATION_DATE: registered 2024-03-05T23:30Z, EXPIRED on 2026-03-05',
    facts: facts({ registeredAt: new Date('2024-03-05T23:30:00Z') }, { startsFrom: 'REGISTRATION_DATE' }),
    asOf: '2026-03-05',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-03-04',
  },
  {
    name: 'rule 1: REGISTRATION_DATE: 2024-03-05 23:30 at UTC−2 is 2024-03-06 in UTC, so 2024-03-05 is NOT_YET_STARTED',
    facts: facts({ registeredAt: new Date('2024-03-05T23:30:00-02:00') }, { startsFrom: 'REGISTRATION_DATE' }),
    asOf: '2024-03-05',
    failure: null,
    covered: false,
    reasons: ['NOT_YET_STARTED'],
    coveredUntil: '2026-03-05',
  },
];

const rule1MonthArithmetic: Case[] = [
  {
    name: 'rule 1: 31 January + 1 month is 2024-02-29 (leap year): a 1-month warranty from 2024-01-31 covers 2024-02-28',
    facts: facts({}, { durationMonths: 1 }),
    asOf: '2024-02-28',
    failure: null,
    covered: true,
    reasons: [],
    first: { startsAt: '2024-01-31', endsAt: '2024-02-28' },
  },
  {
    name: 'rule 1: 31 January + 1 month is 2024-02-29: the 1-month warranty from 2024-01-31 is EXPIRED on 2024-02-29',
    facts: facts({}, { durationMonths: 1 }),
    asOf: '2024-02-29',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2024-02-28',
  },
  {
    name: 'rule 1: 31 January + 1 month is 2023-02-28 (common year): a 1-month warranty from 2023-01-31 covers 2023-02-27',
    facts: facts({ purchaseDate: '2023-01-31', registeredAt: noonUtc('2023-01-31') }, { durationMonths: 1 }),
    asOf: '2023-02-27',
    failure: null,
    covered: true,
    reasons: [],
    first: { endsAt: '2023-02-27' },
  },
  {
    name: 'rule 1: 31 January + 1 month is 2023-02-28: the 1-month warranty from 2023-01-31 is EXPIRED on 2023-02-28',
    facts: facts({ purchaseDate: '2023-01-31', registeredAt: noonUtc('2023-01-31') }, { durationMonths: 1 }),
    asOf: '2023-02-28',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
  },
  {
    name: 'rule 1: from 2024-02-29, 24 months end 2026-02-27 (2026-02-28 − 1 day): covered on 2026-02-27',
    facts: facts({ purchaseDate: '2024-02-29', registeredAt: noonUtc('2024-02-29') }),
    asOf: '2026-02-27',
    failure: null,
    covered: true,
    reasons: [],
    first: { startsAt: '2024-02-29', endsAt: '2026-02-27' },
  },
  {
    name: 'rule 1: from 2024-02-29, 24 months end 2026-02-27: EXPIRED on 2026-02-28',
    facts: facts({ purchaseDate: '2024-02-29', registeredAt: noonUtc('2024-02-29') }),
    asOf: '2026-02-28',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-02-27',
  },
  {
    name: 'rule 1: 2024-11-30 + 3 months clamps to 2025-02-28, so a 3-month warranty ends 2025-02-27 (crossing the year)',
    facts: facts({ purchaseDate: '2024-11-30', registeredAt: noonUtc('2024-11-30') }, { durationMonths: 3 }),
    asOf: '2025-02-27',
    failure: null,
    covered: true,
    reasons: [],
    first: { endsAt: '2025-02-27' },
  },
  {
    name: 'rule 1: a 0-month warranty covers nothing, not even the purchase day: EXPIRED, and no coveredUntil',
    facts: facts({}, { durationMonths: 0 }),
    asOf: '2024-01-31',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: null,
  },
  {
    name: 'rule 1: a 0-month warranty covers nothing a year later either: EXPIRED',
    facts: facts({}, { durationMonths: 0 }),
    asOf: '2025-01-31',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['EXPIRED'],
  },
];

/** Bought 2024-01-31; registration required within 30 days: 2024-01-31 + 30 days = 2024-03-01 (2024 is a leap year). */
const registrationDeadline: Case[] = [
  {
    name: 'rule 1 (registration): registered exactly 30 days after purchase (2024-03-01) is in time',
    facts: facts({ registeredAt: noonUtc('2024-03-01') }, { registrationRequiredWithinDays: 30 }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
    coveredUntil: '2026-01-30',
  },
  {
    name: 'rule 1 (registration): registered on the 30th day at 23:30 UTC is still in time',
    facts: facts({ registeredAt: new Date('2024-03-01T23:30:00Z') }, { registrationRequiredWithinDays: 30 }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
  },
  {
    name: 'rule 1 (registration): registered on purchase day with a 0-day deadline is in time',
    facts: facts({ registeredAt: new Date('2024-01-31T23:30:00Z') }, { registrationRequiredWithinDays: 0 }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
  },
  {
    name: 'rule 1 (registration): registered one day late (2024-03-02) is NOT_REGISTERED_IN_TIME, no base warranty, no coveredUntil',
    facts: facts({ registeredAt: noonUtc('2024-03-02') }, { registrationRequiredWithinDays: 30 }),
    asOf: '2025-01-01',
    failure: null,
    covered: false,
    reasons: ['NOT_REGISTERED_IN_TIME'],
    coveredUntil: null,
  },
  {
    name: 'rule 1 (registration): registered late, a service plan still covers and only the plan is listed',
    facts: facts(
      { registeredAt: noonUtc('2024-03-02'), plans: [plan({ startsAt: '2024-02-15', endsAt: '2025-02-14' })] },
      { registrationRequiredWithinDays: 30 },
    ),
    asOf: '2025-01-01',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['SERVICE_PLAN'],
    // the base warranty would have run to 2026-01-30, but it never applied
    coveredUntil: '2025-02-14',
  },
  {
    name: 'rule 1 (registration): registered late and the plan has ended: NOT_REGISTERED_IN_TIME and EXPIRED',
    facts: facts(
      { registeredAt: noonUtc('2024-03-02'), plans: [plan({ startsAt: '2024-02-15', endsAt: '2025-02-14' })] },
      { registrationRequiredWithinDays: 30 },
    ),
    asOf: '2025-06-01',
    failure: null,
    covered: false,
    reasons: ['NOT_REGISTERED_IN_TIME', 'EXPIRED'],
    coveredUntil: '2025-02-14',
  },
];

const rule2Plans: Case[] = [
  {
    name: 'rule 2: a plan starting after the base warranty covers its first day 2026-01-31 (the day after the base ends)',
    facts: facts({ plans: [plan()] }),
    asOf: '2026-01-31',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['SERVICE_PLAN'],
    first: { key: 'plan:p1', name: 'Care+ 3 years', startsAt: '2026-01-31', endsAt: '2029-01-30' },
  },
  {
    name: "rule 2: on the base warranty's last day 2026-01-30 the base covers and the not-yet-started plan is not listed",
    facts: facts({ plans: [plan()] }),
    asOf: '2026-01-30',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
  },
  {
    name: 'rule 2: the plan covers its last day 2029-01-30 (2026-01-31 + 36 months − 1 day)',
    facts: facts({ plans: [plan()] }),
    asOf: '2029-01-30',
    failure: 'MECHANICAL',
    covered: true,
    reasons: [],
    sources: ['SERVICE_PLAN'],
  },
  {
    name: 'rule 2: the day after the plan ends, 2029-01-31, is EXPIRED',
    facts: facts({ plans: [plan()] }),
    asOf: '2029-01-31',
    failure: 'MECHANICAL',
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2029-01-30',
  },
  {
    name: "rule 2: a plan bought during the base warranty is listed after the manufacturer's base warranty",
    facts: facts({ plans: [plan({ startsAt: '2024-03-15', endsAt: '2027-03-14' })] }),
    asOf: '2025-01-01',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY', 'SERVICE_PLAN'],
    first: { key: 'base', source: 'BASE_WARRANTY' },
  },
  {
    name: 'rule 2: a plan keeps its deductible in the coverage it gives',
    facts: facts({ plans: [plan({ deductible: { amount: '49.00', currency: 'USD' } })] }),
    asOf: '2027-01-01',
    failure: null,
    covered: true,
    reasons: [],
    first: { source: 'SERVICE_PLAN', deductible: { amount: '49.00', currency: 'USD' } },
  },
];

const rule3Repairs: Case[] = [
  {
    name: 'rule 3: a repair closed 2026-03-01 covers the repaired failure (DISPLAY) from the closing day',
    facts: facts({ repairs: [repair()] }),
    asOf: '2026-03-01',
    failure: 'DISPLAY',
    covered: true,
    reasons: [],
    sources: ['REPAIR_WARRANTY'],
    first: { key: 'repair:t1', startsAt: '2026-03-01', endsAt: '2026-05-29', remainingClaims: null },
  },
  {
    name: 'rule 3: 90 repair-warranty days from 2026-03-01 include 2026-05-29',
    facts: facts({ repairs: [repair()] }),
    asOf: '2026-05-29',
    failure: 'DISPLAY',
    covered: true,
    reasons: [],
    sources: ['REPAIR_WARRANTY'],
  },
  {
    name: 'rule 3: 90 repair-warranty days from 2026-03-01 do not include 2026-05-30: EXPIRED',
    facts: facts({ repairs: [repair()] }),
    asOf: '2026-05-30',
    failure: 'DISPLAY',
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-05-29',
  },
  {
    name: 'rule 3: the repair warranty does not cover the day before closing (base EXPIRED, repair NOT_YET_STARTED)',
    facts: facts({ repairs: [repair()] }),
    asOf: '2026-02-28',
    failure: 'DISPLAY',
    covered: false,
    reasons: ['EXPIRED', 'NOT_YET_STARTED'],
  },
  {
    name: 'rule 3: the repair warranty covers only the repaired category: BATTERY after a DISPLAY repair is FAILURE_EXCLUDED',
    facts: facts({ repairs: [repair()] }),
    asOf: '2026-04-01',
    failure: 'BATTERY',
    covered: false,
    reasons: ['EXPIRED', 'FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 3: the repair warranty is PARTS and LABOR even when the product warranty is LABOR only',
    facts: facts({ repairs: [repair()] }, { coverageTypes: ['LABOR'] }),
    asOf: '2026-04-01',
    failure: 'DISPLAY',
    covered: true,
    reasons: [],
    first: { source: 'REPAIR_WARRANTY', coverageTypes: ['PARTS', 'LABOR'] },
  },
  {
    name: 'rule 3: repairWarrantyDays 0 means no repair warranty at all (only the expired base remains)',
    facts: facts({ repairs: [repair()] }, { repairWarrantyDays: 0 }),
    asOf: '2026-03-01',
    failure: 'DISPLAY',
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-01-30',
  },
  {
    name: 'rule 3: repairWarrantyDays 30 from 2026-03-01 end on 2026-03-30',
    facts: facts({ repairs: [repair()] }, { repairWarrantyDays: 30 }),
    asOf: '2026-03-30',
    failure: 'DISPLAY',
    covered: true,
    reasons: [],
    first: { endsAt: '2026-03-30' },
  },
  {
    name: 'rule 3: a repair warranty running inside the base warranty is listed after the base',
    facts: facts({ repairs: [repair({ closedOn: '2025-05-01' })] }),
    asOf: '2025-06-01',
    failure: 'DISPLAY',
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY', 'REPAIR_WARRANTY'],
  },
];

/**
 * The original's base warranty ends 2026-01-30.
 * Hand-over 2024-06-01: + 89 days = 2024-08-29, so the original's end (2026-01-30) is later.
 * Hand-over 2025-12-01: + 89 days = 2026-02-28, later than the original's end.
 */
const rule4CarryOver: Case[] = [
  {
    name: 'rule 4: a replacement is covered from its hand-over day 2024-06-01',
    facts: replacement('2024-06-01'),
    asOf: '2024-06-01',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['REPLACEMENT_CARRYOVER'],
    first: { key: 'carryover', startsAt: '2024-06-01', endsAt: '2026-01-30' },
  },
  {
    name: 'rule 4: a replacement is not covered before hand-over (2024-05-31: NOT_YET_STARTED)',
    facts: replacement('2024-06-01'),
    asOf: '2024-05-31',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['NOT_YET_STARTED'],
  },
  {
    name: "rule 4: long-remaining original: the carry-over runs to the original's base end 2026-01-30",
    facts: replacement('2024-06-01'),
    asOf: '2026-01-30',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['REPLACEMENT_CARRYOVER'],
    coveredUntil: '2026-01-30',
  },
  {
    name: "rule 4: long-remaining original: EXPIRED the day after the original's base end, 2026-01-31",
    facts: replacement('2024-06-01'),
    asOf: '2026-01-31',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['EXPIRED'],
  },
  {
    name: 'rule 4: original ending soon after hand-over (2025-12-01): covered from the hand-over day',
    facts: replacement('2025-12-01'),
    asOf: '2025-12-01',
    failure: null,
    covered: true,
    reasons: [],
    first: { source: 'REPLACEMENT_CARRYOVER', startsAt: '2025-12-01', endsAt: '2026-02-28' },
  },
  {
    name: 'rule 4: original ending soon after hand-over: not covered the day before hand-over, 2025-11-30, although the original still ran',
    facts: replacement('2025-12-01'),
    asOf: '2025-11-30',
    failure: null,
    covered: false,
    reasons: ['NOT_YET_STARTED'],
  },
  {
    name: "rule 4: original ending soon after hand-over: covered past the original's end until hand-over + 89 days, 2026-02-28",
    facts: replacement('2025-12-01'),
    asOf: '2026-02-28',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['REPLACEMENT_CARRYOVER'],
    coveredUntil: '2026-02-28',
  },
  {
    name: 'rule 4: original ending soon after hand-over: EXPIRED on 2026-03-01 (hand-over + 90 days)',
    facts: replacement('2025-12-01'),
    asOf: '2026-03-01',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
  },
  {
    name: "rule 4: the original's base end follows its own start rule (delivered 2024-02-10: ends 2026-02-09)",
    facts: replacement('2024-06-01', {
      deliveryDate: '2024-02-10',
      terms: { ...DEFAULT_TERMS, startsFrom: 'DELIVERY_DATE' },
    }),
    asOf: '2026-02-09',
    failure: null,
    covered: true,
    reasons: [],
    first: { endsAt: '2026-02-09' },
  },
  {
    name: "rule 4 + rule 5: the carry-over keeps the original's exclusions (COSMETIC excluded)",
    facts: replacement('2025-12-01', { terms: { ...DEFAULT_TERMS, excludedFailures: ['COSMETIC'] } }),
    asOf: '2026-01-15',
    failure: 'COSMETIC',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 4: a replacement whose product has a 24-month warranty gets no fresh base warranty: only the carry-over',
    facts: facts({
      purchaseDate: '2025-12-01',
      registeredAt: noonUtc('2025-12-01'),
      replacementOf: original('2025-12-01'),
    }),
    asOf: '2026-01-15',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['REPLACEMENT_CARRYOVER'],
    // the later of the original's base end (2026-01-30) and hand-over + 89 days (2026-02-28)
    coveredUntil: '2026-02-28',
  },
  {
    name: 'rule 4: the replacement is EXPIRED the day after the carry-over ends, whatever its own product terms',
    facts: facts({
      purchaseDate: '2025-12-01',
      registeredAt: noonUtc('2025-12-01'),
      replacementOf: original('2025-12-01'),
    }),
    asOf: '2026-03-01',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-02-28',
  },
];

/** The default base warranty is in force on 2025-01-01 and has ended by 2027-01-01. */
const rule5Failures: Case[] = [
  {
    name: 'rule 5: an excluded failure (COSMETIC) is FAILURE_EXCLUDED',
    facts: facts({}, { excludedFailures: ['COSMETIC'] }),
    asOf: '2025-01-01',
    failure: 'COSMETIC',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: a failure not in the exclusions (ELECTRICAL, COSMETIC excluded) is covered',
    facts: facts({}, { excludedFailures: ['COSMETIC'] }),
    asOf: '2025-01-01',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
  },
  {
    name: 'rule 5: ACCIDENTAL_DAMAGE needs coverage type ACCIDENTAL_DAMAGE: a PARTS/LABOR warranty does not cover it',
    facts: facts(),
    asOf: '2025-01-01',
    failure: 'ACCIDENTAL_DAMAGE',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: LIQUID_DAMAGE needs coverage type ACCIDENTAL_DAMAGE: a PARTS/LABOR warranty does not cover it',
    facts: facts(),
    asOf: '2025-01-01',
    failure: 'LIQUID_DAMAGE',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: an accident plan covers ACCIDENTAL_DAMAGE that the PARTS/LABOR base does not',
    facts: facts({
      plans: [plan({ startsAt: '2024-01-31', endsAt: '2026-01-30', coverageTypes: ['ACCIDENTAL_DAMAGE'] })],
    }),
    asOf: '2025-01-01',
    failure: 'ACCIDENTAL_DAMAGE',
    covered: true,
    reasons: [],
    sources: ['SERVICE_PLAN'],
  },
  {
    name: 'rule 5: an accident plan covers LIQUID_DAMAGE that the PARTS/LABOR base does not',
    facts: facts({
      plans: [plan({ startsAt: '2024-01-31', endsAt: '2026-01-30', coverageTypes: ['ACCIDENTAL_DAMAGE'] })],
    }),
    asOf: '2025-01-01',
    failure: 'LIQUID_DAMAGE',
    covered: true,
    reasons: [],
    sources: ['SERVICE_PLAN'],
  },
  {
    name: 'rule 5: an accident plan that excludes LIQUID_DAMAGE does not cover it',
    facts: facts({
      plans: [
        plan({
          startsAt: '2024-01-31',
          endsAt: '2026-01-30',
          coverageTypes: ['ACCIDENTAL_DAMAGE'],
          excludedFailures: ['LIQUID_DAMAGE'],
        }),
      ],
    }),
    asOf: '2025-01-01',
    failure: 'LIQUID_DAMAGE',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: an accident-only plan does not cover ELECTRICAL (needs PARTS or LABOR)',
    facts: facts({ plans: [plan({ coverageTypes: ['ACCIDENTAL_DAMAGE'] })] }),
    asOf: '2027-01-01',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['EXPIRED', 'FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: a SHIPPING-only coverage does not cover ELECTRICAL',
    facts: facts({}, { coverageTypes: ['SHIPPING'] }),
    asOf: '2025-01-01',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: an ON_SITE-only coverage does not cover ELECTRICAL',
    facts: facts({}, { coverageTypes: ['ON_SITE'] }),
    asOf: '2025-01-01',
    failure: 'ELECTRICAL',
    covered: false,
    reasons: ['FAILURE_EXCLUDED'],
  },
  {
    name: 'rule 5: PARTS alone covers MECHANICAL',
    facts: facts({}, { coverageTypes: ['PARTS'] }),
    asOf: '2025-01-01',
    failure: 'MECHANICAL',
    covered: true,
    reasons: [],
  },
  {
    name: 'rule 5: LABOR alone covers BATTERY',
    facts: facts({}, { coverageTypes: ['LABOR'] }),
    asOf: '2025-01-01',
    failure: 'BATTERY',
    covered: true,
    reasons: [],
  },
  {
    name: 'rule 5: a PARTS/LABOR warranty covers OTHER',
    facts: facts(),
    asOf: '2025-01-01',
    failure: 'OTHER',
    covered: true,
    reasons: [],
  },
  {
    name: 'rule 5: no failure category given: a SHIPPING-only coverage in force counts',
    facts: facts({}, { coverageTypes: ['SHIPPING'] }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
  },
  {
    name: 'rule 5: no failure category given: exclusions do not matter, any coverage in force counts',
    facts: facts({}, { excludedFailures: ['ELECTRICAL', 'COSMETIC'] }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
  },
  {
    name: 'rule 5: no failure category given: the repair warranty in force counts whatever it repaired',
    facts: facts({ repairs: [repair()] }),
    asOf: '2026-04-01',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['REPAIR_WARRANTY'],
  },
];

const rule6ClaimLimits: Case[] = [
  {
    name: 'rule 6: maxClaims 3 with 2 claims counted is covered with remainingClaims 1',
    facts: facts({ claimsByCoverage: { base: 2 } }, { maxClaims: 3 }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    remainingClaims: [1],
  },
  {
    name: 'rule 6: maxClaims 3 with no claims counted leaves remainingClaims 3',
    facts: facts({}, { maxClaims: 3 }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    remainingClaims: [3],
  },
  {
    name: 'rule 6: maxClaims 3 with 3 claims counted is CLAIM_LIMIT_REACHED',
    facts: facts({ claimsByCoverage: { base: 3 } }, { maxClaims: 3 }),
    asOf: '2025-01-01',
    failure: null,
    covered: false,
    reasons: ['CLAIM_LIMIT_REACHED'],
  },
  {
    name: 'rule 6: maxClaims 3 with 4 claims counted is still CLAIM_LIMIT_REACHED',
    facts: facts({ claimsByCoverage: { base: 4 } }, { maxClaims: 3 }),
    asOf: '2025-01-01',
    failure: null,
    covered: false,
    reasons: ['CLAIM_LIMIT_REACHED'],
  },
  {
    name: "rule 6: claims under another coverage (the plan) do not use up the base warranty's limit",
    facts: facts({ claimsByCoverage: { 'plan:p1': 5 } }, { maxClaims: 3 }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    remainingClaims: [3],
  },
  {
    name: 'rule 6: the used-up limit of the base warranty does not stop a plan from covering',
    facts: facts(
      { claimsByCoverage: { base: 3 }, plans: [plan({ startsAt: '2024-03-15', endsAt: '2027-03-14' })] },
      { maxClaims: 3 },
    ),
    asOf: '2025-01-01',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    sources: ['SERVICE_PLAN'],
    remainingClaims: [null],
  },
  {
    name: 'rule 6: a plan with its own limit used up leaves the base warranty covering',
    facts: facts({
      claimsByCoverage: { 'plan:p1': 2 },
      plans: [plan({ startsAt: '2024-03-15', endsAt: '2027-03-14', maxClaims: 2 })],
    }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    sources: ['BASE_WARRANTY'],
    remainingClaims: [null],
  },
  {
    name: 'rule 6: remainingClaims is null for coverages without a limit',
    facts: facts({ plans: [plan({ startsAt: '2024-03-15', endsAt: '2027-03-14' })] }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
    remainingClaims: [null, null],
  },
];

const rule7NotActive: Case[] = (['RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'] as const).map((status) => ({
  name: `rule 7: a ${status} unit inside its warranty is not covered (UNIT_NOT_ACTIVE, no coverages, coveredUntil still 2026-01-30)`,
  facts: facts({ status }),
  asOf: '2025-01-01',
  failure: 'ELECTRICAL',
  covered: false,
  reasons: ['UNIT_NOT_ACTIVE'],
  coveredUntil: '2026-01-30',
}));

const reasonsAndOrder: Case[] = [
  {
    name: 'reasons: base EXPIRED and plan NOT_YET_STARTED are both listed',
    facts: facts({ plans: [plan({ startsAt: '2026-03-01', endsAt: '2027-02-28' })] }),
    asOf: '2026-02-15',
    failure: null,
    covered: false,
    reasons: ['EXPIRED', 'NOT_YET_STARTED'],
    coveredUntil: '2027-02-28',
  },
  {
    name: 'reasons: base CLAIM_LIMIT_REACHED and plan FAILURE_EXCLUDED are both listed',
    facts: facts(
      {
        claimsByCoverage: { base: 1 },
        plans: [plan({ startsAt: '2024-03-15', endsAt: '2027-03-14', excludedFailures: ['BATTERY'] })],
      },
      { maxClaims: 1 },
    ),
    asOf: '2025-01-01',
    failure: 'BATTERY',
    covered: false,
    reasons: ['CLAIM_LIMIT_REACHED', 'FAILURE_EXCLUDED'],
  },
  {
    name: 'reasons: a unit that is not ACTIVE and out of warranty gets UNIT_NOT_ACTIVE and EXPIRED',
    facts: facts({ status: 'RETURNED' }),
    asOf: '2026-06-01',
    failure: null,
    covered: false,
    reasons: ['UNIT_NOT_ACTIVE', 'EXPIRED'],
  },
  {
    name: 'reasons: empty when covered, even though a plan has not started yet',
    facts: facts({ plans: [plan()] }),
    asOf: '2025-01-01',
    failure: null,
    covered: true,
    reasons: [],
  },
  {
    name: 'order: coverages are listed repair, carry-over, then plans (a replacement has no base warranty of its own)',
    facts: facts({
      plans: [plan({ startsAt: '2024-02-15', endsAt: '2027-02-14' })],
      repairs: [repair({ closedOn: '2025-05-01' })],
      // original bought 2023-06-01: its base ends 2025-05-31, later than hand-over 2024-01-31 + 89 days (2024-04-29)
      replacementOf: original('2024-01-31', { purchaseDate: '2023-06-01', registeredAt: noonUtc('2023-06-01') }),
    }),
    asOf: '2025-05-15',
    failure: 'DISPLAY',
    covered: true,
    reasons: [],
    sources: ['REPAIR_WARRANTY', 'REPLACEMENT_CARRYOVER', 'SERVICE_PLAN'],
    coveredUntil: '2027-02-14',
  },
  {
    name: "order: the first coverage (the one a claim is filed under) is the manufacturer's when both it and a plan cover",
    facts: facts({ plans: [plan({ startsAt: '2024-01-31', endsAt: '2027-01-30' })] }),
    asOf: '2024-06-01',
    failure: 'ELECTRICAL',
    covered: true,
    reasons: [],
    first: { key: 'base', source: 'BASE_WARRANTY', name: 'Manufacturer warranty (24 months)' },
  },
  {
    name: 'coveredUntil: the last day of any coverage, here a repair warranty ending after the base (2026-05-29)',
    facts: facts({ repairs: [repair()] }),
    asOf: '2030-01-01',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-05-29',
  },
  {
    name: 'coveredUntil: includes a plan that has not started yet (2029-01-30)',
    facts: facts({ plans: [plan()] }),
    asOf: '2024-06-01',
    failure: null,
    covered: true,
    reasons: [],
    coveredUntil: '2029-01-30',
  },
  {
    name: 'coveredUntil: a base warranty that ended long ago is still told (2026-01-30 on 2030-01-01)',
    facts: facts(),
    asOf: '2030-01-01',
    failure: null,
    covered: false,
    reasons: ['EXPIRED'],
    coveredUntil: '2026-01-30',
  },
];

describe('checkCoverage (docs/rules.md "Coverage", rules 1-7)', () => {
  describe('rule 1: base warranty start events and the last covered day', () => {
    it.each<Case>(rule1StartEvents)('$name', runCase);
  });
  describe('rule 1: calendar-month arithmetic', () => {
    it.each<Case>(rule1MonthArithmetic)('$name', runCase);
  });
  describe('rule 1: registration deadline', () => {
    it.each<Case>(registrationDeadline)('$name', runCase);
  });
  describe('rule 2: service plans', () => {
    it.each<Case>(rule2Plans)('$name', runCase);
  });
  describe('rule 3: repair warranty', () => {
    it.each<Case>(rule3Repairs)('$name', runCase);
  });
  describe('rule 4: replacement carry-over', () => {
    it.each<Case>(rule4CarryOver)('$name', runCase);
  });
  describe('rule 5: failure categories', () => {
    it.each<Case>(rule5Failures)('$name', runCase);
  });
  describe('rule 6: claim limits', () => {
    it.each<Case>(rule6ClaimLimits)('$name', runCase);
  });
  describe('rule 7: units that are not ACTIVE', () => {
    it.each<Case>(rule7NotActive)('$name', runCase);
  });
  describe('reasons, order of coverages and coveredUntil', () => {
    it.each<Case>(reasonsAndOrder)('$name', runCase);
  });
});

// ---------------------------------------------------------------------------------------------
// The building blocks
// ---------------------------------------------------------------------------------------------

describe('carryOverPeriod (rule 4)', () => {
  it.each<[name: string, original: ReplacedUnitFacts, expected: { startsAt: CalendarDate; endsAt: CalendarDate }]>([
    [
      'rule 4: hand-over 2024-06-01, original ends 2026-01-30, later than hand-over + 89 days (2024-08-29)',
      original('2024-06-01'),
      { startsAt: '2024-06-01', endsAt: '2026-01-30' },
    ],
    [
      "rule 4: hand-over 2026-01-01, hand-over + 89 days (2026-03-31) is later than the original's end 2026-01-30",
      original('2026-01-01'),
      { startsAt: '2026-01-01', endsAt: '2026-03-31' },
    ],
    [
      'rule 4: hand-over after the original expired (2027-01-01): still hand-over + 89 days, 2027-03-31',
      original('2027-01-01'),
      { startsAt: '2027-01-01', endsAt: '2027-03-31' },
    ],
  ])('%s', (_name, orig, expected) => {
    expect(carryOverPeriod(orig)).toEqual(expected);
  });
});

describe('coversFailure (rule 5)', () => {
  type Terms = Pick<CoverageCandidate, 'coverageTypes' | 'excludedFailures' | 'onlyFailure'>;
  it.each<[name: string, coverage: Terms, failure: FailureCategory | null, expected: boolean]>([
    ['rule 5: PARTS covers SOFTWARE', { coverageTypes: ['PARTS'], excludedFailures: [] }, 'SOFTWARE', true],
    [
      'rule 5: ACCIDENTAL_DAMAGE alone does not cover DISPLAY',
      { coverageTypes: ['ACCIDENTAL_DAMAGE'], excludedFailures: [] },
      'DISPLAY',
      false,
    ],
    [
      'rule 5: an exclusion wins over ACCIDENTAL_DAMAGE cover',
      { coverageTypes: ['ACCIDENTAL_DAMAGE', 'PARTS'], excludedFailures: ['ACCIDENTAL_DAMAGE'] },
      'ACCIDENTAL_DAMAGE',
      false,
    ],
    [
      'rule 3: a repair warranty covers its repaired category',
      { coverageTypes: ['PARTS', 'LABOR'], excludedFailures: [], onlyFailure: 'DISPLAY' },
      'DISPLAY',
      true,
    ],
    [
      'rule 3: a repair warranty does not cover another category',
      { coverageTypes: ['PARTS', 'LABOR'], excludedFailures: [], onlyFailure: 'DISPLAY' },
      'BATTERY',
      false,
    ],
    [
      'rule 5: no failure category: anything counts, even SHIPPING only',
      { coverageTypes: ['SHIPPING'], excludedFailures: [] },
      null,
      true,
    ],
  ])('%s', (_name, coverage, failure, expected) => {
    expect(coversFailure(coverage, failure)).toBe(expected);
  });
});

describe('coverageCandidates', () => {
  it('rule 1: a base warranty registered too late is no candidate at all, and registeredLate says so', () => {
    const { candidates, registeredLate } = coverageCandidates(
      facts({ registeredAt: noonUtc('2024-03-02'), plans: [plan()] }, { registrationRequiredWithinDays: 30 }),
    );
    expect(registeredLate).toBe(true);
    expect(candidates.map((c) => c.key)).toEqual(['plan:p1']);
  });

  it("manufacturer coverages (base, repair, carry-over) come before service plans, whatever the facts' order", () => {
    const { candidates, registeredLate } = coverageCandidates(
      facts({
        plans: [plan({ servicePlanId: 'p2' }), plan()],
        repairs: [repair()],
        replacementOf: original('2024-01-31'),
      }),
    );
    expect(registeredLate).toBe(false);
    // a replacement has no base warranty of its own (rule 4)
    expect(candidates.map((c) => c.key)).toEqual(['repair:t1', 'carryover', 'plan:p2', 'plan:p1']);
  });
});

describe('unitNotFoundVerdict', () => {
  it('an unknown serial is not covered, UNIT_NOT_FOUND only, no coverages and no coveredUntil', () => {
    expect(unitNotFoundVerdict('2026-01-01')).toEqual({
      covered: false,
      asOf: '2026-01-01',
      coverages: [],
      reasons: ['UNIT_NOT_FOUND'],
      coveredUntil: null,
    });
  });
});
