import type { OutreachJourneyEntity } from '../outreach.entities.js';
import { OUTREACH_KINDS, SHIPPED_LOCALES, type OutreachKind } from '../outreach.rules.js';
import { OUTREACH_LANGUAGES, builtinTemplates, outreachLanguage, templatesFor } from './builtin-templates.js';
import { renderMessage, validateTemplates } from './template-engine.js';
import { templateValues, type MessageFacts } from './variables.js';

const UNSUBSCRIBE = 'https://care.example.com/o/unsubscribe-token';

/** Every fact there is, so every variable of every built-in template has a value. */
const FULL_FACTS: MessageFacts = {
  ownerName: 'Anna Rossi',
  productName: 'Aurora X2',
  productSku: 'AX2-EU',
  serialNumber: 'SN-000123',
  purchaseDate: '2025-03-05',
  warrantyEndsAt: '2027-03-04',
  coveredUntil: '2029-03-04',
  senderName: 'Casa Bella',
  links: {
    ownerPage: 'https://care.example.com/o/unit-token',
    unsubscribe: UNSUBSCRIBE,
    survey: 'https://care.example.com/o/survey-token',
    review: 'https://care.example.com/o/review-token',
  },
  coupon: {
    code: 'THANKS-ABCD2345',
    expiresOn: '2025-12-31',
    discountPercent: null,
    discountAmount: { amount: '1234.50', currency: 'EUR' },
  },
  resources: [
    { title: 'Quick start', url: 'https://example.com/quick-start.pdf' },
    { title: 'Video: first wash', url: 'https://example.com/first-wash' },
  ],
  returnPolicy: { windowDays: 30, startsFrom: 'DELIVERY_DATE', restockingFeePercent: '10' },
  upgrade: { programName: 'Renew', tradeInValue: { amount: '150', currency: 'EUR' } },
};

/** The variables each kind is about (OUTREACH.md, the design of piece A). */
const KIND_VARIABLES: Record<OutreachKind, string[]> = {
  WARRANTY_INFO: ['product.name', 'unit.serialNumber', 'unit.purchaseDate', 'warranty.endsAt', 'links.ownerPage'],
  PRODUCT_TRAINING: ['product.name', 'resources', 'links.ownerPage'],
  REPAIR_OR_UPGRADE_OFFER: [
    'product.name',
    'warranty.coveredUntil',
    'upgrade.programName',
    'upgrade.tradeInValue',
    'links.ownerPage',
  ],
  REVIEW_REQUEST: ['product.name', 'links.review'],
  RETURN_POLICY: ['product.name', 'unit.purchaseDate', 'returnPolicy.summary', 'links.ownerPage'],
  SUPPORT_RESOURCES: ['product.name', 'unit.serialNumber', 'resources', 'links.ownerPage'],
  COUPON: ['coupon.discount', 'coupon.code', 'coupon.expiresOn'],
  SURVEY: ['product.name', 'links.survey'],
  GREETING: ['owner.name', 'sender.name'],
};

