import type { UnitStatus } from '../units/unit.entity.js';
import {
  INELIGIBLE_REASONS,
  upgradeVerdict,
  type IneligibleReason,
  type ProgramTerms,
  type UnitUpgradeFacts,
} from './upgrade-eligibility.js';

/**
 * upgradeVerdict against docs/rules.md ("Upgrades" and "Dates and money") and docs/decisions.md
 * ("Upgrades"), one rule per case. Eligible on D when:
 *   the unit is ACTIVE (else UNIT_NOT_ACTIVE); its category is in eligibleCategories
 *   (CATEGORY_NOT_ELIGIBLE); D ≥ purchase + minMonthsOwned months (OWNED_TOO_SHORT);
 *   D ≤ purchase + maxUnitAgeMonths months (UNIT_TOO_OLD); coverage in force on D when
 *   requiresActiveCoverage (NO_ACTIVE_COVERAGE); no open repair or return (OPEN_REPAIR_OR_RETURN);
 *   validFrom ≤ D ≤ validUntil, both days inclusive (PROGRAM_NOT_ACTIVE).
 *   Every reason that applies is listed, in the contract's enum order.
 *   "N months after D" is calendar months clamped to the month's last day.
 *   eligibleFrom: only when time alone stands in the way (OWNED_TOO_SHORT and/or a program not
 *   started yet): the later of purchase + minMonthsOwned and validFrom, and only if on that day
 *   nothing else would stand (the unit not too old, the program not over, coverage in force when
 *   required); otherwise null. Always null when eligible.
 * Every expected date below is worked out by hand, never by the code under test.
 */

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

/**
 * The standard program: FRIDGE units owned 6 to 36 months, no coverage needed, running from
 * 2020-01-01 with no end.
 */
function program(overrides: Partial<ProgramTerms> = {}): ProgramTerms {
  return {
    eligibleCategories: ['FRIDGE'],
    minMonthsOwned: 6,
    maxUnitAgeMonths: 36,
    requiresActiveCoverage: false,
    validFrom: '2020-01-01',
    validUntil: null,
    ...overrides,
  };
}

/**
 * The standard unit: an ACTIVE FRIDGE bought 2024-03-15, nothing open, always covered.
 * With the standard program it is eligible from 2024-09-15 (+ 6 months) through 2027-03-15
 * (+ 36 months).
 */
function unit(overrides: Partial<UnitUpgradeFacts> = {}): UnitUpgradeFacts {
  return {
    status: 'ACTIVE',
    category: 'FRIDGE',
    purchaseDate: '2024-03-15',
    hasOpenRepairOrReturn: false,
    coveredOn: () => true,
    ...overrides,
  };
}

/** Coverage in force from `from` through `until`, both inclusive (ISO dates compare as strings). */
const coveredBetween = (from: string, until: string) => (date: string) => date >= from && date <= until;

/** A day well inside the standard window: owned 14½ months, 21½ months before too old. */
const MID = '2025-06-01';

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

interface Expected {
  eligible: boolean;
  reasons: IneligibleReason[];
  eligibleFrom: string | null;
}

interface Case {
  name: string;
  program: ProgramTerms;
  unit: UnitUpgradeFacts;
  asOf: string;
  expected: Expected;
}

const ELIGIBLE: Expected = { eligible: true, reasons: [], eligibleFrom: null };
const notEligible = (reasons: IneligibleReason[], eligibleFrom: string | null = null): Expected => ({
  eligible: false,
  reasons,
  eligibleFrom,
});

const NON_ACTIVE_STATUSES: UnitStatus[] = ['RETURNED', 'REPLACED', 'TRADED_IN', 'SCRAPPED'];

