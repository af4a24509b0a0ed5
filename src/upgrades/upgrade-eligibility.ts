import { addMonths, maxDate, type CalendarDate } from '../common/dates/calendar-date.js';
import type { UnitStatus } from '../units/unit.entity.js';

/** Why a unit may not upgrade under a program on a date (contract enum IneligibleReason). */
export const INELIGIBLE_REASONS = [
  'UNIT_NOT_ACTIVE',
  'CATEGORY_NOT_ELIGIBLE',
  'OWNED_TOO_SHORT',
  'UNIT_TOO_OLD',
  'NO_ACTIVE_COVERAGE',
  'OPEN_REPAIR_OR_RETURN',
  'PROGRAM_NOT_ACTIVE',
] as const;
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number];

export interface ProgramTerms {
  eligibleCategories: string[];
  minMonthsOwned: number;
  maxUnitAgeMonths: number | null;
  requiresActiveCoverage: boolean;
  validFrom: CalendarDate;
  validUntil: CalendarDate | null;
}

export interface UnitUpgradeFacts {
  status: UnitStatus;
  category: string;
  purchaseDate: CalendarDate;
  hasOpenRepairOrReturn: boolean;
  /** Whether some coverage is in force on a date (the warranty engine answers). */
  coveredOn: (date: CalendarDate) => boolean;
}

export interface UpgradeVerdict {
  eligible: boolean;
  reasons: IneligibleReason[];
  /** The first day the unit becomes eligible, when only time stands in the way. */
  eligibleFrom: CalendarDate | null;
}

/**
 * docs/rules.md, "Upgrades": eligible on D when the unit is ACTIVE, its category eligible, D on or
 * after purchase + minMonthsOwned months, not after purchase + maxUnitAgeMonths months, coverage in
 * force when required, no open repair or return, and the program runs on D. Every reason that
 * applies is given.
 */
export function upgradeVerdict(program: ProgramTerms, unit: UnitUpgradeFacts, asOf: CalendarDate): UpgradeVerdict {
  const reasons = reasonsOn(program, unit, asOf);
  if (reasons.length === 0) return { eligible: true, reasons, eligibleFrom: null };
  return { eligible: false, reasons, eligibleFrom: eligibleFrom(program, unit, asOf, reasons) };
}

function reasonsOn(program: ProgramTerms, unit: UnitUpgradeFacts, date: CalendarDate): IneligibleReason[] {
  const reasons = new Set<IneligibleReason>();
  if (unit.status !== 'ACTIVE') reasons.add('UNIT_NOT_ACTIVE');
  if (!program.eligibleCategories.includes(unit.category)) reasons.add('CATEGORY_NOT_ELIGIBLE');
  if (date < addMonths(unit.purchaseDate, program.minMonthsOwned)) reasons.add('OWNED_TOO_SHORT');
  if (program.maxUnitAgeMonths !== null && date > addMonths(unit.purchaseDate, program.maxUnitAgeMonths))
    reasons.add('UNIT_TOO_OLD');
  if (program.requiresActiveCoverage && !unit.coveredOn(date)) reasons.add('NO_ACTIVE_COVERAGE');
  if (unit.hasOpenRepairOrReturn) reasons.add('OPEN_REPAIR_OR_RETURN');
  if (date < program.validFrom || (program.validUntil !== null && date > program.validUntil))
    reasons.add('PROGRAM_NOT_ACTIVE');
  return INELIGIBLE_REASONS.filter((r) => reasons.has(r));
}

/**
 * When only time stands in the way (owned too short, or the program not started yet): the first
 * day both have passed, if the unit is eligible that day in every other respect too (not too
 * old, the program not over, coverage still in force when required). Otherwise null.
 */
function eligibleFrom(
  program: ProgramTerms,
  unit: UnitUpgradeFacts,
  asOf: CalendarDate,
  reasons: IneligibleReason[],
): CalendarDate | null {
  const programNotStarted = asOf < program.validFrom;
  const onlyTime = reasons.every((r) => r === 'OWNED_TOO_SHORT' || (r === 'PROGRAM_NOT_ACTIVE' && programNotStarted));
  if (!onlyTime) return null;
  const day = maxDate(addMonths(unit.purchaseDate, program.minMonthsOwned), program.validFrom);
  return reasonsOn(program, unit, day).length === 0 ? day : null;
}