const CASES = OUTREACH_KINDS.flatMap((kind) => SHIPPED_LOCALES.map((locale) => [kind, locale] as const));
const builtin = (kind: OutreachKind, locale: string) => builtinTemplates(kind).find((t) => t.locale === locale)!;
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('built-in outreach templates', () => {
  it.each(OUTREACH_KINDS)('%s exists in en, it, es, ru and sv, and validates', (kind) => {
    const templates = builtinTemplates(kind);
    expect(templates.map((t) => t.locale)).toEqual(['en', 'it', 'es', 'ru', 'sv']);
    expect(validateTemplates(templates)).toBeNull();
  });

  it.each(CASES)('%s in %s uses the variables of its kind and ends with the unsubscribe link', (kind, locale) => {
    const { subject, body } = builtin(kind, locale);
    const source = `${subject}\n${body}`;
    for (const variable of KIND_VARIABLES[kind]) expect(source).toContain(`{{ ${variable} }}`);
    expect(body.split('\n').at(-1)).toContain('{{ links.unsubscribe }}');
    expect(body.split('\n').at(-1)).toBe(OUTREACH_LANGUAGES[locale].unsubscribeLine);
  });

  it.each(CASES)('%s in %s renders with every fact: nothing left over, the link in text and HTML', (kind, locale) => {
    const message = renderMessage(builtin(kind, locale), templateValues(FULL_FACTS, locale));
    for (const part of [message.subject, message.text, message.html]) {
      expect(part).not.toMatch(/\{\{|\}\}|\{%|%\}|\bundefined\b|\bnull\b|\bNaN\b|\[object/);
    }
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.text).not.toMatch(/(?<!\.)\.\.(?!\.)|\s[.,:;!?](?!\S)/); // no "г.." after a date, no stray punctuation
    expect(message.subject.length).toBeGreaterThan(5);
    expect(message.text.split('\n').at(-1)).toContain(UNSUBSCRIBE);
    expect(message.html).toContain(`<a href="${UNSUBSCRIBE}"`);
    expect(message.html).toContain(`<html lang="${locale}">`);
    const lines = message.text.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.length).toBeLessThanOrEqual(12); // at most 10 of the template's own, plus list values
  });

  it.each(CASES)('%s in %s reads whole without the facts that may be missing', (kind, locale) => {
    const sparse: MessageFacts = {
      ...FULL_FACTS,
      ownerName: '',
      warrantyEndsAt: null,
      coveredUntil: null, // coverage has lapsed
      upgrade: { programName: 'Renew', tradeInValue: null },
    };
    const { text } = renderMessage(builtin(kind, locale), templateValues(sparse, locale));
    expect(text).toMatch(/^\p{Lu}/u); // the greeting line is left out: the next one must not open in lower case
    expect(text).not.toMatch(/(?<!\.)\.\.(?!\.)|\s[.,:;!?](?!\S)| {2}/); // no "until ." or "get  for it"
  });

  it.each(SHIPPED_LOCALES)('in %s, dates and money are written the language’s way', (locale) => {
    const expected = {
      en: ['€1,234.50', 'December 31, 2025'],
      it: ['1.234,50 €', '31 dicembre 2025'],
      es: ['1.234,50 €', '31 de diciembre de 2025'],
      ru: ['1 234,50 €', '31 декабря 2025 г.'],
      sv: ['1 234,50 €', '31 december 2025'],
    }[locale];
    const { text } = renderMessage(builtin('COUPON', locale), templateValues(FULL_FACTS, locale));
    for (const written of expected) expect(plain(text)).toContain(written);
  });

  it('writes each language in its own words, not a copy of the English', () => {
    for (const kind of OUTREACH_KINDS) {
      const bodies = builtinTemplates(kind).map((t) => t.body);
      const subjects = builtinTemplates(kind).map((t) => t.subject);
      expect(new Set(bodies).size).toBe(5);
      expect(new Set(subjects).size).toBe(5);
    }
  });

  const LISTING_RESOURCES = ['PRODUCT_TRAINING', 'SUPPORT_RESOURCES'] as const;
  const withoutResources = (kind: OutreachKind, locale: string) =>
    builtinTemplates(kind, true).find((t) => t.locale === locale)!;

  it.each(LISTING_RESOURCES.flatMap((kind) => SHIPPED_LOCALES.map((locale) => [kind, locale] as const)))(
    '%s in %s, for a product without resources, points at no empty list',
    (kind, locale) => {
      const template = withoutResources(kind, locale);
      expect(template.body).not.toContain('resources');
      expect(validateTemplates([template])).toBeNull();
      const { text } = renderMessage(template, templateValues({ ...FULL_FACTS, resources: [] }, locale));
      // no sentence left announcing a list ("these are the best places to start:"); the Spanish greeting ends with one
      const afterGreeting = text.split('\n').slice(1);
      expect(afterGreeting.filter((line) => /:\s*$/.test(line))).toEqual([]);
      expect(text).toContain(FULL_FACTS.links.ownerPage);
      expect(text).toContain(FULL_FACTS.productName);
      expect(text.split('\n').at(-1)).toContain(UNSUBSCRIBE);
    },
  );

  it('says it without resources only for the kinds that list them, in each language its own words', () => {
    for (const kind of LISTING_RESOURCES) {
      const bodies = SHIPPED_LOCALES.map((locale) => withoutResources(kind, locale).body);
      expect(new Set(bodies).size).toBe(5);
      for (const locale of SHIPPED_LOCALES)
        expect(withoutResources(kind, locale).body).not.toBe(builtin(kind, locale).body);
    }
    for (const kind of OUTREACH_KINDS.filter((k) => !(LISTING_RESOURCES as readonly string[]).includes(k)))
      expect(builtinTemplates(kind, true)).toEqual(builtinTemplates(kind));
  });

  it('keeps the register: Lei in Italian, usted in Spanish, capitalised Вы in Russian', () => {
    const words = (locale: string) =>
      OUTREACH_KINDS.flatMap((kind) => [
        builtin(kind, locale).subject,
        builtin(kind, locale).body,
        withoutResources(kind, locale).subject,
        withoutResources(kind, locale).body,
      ]).join('\n');
    const informal = (forms: string) => new RegExp(`(?<!\\p{L})(${forms})(?!\\p{L})`, 'u');
    expect(words('it')).not.toMatch(informal('tu|ti|tuo|tua|tuoi|tue|te'));
    expect(words('es')).not.toMatch(informal('tú|tu|tus|te|ti|contigo|vosotros'));
    expect(words('ru')).not.toMatch(informal('ты|тебя|тебе|твой|твоя|твоё|вы|вас|вам|ваш|ваша|ваше|вашего|вашему'));
    expect(words('ru')).toMatch(/Вы/);
  });

  it('gives every copy afresh, so a caller cannot change the built-ins', () => {
    builtinTemplates('SURVEY')[0].body = 'changed';
    expect(builtinTemplates('SURVEY')[0].body).not.toBe('changed');
  });

  it("chooses a shipped language by a tag's language part, else English", () => {
    expect(outreachLanguage('it-CH')).toBe(OUTREACH_LANGUAGES.it);
    expect(outreachLanguage('SV')).toBe(OUTREACH_LANGUAGES.sv);
    expect(outreachLanguage('pt-BR')).toBe(OUTREACH_LANGUAGES.en);
  });
});

describe('templatesFor', () => {
  const journey = (templates: OutreachJourneyEntity['templates']) => ({ kind: 'COUPON' as const, templates });

  it("uses the journey's own templates when it has some", () => {
    const own = [{ locale: 'en', subject: 'Hi', body: 'Hello {{ owner.name }}' }];
    expect(templatesFor(journey(own))).toBe(own);
  });

  it('uses the built-in templates of its kind when it has none', () => {
    expect(templatesFor(journey([]))).toEqual(builtinTemplates('COUPON'));
  });

  it('uses the built-in words without resources for a product that has none, never in place of its own', () => {
    const training = (templates: OutreachJourneyEntity['templates']) => ({
      kind: 'PRODUCT_TRAINING' as const,
      templates,
    });
    expect(templatesFor(training([]), false)).toEqual(builtinTemplates('PRODUCT_TRAINING', true));
    expect(templatesFor(training([]), true)).toEqual(builtinTemplates('PRODUCT_TRAINING'));
    const own = [{ locale: 'en', subject: 'Guides', body: '{{ resources }}' }];
    expect(templatesFor(training(own), false)).toBe(own);
  });
});