const singleReasonCases: Case[] = [
  {
    name: 'baseline: an ACTIVE FRIDGE bought 2024-03-15, on 2025-06-01, under the standard program is eligible with no eligibleFrom',
    program: program(),
    unit: unit(),
    asOf: MID,
    expected: ELIGIBLE,
  },
  ...NON_ACTIVE_STATUSES.map((status): Case => ({
    name: `UNIT_NOT_ACTIVE: a ${status} unit is not eligible, and no date will make it so (eligibleFrom null)`,
    program: program(),
    unit: unit({ status }),
    asOf: MID,
    expected: notEligible(['UNIT_NOT_ACTIVE']),
  })),
  {
    name: 'CATEGORY_NOT_ELIGIBLE: a TV under a FRIDGE-only program',
    program: program(),
    unit: unit({ category: 'TV' }),
    asOf: MID,
    expected: notEligible(['CATEGORY_NOT_ELIGIBLE']),
  },
  {
    name: 'CATEGORY_NOT_ELIGIBLE: the category must be listed exactly ("fridge" is not "FRIDGE")',
    program: program(),
    unit: unit({ category: 'fridge' }),
    asOf: MID,
    expected: notEligible(['CATEGORY_NOT_ELIGIBLE']),
  },
  {
    name: 'category: any listed category qualifies (a TV under a FRIDGE + TV program)',
    program: program({ eligibleCategories: ['FRIDGE', 'TV'] }),
    unit: unit({ category: 'TV' }),
    asOf: MID,
    expected: ELIGIBLE,
  },
  {
    name: 'OWNED_TOO_SHORT: bought 2024-03-15, on 2024-06-01 owned under 6 months; eligible from 2024-03-15 + 6 = 2024-09-15',
    program: program(),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
  },
  {
    name: 'UNIT_TOO_OLD: bought 2024-03-15, on 2027-06-01 older than 36 months (2027-03-15); no eligibleFrom',
    program: program(),
    unit: unit(),
    asOf: '2027-06-01',
    expected: notEligible(['UNIT_TOO_OLD']),
  },
  {
    name: 'no age limit: maxUnitAgeMonths null keeps a unit bought 2024-03-15 eligible on 2040-01-01',
    program: program({ maxUnitAgeMonths: null }),
    unit: unit(),
    asOf: '2040-01-01',
    expected: ELIGIBLE,
  },
  {
    name: 'NO_ACTIVE_COVERAGE: with requiresActiveCoverage, a unit with no coverage in force on D',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: () => false }),
    asOf: MID,
    expected: notEligible(['NO_ACTIVE_COVERAGE']),
  },
  {
    name: 'NO_ACTIVE_COVERAGE only when required: without requiresActiveCoverage an uncovered unit is eligible',
    program: program({ requiresActiveCoverage: false }),
    unit: unit({ coveredOn: () => false }),
    asOf: MID,
    expected: ELIGIBLE,
  },
  {
    name: 'coverage is asked for D itself: covered 2024-03-15 through 2026-03-14, on 2025-06-01 it is in force',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2026-03-14') }),
    asOf: MID,
    expected: ELIGIBLE,
  },
  {
    name: 'coverage is asked for D itself: covered through 2026-03-14, on 2026-03-15 it has ended (NO_ACTIVE_COVERAGE)',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2026-03-14') }),
    asOf: '2026-03-15',
    expected: notEligible(['NO_ACTIVE_COVERAGE']),
  },
  {
    name: 'OPEN_REPAIR_OR_RETURN: a unit with an open repair ticket or return; no eligibleFrom (not a matter of time)',
    program: program(),
    unit: unit({ hasOpenRepairOrReturn: true }),
    asOf: MID,
    expected: notEligible(['OPEN_REPAIR_OR_RETURN']),
  },
  {
    name: 'PROGRAM_NOT_ACTIVE before validFrom: a program from 2025-07-01, on 2025-06-01; eligible from validFrom 2025-07-01',
    program: program({ validFrom: '2025-07-01' }),
    unit: unit(),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE'], '2025-07-01'),
  },
  {
    name: 'PROGRAM_NOT_ACTIVE after validUntil: a program that ended 2025-05-31, on 2025-06-01; no eligibleFrom (it will not run again)',
    program: program({ validUntil: '2025-05-31' }),
    unit: unit(),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE']),
  },
];

