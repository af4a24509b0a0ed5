import { Decimal } from 'decimal.js';
import type { Money } from '../common/money/money.js';
import type { CoverageType } from '../products/warranty-terms.js';
import {
  estimateRepair,
  type EstimateCoverage,
  type EstimatePart,
  type RepairEstimateFacts,
} from './repair-estimate.js';

/**
 * estimateRepair against docs/rules.md ("Repairs" and "Dates and money"), one rule per case:
 *   parts = Σ quantity × unit cost; labor = minutes × the center's hourly rate / 60;
 *   covered = the parts when the coverage has PARTS + the labor when it has LABOR, less any
 *   deductible (never below zero); customerPays = the rest; total = covered + customerPays.
 *   Money rounds half up to the currency's minor unit (2 for USD/EUR, 0 for JPY, 3 for BHD);
 *   amounts in different currencies are never combined.
 * Every expected amount below is worked out by hand, never by the code under test.
 */

// ---------------------------------------------------------------------------------------------
// Factories
// ---------------------------------------------------------------------------------------------

const usd = (amount: string): Money => ({ amount, currency: 'USD' });

const part = (quantity: number, unitCost: string): EstimatePart => ({ quantity, unitCost });

const coverage = (coverageTypes: CoverageType[], deductible: Money | null = null): EstimateCoverage => ({
  coverageTypes,
  deductible,
});

/**
 * The standard job: 2 × 25.00 USD of parts (50.00) and 60 minutes at 90.00 USD an hour (90.00):
 * total 140.00 USD.
 */
