import type { Money } from '../../common/money/money.js';

/** Dates, amounts and percentages as the page's language writes them. Calendar dates are UTC days. */

export function formatDate(lang: string, day: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function formatDateTime(lang: string, at: Date): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(at);
}

export function formatMoney(lang: string, money: Money): string {
  // the decimal text, not a float: Intl formats it exactly
  const amount = money.amount as unknown as number;
  return new Intl.NumberFormat(lang, { style: 'currency', currency: money.currency }).format(amount);
}

export function formatPercent(lang: string, percent: string | number): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(Number(percent) / 100);
}