const severalReasonCases: Case[] = [
  {
    name: 'several: RETURNED, a TV, with an open return, owned too short, program not started: all five listed, in the enum order, no eligibleFrom',
    program: program({ validFrom: '2024-12-01' }),
    unit: unit({ status: 'RETURNED', category: 'TV', hasOpenRepairOrReturn: true }),
    asOf: '2024-06-01',
    expected: notEligible([
      'UNIT_NOT_ACTIVE',
      'CATEGORY_NOT_ELIGIBLE',
      'OWNED_TOO_SHORT',
      'OPEN_REPAIR_OR_RETURN',
      'PROGRAM_NOT_ACTIVE',
    ]),
  },
  {
    name: 'several: too old and uncovered (coverage ended 2026-03-14) on 2027-06-01 under a program that ended 2026-12-31',
    program: program({ requiresActiveCoverage: true, validUntil: '2026-12-31' }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2026-03-14') }),
    asOf: '2027-06-01',
    expected: notEligible(['UNIT_TOO_OLD', 'NO_ACTIVE_COVERAGE', 'PROGRAM_NOT_ACTIVE']),
  },
  {
    name: 'several: all seven at once (terms the API refuses: maxUnitAgeMonths 3 below minMonthsOwned 6), on 2024-07-01: owned < 2024-09-15 and older than 2024-06-15',
    program: program({
      minMonthsOwned: 6,
      maxUnitAgeMonths: 3,
      requiresActiveCoverage: true,
      validUntil: '2024-06-30',
    }),
    unit: unit({ status: 'SCRAPPED', category: 'TV', hasOpenRepairOrReturn: true, coveredOn: () => false }),
    asOf: '2024-07-01',
    expected: notEligible([...INELIGIBLE_REASONS]),
  },
  {
    name: "several: the order is the enum's whatever the facts: open work and category come out CATEGORY_NOT_ELIGIBLE, OPEN_REPAIR_OR_RETURN",
    program: program(),
    unit: unit({ hasOpenRepairOrReturn: true, category: 'WASHER' }),
    asOf: MID,
    expected: notEligible(['CATEGORY_NOT_ELIGIBLE', 'OPEN_REPAIR_OR_RETURN']),
  },
];

const edgeCases: Case[] = [
  {
    name: 'edge: on purchase + minMonthsOwned exactly (2024-03-15 + 6 = 2024-09-15) the unit is eligible',
    program: program(),
    unit: unit(),
    asOf: '2024-09-15',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: the day before (2024-09-14) it is OWNED_TOO_SHORT, eligible from 2024-09-15',
    program: program(),
    unit: unit(),
    asOf: '2024-09-14',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
  },
  {
    name: 'edge: on purchase + maxUnitAgeMonths exactly (2024-03-15 + 36 = 2027-03-15) the unit is still eligible',
    program: program(),
    unit: unit(),
    asOf: '2027-03-15',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: the day after (2027-03-16) it is UNIT_TOO_OLD',
    program: program(),
    unit: unit(),
    asOf: '2027-03-16',
    expected: notEligible(['UNIT_TOO_OLD']),
  },
  {
    name: 'edge: validFrom is inclusive: a program from 2025-06-01 runs on 2025-06-01',
    program: program({ validFrom: '2025-06-01' }),
    unit: unit(),
    asOf: '2025-06-01',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: the day before validFrom (2025-05-31) it is PROGRAM_NOT_ACTIVE, eligible from 2025-06-01',
    program: program({ validFrom: '2025-06-01' }),
    unit: unit(),
    asOf: '2025-05-31',
    expected: notEligible(['PROGRAM_NOT_ACTIVE'], '2025-06-01'),
  },
  {
    name: 'edge: validUntil is inclusive: a program until 2025-06-01 runs on 2025-06-01',
    program: program({ validUntil: '2025-06-01' }),
    unit: unit(),
    asOf: '2025-06-01',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: the day after validUntil (2025-06-02) it is PROGRAM_NOT_ACTIVE with no eligibleFrom',
    program: program({ validUntil: '2025-06-01' }),
    unit: unit(),
    asOf: '2025-06-02',
    expected: notEligible(['PROGRAM_NOT_ACTIVE']),
  },
  {
    name: 'edge: a one-day program (validFrom = validUntil = 2025-06-01) runs on that day',
    program: program({ validFrom: '2025-06-01', validUntil: '2025-06-01' }),
    unit: unit(),
    asOf: '2025-06-01',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: minMonthsOwned 0 makes the purchase day itself eligible',
    program: program({ minMonthsOwned: 0 }),
    unit: unit(),
    asOf: '2024-03-15',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: minMonthsOwned 0, a day before the purchase (2024-03-14) is OWNED_TOO_SHORT, eligible from the purchase date',
    program: program({ minMonthsOwned: 0 }),
    unit: unit(),
    asOf: '2024-03-14',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-03-15'),
  },
  {
    name: 'edge: maxUnitAgeMonths equal to minMonthsOwned (6 and 6) leaves exactly one eligible day, 2024-09-15',
    program: program({ minMonthsOwned: 6, maxUnitAgeMonths: 6 }),
    unit: unit(),
    asOf: '2024-09-15',
    expected: ELIGIBLE,
  },
  {
    name: 'edge: maxUnitAgeMonths equal to minMonthsOwned (6 and 6): the day after, 2024-09-16, is UNIT_TOO_OLD',
    program: program({ minMonthsOwned: 6, maxUnitAgeMonths: 6 }),
    unit: unit(),
    asOf: '2024-09-16',
    expected: notEligible(['UNIT_TOO_OLD']),
  },
];

const monthEndCases: Case[] = [
  {
    name: 'months: 2024-01-31 + 1 month = 2024-02-29 (leap year, clamped): eligible on 2024-02-29',
    program: program({ minMonthsOwned: 1 }),
    unit: unit({ purchaseDate: '2024-01-31' }),
    asOf: '2024-02-29',
    expected: ELIGIBLE,
  },
  {
    name: 'months: 2024-01-31 + 1 month = 2024-02-29: on 2024-02-28 owned too short, eligible from 2024-02-29',
    program: program({ minMonthsOwned: 1 }),
    unit: unit({ purchaseDate: '2024-01-31' }),
    asOf: '2024-02-28',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-02-29'),
  },
  {
    name: 'months: 2023-01-31 + 1 month = 2023-02-28 (not a leap year): eligible on 2023-02-28',
    program: program({ minMonthsOwned: 1 }),
    unit: unit({ purchaseDate: '2023-01-31' }),
    asOf: '2023-02-28',
    expected: ELIGIBLE,
  },
  {
    name: 'months: 2023-01-31 + 1 month = 2023-02-28: on 2023-02-27 owned too short, eligible from 2023-02-28 (not 2023-03-03)',
    program: program({ minMonthsOwned: 1 }),
    unit: unit({ purchaseDate: '2023-01-31' }),
    asOf: '2023-02-27',
    expected: notEligible(['OWNED_TOO_SHORT'], '2023-02-28'),
  },
  {
    name: 'months: 2024-02-29 + 12 months = 2025-02-28: on 2025-02-27 owned too short, eligible from 2025-02-28',
    program: program({ minMonthsOwned: 12 }),
    unit: unit({ purchaseDate: '2024-02-29' }),
    asOf: '2025-02-27',
    expected: notEligible(['OWNED_TOO_SHORT'], '2025-02-28'),
  },
  {
    name: 'months: 2024-02-29 + 12 months = 2025-02-28: eligible on 2025-02-28',
    program: program({ minMonthsOwned: 12 }),
    unit: unit({ purchaseDate: '2024-02-29' }),
    asOf: '2025-02-28',
    expected: ELIGIBLE,
  },
  {
    name: 'months: 2026-08-31 + 6 months = 2027-02-28: on 2026-11-30 owned too short, eligible from 2027-02-28',
    program: program(),
    unit: unit({ purchaseDate: '2026-08-31' }),
    asOf: '2026-11-30',
    expected: notEligible(['OWNED_TOO_SHORT'], '2027-02-28'),
  },
  {
    name: 'months: 2026-08-31 + 6 months = 2027-02-28: eligible on 2027-02-28',
    program: program(),
    unit: unit({ purchaseDate: '2026-08-31' }),
    asOf: '2027-02-28',
    expected: ELIGIBLE,
  },
  {
    name: 'months: 2023-08-31 + 6 months = 2024-02-29 (leap year): on 2024-02-28 owned too short, eligible from 2024-02-29',
    program: program(),
    unit: unit({ purchaseDate: '2023-08-31' }),
    asOf: '2024-02-28',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-02-29'),
  },
  {
    name: 'months: 2024-03-31 + 1 month = 2024-04-30 (a 30-day month): eligible on 2024-04-30',
    program: program({ minMonthsOwned: 1 }),
    unit: unit({ purchaseDate: '2024-03-31' }),
    asOf: '2024-04-30',
    expected: ELIGIBLE,
  },
  {
    name: 'months, age limit: 2024-01-31 + 1 month = 2024-02-29 is the last eligible day (max 1 month)',
    program: program({ minMonthsOwned: 0, maxUnitAgeMonths: 1 }),
    unit: unit({ purchaseDate: '2024-01-31' }),
    asOf: '2024-02-29',
    expected: ELIGIBLE,
  },
  {
    name: 'months, age limit: 2024-01-31 + 1 month = 2024-02-29, so 2024-03-01 is UNIT_TOO_OLD (not a 31-day month)',
    program: program({ minMonthsOwned: 0, maxUnitAgeMonths: 1 }),
    unit: unit({ purchaseDate: '2024-01-31' }),
    asOf: '2024-03-01',
    expected: notEligible(['UNIT_TOO_OLD']),
  },
  {
    name: 'months, age limit: 2024-02-29 + 12 months = 2025-02-28 is the last eligible day; 2025-03-01 is UNIT_TOO_OLD',
    program: program({ minMonthsOwned: 0, maxUnitAgeMonths: 12 }),
    unit: unit({ purchaseDate: '2024-02-29' }),
    asOf: '2025-03-01',
    expected: notEligible(['UNIT_TOO_OLD']),
  },
  {
    name: 'months, across a year: 2024-11-30 + 3 months = 2025-02-28: on 2025-02-27 owned too short, eligible from 2025-02-28',
    program: program({ minMonthsOwned: 3 }),
    unit: unit({ purchaseDate: '2024-11-30' }),
    asOf: '2025-02-27',
    expected: notEligible(['OWNED_TOO_SHORT'], '2025-02-28'),
  },
];

const eligibleFromCases: Case[] = [
  {
    name: 'eligibleFrom: owned too short and the program not started, validFrom later: 2024-12-01 (after 2024-09-15)',
    program: program({ validFrom: '2024-12-01' }),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT', 'PROGRAM_NOT_ACTIVE'], '2024-12-01'),
  },
  {
    name: 'eligibleFrom: owned too short and the program not started, ownership later: 2024-09-15 (after validFrom 2024-07-01)',
    program: program({ validFrom: '2024-07-01' }),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT', 'PROGRAM_NOT_ACTIVE'], '2024-09-15'),
  },
  {
    name: 'eligibleFrom: owned too short and the program not started, both on the same day 2024-09-15',
    program: program({ validFrom: '2024-09-15' }),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT', 'PROGRAM_NOT_ACTIVE'], '2024-09-15'),
  },
  {
    name: 'eligibleFrom: a program that has not started yet when the unit is already owned long enough: validFrom',
    program: program({ validFrom: '2026-01-01' }),
    unit: unit(),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE'], '2026-01-01'),
  },
  {
    name: 'eligibleFrom null: owned too short, but the category is not eligible',
    program: program(),
    unit: unit({ category: 'TV' }),
    asOf: '2024-06-01',
    expected: notEligible(['CATEGORY_NOT_ELIGIBLE', 'OWNED_TOO_SHORT']),
  },
  {
    name: 'eligibleFrom null: owned too short, but an open repair or return stands',
    program: program(),
    unit: unit({ hasOpenRepairOrReturn: true }),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT', 'OPEN_REPAIR_OR_RETURN']),
  },
  {
    name: 'eligibleFrom null: owned too short, but the unit is not ACTIVE (RETURNED)',
    program: program(),
    unit: unit({ status: 'RETURNED' }),
    asOf: '2024-06-01',
    expected: notEligible(['UNIT_NOT_ACTIVE', 'OWNED_TOO_SHORT']),
  },
  {
    name: 'eligibleFrom null: a program not started yet, but the unit is TRADED_IN',
    program: program({ validFrom: '2026-01-01' }),
    unit: unit({ status: 'TRADED_IN' }),
    asOf: MID,
    expected: notEligible(['UNIT_NOT_ACTIVE', 'PROGRAM_NOT_ACTIVE']),
  },
  {
    name: 'eligibleFrom null: owned too short under a program that has already ended (validUntil 2024-05-31, on 2024-06-01)',
    program: program({ validUntil: '2024-05-31' }),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT', 'PROGRAM_NOT_ACTIVE']),
  },
  {
    name: 'eligibleFrom null: owned too short, and the program will be over (2024-09-01) before the unit is old enough (2024-09-15)',
    program: program({ validUntil: '2024-09-01' }),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT']),
  },
  {
    name: 'eligibleFrom: the program still runs on its last day, the day the unit becomes old enough (validUntil 2024-09-15)',
    program: program({ validUntil: '2024-09-15' }),
    unit: unit(),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
  },
  {
    name: 'eligibleFrom null: a program starting 2027-06-01, after the unit is too old (last eligible day 2027-03-15)',
    program: program({ validFrom: '2027-06-01' }),
    unit: unit(),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE']),
  },
  {
    name: "eligibleFrom: a program starting on the unit's last eligible day (2027-03-15)",
    program: program({ validFrom: '2027-03-15' }),
    unit: unit(),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE'], '2027-03-15'),
  },
  {
    name: 'eligibleFrom null: a program starting 2027-03-16, the day the unit is too old',
    program: program({ validFrom: '2027-03-16' }),
    unit: unit(),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE']),
  },
  {
    name: 'eligibleFrom null with requiresActiveCoverage: covered through 2024-09-10, so on 2024-09-15 coverage will have ended',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2024-09-10') }),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT']),
  },
  {
    name: 'eligibleFrom with requiresActiveCoverage: covered through 2026-03-14, still in force on 2024-09-15',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2026-03-14') }),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
  },
  {
    name: 'eligibleFrom with requiresActiveCoverage: coverage ending on 2024-09-15 itself is in force that day (inclusive)',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2024-09-15') }),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
  },
  {
    name: 'eligibleFrom null with requiresActiveCoverage: a program from 2026-06-01, coverage ended 2026-03-14',
    program: program({ requiresActiveCoverage: true, validFrom: '2026-06-01' }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2026-03-14') }),
    asOf: MID,
    expected: notEligible(['PROGRAM_NOT_ACTIVE']),
  },
  {
    name: 'eligibleFrom ignores coverage when not required: covered through 2024-09-10, no coverage needed, eligible from 2024-09-15',
    program: program({ requiresActiveCoverage: false }),
    unit: unit({ coveredOn: coveredBetween('2024-03-15', '2024-09-10') }),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
  },
  {
    name: 'eligibleFrom null: NO_ACTIVE_COVERAGE is not a matter of time, even with a coverage that starts before 2024-09-15',
    program: program({ requiresActiveCoverage: true }),
    unit: unit({ coveredOn: coveredBetween('2024-07-01', '2026-06-30') }),
    asOf: '2024-06-01',
    expected: notEligible(['OWNED_TOO_SHORT', 'NO_ACTIVE_COVERAGE']),
  },
  {
    name: 'eligibleFrom null: a unit too old is never eligible again, even under a program not started yet',
    program: program({ validFrom: '2028-01-01' }),
    unit: unit(),
    asOf: '2027-06-01',
    expected: notEligible(['UNIT_TOO_OLD', 'PROGRAM_NOT_ACTIVE']),
  },
];

