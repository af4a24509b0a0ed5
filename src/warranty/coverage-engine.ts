import { addDays, maxDate, type CalendarDate } from '../common/dates/calendar-date.js';
import type { MoneyType } from '../common/money/money.types.js';
import type { CoverageType, FailureCategory, WarrantyTerms } from '../products/warranty-terms.js';
import { baseWarrantyPeriod, registeredInTime, type UnitDates } from './coverage-periods.js';

/**
 * The coverage engine (docs/rules.md, "Coverage"): pure functions from the facts of one unit to the
 * answer "is it covered on this date for this failure, and by what?". No database, no clock:
 * the caller loads the facts (a constant number of queries for any number of units) and passes D.
 */
export const COVERAGE_SOURCES = ['BASE_WARRANTY', 'SERVICE_PLAN', 'REPAIR_WARRANTY', 'REPLACEMENT_CARRYOVER'] as const;
export type CoverageSource = (typeof COVERAGE_SOURCES)[number];

export const NOT_COVERED_REASONS = [
  'UNIT_NOT_FOUND',
  'UNIT_NOT_ACTIVE',
  'NOT_REGISTERED_IN_TIME',
  'EXPIRED',
  'NOT_YET_STARTED',
  'FAILURE_EXCLUDED',
  'CLAIM_LIMIT_REACHED',
] as const;
export type NotCoveredReason = (typeof NOT_COVERED_REASONS)[number];

/** One coverage a unit has or had, before it is checked against a date and a failure. */
export interface CoverageCandidate {
  /** Identifies the coverage for claim counting: "base", "plan:<id>", "repair:<ticket id>", "carryover". */
  key: string;
  source: CoverageSource;
  name: string;
  startsAt: CalendarDate;
  endsAt: CalendarDate;
  coverageTypes: CoverageType[];
  excludedFailures: FailureCategory[];
  maxClaims: number | null;
  deductible: MoneyType | null;
  /** Repair warranty: only the repaired failure category is covered. */
  onlyFailure?: FailureCategory;
}

/** A service plan attached to the unit, its period worked out when it was attached. */
export interface AttachedPlanFacts extends Pick<
  CoverageCandidate,
  'name' | 'startsAt' | 'endsAt' | 'coverageTypes' | 'excludedFailures' | 'maxClaims' | 'deductible'
> {
  servicePlanId: string;
}

export interface RepairWarrantyFacts {
  ticketId: string;
  ticketNumber: string;
  closedOn: CalendarDate;
  failureCategory: FailureCategory;
}

/** The defective unit this one replaced, for the replacement carry-over (rule 4). */
export interface ReplacedUnitFacts extends UnitDates {
  terms: WarrantyTerms;
  handedOverOn: CalendarDate;
}

export interface UnitCoverageFacts extends UnitDates {
  status: string;
  terms: WarrantyTerms;
  plans: AttachedPlanFacts[];
  repairs: RepairWarrantyFacts[];
  replacementOf: ReplacedUnitFacts | null;
  /** Claims neither REJECTED nor CANCELLED, per coverage key. */
  claimsByCoverage: Record<string, number>;
}

export interface CoverageInForce extends CoverageCandidate {
  remainingClaims: number | null;
}

export interface CoverageVerdict {
  covered: boolean;
  asOf: CalendarDate;
  coverages: CoverageInForce[];
  reasons: NotCoveredReason[];
  coveredUntil: CalendarDate | null;
}

const SOURCE_ORDER: Record<CoverageSource, number> = {
  BASE_WARRANTY: 0,
  REPAIR_WARRANTY: 1,
  REPLACEMENT_CARRYOVER: 2,
  SERVICE_PLAN: 3,
};

/** Rule 4: a replacement is covered from hand-over until the later of the original's base end and hand-over + 89 days. */
export function carryOverPeriod(original: ReplacedUnitFacts): { startsAt: CalendarDate; endsAt: CalendarDate } {
  const originalBaseEnd = baseWarrantyPeriod(original, original.terms).endsAt;
  return { startsAt: original.handedOverOn, endsAt: maxDate(originalBaseEnd, addDays(original.handedOverOn, 89)) };
}

/**
 * Every coverage the unit has or had, manufacturer coverages (base, repair, carry-over) before
 * service plans. A base warranty registered too late is not among them: it never applied.
 */
export function coverageCandidates(unit: UnitCoverageFacts): {
  candidates: CoverageCandidate[];
  registeredLate: boolean;
} {
  // a replacement is covered by the carry-over (rule 4), not by a base warranty of its own
  const replacement = unit.replacementOf !== null;
  const registeredLate = !replacement && !registeredInTime(unit, unit.terms);
  const candidates: CoverageCandidate[] = [
    ...(registeredLate || replacement ? [] : [baseWarrantyCandidate(unit)]),
    ...repairWarrantyCandidates(unit),
    ...(unit.replacementOf ? [carryOverCandidate(unit.replacementOf)] : []),
    ...unit.plans.map(servicePlanCandidate),
  ];
  candidates.sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);
  // a zero-length coverage (a 0-month warranty) never covered a day: it is not one the unit had
  return { candidates: candidates.filter((c) => c.startsAt <= c.endsAt), registeredLate };
}

/** Rule 1: the manufacturer's warranty, on the product's terms. */
function baseWarrantyCandidate(unit: UnitCoverageFacts): CoverageCandidate {
  return {
    key: 'base',
    source: 'BASE_WARRANTY',
    name: `Manufacturer warranty (${unit.terms.durationMonths} months)`,
    ...baseWarrantyPeriod(unit, unit.terms),
    coverageTypes: unit.terms.coverageTypes,
    excludedFailures: unit.terms.excludedFailures,
    maxClaims: unit.terms.maxClaims,
    deductible: null,
  };
}

