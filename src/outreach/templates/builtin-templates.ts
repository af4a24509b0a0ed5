import type { OutreachJourneyEntity, StoredTemplate } from '../outreach.entities.js';
import { SHIPPED_LOCALES, type OutreachKind, type ShippedLocale } from '../outreach.rules.js';
import { EN } from './builtin/en.js';
import { ES } from './builtin/es.js';
import { IT } from './builtin/it.js';
import type { OutreachLanguage, ResourceListingKind } from './builtin/language.js';
import { RU } from './builtin/ru.js';
import { SV } from './builtin/sv.js';
import { languageOf } from './locale.js';

/** What each shipped language says: the built-in templates, the unsubscribe line, the return policy in words. */
export const OUTREACH_LANGUAGES: Record<ShippedLocale, OutreachLanguage> = { en: EN, it: IT, es: ES, ru: RU, sv: SV };

/** The shipped language of a tag (it-CH → it), else English. */
export function outreachLanguage(locale: string): OutreachLanguage {
  const language = languageOf(locale);
  return (SHIPPED_LOCALES as readonly string[]).includes(language)
    ? OUTREACH_LANGUAGES[language as ShippedLocale]
    : OUTREACH_LANGUAGES.en;
}

/**
 * The built-in templates of a kind, one per shipped language, each ending with the unsubscribe line
 * (fresh copies). `withoutResources`: for a product with no resources, the kinds that list them say
 * so in other words, rather than pointing at an empty list.
 */
export function builtinTemplates(kind: OutreachKind, withoutResources = false): StoredTemplate[] {
  return SHIPPED_LOCALES.map((locale) => {
    const language = OUTREACH_LANGUAGES[locale];
    const usual = language.templates[kind];
    const { subject = usual.subject, body } =
      withoutResources && listsResources(kind) ? language.withoutResources[kind] : usual;
    return { locale, subject, body: `${body}\n\n${language.unsubscribeLine}` };
  });
}

const listsResources = (kind: OutreachKind): kind is ResourceListingKind =>
  kind === 'PRODUCT_TRAINING' || kind === 'SUPPORT_RESOURCES';

/**
 * The templates a journey sends with: its own, or the built-in ones of its kind when it has none
 * (`hasResources`: whether the product has resources to list).
 */
export function templatesFor(
  journey: Pick<OutreachJourneyEntity, 'kind' | 'templates'>,
  hasResources = true,
): StoredTemplate[] {
  return journey.templates?.length ? journey.templates : builtinTemplates(journey.kind, !hasResources);
}