const allCases: Case[] = [
  ...singleReasonCases,
  ...severalReasonCases,
  ...edgeCases,
  ...monthEndCases,
  ...eligibleFromCases,
];

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const TIME_REASONS: readonly IneligibleReason[] = ['OWNED_TOO_SHORT', 'PROGRAM_NOT_ACTIVE'];

/** The calendar day before an ISO date, computed here and not by src/. */
function dayBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

function runCase(c: Case): void {
  expect(upgradeVerdict(c.program, c.unit, c.asOf)).toEqual(c.expected);
}

/** When a date is given, the unit is eligible on it and not the day before (checked on the result). */
function eligibleFromIsTheFirstDay(c: Case): void {
  const { eligibleFrom } = upgradeVerdict(c.program, c.unit, c.asOf);
  if (eligibleFrom === null) return;
  expect(eligibleFrom > c.asOf).toBe(true);
  expect({ on: eligibleFrom, ...upgradeVerdict(c.program, c.unit, eligibleFrom) }).toEqual({
    on: eligibleFrom,
    ...ELIGIBLE,
  });
  const before = dayBefore(eligibleFrom);
  expect({ on: before, eligible: upgradeVerdict(c.program, c.unit, before).eligible }).toEqual({
    on: before,
    eligible: false,
  });
}