function job(overrides: Partial<RepairEstimateFacts> = {}): RepairEstimateFacts {
  return {
    currency: 'USD',
    parts: [part(2, '25.00')],
    laborMinutes: 60,
    laborRate: '90.00',
    coverage: coverage(['PARTS', 'LABOR']),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------------------------

interface Expected {
  parts: string;
  labor: string;
  total: string;
  covered: string;
  customerPays: string;
  deductibleApplied: string;
}

interface Case {
  name: string;
  facts: RepairEstimateFacts;
  expected: Expected;
}

const coverageCases: Case[] = [
  {
    name: 'in warranty (PARTS + LABOR, no deductible): everything covered, the customer pays 0.00',
    facts: job(),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '140.00',
      customerPays: '0.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'out of warranty (coverage null): nothing covered, the customer pays all 140.00',
    facts: job({ coverage: null }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '0.00',
      customerPays: '140.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor only covered (LABOR without PARTS): 90.00 covered, the customer pays the 50.00 of parts',
    facts: job({ coverage: coverage(['LABOR']) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '90.00',
      customerPays: '50.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'parts only covered (PARTS without LABOR): 50.00 covered, the customer pays the 90.00 of labor',
    facts: job({ coverage: coverage(['PARTS']) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '50.00',
      customerPays: '90.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'a coverage with neither PARTS nor LABOR (ON_SITE, SHIPPING) covers nothing of the estimate',
    facts: job({ coverage: coverage(['ON_SITE', 'SHIPPING']) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '0.00',
      customerPays: '140.00',
      deductibleApplied: '0.00',
    },
  },
];

const deductibleCases: Case[] = [
  {
    name: 'deductible: a plan with a 49.00 deductible covers 140.00 − 49.00 = 91.00; the customer pays the 49.00',
    facts: job({ coverage: coverage(['PARTS', 'LABOR'], usd('49.00')) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '91.00',
      customerPays: '49.00',
      deductibleApplied: '49.00',
    },
  },
  {
    name: 'deductible: PARTS only with a 20.00 deductible covers 50.00 − 20.00 = 30.00; the customer pays 90.00 + 20.00 = 110.00',
    facts: job({ coverage: coverage(['PARTS'], usd('20.00')) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '30.00',
      customerPays: '110.00',
      deductibleApplied: '20.00',
    },
  },
  {
    name: 'deductible: 49.00 above 30.00 of covered work only takes it to 0.00; the customer pays 30.00, never more than the total',
    facts: job({ parts: [part(1, '30.00')], laborMinutes: 0, coverage: coverage(['PARTS', 'LABOR'], usd('49.00')) }),
    expected: {
      parts: '30.00',
      labor: '0.00',
      total: '30.00',
      covered: '0.00',
      customerPays: '30.00',
      deductibleApplied: '30.00',
    },
  },
  {
    name: 'deductible: 50.00 above 30.00 of covered labor (30 min at 60.00) takes the covered work to 0.00; uncovered parts stay with the customer: 130.00',
    facts: job({
      parts: [part(1, '100.00')],
      laborMinutes: 30,
      laborRate: '60.00',
      coverage: coverage(['LABOR'], usd('50.00')),
    }),
    expected: {
      parts: '100.00',
      labor: '30.00',
      total: '130.00',
      covered: '0.00',
      customerPays: '130.00',
      deductibleApplied: '30.00',
    },
  },
  {
    name: 'deductible: equal to the covered work (140.00) leaves 0.00 covered',
    facts: job({ coverage: coverage(['PARTS', 'LABOR'], usd('140.00')) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '0.00',
      customerPays: '140.00',
      deductibleApplied: '140.00',
    },
  },
  {
    name: 'deductible: with nothing covered (ON_SITE only) no deductible is applied; the customer pays the total, not total + deductible',
    facts: job({ coverage: coverage(['ON_SITE'], usd('49.00')) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '0.00',
      customerPays: '140.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'currencies: a 49.00 EUR deductible on a USD repair is not subtracted (never combine currencies)',
    facts: job({ coverage: coverage(['PARTS', 'LABOR'], { amount: '49.00', currency: 'EUR' }) }),
    expected: {
      parts: '50.00',
      labor: '90.00',
      total: '140.00',
      covered: '140.00',
      customerPays: '0.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'currencies: a 5000 JPY deductible on a JPY repair of 3000 + 3750 = 6750 covers 1750',
    facts: job({
      currency: 'JPY',
      parts: [part(2, '1500')],
      laborMinutes: 45,
      laborRate: '5000',
      coverage: coverage(['PARTS', 'LABOR'], { amount: '5000', currency: 'JPY' }),
    }),
    expected: {
      parts: '3000',
      labor: '3750',
      total: '6750',
      covered: '1750',
      customerPays: '5000',
      deductibleApplied: '5000',
    },
  },
];

const laborCases: Case[] = [
  {
    name: 'labor: 50 min at 90.00 an hour = 4500 / 60 = 75.00',
    facts: job({ parts: [], laborMinutes: 50, laborRate: '90.00', coverage: null }),
    expected: {
      parts: '0.00',
      labor: '75.00',
      total: '75.00',
      covered: '0.00',
      customerPays: '75.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: 7 min at 85.00 = 595 / 60 = 9.9166… rounds half up to 9.92',
    facts: job({ parts: [], laborMinutes: 7, laborRate: '85.00', coverage: null }),
    expected: {
      parts: '0.00',
      labor: '9.92',
      total: '9.92',
      covered: '0.00',
      customerPays: '9.92',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: 1 min at 0.50 = 0.00833… rounds to 0.01',
    facts: job({ parts: [], laborMinutes: 1, laborRate: '0.50', coverage: null }),
    expected: {
      parts: '0.00',
      labor: '0.01',
      total: '0.01',
      covered: '0.00',
      customerPays: '0.01',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: half up, not half even: 1 min at 0.30 = exactly 0.005 rounds up to 0.01',
    facts: job({ parts: [], laborMinutes: 1, laborRate: '0.30', coverage: null }),
    expected: {
      parts: '0.00',
      labor: '0.01',
      total: '0.01',
      covered: '0.00',
      customerPays: '0.01',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: half up, not half even: 1 min at 1.50 = exactly 0.025 rounds up to 0.03',
    facts: job({ parts: [], laborMinutes: 1, laborRate: '1.50', coverage: null }),
    expected: {
      parts: '0.00',
      labor: '0.03',
      total: '0.03',
      covered: '0.00',
      customerPays: '0.03',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: 1 min at 0.20 = 0.00333… rounds down to 0.00',
    facts: job({ parts: [], laborMinutes: 1, laborRate: '0.20', coverage: null }),
    expected: {
      parts: '0.00',
      labor: '0.00',
      total: '0.00',
      covered: '0.00',
      customerPays: '0.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: covered labor is the rounded figure: 7 min at 85.00 under LABOR covers 9.92',
    facts: job({ parts: [], laborMinutes: 7, laborRate: '85.00', coverage: coverage(['LABOR']) }),
    expected: {
      parts: '0.00',
      labor: '9.92',
      total: '9.92',
      covered: '9.92',
      customerPays: '0.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: no hourly rate (laborRate null) means labor 0.00, whatever the minutes (120)',
    facts: job({ laborMinutes: 120, laborRate: null, coverage: null }),
    expected: {
      parts: '50.00',
      labor: '0.00',
      total: '50.00',
      covered: '0.00',
      customerPays: '50.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'labor: 0 minutes at 90.00 is 0.00',
    facts: job({ laborMinutes: 0, coverage: coverage(['LABOR']) }),
    expected: {
      parts: '50.00',
      labor: '0.00',
      total: '50.00',
      covered: '0.00',
      customerPays: '50.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'JPY (0 decimals): 7 min at 5000 = 583.33… rounds to 583',
    facts: job({ currency: 'JPY', parts: [], laborMinutes: 7, laborRate: '5000', coverage: null }),
    expected: { parts: '0', labor: '583', total: '583', covered: '0', customerPays: '583', deductibleApplied: '0' },
  },
  {
    name: 'JPY (0 decimals): 1 min at 30 = exactly 0.5 rounds half up to 1',
    facts: job({ currency: 'JPY', parts: [], laborMinutes: 1, laborRate: '30', coverage: null }),
    expected: { parts: '0', labor: '1', total: '1', covered: '0', customerPays: '1', deductibleApplied: '0' },
  },
  {
    name: 'JPY (0 decimals): in warranty, 2 × 1500 parts + 45 min at 5000 (3750) = 6750, all covered',
    facts: job({ currency: 'JPY', parts: [part(2, '1500')], laborMinutes: 45, laborRate: '5000' }),
    expected: {
      parts: '3000',
      labor: '3750',
      total: '6750',
      covered: '6750',
      customerPays: '0',
      deductibleApplied: '0',
    },
  },
  {
    name: 'BHD (3 decimals): 7 min at 85.000 = 9.91666… rounds to 9.917',
    facts: job({ currency: 'BHD', parts: [], laborMinutes: 7, laborRate: '85.000', coverage: null }),
    expected: {
      parts: '0.000',
      labor: '9.917',
      total: '9.917',
      covered: '0.000',
      customerPays: '9.917',
      deductibleApplied: '0.000',
    },
  },
];

const partsCases: Case[] = [
  {
    name: 'parts: Σ quantity × unit cost: 3 × 12.50 + 2 × 4.99 + 1 × 100.00 = 37.50 + 9.98 + 100.00 = 147.48',
    facts: job({ parts: [part(3, '12.50'), part(2, '4.99'), part(1, '100.00')], laborMinutes: 0, coverage: null }),
    expected: {
      parts: '147.48',
      labor: '0.00',
      total: '147.48',
      covered: '0.00',
      customerPays: '147.48',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'parts: under PARTS the whole sum is covered: 147.48 + 50 min at 90.00 (75.00) = 222.48, labor paid by the customer',
    facts: job({
      parts: [part(3, '12.50'), part(2, '4.99'), part(1, '100.00')],
      laborMinutes: 50,
      coverage: coverage(['PARTS']),
    }),
    expected: {
      parts: '147.48',
      labor: '75.00',
      total: '222.48',
      covered: '147.48',
      customerPays: '75.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'parts: a unit cost below the minor unit: 3 × 0.335 = 1.005 rounds half up to 1.01',
    facts: job({ parts: [part(3, '0.335')], laborMinutes: 0, coverage: null }),
    expected: {
      parts: '1.01',
      labor: '0.00',
      total: '1.01',
      covered: '0.00',
      customerPays: '1.01',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'parts: no parts is 0.00; labor alone (60 min at 90.00) makes the total',
    facts: job({ parts: [], coverage: coverage(['PARTS']) }),
    expected: {
      parts: '0.00',
      labor: '90.00',
      total: '90.00',
      covered: '0.00',
      customerPays: '90.00',
      deductibleApplied: '0.00',
    },
  },
  {
    name: 'EUR (2 decimals): 4 × 19.99 = 79.96 parts + 7 min at 85.00 (9.92) = 89.88, in warranty',
    facts: job({ currency: 'EUR', parts: [part(4, '19.99')], laborMinutes: 7, laborRate: '85.00' }),
    expected: {
      parts: '79.96',
      labor: '9.92',
      total: '89.88',
      covered: '89.88',
      customerPays: '0.00',
      deductibleApplied: '0.00',
    },
  },
];

const allCases: Case[] = [...coverageCases, ...deductibleCases, ...laborCases, ...partsCases];

const FIELDS = ['parts', 'labor', 'total', 'covered', 'customerPays', 'deductibleApplied'] as const;

function runCase(c: Case): void {
  const result = estimateRepair(c.facts);
  for (const field of FIELDS)
    expect({ field, ...result[field] }).toEqual({ field, amount: c.expected[field], currency: c.facts.currency });
}

/** The figures always add up, whatever the case: checked on the result, not on the table. */
function addsUp(c: Case): void {
  const r = estimateRepair(c.facts);
  const d = (m: Money) => new Decimal(m.amount);
  expect(d(r.covered).plus(d(r.customerPays)).equals(d(r.total))).toBe(true);
  expect(d(r.parts).plus(d(r.labor)).equals(d(r.total))).toBe(true);
  expect(d(r.covered).isNegative()).toBe(false);
  expect(d(r.customerPays).isNegative()).toBe(false);
  expect(d(r.deductibleApplied).isNegative()).toBe(false);
  expect(d(r.customerPays).lessThanOrEqualTo(d(r.total))).toBe(true);
}

describe('estimateRepair (docs/rules.md "Repairs" and "Dates and money")', () => {
  it('the hand-worked table is itself consistent: total = parts + labor = covered + customerPays in every row', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(15);
    for (const { name, expected: e } of allCases) {
      expect({ name, sum: new Decimal(e.parts).plus(e.labor).toString() }).toEqual({
        name,
        sum: new Decimal(e.total).toString(),
      });
      expect({ name, sum: new Decimal(e.covered).plus(e.customerPays).toString() }).toEqual({
        name,
        sum: new Decimal(e.total).toString(),
      });
    }
  });

  describe('coverage types', () => {
    it.each<Case>(coverageCases)('$name', runCase);
  });
  describe('deductibles', () => {
    it.each<Case>(deductibleCases)('$name', runCase);
  });
  describe('labor: minutes × hourly rate / 60, rounded half up to the minor unit', () => {
    it.each<Case>(laborCases)('$name', runCase);
  });
  describe('parts: Σ quantity × unit cost', () => {
    it.each<Case>(partsCases)('$name', runCase);
  });
  describe('totals always add up: total = covered + customerPays = parts + labor', () => {
    it.each<Case>(allCases)('$name', addsUp);
  });
});
