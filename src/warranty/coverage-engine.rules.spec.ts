import type { WarrantyTerms } from '../products/warranty-terms.js';
import { carryOverPeriod, checkCoverage, coversFailure, unitNotFoundVerdict, type UnitCoverageFacts } from './coverage-engine.js';

/** DOMAIN.md's coverage rules, one case each. Expected dates are worked out by hand from the rules. */
const TERMS: WarrantyTerms = {
  durationMonths: 24, startsFrom: 'PURCHASE_DATE', coverageTypes: ['PARTS', 'LABOR'], excludedFailures: [], transferable: true,
  registrationRequiredWithinDays: null, maxClaims: null, repairWarrantyDays: 90,
};

function unit(overrides: Partial<UnitCoverageFacts> = {}, terms: Partial<WarrantyTerms> = {}): UnitCoverageFacts {
  return {
    status: 'ACTIVE', purchaseDate: '2024-01-31', deliveryDate: null, registeredAt: new Date('2024-02-01T12:00:00Z'),
    terms: { ...TERMS, ...terms }, plans: [], repairs: [], replacementOf: null, claimsByCoverage: {}, ...overrides,
  };
}

type PlanFacts = UnitCoverageFacts['plans'][number];
const plan = (overrides: Partial<PlanFacts> = {}): PlanFacts => ({
  servicePlanId: 'p1', name: 'Care', startsAt: '2026-01-31', endsAt: '2029-01-30', coverageTypes: ['PARTS', 'LABOR'],
  excludedFailures: [], maxClaims: null, deductible: null, ...overrides,
});

type Case = [name: string, facts: UnitCoverageFacts, asOf: string, failure: string | null, covered: boolean, reasons: string[], sources?: string[]];

