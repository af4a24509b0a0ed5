import { chooseLocale, isValidLocale, languageOf } from '../../outreach/templates/locale.js';
import { en } from './en.js';
import { es } from './es.js';
import { it } from './it.js';
import type { OwnerText } from './owner-text.js';
import { ru } from './ru.js';
import { sv } from './sv.js';

const TEXTS: Record<string, OwnerText> = { en, it, es, ru, sv };

/** The languages the owner pages are written in. */
export const PAGE_LANGUAGES = Object.keys(TEXTS);

/** The page's language for an owner's locale (pt-BR → pt → en), as messages choose theirs (chooseLocale). */
export function textFor(ownerLocale: string | null | undefined): OwnerText {
  return TEXTS[chooseLocale(ownerLocale, PAGE_LANGUAGES)];
}

/** At most this many ranges of an Accept-Language header are read. */
const MAX_RANGES = 20;

/**
 * The language a browser asks for when no owner is known (a link that is not valid names none):
 * the highest-weighted range the pages are written in, else English.
 */
export function textForAcceptLanguage(header: string | string[] | undefined): OwnerText {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranges = value
    .split(',', MAX_RANGES)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && isValidLocale(r.tag) && PAGE_LANGUAGES.includes(languageOf(r.tag)))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return textFor(ranges[0]?.tag);
}
