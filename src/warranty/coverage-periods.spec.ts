import type { CoverageStart } from '../products/warranty-terms.js';
import {
  baseWarrantyPeriod,
  baseWarrantyStart,
  registeredInTime,
  servicePlanPeriod,
  type UnitDates,
} from './coverage-periods.js';

const unit = (over: Partial<UnitDates> = {}): UnitDates => ({
  purchaseDate: '2024-01-31',
  deliveryDate: null,
  registeredAt: new Date('2024-02-10T12:00:00Z'),
  ...over,
});

describe('baseWarrantyStart: purchase, delivery (purchase when none) or registration date', () => {
  it.each<[string, CoverageStart, UnitDates, string]>([
    ['PURCHASE_DATE starts on the purchase date', 'PURCHASE_DATE', unit({ deliveryDate: '2024-02-05' }), '2024-01-31'],
    ['DELIVERY_DATE starts on the delivery date', 'DELIVERY_DATE', unit({ deliveryDate: '2024-02-05' }), '2024-02-05'],
    [
      'DELIVERY_DATE falls back to the purchase date when there is no delivery date',
      'DELIVERY_DATE',
      unit({ deliveryDate: null }),
      '2024-01-31',
    ],
    [
      'REGISTRATION_DATE starts on the UTC date of registeredAt',
      'REGISTRATION_DATE',
      unit({ registeredAt: new Date('2024-02-10T12:00:00Z') }),
      '2024-02-10',
    ],
    [
      'REGISTRATION_DATE uses the UTC date, not the local one, late in the evening west of UTC',
      'REGISTRATION_DATE',
      unit({ registeredAt: new Date('2024-03-31T23:30:00-05:00') }),
      '2024-04-01',
    ],
    [
      'REGISTRATION_DATE uses the UTC date, not the local one, just after midnight east of UTC',
      'REGISTRATION_DATE',
      unit({ registeredAt: new Date('2024-03-01T00:30:00+01:00') }),
      '2024-02-29',
    ],
    [
      'REGISTRATION_DATE ignores the delivery date',
      'REGISTRATION_DATE',
      unit({ deliveryDate: '2024-02-05', registeredAt: new Date('2024-02-20T00:00:00Z') }),
      '2024-02-20',
    ],
  ])('%s', (_rule, startsFrom, u, expected) => {
    expect(baseWarrantyStart(u, { startsFrom })).toBe(expected);
  });
});

describe('baseWarrantyPeriod: M months from S end on (S + M months) - 1 day', () => {
  it.each<[string, CoverageStart, number, UnitDates, { startsAt: string; endsAt: string }]>([
    [
      '24 months from a 31 January purchase end on 30 January two years later',
      'PURCHASE_DATE',
      24,
      unit({ purchaseDate: '2024-01-31' }),
      { startsAt: '2024-01-31', endsAt: '2026-01-30' },
    ],
    [
      '12 months from a leap-day purchase end on 27 February of the next year',
      'PURCHASE_DATE',
      12,
      unit({ purchaseDate: '2024-02-29' }),
      { startsAt: '2024-02-29', endsAt: '2025-02-27' },
    ],
    [
      '12 months from 1 January end on 31 December',
      'PURCHASE_DATE',
      12,
      unit({ purchaseDate: '2024-01-01' }),
      { startsAt: '2024-01-01', endsAt: '2024-12-31' },
    ],
    [
      'a delivery-date warranty counts from the delivery date',
      'DELIVERY_DATE',
      12,
      unit({ purchaseDate: '2024-01-10', deliveryDate: '2024-01-20' }),
      { startsAt: '2024-01-20', endsAt: '2025-01-19' },
    ],
    [
      'a delivery-date warranty without delivery counts from the purchase date',
      'DELIVERY_DATE',
      6,
      unit({ purchaseDate: '2024-08-31', deliveryDate: null }),
      { startsAt: '2024-08-31', endsAt: '2025-02-27' },
    ],
    [
      'a registration-date warranty counts from the UTC registration date',
      'REGISTRATION_DATE',
      24,
      unit({ purchaseDate: '2024-01-05', registeredAt: new Date('2024-01-31T23:59:59Z') }),
      { startsAt: '2024-01-31', endsAt: '2026-01-30' },
    ],
  ])('%s', (_rule, startsFrom, durationMonths, u, expected) => {
    expect(baseWarrantyPeriod(u, { startsFrom, durationMonths })).toEqual(expected);
  });
});

