import {
  TEMPLATE_VARIABLES,
  formatDay,
  formatMoney,
  formatPercent,
  templateValues,
  type MessageFacts,
} from './variables.js';

/** Intl separates with no-break spaces; the assertions read better with plain ones. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const FACTS: MessageFacts = {
  ownerName: 'Anna Rossi',
  productName: 'Aurora X2',
  productSku: 'AX2-EU',
  serialNumber: 'SN-000123',
  purchaseDate: '2025-03-05',
  warrantyEndsAt: '2027-03-04',
  coveredUntil: '2029-03-04',
  senderName: 'Casa Bella',
  links: {
    ownerPage: 'https://care.example.com/o/unit',
    unsubscribe: 'https://care.example.com/o/unsub',
    survey: 'https://care.example.com/o/survey',
    review: 'https://care.example.com/o/review',
  },
  coupon: { code: 'THANKS-ABCD2345', expiresOn: '2025-12-31', discountPercent: 15, discountAmount: null },
  resources: [
    { title: 'Quick start', url: 'https://example.com/quick-start.pdf' },
    { title: 'Cleaning\nand care', url: 'https://example.com/care' },
  ],
  returnPolicy: { windowDays: 30, startsFrom: 'PURCHASE_DATE', restockingFeePercent: '15.00' },
  upgrade: { programName: 'Renew', tradeInValue: { amount: '1234.50', currency: 'EUR' } },
};

const EMPTY_FACTS: MessageFacts = {
  ownerName: null,
  productName: '',
  productSku: null,
  serialNumber: '',
  purchaseDate: null,
  warrantyEndsAt: null,
  coveredUntil: null,
  senderName: '',
  links: { ownerPage: '', unsubscribe: '', survey: null, review: null },
  coupon: null,
  resources: [],
  returnPolicy: null,
  upgrade: null,
};

/** Every leaf of the values, by its dotted path. */
function leaves(value: unknown, path = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return { [path]: value };
  return Object.assign(
    {},
    ...Object.entries(value).map(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key)),
  );
}

describe('outreach template values', () => {
  it('has exactly the variables OUTREACH.md lists, each a string', () => {
    const values = leaves(templateValues(FACTS, 'en'));
    expect(Object.keys(values).sort()).toEqual([...TEMPLATE_VARIABLES].sort());
    for (const value of Object.values(values)) expect(typeof value).toBe('string');
  });

  it('renders missing facts as empty strings, never "undefined" or "null"', () => {
    const values = leaves(templateValues(EMPTY_FACTS, 'ru'));
    expect(Object.keys(values).sort()).toEqual([...TEMPLATE_VARIABLES].sort());
    for (const value of Object.values(values)) expect(value).toBe('');
  });

  it.each([
    ['en', 'March 5, 2025'],
    ['en-GB', '5 March 2025'],
    ['it', '5 marzo 2025'],
    ['es', '5 de marzo de 2025'],
    ['ru', '5 марта 2025 г.'],
    ['sv', '5 mars 2025'],
  ])('writes a day in words for %s: %s', (locale, expected) => {
    expect(plain(formatDay('2025-03-05', locale))).toBe(expected);
  });

  it('writes the calendar day itself, whatever the time zone (UTC days)', () => {
    expect(formatDay('2025-12-31', 'en')).toBe('December 31, 2025');
    expect(formatDay('2024-02-29', 'sv')).toBe('29 februari 2024');
  });

  it('writes nothing for a day that is absent or not a day', () => {
    for (const day of [null, undefined, '', '2025-02-30', '2025-3-5', '05/03/2025', '2025-03-05T10:00:00Z']) {
      expect(formatDay(day, 'en')).toBe('');
    }
  });

  it.each([
    ['it', 'EUR', '1234.50', '1.234,50 €'],
    ['es', 'EUR', '1234.5', '1.234,50 €'],
    ['en', 'EUR', '1234.5', '€1,234.50'],
    ['en-GB', 'GBP', '20', '£20.00'],
    ['ru', 'RUB', '1500', '1 500,00 ₽'],
    ['sv', 'SEK', '1234.50', '1 234,50 kr'],
    ['en', 'JPY', '1234.5', '¥1,235'],
    ['en', 'EUR', '0.005', '€0.01'],
  ])('writes money for %s: %s %s → %s', (locale, currency, amount, expected) => {
    expect(plain(formatMoney({ amount, currency }, locale))).toBe(expected);
  });

  it('formats the decimal string exactly, with no float in between', () => {
    expect(formatMoney({ amount: '12345678901234567.89', currency: 'USD' }, 'en')).toBe('$12,345,678,901,234,567.89');
  });

  it('writes nothing for money that is not a decimal amount and an ISO currency', () => {
    expect(formatMoney(null, 'en')).toBe('');
    expect(formatMoney({ amount: '12,50', currency: 'EUR' }, 'en')).toBe('');
    expect(formatMoney({ amount: '1e3', currency: 'EUR' }, 'en')).toBe('');
    expect(formatMoney({ amount: '10', currency: 'euro' }, 'en')).toBe('');
  });

  it.each([
    ['en', '15%'],
    ['it', '15%'],
    ['es', '15 %'],
    ['ru', '15 %'],
    ['sv', '15 %'],
  ])('writes a percentage for %s: %s', (locale, expected) => {
    expect(plain(formatPercent(15, locale))).toBe(expected);
  });

  it('writes the coupon discount as a percentage or as money, the locale’s way', () => {
    expect(plain(templateValues(FACTS, 'sv').coupon.discount)).toBe('15 %');
    const amountOff = { ...FACTS.coupon!, discountPercent: null, discountAmount: { amount: '20', currency: 'EUR' } };
    expect(plain(templateValues({ ...FACTS, coupon: amountOff }, 'it').coupon.discount)).toBe('20,00 €');
    expect(templateValues({ ...FACTS, coupon: amountOff }, 'en').coupon.discount).toBe('€20.00');
    expect(templateValues(FACTS, 'it').coupon).toMatchObject({
      code: 'THANKS-ABCD2345',
      expiresOn: '31 dicembre 2025',
    });
  });

  it('lists the resources one "title: link" a line', () => {
    expect(templateValues(FACTS, 'en').resources).toBe(
      'Quick start: https://example.com/quick-start.pdf\nCleaning and care: https://example.com/care',
    );
  });

  it('writes the upgrade offer with its trade-in value in money', () => {
    expect(plain(JSON.stringify(templateValues(FACTS, 'it').upgrade))).toBe(
      '{"programName":"Renew","tradeInValue":"1.234,50 €"}',
    );
  });

  it('falls back to English formatting for a locale that is not a tag', () => {
    expect(templateValues(FACTS, 'not a locale').unit.purchaseDate).toBe('March 5, 2025');
  });
});

