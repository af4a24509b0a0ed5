import fc from 'fast-check';
import { getNullableType, GraphQLEnumType, GraphQLInputObjectType, GraphQLList, type GraphQLInputType } from 'graphql';
import type { Shape } from './fuzz-operations.js';

/**
 * Values for the fuzzer: mostly valid for their field (so that inputs get past the first check
 * into the services), with hostile values mixed in at any depth: NUL, lone surrogates, bidi and
 * zero-width characters, huge strings and numbers, impossible dates, wrong types, deep nesting,
 * and "__proto__"/"constructor" keys.
 */

export interface FuzzContext {
  /** Ids of fixtures (organizations, products, units, tickets, …), so that id fields often name something real. */
  ids: string[];
  /** Valid values by field name (a product's SKU, a unit's serial number, "USD" for currency). */
  hints: Record<string, string[]>;
}

/** An own enumerable property, even for "__proto__": JSON.stringify then writes it as a key. */
export function setOwn(target: object, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const HOSTILE_PIECES = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u2028',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '%00',
  '%',
  "'",
  '"',
  '\\',
  '${x}',
  '{{7*7}}',
  '../../etc/passwd',
  "' OR 1=1 --",
  '$1',
  '😀',
  'e\u0301',
  '\uffff',
  '<script>',
];

const hostileString = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 6 }))
    .map(([a, b, c]) => a + b + c),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({
    unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 3,
  }),
  fc.constantFrom(
    'x'.repeat(10_001),
    '9'.repeat(400),
    '1e309',
    '-0',
    'NaN',
    'Infinity',
    '0x10',
    '   ',
    '',
    '2027-02-30',
    '275760-09-13T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-00-00',
    '2026-13-01',
    '2026-12-31T23:59:60Z',
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
    '-1',
    '1.',
    '.5',
    '1,5',
    '99999999999999999999.99',
  ),
);

const hostileNumber = fc.constantFrom(
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  1e308,
  -1e308,
  0.5,
  -1,
  0,
  -0,
  1e-300,
  Number.MAX_SAFE_INTEGER,
  1e21,
);

const wrongType = fc.constantFrom<unknown>(null, true, false, [], {}, 0, '', [[1]], { a: {} }, [null], 'true', '1');

function nested(kind: 'array' | 'object', depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}
const deep = fc
  .tuple(fc.constantFrom<'array' | 'object'>('array', 'object'), fc.integer({ min: 8, max: 60 }))
  .map(([kind, depth]) => nested(kind, depth));

const protoObject = fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => {
  const o = {};
  setOwn(o, key, key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true, isAdmin: true });
  return o;
});

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: wrongType, weight: 2 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: protoObject, weight: 1 },
);

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'isAdmin',
  'organizationId',
  'role',
  'extra',
  'a\u0000b',
  'toString',
];
const extraProperties = fc.oneof(
  { arbitrary: fc.constant<[string, unknown][]>([]), weight: 8 },
  {
    arbitrary: fc.array(
      fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.constantFrom<unknown>({ polluted: true }, 'x', 1, null)),
      { minLength: 1, maxLength: 2 },
    ),
    weight: 1,
  },
);

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => isoDate(new Date(Date.now() - n * 86_400_000));
const someDate = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2035-12-31T00:00:00Z'),
  noInvalidDate: true,
});

function validValue(shape: Shape, name: string, ctx: FuzzContext, depth: number): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case 'string': {
      if (shape.enum) return fc.constantFrom(...shape.enum);
      if (shape.format === 'uuid')
        return fc.oneof({ arbitrary: fc.constantFrom(...ctx.ids), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 });
      if (shape.format === 'date')
        return fc.oneof(fc.constantFrom(daysAgo(0), daysAgo(10), daysAgo(200), daysAgo(900)), someDate.map(isoDate));
      if (shape.format === 'date-time') return someDate.map((d) => d.toISOString());
      if (shape.format === 'decimal')
        return fc.constantFrom('0', '1', '2', '15', '12.5', '169.99', '999999999.9999', '0.0001');
      const hinted = ctx.hints[name];
      const text = fc.string({ minLength: 1, maxLength: 20 });
      return hinted
        ? fc.oneof({ arbitrary: fc.constantFrom(...hinted), weight: 3 }, { arbitrary: text, weight: 1 })
        : text;
    }
    case 'integer':
      return fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(1, 2, 12, 24, 100));
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fuzzValue(shape.of, name, ctx, depth + 1), { minLength: 1, maxLength: 3 });
    case 'object': {
      const fields = shape.fields.map((f) =>
        f.required
          ? fuzzValue(f.shape, f.name, ctx, depth + 1)
          : fc.option(fuzzValue(f.shape, f.name, ctx, depth + 1), { nil: undefined }),
      );
      return fc.tuple(fc.tuple(...fields), extraProperties).map(([values, extras]) => {
        const o = {};
        shape.fields.forEach((f, i) => values[i] !== undefined && setOwn(o, f.name, values[i]));
        for (const [key, value] of extras) setOwn(o, key, value);
        return o;
      });
    }
    case 'any':
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value for a field: valid for its shape most of the time, hostile sometimes, at any depth. */
export function fuzzValue(shape: Shape, name: string, ctx: FuzzContext, depth = 0): fc.Arbitrary<unknown> {
  const valid = validValue(shape, name, ctx, depth);
  return depth > 5 ? valid : fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: hostileValue, weight: 1 });
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A JavaScript value written as a GraphQL literal of `type` (the fuzzer sends some inputs inline, not as variables). */
export function graphqlLiteral(value: unknown, type: GraphQLInputType | null): string {
  const nullable = type ? getNullableType(type) : null;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    return nullable instanceof GraphQLEnumType && NAME.test(value) && !['true', 'false', 'null'].includes(value)
      ? value
      : JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const item = nullable instanceof GraphQLList ? (nullable.ofType as GraphQLInputType) : nullable;
    return `[${value.map((v) => graphqlLiteral(v, item)).join(', ')}]`;
  }
  const fields = nullable instanceof GraphQLInputObjectType ? nullable.getFields() : {};
  const entries = Object.entries(value as object).filter(([key]) => NAME.test(key));
  return `{${entries.map(([key, v]) => `${key}: ${graphqlLiteral(v, Object.hasOwn(fields, key) ? fields[key].type : null)}`).join(', ')}}`;
}
