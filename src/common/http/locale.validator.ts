import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Letters, digits and hyphens, up to 35 characters: what a BCP 47 tag is made of, checked before Intl parses it. */
const TAG_CHARACTERS = /^[A-Za-z0-9-]{2,35}$/;

/** Whether a text is a well-formed BCP 47 language tag (en, pt-BR, zh-Hant-TW), as Intl reads them. */
export function isLocaleTag(tag: unknown): tag is string {
  if (typeof tag !== 'string' || !TAG_CHARACTERS.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** The tag in its canonical case (pt-br → pt-BR), so stored locales compare equal; call on a tag isLocaleTag accepted. */
export const canonicalLocale = (tag: string): string => Intl.getCanonicalLocales(tag)[0];

/** A BCP 47 language tag (en, it, pt-BR), refused naming the field otherwise. */
export const IsLocaleTag = (options: ValidationOptions = {}) =>
  ValidateBy(
    {
      name: 'isLocaleTag',
      validator: {
        validate: (value: unknown) => isLocaleTag(value),
        defaultMessage: () => '$property must be a BCP 47 language tag such as "en", "it" or "pt-BR"',
      },
    },
    options,
  );
