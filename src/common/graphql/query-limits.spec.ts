import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { costDependsOnVariables, isIntrospectionOnly, measureOperation } from './query-limits.js';

/** Measures the named operation of a document, or its only operation. */
function measure(source: string, operationName?: string) {
  const document = parse(source);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) throw new Error(`no operation ${operationName ?? ''}`);
  return measureOperation(operation, document);
}

describe('measureOperation: depth (selection sets below the root, as graphql-depth-limit counts)', () => {
  it.each([
    ['root leaf fields are depth 0', '{ me version }', 0],
    ['one nested selection set is depth 1', '{ me { role } }', 1],
    ['each nested selection set adds one level', '{ unit { product { manufacturer { name } } } }', 3],
    ['the deepest branch decides, not the first one', '{ a { b } c { d { e { f } } } g }', 3],
    ['a leaf next to a deep field does not lower the depth', '{ a { b { c } d } }', 2],
  ])('%s', (_rule, source, depth) => {
    expect(measure(source).depth).toBe(depth);
  });

  it('a named fragment adds the depth of its content at the spread point', () => {
    const viaFragment = measure(`
      { unit { ...UnitParts } }
      fragment UnitParts on Unit { product { manufacturer { name } } }
    `);
    const inline = measure('{ unit { product { manufacturer { name } } } }');
    expect(viaFragment.depth).toBe(3);
    expect(viaFragment.depth).toBe(inline.depth);
  });

  it('a fragment spread itself adds no level', () => {
    expect(measure('{ a { ...F } } fragment F on A { b }').depth).toBe(1);
  });

  it('an inline fragment adds no level of its own, its fields do', () => {
    expect(measure('{ node { ... on Unit { product { name } } } }').depth).toBe(2);
    expect(measure('{ node { ... on Unit { id } } }').depth).toBe(1);
  });

  it('nested fragments add up: a fragment spreading a fragment counts both contents', () => {
    const result = measure(`
      { a { ...F1 } }
      fragment F1 on A { b { ...F2 } }
      fragment F2 on B { c { d { e } } }
    `);
    expect(result.depth).toBe(4);
  });

  it('the same fragment used at different depths counts its deepest use', () => {
    const result = measure(`
      { shallow { ...Leafy } deep { x { y { ...Leafy } } } }
      fragment Leafy on T { l { m } }
    `);
    // deep(1) > x(2) > y(3) > l(4); the shallow use reaches only 2
    expect(result.depth).toBe(4);
  });

  it('inline fragments inside named fragments inside inline fragments count every field level', () => {
    const result = measure(`
      { node { ... on Unit { ...U } } }
      fragment U on Unit { product { ... on Product { manufacturer { name } } } }
    `);
    expect(result.depth).toBe(3);
  });

  it('a spread of an unknown fragment adds nothing (and does not throw)', () => {
    expect(measure('{ a { ...Missing } }').depth).toBe(1);
  });

  it('a fragment cycle (invalid, but measured defensively) terminates', () => {
    const result = measure(`
      { a { ...F } }
      fragment F on A { b { ...G } }
      fragment G on B { c { ...F } }
    `);
    // F and G are each followed once on the path: a > b (F) > c (G), then F is not entered again
    expect(result.depth).toBe(3);
  });

  it('only the given operation is measured, not the other operations of the document', () => {
    const source = `
      query Shallow { a }
      query Deep { a { b { c { d } } } }
    `;
    expect(measure(source, 'Shallow').depth).toBe(0);
    expect(measure(source, 'Deep').depth).toBe(3);
  });
});

describe('measureOperation: aliases', () => {
  it.each([
    ['no alias counts zero', '{ a b { c } }', 0],
    ['each aliased field counts one', '{ x: a y: a z: b { c } }', 3],
    ['aliases in nested selections count', '{ a { x: b { y: c } } }', 2],
    ['an alias inside an inline fragment counts', '{ node { ... on Unit { x: id y: id } } }', 2],
    ['a field whose alias equals its name still counts as aliased', '{ a: a }', 1],
  ])('%s', (_rule, source, aliases) => {
    expect(measure(source).aliases).toBe(aliases);
  });

  it('aliases inside a named fragment count', () => {
    expect(measure('{ a { ...F } } fragment F on A { x: b y: b }').aliases).toBe(2);
  });

  it('aliases in a fragment count once per spread (the answer repeats them)', () => {
    const result = measure(`
      { one: unit { ...F } two: unit { ...F } three: unit { ...F } }
      fragment F on Unit { p1: product { name } p2: product { name } }
    `);
    // 3 root aliases + 3 spreads × 2 aliases
    expect(result.aliases).toBe(9);
  });

  it('aliases in nested fragments multiply with the spreads', () => {
    const result = measure(`
      { a { ...F1 } b { ...F1 } }
      fragment F1 on A { x { ...F2 } y { ...F2 } }
      fragment F2 on X { k1: id k2: id }
    `);
    // F2 is reached 4 times (a.x, a.y, b.x, b.y), 2 aliases each
    expect(result.aliases).toBe(8);
  });

  it('aliases in a fragment that is defined but never spread do not count', () => {
    expect(measure('{ a } fragment Unused on A { x: b y: b z: b }').aliases).toBe(0);
  });

  it('aliases of another operation in the document do not count', () => {
    const source = `
      query Plain { a }
      query Aliased { x: a y: a }
    `;
    expect(measure(source, 'Plain').aliases).toBe(0);
    expect(measure(source, 'Aliased').aliases).toBe(2);
  });

  it('a fragment cycle does not count its aliases forever', () => {
    const result = measure(`
      { a { ...F } }
      fragment F on A { x: b { ...G } }
      fragment G on B { y: c { ...F } }
    `);
    expect(result.aliases).toBe(2);
  });
});

describe('introspection and the limits', () => {
  const operationOf = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;

  it('an operation that selects only __schema or __type is introspection, exempt from the limits', () => {
    expect(
      isIntrospectionOnly(
        operationOf('{ __schema { types { name fields { type { ofType { ofType { name } } } } } } }'),
      ),
    ).toBe(true);
    expect(isIntrospectionOnly(operationOf('{ __type(name: "Unit") { name } __typename }'))).toBe(true);
  });

  it('an operation that also reads data is not introspection', () => {
    expect(isIntrospectionOnly(operationOf('{ __schema { types { name } } me { role } }'))).toBe(false);
  });
});

describe('costDependsOnVariables: when the cost may be measured once per document', () => {
  it.each([
    ['a single coverage check', 'query($q: CoverageQuery!) { warrantyCoverage(query: $q) { covered reasons } }', false],
    ['a page size', 'query($n: Int) { units(first: $n) { edges { node { id } } } }', true],
    ['a batch of checks', 'query($qs: [CoverageQuery!]!) { warrantyCoverages(queries: $qs) { covered } }', true],
    ['an @include', 'query($all: Boolean!) { me { id organization @include(if: $all) { name } } }', true],
    ['a @skip', 'query($x: Boolean!) { me { id role @skip(if: $x) } }', true],
  ] as const)('%s', (_name, query, expected) => {
    expect(costDependsOnVariables(parse(query))).toBe(expected);
  });
});
