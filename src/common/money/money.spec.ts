import { Decimal } from 'decimal.js';
import {
  CurrencyMismatchError,
  fitsAmountColumn,
  isCurrencyCode,
  isDecimalText,
  MAX_INPUT_AMOUNT_DIGITS,
  MAX_QUANTITY,
  MAX_STORED_AMOUNT,
  minorUnits,
  money,
  multiplyMoney,
  QUANTITY_TEXT,
  roundToMinorUnit,
  sumMoney,
  type Money,
} from './money.js';

const usd = (amount: string): Money => ({ amount, currency: 'USD' });

describe('minorUnits: decimals of the currency minor unit (ISO 4217)', () => {
  it.each([
    ['USD has cents', 'USD', 2],
    ['EUR has cents', 'EUR', 2],
    ['JPY has no minor unit', 'JPY', 0],
    ['KRW has no minor unit', 'KRW', 0],
    ['BHD has fils, three decimals', 'BHD', 3],
  ])('%s (%s: %i)', (_rule, currency, digits) => {
    expect(minorUnits(currency)).toBe(digits);
  });

  it('answers the same when asked again (cached)', () => {
    expect(minorUnits('BHD')).toBe(3);
    expect(minorUnits('BHD')).toBe(3);
  });
});

describe('roundToMinorUnit: half up to the minor unit', () => {
  it.each([
    ['a half cent rounds up', '2.005', 'USD', '2.01'],
    ['below a half cent rounds down', '2.004', 'USD', '2.00'],
    ['199.99 × 15% = 29.9985 rounds up to 30.00', new Decimal('199.99').times('0.15'), 'USD', '30.00'],
    ['a half yen rounds up to a whole yen', '1500.5', 'JPY', '1501'],
    ['below a half yen rounds down', '1500.49', 'JPY', '1500'],
    ['a half fils rounds up (three decimals)', '1.2345', 'BHD', '1.235'],
    ['a half cent in EUR rounds up', '0.125', 'EUR', '0.13'],
    ['an amount already at the minor unit is unchanged', '169.99', 'USD', '169.99'],
  ])('%s', (_rule, amount, currency, expected) => {
    const digits = minorUnits(currency);
    expect(roundToMinorUnit(amount, currency).toFixed(digits)).toBe(expected);
  });

  it('rounds the number 2.005 half up too (decimal.js reads numbers by their shortest text, not their binary value)', () => {
    // as a binary double 2.005 is 2.00499999999999989...; a float rounding would give 2.00
    expect(roundToMinorUnit(2.005, 'USD').toFixed(2)).toBe('2.01');
  });

  it('returns a Decimal, not a float', () => {
    expect(roundToMinorUnit('2.005', 'USD')).toBeInstanceOf(Decimal);
  });
});

describe('money: a rounded amount written with exactly the minor-unit decimals', () => {
  it.each([
    ['169.9 USD is written 169.90', '169.9', 'USD', '169.90'],
    ['an integer USD amount gets two decimals', '5', 'USD', '5.00'],
    ['a JPY amount has no decimals', '1500', 'JPY', '1500'],
    ['a JPY amount with a half rounds up', '1500.5', 'JPY', '1501'],
    ['a BHD amount has three decimals', '5', 'BHD', '5.000'],
    ['zero EUR is 0.00', '0', 'EUR', '0.00'],
    ['a Decimal input is accepted', new Decimal('12.345'), 'EUR', '12.35'],
  ])('%s', (_rule, amount, currency, expected) => {
    expect(money(amount, currency)).toEqual({ amount: expected, currency });
  });

  it('never writes an exponent for a large amount', () => {
    expect(money('123456789012345', 'USD').amount).toBe('123456789012345.00');
    expect(money('0.0000001', 'USD').amount).toBe('0.00');
  });
});