describe('the return policy in words', () => {
  const summary = (locale: string, policy: Partial<NonNullable<MessageFacts['returnPolicy']>> = {}) =>
    plain(
      templateValues({ ...FACTS, returnPolicy: { ...FACTS.returnPolicy!, ...policy } }, locale).returnPolicy.summary,
    );

  it('says the window, where it starts and the fee in each language', () => {
    expect(summary('en')).toBe(
      'Returns are accepted within 30 days of purchase. A restocking fee of 15% of the price is deducted from the refund.',
    );
    expect(summary('it')).toBe(
      'Il reso è possibile entro 30 giorni dalla data di acquisto. Dal rimborso viene trattenuto il 15% del prezzo per le spese di gestione del reso.',
    );
    expect(summary('es')).toBe(
      'Dispone de 30 días desde la fecha de compra para hacer una devolución. Del reembolso se descuenta un 15 % del precio en concepto de gastos de gestión.',
    );
    expect(summary('ru')).toBe(
      'Вернуть товар можно в течение 30 дней с даты покупки. При возврате удерживается 15 % от стоимости товара.',
    );
    expect(summary('sv')).toBe(
      'Du kan returnera varan inom 30 dagar från köpdagen. Vid retur tar vi ut en returavgift på 15 % av priset.',
    );
  });

  it('says there is no fee when it is zero, and counts from delivery or registration', () => {
    expect(summary('en', { restockingFeePercent: '0.00', startsFrom: 'DELIVERY_DATE' })).toBe(
      'Returns are accepted within 30 days of delivery. There is no restocking fee.',
    );
    expect(summary('sv', { restockingFeePercent: '0', startsFrom: 'REGISTRATION_DATE' })).toBe(
      'Du kan returnera varan inom 30 dagar från registreringsdagen. Vi tar inte ut någon returavgift.',
    );
    expect(summary('it', { restockingFeePercent: '0' })).toContain('non comporta alcuna trattenuta');
    expect(summary('es', { restockingFeePercent: '0' })).toContain('no tiene gastos de gestión');
    expect(summary('ru', { restockingFeePercent: '0' })).toContain('Плата за возврат не взимается.');
  });

  it('writes a fractional fee the locale’s way', () => {
    expect(summary('it', { restockingFeePercent: '12.5' })).toContain('il 12,5% del prezzo');
    expect(summary('en', { restockingFeePercent: '12.5' })).toContain('12.5% of the price');
  });

  it('uses the singular for one day and the right Russian case for each number', () => {
    expect(summary('en', { windowDays: 1 })).toContain('within 1 day of purchase');
    expect(summary('it', { windowDays: 1 })).toContain('entro 1 giorno');
    expect(summary('es', { windowDays: 1 })).toContain('Dispone de 1 día');
    expect(summary('sv', { windowDays: 1 })).toContain('inom 1 dag från');
    expect(summary('ru', { windowDays: 1 })).toContain('в течение 1 дня');
    expect(summary('ru', { windowDays: 21 })).toContain('в течение 21 дня');
    expect(summary('ru', { windowDays: 14 })).toContain('в течение 14 дней');
    expect(summary('ru', { windowDays: 3 })).toContain('в течение 3 дней');
  });

  it('is written in the language of a regional locale, English for a language not shipped', () => {
    expect(summary('sv-FI')).toMatch(/^Du kan returnera/);
    expect(summary('de')).toMatch(/^Returns are accepted/);
  });
});
