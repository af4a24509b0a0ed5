import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A 2–3 letter language (ISO 639) and subtags of letters and digits, up to 35 characters, checked
 * before Intl parses it: BCP 47 also allows 5–8 letter languages, but none is in use, and "english" is a mistake.
 */
const TAG_SHAPE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const MAX_TAG_LENGTH = 35;

/** Whether a text is a well-formed BCP 47 language tag (en, pt-BR, zh-Hant-TW), as Intl reads them. */
export function isLocaleTag(tag: unknown): tag is string {
  if (typeof tag !== 'string' || tag.length > MAX_TAG_LENGTH || !TAG_SHAPE.test(tag)) return false;
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