describe('sumMoney: adds amounts of one currency only', () => {
  it('0.1 + 0.2 is exactly 0.30, with no float artefact', () => {
    expect(sumMoney([usd('0.1'), usd('0.2')])).toEqual({ amount: '0.30', currency: 'USD' });
  });

  it('large values keep every digit: 12345678901234.56 + 0.01 = 12345678901234.57', () => {
    expect(sumMoney([usd('12345678901234.56'), usd('0.01')])).toEqual({ amount: '12345678901234.57', currency: 'USD' });
  });

  it('rounds the sum half up to the minor unit', () => {
    expect(sumMoney([usd('1.0025'), usd('1.0025')])).toEqual({ amount: '2.01', currency: 'USD' });
  });

  it('refuses amounts in different currencies with a CurrencyMismatchError naming them', () => {
    let thrown: unknown;
    try {
      sumMoney([usd('1.00'), { amount: '1.00', currency: 'EUR' }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CurrencyMismatchError);
    expect((thrown as CurrencyMismatchError).currencies.sort()).toEqual(['EUR', 'USD']);
  });

  it('refuses amounts whose currency is not the requested one', () => {
    expect(() => sumMoney([usd('1.00')], 'EUR')).toThrow(CurrencyMismatchError);
  });

  it('an empty sum in a given currency is zero in that currency', () => {
    expect(sumMoney([], 'JPY')).toEqual({ amount: '0', currency: 'JPY' });
    expect(sumMoney([], 'EUR')).toEqual({ amount: '0.00', currency: 'EUR' });
  });

  it('an empty sum without a currency is an error, not a guess', () => {
    expect(() => sumMoney([])).toThrow(/needs a currency/);
  });

  it("sums in the values' currency when it is also the requested one", () => {
    expect(sumMoney([usd('10'), usd('0.5')], 'USD')).toEqual({ amount: '10.50', currency: 'USD' });
  });
});

describe('multiplyMoney', () => {
  it('a 15% fee on 199.99 USD is 30.00 USD (29.9985 rounded half up)', () => {
    expect(multiplyMoney(usd('199.99'), '0.15')).toEqual({ amount: '30.00', currency: 'USD' });
  });

  it('a quantity times a unit amount keeps the currency', () => {
    expect(multiplyMoney({ amount: '1500', currency: 'JPY' }, 3)).toEqual({ amount: '4500', currency: 'JPY' });
  });
});

describe('isCurrencyCode: an ISO 4217 code', () => {
  it.each(['USD', 'EUR', 'JPY', 'KRW', 'BHD', 'GBP'])('%s is a currency code', (code) => {
    expect(isCurrencyCode(code)).toBe(true);
  });

  it.each([
    ['lower case is refused', 'usd'],
    ['two letters are refused', 'US'],
    ['four letters are refused', 'USDX'],
    ['an unknown three-letter code is refused', 'XYZ'],
    ['surrounding spaces are refused', ' USD'],
    ['a number is refused', 840],
    ['null is refused', null],
  ])('%s (%j)', (_rule, code) => {
    expect(isCurrencyCode(code)).toBe(false);
  });
});

describe('isDecimalText: a decimal amount as text', () => {
  it.each([
    ['an integer', '169'],
    ['two decimals', '169.99'],
    ['a negative amount', '-5.25'],
    ['zero', '0'],
    ['fifteen integer digits', '123456789012345'],
    ['ten decimals', '1.1234567890'],
  ])('%s is decimal text (%s)', (_what, value) => {
    expect(isDecimalText(value)).toBe(true);
  });

  it.each([
    ['sixteen integer digits are too many', '1234567890123456'],
    ['eleven decimals are too many', '1.12345678901'],
    ['an exponent is refused', '1e5'],
    ['a trailing point is refused', '1.'],
    ['a leading point is refused', '.5'],
    ['a plus sign is refused', '+1'],
    ['a comma decimal separator is refused', '1,50'],
    ['spaces are refused', ' 1'],
    ['the empty string is refused', ''],
    ['a number (a float) is refused', 12.34],
    ['NaN is refused', 'NaN'],
  ])('%s (%j)', (_rule, value) => {
    expect(isDecimalText(value)).toBe(false);
  });
});

describe('input bounds: every stored sum fits numeric(19, 4)', () => {
  it.each(['1', '1.5', '0.0001', '999.9999', '1000', '1000.0000'])('quantity %s is accepted', (text) => {
    expect(QUANTITY_TEXT.test(text)).toBe(true);
  });

  it.each(['0', '0.0000', '1000.0001', '1001', '-1', '1e3', '1.23456', ' 1'])('quantity %s is refused', (text) => {
    expect(QUANTITY_TEXT.test(text)).toBe(false);
  });

  it('200 claim lines of the largest quantity and amount still fit the column', () => {
    const largestAmount = new Decimal(10).pow(MAX_INPUT_AMOUNT_DIGITS).minus('0.0001');
    expect(fitsAmountColumn(largestAmount.times(MAX_QUANTITY).times(200))).toBe(true);
  });

  it('the column holds 15 integer digits and 4 decimals, no more', () => {
    expect(fitsAmountColumn(MAX_STORED_AMOUNT)).toBe(true);
    expect(fitsAmountColumn('1000000000000000')).toBe(false);
    expect(fitsAmountColumn('-1000000000000000')).toBe(false);
  });
});
