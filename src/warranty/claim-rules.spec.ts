import {
  applicableDeductible,
  approvalStatus,
  approvedAmount,
  isDuplicateSuspected,
  priceLines,
} from './claim-rules.js';

const line = (quantity: string, amount: string, currency = 'USD') => ({
  kind: 'PART' as const,
  description: ' part ',
  quantity,
  unitAmount: { amount, currency },
});

describe('claim totals', () => {
  it('requestedTotal is the sum of quantity × unit amount, each line rounded half up to the minor unit', () => {
    const priced = priceLines([line('3', '0.335'), line('1.5', '80')]);
    expect(priced).toMatchObject({ currency: 'USD', requestedTotal: '121.01' });
    if ('lines' in priced) expect(priced.lines.map((l) => l.total)).toEqual(['1.01', '120.00']);
  });

  it('a currency without minor unit keeps whole amounts (JPY)', () => {
    expect(priceLines([line('2', '1500.5', 'JPY')])).toMatchObject({ currency: 'JPY', requestedTotal: '3001' });
  });

  it('lines in two currencies are never added: the first foreign line is named', () => {
    expect(priceLines([line('1', '10'), line('1', '10'), line('1', '10', 'EUR')])).toEqual({ mixedCurrencyAt: 2 });
  });

  it('descriptions are trimmed and empty part numbers become null', () => {
    const priced = priceLines([{ ...line('1', '1'), partNumber: '  ' }]);
    if ('lines' in priced) expect(priced.lines[0]).toMatchObject({ description: 'part', partNumber: null });
  });
});

describe('approved totals', () => {
  it.each([
    ['approving without an amount approves the requested total', '240.50', null, null, '240.50', 'APPROVED'],
    ['approving less is a partial approval', '240.50', '200', null, '200.00', 'PARTIALLY_APPROVED'],
    ['the deductible is taken off the approved total', '240.50', null, '49.00', '191.50', 'PARTIALLY_APPROVED'],
    ['a deductible above the amount leaves zero, never less', '30.00', null, '49.00', '0.00', 'PARTIALLY_APPROVED'],
  ])('%s', (_name, requested, approved, deductible, amount, status) => {
    const result = approvedAmount(
      requested,
      'USD',
      approved,
      deductible ? { amount: deductible, currency: 'USD' } : null,
    );
    expect(result).toBe(amount);
    expect(approvalStatus(requested, result)).toBe(status);
  });
});

describe('duplicate suspicion', () => {
  const claim = { failureCategory: 'ELECTRICAL' as const, failureDate: '2026-03-31' };
  it.each([
    [
      'another live claim for the same failure 30 days earlier is a suspected duplicate',
      'ELECTRICAL',
      '2026-03-01',
      'SUBMITTED',
      true,
    ],
    ['31 days earlier is not', 'ELECTRICAL', '2026-02-28', 'SUBMITTED', false],
    ['30 days later counts too', 'ELECTRICAL', '2026-04-30', 'APPROVED', true],
    ['another failure category is not', 'DISPLAY', '2026-03-30', 'SUBMITTED', false],
    ['a rejected claim does not count', 'ELECTRICAL', '2026-03-30', 'REJECTED', false],
    ['a cancelled claim does not count', 'ELECTRICAL', '2026-03-30', 'CANCELLED', false],
  ] as const)('%s', (_name, failureCategory, failureDate, status, expected) => {
    expect(isDuplicateSuspected(claim, [{ failureCategory, failureDate, status }])).toBe(expected);
  });
});

describe('the deductible taken off an approval', () => {
  const usd49 = { amount: '49.00', currency: 'USD' };
  it.each([
    [
      "the coverage's deductible, in the claim's currency",
      { flags: [], currency: 'USD', coverage: { deductible: usd49 } },
      usd49,
    ],
    ['none when the coverage has none', { flags: [], currency: 'USD', coverage: { deductible: null } }, null],
    ['none for a claim filed under no coverage', { flags: [], currency: 'USD', coverage: null }, null],
    [
      "none when a repair's lines already took it off (DEDUCTIBLE_APPLIED)",
      { flags: ['DEDUCTIBLE_APPLIED'], currency: 'USD', coverage: { deductible: usd49 } },
      null,
    ],
    [
      'none in another currency: amounts in different currencies are never combined',
      { flags: [], currency: 'EUR', coverage: { deductible: usd49 } },
      null,
    ],
  ])('%s', (_name, claim, expected) => {
    expect(applicableDeductible(claim)).toEqual(expected);
  });
});