describe('registeredInTime: registration within N days of purchase', () => {
  const purchased = (registeredAt: string) =>
    unit({ purchaseDate: '2024-01-01', registeredAt: new Date(registeredAt) });

  it.each<[string, number | null, UnitDates, boolean]>([
    [
      'null means registration is not required: any late registration is in time',
      null,
      purchased('2030-01-01T00:00:00Z'),
      true,
    ],
    ['registered on the purchase day is in time', 30, purchased('2024-01-01T08:00:00Z'), true],
    ['registered exactly N days after purchase is in time', 30, purchased('2024-01-31T10:00:00Z'), true],
    ['registered N + 1 days after purchase is not in time', 30, purchased('2024-02-01T10:00:00Z'), false],
    ['the last UTC second of day N is still in time', 30, purchased('2024-01-31T23:59:59Z'), true],
    ['UTC midnight starting day N + 1 is late', 30, purchased('2024-02-01T00:00:00Z'), false],
    [
      'a registration at 00:30 UTC+01:00 on day N + 1 is day N in UTC, so in time',
      30,
      purchased('2024-02-01T00:30:00+01:00'),
      true,
    ],
    ['with N = 0, registering on the purchase day is in time', 0, purchased('2024-01-01T23:00:00Z'), true],
    ['with N = 0, registering the next day is late', 0, purchased('2024-01-02T00:00:00Z'), false],
    ['registering before the stated purchase date is in time', 30, purchased('2023-12-30T00:00:00Z'), true],
    [
      'days count across a leap day: 60 days after 1 January 2024 is 1 March',
      60,
      purchased('2024-03-01T12:00:00Z'),
      true,
    ],
    [
      'days count across a leap day: 2 March 2024 is 61 days after 1 January',
      60,
      purchased('2024-03-02T12:00:00Z'),
      false,
    ],
  ])('%s', (_rule, registrationRequiredWithinDays, u, expected) => {
    expect(registeredInTime(u, { registrationRequiredWithinDays })).toBe(expected);
  });

  it('an absent (undefined) limit means registration is not required', () => {
    const terms = { registrationRequiredWithinDays: undefined } as unknown as {
      registrationRequiredWithinDays: number | null;
    };
    expect(registeredInTime(purchased('2030-01-01T00:00:00Z'), terms)).toBe(true);
  });
});

describe('servicePlanPeriod: starts the day after the base warranty ends, or on the plan purchase date', () => {
  type Case = [
    string,
    UnitDates,
    { startsFrom: CoverageStart; durationMonths: number },
    { startsAfterBaseWarranty: boolean; durationMonths: number },
    string,
    { startsAt: string; endsAt: string },
  ];
  it.each<Case>([
    [
      'a plan after a 24-month base warranty from 31 January 2024 starts on 31 January 2026',
      unit({ purchaseDate: '2024-01-31' }),
      { startsFrom: 'PURCHASE_DATE', durationMonths: 24 },
      { startsAfterBaseWarranty: true, durationMonths: 12 },
      '2024-03-15',
      { startsAt: '2026-01-31', endsAt: '2027-01-30' },
    ],
    [
      'a plan after a base warranty ending on 27 February starts on 28 February',
      unit({ purchaseDate: '2024-02-29' }),
      { startsFrom: 'PURCHASE_DATE', durationMonths: 12 },
      { startsAfterBaseWarranty: true, durationMonths: 12 },
      '2024-03-01',
      { startsAt: '2025-02-28', endsAt: '2026-02-27' },
    ],
    [
      'a plan after a 12-month base warranty ending on 31 December starts on 1 January',
      unit({ purchaseDate: '2024-01-01' }),
      { startsFrom: 'PURCHASE_DATE', durationMonths: 12 },
      { startsAfterBaseWarranty: true, durationMonths: 24 },
      '2024-01-01',
      { startsAt: '2025-01-01', endsAt: '2026-12-31' },
    ],
    [
      'a plan after a delivery-date base warranty follows the delivery-based end',
      unit({ purchaseDate: '2024-01-10', deliveryDate: '2024-01-20' }),
      { startsFrom: 'DELIVERY_DATE', durationMonths: 12 },
      { startsAfterBaseWarranty: true, durationMonths: 24 },
      '2024-01-10',
      { startsAt: '2025-01-20', endsAt: '2027-01-19' },
    ],
    [
      'a plan after a registration-date base warranty follows the registration-based end',
      unit({ purchaseDate: '2024-01-10', registeredAt: new Date('2024-02-01T09:00:00Z') }),
      { startsFrom: 'REGISTRATION_DATE', durationMonths: 12 },
      { startsAfterBaseWarranty: true, durationMonths: 12 },
      '2024-01-10',
      { startsAt: '2025-02-01', endsAt: '2026-01-31' },
    ],
    [
      'a plan not after the base warranty starts on its purchase date',
      unit({ purchaseDate: '2024-01-31' }),
      { startsFrom: 'PURCHASE_DATE', durationMonths: 24 },
      { startsAfterBaseWarranty: false, durationMonths: 36 },
      '2024-03-15',
      { startsAt: '2024-03-15', endsAt: '2027-03-14' },
    ],
    [
      'a plan bought on 31 January for 1 month ends on 28 February 2024 ((31 Jan + 1 month) - 1 day)',
      unit({ purchaseDate: '2024-01-31' }),
      { startsFrom: 'PURCHASE_DATE', durationMonths: 24 },
      { startsAfterBaseWarranty: false, durationMonths: 1 },
      '2024-01-31',
      { startsAt: '2024-01-31', endsAt: '2024-02-28' },
    ],
  ])('%s', (_rule, u, terms, plan, purchasedAt, expected) => {
    expect(servicePlanPeriod(u, terms, plan, purchasedAt)).toEqual(expected);
  });
});
