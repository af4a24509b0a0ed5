import { DomainError } from '../common/errors/domain-error.js';
import { checkCsvHeader, csvRecordToInput, IMPORT_FIELDS, unknownField } from './unit-import.parsing.js';

describe('import fields: the fields of RegisterUnitInput, dotted for customer and purchasePrice', () => {
  it('are read from the input classes', () => {
    expect([...IMPORT_FIELDS]).toEqual(
      expect.arrayContaining([
        'sku',
        'serialNumber',
        'purchaseDate',
        'customer.name',
        'customer.marketingConsent',
        'purchasePrice.amount',
      ]),
    );
    expect(IMPORT_FIELDS.has('customer')).toBe(false);
  });

  it.each([
    '__proto__.polluted',
    'constructor.prototype.polluted',
    'customer.__proto__',
    'toString',
    'colour',
    'customer',
    '',
  ])('a CSV header with the column %j is refused naming it', (column) => {
    let thrown: unknown;
    try {
      checkCsvHeader(['sku', 'serialNumber', column]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).details.field).toBe(column || 'header');
  });

  it('a CSV header naming a column twice is refused', () => {
    expect(() => checkCsvHeader(['sku', ' sku '])).toThrow(/twice/);
  });

  it('a CSV record becomes an input without prototypes: trimmed cells, empty ones absent, consent read as a boolean', () => {
    const columns = checkCsvHeader([
      'sku',
      'serialNumber',
      'customer.name',
      'customer.marketingConsent',
      'purchasePrice.amount',
    ]);
    const input = csvRecordToInput(columns, [' NW-1 ', 'SN-1', 'Ada', 'yes', '']);
    expect(input).toEqual({ sku: 'NW-1', serialNumber: 'SN-1', customer: { name: 'Ada', marketingConsent: true } });
    expect(Object.getPrototypeOf(input)).toBeNull();
    expect(Object.getPrototypeOf(input.customer)).toBeNull();
  });

  it.each([
    ['an unknown top-level key', { sku: 'x', colour: 'red' }, 'colour'],
    ['an unknown customer key', { customer: { name: 'Ada', age: 3 } }, 'customer.age'],
    ['"constructor", which every plain object inherits', { constructor: {} }, 'constructor'],
    ['a known row', { sku: 'x', customer: { name: 'Ada' }, purchasePrice: { amount: '1', currency: 'USD' } }, null],
    ['a customer that is not an object (left to validation)', { customer: 'Ada' }, null],
  ])('unknownField: %s', (_what, row, field) => {
    expect(unknownField(row as Record<string, unknown>)).toBe(field);
  });
});