/** Rule 3: each closed repair covers the repaired failure for the terms' repair warranty days (none when 0). */
function repairWarrantyCandidates(unit: UnitCoverageFacts): CoverageCandidate[] {
  const days = unit.terms.repairWarrantyDays;
  if (days <= 0) return [];
  return unit.repairs.map((repair) => ({
    key: `repair:${repair.ticketId}`,
    source: 'REPAIR_WARRANTY',
    name: `Repair warranty (ticket ${repair.ticketNumber})`,
    startsAt: repair.closedOn,
    endsAt: addDays(repair.closedOn, days - 1),
    coverageTypes: ['PARTS', 'LABOR'],
    excludedFailures: [],
    maxClaims: null,
    deductible: null,
    onlyFailure: repair.failureCategory,
  }));
}

/** Rule 4: the replacement carries over the original's coverage, on the original's terms. */
function carryOverCandidate(original: ReplacedUnitFacts): CoverageCandidate {
  return {
    key: 'carryover',
    source: 'REPLACEMENT_CARRYOVER',
    name: 'Replacement carry-over',
    ...carryOverPeriod(original),
    coverageTypes: original.terms.coverageTypes,
    excludedFailures: original.terms.excludedFailures,
    maxClaims: null,
    deductible: null,
  };
}

/** Rule 2: an attached service plan, its period worked out when it was attached. */
function servicePlanCandidate(plan: AttachedPlanFacts): CoverageCandidate {
  return {
    key: `plan:${plan.servicePlanId}`,
    source: 'SERVICE_PLAN',
    name: plan.name,
    startsAt: plan.startsAt,
    endsAt: plan.endsAt,
    coverageTypes: plan.coverageTypes,
    excludedFailures: plan.excludedFailures,
    maxClaims: plan.maxClaims,
    deductible: plan.deductible,
  };
}

/** Whether a coverage's terms cover failure F (no F: any coverage counts): exclusions, then damage or parts and labor. */
export function coversFailure(
  coverage: Pick<CoverageCandidate, 'coverageTypes' | 'excludedFailures' | 'onlyFailure'>,
  failure: FailureCategory | null,
): boolean {
  if (failure === null) return true;
  if (coverage.onlyFailure && coverage.onlyFailure !== failure) return false;
  if (coverage.excludedFailures.includes(failure)) return false;
  if (failure === 'ACCIDENTAL_DAMAGE' || failure === 'LIQUID_DAMAGE')
    return coverage.coverageTypes.includes('ACCIDENTAL_DAMAGE');
  return coverage.coverageTypes.includes('PARTS') || coverage.coverageTypes.includes('LABOR');
}

/** The answer for one unit on date D for failure F, with every reason when it is not covered. */
export function checkCoverage(
  unit: UnitCoverageFacts,
  asOf: CalendarDate,
  failure: FailureCategory | null,
): CoverageVerdict {
  const { candidates, registeredLate } = coverageCandidates(unit);
  const reasons = new Set<NotCoveredReason>();
  if (registeredLate) reasons.add('NOT_REGISTERED_IN_TIME');
  if (unit.status !== 'ACTIVE') reasons.add('UNIT_NOT_ACTIVE');
  const coverages: CoverageInForce[] = [];
  for (const candidate of candidates) {
    const used = unit.claimsByCoverage[candidate.key] ?? 0;
    const remainingClaims = candidate.maxClaims === null ? null : Math.max(candidate.maxClaims - used, 0);
    const whyNot = whyNotInForce(candidate, asOf, failure, remainingClaims);
    whyNot.forEach((reason) => reasons.add(reason));
    if (whyNot.length === 0) coverages.push({ ...candidate, remainingClaims });
  }
  // no coverage at all (a zero-month warranty, say) has simply run out
  if (candidates.length === 0 && !registeredLate) reasons.add('EXPIRED');
  const covered = unit.status === 'ACTIVE' && coverages.length > 0;
  return {
    covered,
    asOf,
    coverages: unit.status === 'ACTIVE' ? coverages : [],
    reasons: covered ? [] : NOT_COVERED_REASONS.filter((r) => reasons.has(r)),
    coveredUntil: lastCoveredDay(candidates),
  };
}

/** Why a coverage does not cover failure F on date D: its period, its terms, its claim limit; none when it does. */
function whyNotInForce(
  candidate: CoverageCandidate,
  asOf: CalendarDate,
  failure: FailureCategory | null,
  remainingClaims: number | null,
): NotCoveredReason[] {
  const reasons: NotCoveredReason[] = [];
  if (asOf < candidate.startsAt) reasons.push('NOT_YET_STARTED');
  else if (asOf > candidate.endsAt) reasons.push('EXPIRED');
  if (!coversFailure(candidate, failure)) reasons.push('FAILURE_EXCLUDED');
  if (remainingClaims === 0) reasons.push('CLAIM_LIMIT_REACHED');
  return reasons;
}

/** The last day of any coverage the unit has or had. */
function lastCoveredDay(candidates: CoverageCandidate[]): CalendarDate | null {
  return candidates.reduce<CalendarDate | null>(
    (last, c) => (last === null || c.endsAt > last ? c.endsAt : last),
    null,
  );
}

/** The answer when no unit has the serial number (or the caller gave an ambiguous one). */
export function unitNotFoundVerdict(asOf: CalendarDate): CoverageVerdict {
  return { covered: false, asOf, coverages: [], reasons: ['UNIT_NOT_FOUND'], coveredUntil: null };
}