describe('upgradeVerdict (docs/rules.md "Upgrades" and "Dates and money")', () => {
  it('the hand-worked table is itself consistent: eligible ⇔ no reasons; reasons in the enum order; eligibleFrom only for time reasons', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(50);
    for (const { name, expected: e } of allCases) {
      expect({ name, eligible: e.eligible }).toEqual({ name, eligible: e.reasons.length === 0 });
      expect({ name, reasons: e.reasons }).toEqual({
        name,
        reasons: INELIGIBLE_REASONS.filter((r) => e.reasons.includes(r)),
      });
      if (e.eligibleFrom !== null)
        expect({ name, timeOnly: e.reasons.every((r) => TIME_REASONS.includes(r)) }).toEqual({ name, timeOnly: true });
    }
  });

  it("the reasons are the contract's IneligibleReason enum, in its order", () => {
    expect([...INELIGIBLE_REASONS]).toEqual([
      'UNIT_NOT_ACTIVE',
      'CATEGORY_NOT_ELIGIBLE',
      'OWNED_TOO_SHORT',
      'UNIT_TOO_OLD',
      'NO_ACTIVE_COVERAGE',
      'OPEN_REPAIR_OR_RETURN',
      'PROGRAM_NOT_ACTIVE',
    ]);
  });

  describe('each reason alone', () => {
    it.each<Case>(singleReasonCases)('$name', runCase);
  });
  describe('several reasons at once: all listed, in the enum order', () => {
    it.each<Case>(severalReasonCases)('$name', runCase);
  });
  describe("edges: minimum ownership, maximum age and the program's days are inclusive", () => {
    it.each<Case>(edgeCases)('$name', runCase);
  });
  describe("calendar months clamped to the month's last day", () => {
    it.each<Case>(monthEndCases)('$name', runCase);
  });
  describe('eligibleFrom: only when time alone stands in the way, and only if nothing else stands that day', () => {
    it.each<Case>(eligibleFromCases)('$name', runCase);
  });
  describe('eligibleFrom, when given, is the first eligible day (checked on the result)', () => {
    it.each<Case>(allCases.filter((c) => c.expected.eligibleFrom !== null))('$name', eligibleFromIsTheFirstDay);
  });

  it('coverage is asked about the candidate day: coveredOn sees asOf, then eligibleFrom', () => {
    const asked: string[] = [];
    const facts = unit({
      coveredOn: (date) => {
        asked.push(date);
        return true;
      },
    });
    expect(upgradeVerdict(program({ requiresActiveCoverage: true }), facts, '2024-06-01')).toEqual(
      notEligible(['OWNED_TOO_SHORT'], '2024-09-15'),
    );
    expect(asked).toContain('2024-06-01');
    expect(asked).toContain('2024-09-15');
  });
});
