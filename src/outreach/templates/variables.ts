import { outreachLanguage } from './builtin-templates.js';
import type { ReturnWindowStart } from './builtin/language.js';
import { isValidLocale } from './locale.js';

export type { ReturnWindowStart } from './builtin/language.js';

/** Every variable a template may use (OUTREACH.md), written {{ owner.name }}. */
export const TEMPLATE_VARIABLES = [
  'owner.name',
  'product.name',
  'product.sku',
  'unit.serialNumber',
  'unit.purchaseDate',
  'warranty.endsAt',
  'warranty.coveredUntil',
  'sender.name',
  'links.ownerPage',
  'links.unsubscribe',
  'links.survey',
  'links.review',
  'coupon.code',
  'coupon.expiresOn',
  'coupon.discount',
  'resources',
  'returnPolicy.summary',
  'upgrade.programName',
  'upgrade.tradeInValue',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** The values a template is rendered with: every variable, already written for the reader (never undefined). */
export interface TemplateValues {
  owner: { name: string };
  product: { name: string; sku: string };
  unit: { serialNumber: string; purchaseDate: string };
  warranty: { endsAt: string; coveredUntil: string };
  sender: { name: string };
  links: { ownerPage: string; unsubscribe: string; survey: string; review: string };
  coupon: { code: string; expiresOn: string; discount: string };
  /** One "title: link" a line. */
  resources: string;
  returnPolicy: { summary: string };
  upgrade: { programName: string; tradeInValue: string };
}

/** A decimal amount (never a float) and its ISO 4217 currency. */
export interface MoneyFact {
  amount: string;
  currency: string;
}

/** What the sender knows about one message, raw: days as ISO YYYY-MM-DD, money as decimal strings. */
export interface MessageFacts {
  ownerName: string | null;
  productName: string;
  productSku: string | null;
  serialNumber: string;
  purchaseDate: string | null;
  /** The base warranty's last day. */
  warrantyEndsAt: string | null;
  /** The last day of any coverage (base warranty, service plans). */
  coveredUntil: string | null;
  senderName: string;
  links: { ownerPage: string; unsubscribe: string; survey: string | null; review: string | null };
  coupon: {
    code: string;
    /** The last day it can be redeemed. */
    expiresOn: string;
    discountPercent: number | null;
    discountAmount: MoneyFact | null;
  } | null;
  /** The product's resources in the reader's language, in the order to list them. */
  resources: { title: string; url: string }[];
  returnPolicy: {
    windowDays: number;
    startsFrom: ReturnWindowStart;
    /** A decimal string, e.g. "15" or "12.5"; "0": no fee. */
    restockingFeePercent: string;
  } | null;
  upgrade: { programName: string; tradeInValue: MoneyFact | null } | null;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d{1,20}(\.\d{1,12})?$/;
const ZERO = /^-?0*(\.0*)?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Intl formatters are costly to build and the same few serve every message: kept per locale and options. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cachedFormatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => T): T {
  if (formatters.size > 500) formatters.clear();
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = build()));
  return formatter as T;
}

/** A calendar day (YYYY-MM-DD, UTC) the locale's way, in words: "5 marzo 2025", "March 5, 2025"; '' when absent or not a day. */
export function formatDay(isoDay: string | null | undefined, locale: string): string {
  const match = typeof isoDay === 'string' ? ISO_DAY.exec(isoDay) : null;
  if (!match) return '';
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== isoDay) return '';
  const format = cachedFormatter(
    `day|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
  );
  return format.format(day);
}

/**
 * Money the locale's way ("1.234,50 €", "€1,234.50"), formatted from the decimal string itself (Intl reads
 * a string exactly, rounding half up to the currency's minor unit), never through a float. Thousands are
 * always grouped, as shops write prices, whatever the ICU version's rule for four-digit numbers.
 */
export function formatMoney(money: MoneyFact | null | undefined, locale: string): string {
  if (!money || !DECIMAL.test(money.amount) || !CURRENCY.test(money.currency)) return '';
  const format = cachedFormatter(
    `money|${locale}|${money.currency}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency, useGrouping: 'always' }),
  );
  return format.format(money.amount as `${number}`);
}

/** A percentage the locale's way: "15%" (en, it), "15 %" (es, ru, sv). */
export function formatPercent(value: number | string, locale: string): string {
  const format = cachedFormatter(
    `percent|${locale}`,
    () => new Intl.NumberFormat(locale, { style: 'unit', unit: 'percent', maximumFractionDigits: 2 }),
  );
  return format.format(value as number | `${number}`);
}

function couponValues(coupon: MessageFacts['coupon'], locale: string): TemplateValues['coupon'] {
  if (!coupon) return { code: '', expiresOn: '', discount: '' };
  const discount =
    coupon.discountPercent !== null && Number.isFinite(coupon.discountPercent)
      ? formatPercent(coupon.discountPercent, locale)
      : formatMoney(coupon.discountAmount, locale);
  return { code: coupon.code, expiresOn: formatDay(coupon.expiresOn, locale), discount };
}

/** The return policy in a sentence or two of the locale's language: window, where it starts, restocking fee. */
function returnPolicySummary(policy: MessageFacts['returnPolicy'], locale: string): string {
  if (!policy) return '';
  const fee = policy.restockingFeePercent;
  const hasFee = DECIMAL.test(fee) && !ZERO.test(fee);
  return outreachLanguage(locale).returnPolicySummary({
    windowDays: policy.windowDays,
    startsFrom: policy.startsFrom,
    restockingFee: hasFee ? formatPercent(fee, locale) : null,
  });
}

/** One resource a line; a title's own line breaks would split it, so they become spaces. */
const resourceLines = (resources: MessageFacts['resources']): string =>
  resources.map(({ title, url }) => `${title.replace(/\s+/g, ' ').trim()}: ${url}`).join('\n');

const text = (value: string | null | undefined): string => value ?? '';

/**
 * The values for a message, written for `locale` (dates, money, the return policy's words). Pass
 * formattingLocale(owner's locale, template's locale), so an English text gets English dates. Facts that
 * are missing render as an empty string.
 */
export function templateValues(facts: MessageFacts, locale: string): TemplateValues {
  const tag = isValidLocale(locale) ? locale : 'en';
  return {
    owner: { name: text(facts.ownerName) },
    product: { name: text(facts.productName), sku: text(facts.productSku) },
    unit: { serialNumber: text(facts.serialNumber), purchaseDate: formatDay(facts.purchaseDate, tag) },
    warranty: { endsAt: formatDay(facts.warrantyEndsAt, tag), coveredUntil: formatDay(facts.coveredUntil, tag) },
    sender: { name: text(facts.senderName) },
    links: {
      ownerPage: text(facts.links.ownerPage),
      unsubscribe: text(facts.links.unsubscribe),
      survey: text(facts.links.survey),
      review: text(facts.links.review),
    },
    coupon: couponValues(facts.coupon, tag),
    resources: resourceLines(facts.resources ?? []),
    returnPolicy: { summary: returnPolicySummary(facts.returnPolicy, tag) },
    upgrade: {
      programName: text(facts.upgrade?.programName),
      tradeInValue: formatMoney(facts.upgrade?.tradeInValue, tag),
    },
  };
}
