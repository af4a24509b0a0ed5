import { findTextProblem, textProblem } from './input-text.js';
import { jsonNestsDeeperThan, parseJsonWithoutPrototypes } from './safe-json.js';

describe('textProblem: text no field may hold', () => {
  it.each([
    ['plain text', 'Ada Lovelace'],
    ['accents and scripts', 'Zoë 山田'],
    ['an emoji (a surrogate pair)', '👩‍🔧'],
    ['the empty string', ''],
  ])('accepts %s', (_what, text) => {
    expect(textProblem(text)).toBeNull();
  });

  it.each([
    ['a NUL', 'A\u0000B', /NUL/],
    ['a lone high surrogate', 'A\ud800', /lone surrogate/],
    ['a lone low surrogate', '\udc00A', /lone surrogate/],
    ['two high surrogates', '\ud800\ud800\udc00', /lone surrogate/],
  ])('refuses %s', (_what, text, message) => {
    expect(textProblem(text)).toMatch(message);
  });
});

describe('findTextProblem: the first bad string anywhere in an input, by dotted path', () => {
  it('names the nested field', () => {
    expect(findTextProblem({ customer: { name: 'Ada', email: 'a\u0000@x' } })).toMatchObject({
      field: 'customer.email',
    });
  });

  it('names an array element by index', () => {
    expect(findTextProblem({ lines: [{ note: 'ok' }, { note: '\ud800' }] })).toMatchObject({ field: 'lines.1.note' });
  });

  it('names the value itself with an empty path', () => {
    expect(findTextProblem('\u0000')).toMatchObject({ field: '' });
  });

  it('checks object keys too', () => {
    expect(findTextProblem({ customer: { 'na\u0000me': 'Ada' } })).toMatchObject({ field: 'customer' });
  });

  it('walks 100,000 levels of nesting without a stack overflow', () => {
    let value: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(findTextProblem(value)?.message).toMatch(/NUL/);
  });

  it('finds nothing in a clean input, numbers, booleans and dates', () => {
    expect(findTextProblem({ a: 1, b: true, c: null, d: new Date(), e: ['x'] })).toBeNull();
  });
});

describe('JSON nesting and prototypes', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestsDeeperThan('{"a":"[[[[[[[[[[[["}', 3)).toBe(false);
    expect(jsonNestsDeeperThan('[[[[1]]]]', 3)).toBe(true);
    expect(jsonNestsDeeperThan('{"a\\"[[[[":1}', 1)).toBe(false);
  });

  it('parses rows into objects without a prototype: "__proto__" is an ordinary key', () => {
    const value = parseJsonWithoutPrototypes('{"__proto__":{"polluted":true},"customer":{"name":"Ada"}}') as Record<
      string,
      any
    >;
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.getPrototypeOf(value.customer)).toBeNull();
    expect(Object.keys(value)).toEqual(['__proto__', 'customer']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses rows nested too deep', () => {
    expect(() => parseJsonWithoutPrototypes('['.repeat(1000) + ']'.repeat(1000))).toThrow(SyntaxError);
  });
});
