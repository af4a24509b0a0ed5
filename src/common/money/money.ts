import { Decimal } from 'decimal.js';

/**
 * Money is a decimal amount and an ISO 4217 currency, never a float. Amounts are rounded
 * half up to the currency's minor unit (2 decimals for USD/EUR, 0 for JPY, 3 for BHD).
 */
export interface Money {
  amount: string;
  currency: string;
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const DECIMAL_TEXT = /^-?\d{1,15}(\.\d{1,10})?$/;

export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && KNOWN_CURRENCIES.has(code);
}

export function isDecimalText(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_TEXT.test(value);
}

/**
 * Bounds that keep every stored sum inside its column, numeric(19, 4) (at most 15 integer
 * digits): an amount in an input is below a billion and a quantity at most 1,000, so 200 claim
 * lines or 100 repair parts of the largest amount still fit. Sums that grow over several
 * requests (a repair ticket's parts and labor) are checked with fitsAmountColumn.
 */
export const MAX_INPUT_AMOUNT_DIGITS = 9;
export const MAX_QUANTITY = 1000;
/** A decimal quantity above zero and at most MAX_QUANTITY, with up to four decimals. */
export const QUANTITY_TEXT = /^(?=.*[1-9])(\d{1,3}(\.\d{1,4})?|1000(\.0{1,4})?)$/;

/** The largest amount a numeric(19, 4) column holds. */
export const MAX_STORED_AMOUNT = '999999999999999.9999';

export function fitsAmountColumn(amount: Decimal.Value): boolean {
  return new Decimal(amount).abs().lte(MAX_STORED_AMOUNT);
}

const minorUnitCache = new Map<string, number>();
/** Decimals of the currency's minor unit, from the ICU data Node ships with. */
export function minorUnits(currency: string): number {
  let digits = minorUnitCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorUnitCache.set(currency, digits);
  }
  return digits;
}

export function roundToMinorUnit(amount: Decimal.Value, currency: string): Decimal {
  return new Decimal(amount).toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP);
}

/** A Money value whose amount is rounded and written with exactly the minor-unit decimals. */
export function money(amount: Decimal.Value, currency: string): Money {
  return { amount: roundToMinorUnit(amount, currency).toFixed(minorUnits(currency)), currency };
}

export class CurrencyMismatchError extends Error {
  constructor(readonly currencies: string[]) {
    super(`amounts in different currencies cannot be added: ${currencies.join(', ')}`);
  }
}

/** Adds amounts of one currency; mixing currencies is an error, never a silent sum. */
export function sumMoney(values: Money[], currency?: string): Money {
  const currencies = new Set(values.map((v) => v.currency));
  if (currency) currencies.add(currency);
  if (currencies.size > 1) throw new CurrencyMismatchError([...currencies]);
  const target = currency ?? values[0]?.currency;
  if (!target) throw new Error('sumMoney needs a currency when there are no values');
  return money(
    values.reduce((acc, v) => acc.plus(v.amount), new Decimal(0)),
    target,
  );
}

export function multiplyMoney(value: Money, factor: Decimal.Value): Money {
  return money(new Decimal(value.amount).times(factor), value.currency);
}