const cases: Case[] = [
  ['rule 1: a 24-month warranty bought 2024-01-31 covers its last day, 2026-01-30', unit(), '2026-01-30', 'ELECTRICAL', true, [], ['BASE_WARRANTY']],
  ['rule 1: ... and is EXPIRED the day after, 2026-01-31', unit(), '2026-01-31', 'ELECTRICAL', false, ['EXPIRED']],
  ['rule 1: covered on the purchase day itself', unit(), '2024-01-31', 'ELECTRICAL', true, []],
  ['rule 1: NOT_YET_STARTED the day before purchase', unit(), '2024-01-30', 'ELECTRICAL', false, ['NOT_YET_STARTED']],
  ['rule 1: 31 January + 1 month ends 28 February in a common year (1-month warranty from 2023-01-31 ends 2023-02-27)', unit({ purchaseDate: '2023-01-31' }, { durationMonths: 1 }), '2023-02-27', null, true, []],
  ['rule 1: ... and 2023-02-28 is already EXPIRED', unit({ purchaseDate: '2023-01-31' }, { durationMonths: 1 }), '2023-02-28', null, false, ['EXPIRED']],
  ['rule 1: 31 January + 1 month is 29 February in a leap year, so the last day is 2024-02-28', unit({ purchaseDate: '2024-01-31' }, { durationMonths: 1 }), '2024-02-28', null, true, []],
  ['rule 1: ... and 2024-02-29 is EXPIRED', unit({ purchaseDate: '2024-01-31' }, { durationMonths: 1 }), '2024-02-29', null, false, ['EXPIRED']],
  ['rule 1: from 29 February, 24 months end 2026-02-27 (2026-02-28 minus a day)', unit({ purchaseDate: '2024-02-29' }), '2026-02-27', null, true, []],
  ['rule 1: ... and 2026-02-28 is EXPIRED', unit({ purchaseDate: '2024-02-29' }), '2026-02-28', null, false, ['EXPIRED']],
  ['rule 1: DELIVERY_DATE starts at delivery: not yet started between purchase and delivery', unit({ deliveryDate: '2024-02-10' }, { startsFrom: 'DELIVERY_DATE' }), '2024-02-05', null, false, ['NOT_YET_STARTED']],
  ['rule 1: DELIVERY_DATE: the last day is delivery + 24 months − 1 day (2026-02-09)', unit({ deliveryDate: '2024-02-10' }, { startsFrom: 'DELIVERY_DATE' }), '2026-02-09', null, true, []],
  ['rule 1: DELIVERY_DATE without a delivery date counts from purchase', unit({}, { startsFrom: 'DELIVERY_DATE' }), '2026-01-31', null, false, ['EXPIRED']],
  ['rule 1: REGISTRATION_DATE counts from the UTC date of registration, also at 23:30 UTC', unit({ registeredAt: new Date('2024-03-05T23:30:00Z') }, { startsFrom: 'REGISTRATION_DATE' }), '2026-03-04', null, true, []],
  ['rule 1: REGISTRATION_DATE ... EXPIRED on 2026-03-05', unit({ registeredAt: new Date('2024-03-05T23:30:00Z') }, { startsFrom: 'REGISTRATION_DATE' }), '2026-03-05', null, false, ['EXPIRED']],
  ['rule 1: a 0-month warranty covers nothing: EXPIRED', unit({}, { durationMonths: 0 }), '2024-01-31', null, false, ['EXPIRED']],
  ['rule 1: registered exactly N days after purchase is in time', unit({ registeredAt: new Date('2024-03-01T09:00:00Z') }, { registrationRequiredWithinDays: 30 }), '2024-06-01', null, true, []],
  ['rule 1: registered one day late: NOT_REGISTERED_IN_TIME, no base warranty', unit({ registeredAt: new Date('2024-03-02T09:00:00Z') }, { registrationRequiredWithinDays: 30 }), '2024-06-01', null, false, ['NOT_REGISTERED_IN_TIME']],
  ['rule 1: registered late, a service plan still covers', unit({ registeredAt: new Date('2024-03-02T09:00:00Z'), plans: [plan({ startsAt: '2024-02-10', endsAt: '2027-02-09' })] }, { registrationRequiredWithinDays: 30 }), '2024-06-01', null, true, [], ['SERVICE_PLAN']],
  ['rule 2: a plan starting the day after the base warranty ends covers that day', unit({ plans: [plan()] }), '2026-01-31', 'ELECTRICAL', true, [], ['SERVICE_PLAN']],
  ['rule 2: while both run, the manufacturer coverage comes first', unit({ plans: [plan({ startsAt: '2024-02-15' })] }), '2025-01-01', 'ELECTRICAL', true, [], ['BASE_WARRANTY', 'SERVICE_PLAN']],
  ['rule 2: the day after the plan ends is EXPIRED', unit({ plans: [plan()] }), '2029-01-31', null, false, ['EXPIRED']],
  ['rule 3: the repair warranty covers the repaired failure from the closing date', unit({ repairs: [{ ticketId: 't1', ticketNumber: 'R-1', closedOn: '2026-03-01', failureCategory: 'DISPLAY' }] }), '2026-03-01', 'DISPLAY', true, [], ['REPAIR_WARRANTY']],
  ['rule 3: 90 days from 2026-03-01 include 2026-05-29', unit({ repairs: [{ ticketId: 't1', ticketNumber: 'R-1', closedOn: '2026-03-01', failureCategory: 'DISPLAY' }] }), '2026-05-29', 'DISPLAY', true, []],
  ['rule 3: ... and 2026-05-30 is EXPIRED', unit({ repairs: [{ ticketId: 't1', ticketNumber: 'R-1', closedOn: '2026-03-01', failureCategory: 'DISPLAY' }] }), '2026-05-30', 'DISPLAY', false, ['EXPIRED']],
  ['rule 3: another failure category is not covered by the repair warranty', unit({ repairs: [{ ticketId: 't1', ticketNumber: 'R-1', closedOn: '2026-03-01', failureCategory: 'DISPLAY' }] }), '2026-04-01', 'BATTERY', false, ['EXPIRED', 'FAILURE_EXCLUDED']],
  ['rule 3: no repair warranty when the terms give 0 days', unit({ repairs: [{ ticketId: 't1', ticketNumber: 'R-1', closedOn: '2026-03-01', failureCategory: 'DISPLAY' }] }, { repairWarrantyDays: 0 }), '2026-03-02', 'DISPLAY', false, ['EXPIRED']],
  ['rule 4: a replacement is covered from hand-over until the original base end when that is later', unit({ purchaseDate: '2024-06-01', replacementOf: { purchaseDate: '2024-01-31', deliveryDate: null, registeredAt: new Date('2024-02-01T00:00:00Z'), terms: TERMS, handedOverOn: '2024-06-01' } }, { durationMonths: 0 }), '2026-01-30', null, true, [], ['REPLACEMENT_CARRYOVER']],
  ['rule 4: ... or until hand-over + 89 days when that is later', unit({ purchaseDate: '2025-12-01', replacementOf: { purchaseDate: '2024-01-31', deliveryDate: null, registeredAt: new Date('2024-02-01T00:00:00Z'), terms: TERMS, handedOverOn: '2025-12-01' } }, { durationMonths: 0 }), '2026-02-28', null, true, []],
  ['rule 4: ... and not a day longer (2026-03-01 EXPIRED)', unit({ purchaseDate: '2025-12-01', replacementOf: { purchaseDate: '2024-01-31', deliveryDate: null, registeredAt: new Date('2024-02-01T00:00:00Z'), terms: TERMS, handedOverOn: '2025-12-01' } }, { durationMonths: 0 }), '2026-03-01', null, false, ['EXPIRED']],
  ['rule 5: an excluded failure is FAILURE_EXCLUDED', unit({}, { excludedFailures: ['COSMETIC'] }), '2025-01-01', 'COSMETIC', false, ['FAILURE_EXCLUDED']],
  ['rule 5: accidental damage needs ACCIDENTAL_DAMAGE cover', unit(), '2025-01-01', 'ACCIDENTAL_DAMAGE', false, ['FAILURE_EXCLUDED']],
  ['rule 5: liquid damage needs ACCIDENTAL_DAMAGE cover', unit(), '2025-01-01', 'LIQUID_DAMAGE', false, ['FAILURE_EXCLUDED']],
  ['rule 5: an accident plan covers liquid damage', unit({ plans: [plan({ startsAt: '2024-01-31', coverageTypes: ['ACCIDENTAL_DAMAGE'] })] }), '2025-01-01', 'LIQUID_DAMAGE', true, [], ['SERVICE_PLAN']],
  ['rule 5: a SHIPPING-only coverage does not cover an electrical failure', unit({}, { coverageTypes: ['SHIPPING'] }), '2025-01-01', 'ELECTRICAL', false, ['FAILURE_EXCLUDED']],
  ['rule 5: LABOR alone covers an electrical failure', unit({}, { coverageTypes: ['LABOR'] }), '2025-01-01', 'ELECTRICAL', true, []],
  ['rule 5: without a failure category any coverage in force counts', unit({}, { coverageTypes: ['SHIPPING'] }), '2025-01-01', null, true, []],
  ['rule 6: two of three claims used leaves the coverage in force', unit({ claimsByCoverage: { base: 2 } }, { maxClaims: 3 }), '2025-01-01', null, true, []],
  ['rule 6: three of three claims used is CLAIM_LIMIT_REACHED', unit({ claimsByCoverage: { base: 3 } }, { maxClaims: 3 }), '2025-01-01', null, false, ['CLAIM_LIMIT_REACHED']],
  ['rule 6: a used-up base warranty does not stop a plan from covering', unit({ claimsByCoverage: { base: 3 }, plans: [plan({ startsAt: '2024-02-01' })] }, { maxClaims: 3 }), '2025-01-01', null, true, [], ['SERVICE_PLAN']],
  ['rule 6: a plan with maxClaims used up', unit({ claimsByCoverage: { 'plan:p1': 1 }, plans: [plan({ maxClaims: 1 })] }), '2027-01-01', null, false, ['EXPIRED', 'CLAIM_LIMIT_REACHED']],
  ['rule 7: a RETURNED unit is not covered', unit({ status: 'RETURNED' }), '2025-01-01', null, false, ['UNIT_NOT_ACTIVE']],
  ['rule 7: a REPLACED unit is not covered', unit({ status: 'REPLACED' }), '2025-01-01', null, false, ['UNIT_NOT_ACTIVE']],
  ['rule 7: a TRADED_IN unit is not covered', unit({ status: 'TRADED_IN' }), '2025-01-01', null, false, ['UNIT_NOT_ACTIVE']],
  ['reasons: every reason that applied (base expired, plan not started)', unit({ plans: [plan({ startsAt: '2026-03-01', endsAt: '2027-02-28' })] }), '2026-02-15', null, false, ['EXPIRED', 'NOT_YET_STARTED']],
];

