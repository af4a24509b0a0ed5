import { chooseLocale, formattingLocale, isValidLocale, languageOf } from './locale.js';

const SHIPPED = ['en', 'it', 'es', 'ru', 'sv'];

describe('outreach locales', () => {
  it('accepts well-formed BCP 47 tags and refuses anything else', () => {
    for (const tag of ['en', 'pt-BR', 'zh-Hant-TW', 'sv-SE', 'es-419', 'EN-gb']) expect(isValidLocale(tag)).toBe(true);
    for (const tag of [
      '',
      'e',
      'en_US',
      'en-',
      '-en',
      '12',
      'english',
      'en US',
      'en-toolongsubtag',
      'x'.repeat(36),
      null,
      42,
    ]) {
      expect(isValidLocale(tag)).toBe(false);
    }
  });

  it('reads the language part of a tag', () => {
    expect(languageOf('pt-BR')).toBe('pt');
    expect(languageOf('SV')).toBe('sv');
    expect(languageOf('pt_BR')).toBe('pt');
  });

  it('takes the exact locale, in any case, as the available list spells it', () => {
    expect(chooseLocale('it', SHIPPED)).toBe('it');
    expect(chooseLocale('RU', SHIPPED)).toBe('ru');
    expect(chooseLocale('pt-BR', ['en', 'pt-br'])).toBe('pt-br');
    expect(chooseLocale('EN-us', ['it', 'en-US'])).toBe('en-US');
  });

  it('falls back to the language part: pt-BR → pt, sv-SE → sv, it-CH → it', () => {
    expect(chooseLocale('pt-BR', ['en', 'pt'])).toBe('pt');
    expect(chooseLocale('sv-SE', SHIPPED)).toBe('sv');
    expect(chooseLocale('IT-ch', SHIPPED)).toBe('it');
  });

  it('prefers another tag of the same language to English (en-GB reads en-US, es-MX reads es-ES)', () => {
    expect(chooseLocale('en-GB', ['it', 'en-US'])).toBe('en-US');
    expect(chooseLocale('es-MX', ['en', 'es-ES'])).toBe('es-ES');
  });

  it('falls back to English, then to the first available', () => {
    expect(chooseLocale('pt-BR', SHIPPED)).toBe('en');
    expect(chooseLocale('de', ['it', 'en-GB'])).toBe('en-GB');
    expect(chooseLocale('de', ['it', 'sv'])).toBe('it');
    expect(chooseLocale(null, SHIPPED)).toBe('en');
    expect(chooseLocale(undefined, ['sv'])).toBe('sv');
    expect(chooseLocale('  ', SHIPPED)).toBe('en');
    expect(chooseLocale('it', [])).toBe('en');
  });

  it("writes dates and money for the owner's own variant of the template's language, else for the template", () => {
    expect(formattingLocale('en-GB', 'en')).toBe('en-GB');
    expect(formattingLocale('sv-FI', 'sv')).toBe('sv-FI');
    expect(formattingLocale('pt-BR', 'en')).toBe('en');
    expect(formattingLocale(null, 'it')).toBe('it');
    expect(formattingLocale('not a tag', 'ru')).toBe('ru');
    expect(formattingLocale('en', 'not a tag')).toBe('en');
  });
});
