import { isLocaleTag } from '../../common/http/locale.validator.js';

/**
 * Which language a message is written in (OUTREACH.md: the owner's locale where a template exists,
 * else its language part, else English), and which locale its dates and money are written for.
 */

/** Whether a text is a well-formed BCP 47 language tag: the one check the API's inputs use too. */
export const isValidLocale = isLocaleTag;

/** The language part of a tag, lower case: pt-BR → pt (an underscore, pt_BR, is read the same way). */
export const languageOf = (tag: string): string => tag.split(/[-_]/)[0].toLowerCase();

/** The first available tag equal to `wanted` (any case), else the first of the same language (en-GB for en). */
function closest(wanted: string, available: readonly string[]): string | undefined {
  const lower = wanted.toLowerCase();
  const language = languageOf(wanted);
  return (
    available.find((tag) => tag.toLowerCase() === lower) ??
    available.find((tag) => tag.toLowerCase() === language) ??
    available.find((tag) => languageOf(tag) === language)
  );
}

/**
 * The template locale for an owner: exact match (any case) → the language part (pt-BR → pt) or another
 * tag of the same language → English → the first available. Returns the tag as `available` spells it;
 * 'en' when nothing is available.
 */
export function chooseLocale(ownerLocale: string | null | undefined, available: readonly string[]): string {
  const owners =
    typeof ownerLocale === 'string' && ownerLocale.trim() !== '' ? closest(ownerLocale.trim(), available) : undefined;
  return owners ?? closest('en', available) ?? available[0] ?? 'en';
}

/**
 * The locale dates and money are written for: the owner's own tag when it is a variant of the template's
 * language (an en-GB owner reading the English template gets "5 March 2025"), else the template's locale
 * (a pt-BR owner reading the English template gets English dates, not Portuguese ones inside English text).
 */
export function formattingLocale(ownerLocale: string | null | undefined, templateLocale: string): string {
  if (isValidLocale(ownerLocale) && languageOf(ownerLocale) === languageOf(templateLocale)) return ownerLocale;
  return isValidLocale(templateLocale) ? templateLocale : 'en';
}