describe('the coverage engine (DOMAIN.md coverage rules)', () => {
  // rest parameters: some rows leave out the last column, and jest must not take it for `done`
  it.each(cases)('%s', (...row: Case) => {
    const [, facts, asOf, failure, covered, reasons, sources] = row;
    const verdict = checkCoverage(facts, asOf, failure as never);
    expect(verdict.covered).toBe(covered);
    expect(verdict.reasons).toEqual(reasons);
    expect(verdict.asOf).toBe(asOf);
    if (sources) expect(verdict.coverages.map((c) => c.source)).toEqual(sources);
  });

  it('coveredUntil is the last day of any coverage the unit has or had', () => {
    expect(checkCoverage(unit({ plans: [plan()] }), '2030-01-01', null).coveredUntil).toBe('2029-01-30');
    expect(checkCoverage(unit(), '2030-01-01', null).coveredUntil).toBe('2026-01-30');
  });

  it('a base warranty that never applied (registered late) is not in coveredUntil', () => {
    const late = unit({ registeredAt: new Date('2024-04-01T00:00:00Z') }, { registrationRequiredWithinDays: 30 });
    expect(checkCoverage(late, '2025-01-01', null).coveredUntil).toBeNull();
  });

  it('remainingClaims counts down, and is null without a limit', () => {
    expect(checkCoverage(unit({ claimsByCoverage: { base: 2 } }, { maxClaims: 3 }), '2025-01-01', null).coverages[0].remainingClaims).toBe(1);
    expect(checkCoverage(unit(), '2025-01-01', null).coverages[0].remainingClaims).toBeNull();
  });

  it('a plan keeps its deductible in the answer', () => {
    const verdict = checkCoverage(unit({ plans: [plan({ deductible: { amount: '49.00', currency: 'USD' } })] }), '2026-06-01', null);
    expect(verdict.coverages[0].deductible).toEqual({ amount: '49.00', currency: 'USD' });
  });

  it('a unit that is not ACTIVE lists no coverages but still tells coveredUntil', () => {
    const verdict = checkCoverage(unit({ status: 'SCRAPPED' }), '2025-01-01', null);
    expect(verdict).toMatchObject({ covered: false, coverages: [], coveredUntil: '2026-01-30' });
  });

  it('rule 4 arithmetic: the later of the original base end and hand-over + 89 days', () => {
    const original = { purchaseDate: '2024-01-31', deliveryDate: null, registeredAt: new Date('2024-02-01T00:00:00Z'), terms: TERMS };
    expect(carryOverPeriod({ ...original, handedOverOn: '2024-06-01' })).toEqual({ startsAt: '2024-06-01', endsAt: '2026-01-30' });
    expect(carryOverPeriod({ ...original, handedOverOn: '2026-01-01' })).toEqual({ startsAt: '2026-01-01', endsAt: '2026-03-31' });
  });

  it('rule 5 as a function: the repaired category only, exclusions, accident cover', () => {
    expect(coversFailure({ coverageTypes: ['PARTS'], excludedFailures: [], onlyFailure: 'DISPLAY' }, 'DISPLAY')).toBe(true);
    expect(coversFailure({ coverageTypes: ['PARTS'], excludedFailures: [], onlyFailure: 'DISPLAY' }, 'BATTERY')).toBe(false);
    expect(coversFailure({ coverageTypes: ['ACCIDENTAL_DAMAGE', 'PARTS'], excludedFailures: ['ACCIDENTAL_DAMAGE'] }, 'ACCIDENTAL_DAMAGE')).toBe(false);
  });

  it('an unknown serial is UNIT_NOT_FOUND with nothing else', () => {
    expect(unitNotFoundVerdict('2026-01-01')).toEqual({ covered: false, asOf: '2026-01-01', coverages: [], reasons: ['UNIT_NOT_FOUND'], coveredUntil: null });
  });
});
