// The test clients' GraphQL operations live in graphql/*.graphql, each named, with fragments that
// any file may use. `node clients/generate.mjs` (run by `npm run typecheck`) types every operation
// from schema.gql into generated/graphql.ts; `operation(name)` gives its text, typed with them.
// That file is imported for its types only, so the tests run without it.
import { readdirSync, readFileSync } from 'node:fs';
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { TestOperations } from './generated/graphql.js';

declare const resultType: unique symbol;
declare const variablesType: unique symbol;

/** An operation's text, which carries its result and variables types (for the compiler only: it is a string). */
export type TypedDocument<TResult, TVariables> = string & {
  readonly [resultType]: TResult;
  readonly [variablesType]: TVariables;
};

export type OperationName = keyof TestOperations;
export type ResultOf<N extends OperationName> = TestOperations[N]['result'];
export type VariablesOf<N extends OperationName> = TestOperations[N]['variables'];

const folder = new URL('graphql/', import.meta.url);
const definitions = parse(
  readdirSync(folder)
    .filter((name) => name.endsWith('.graphql'))
    .map((name) => readFileSync(new URL(name, folder), 'utf8'))
    .join('\n'),
).definitions;
const operations = new Map(
  definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => [d.name?.value, d]),
);
const fragments = new Map(
  definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((d) => [d.name.value, d]),
);

/** The fragments a definition spreads, and theirs in turn. */
function fragmentsUsedBy(definition: OperationDefinitionNode | FragmentDefinitionNode, found = new Set<string>()) {
  visit(definition, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (found.has(name)) return;
      const fragment = fragments.get(name);
      if (!fragment) throw new Error(`test/support/graphql: no fragment ${name}`);
      found.add(name);
      fragmentsUsedBy(fragment, found);
    },
  });
  return found;
}

/**
 * The text of a named operation of graphql/*.graphql with the fragments it uses (the server
 * refuses a document with fragments it does not use), typed with its result and variables.
 */
export function operation<N extends OperationName>(name: N): TypedDocument<ResultOf<N>, VariablesOf<N>> {
  const definition = operations.get(name);
  if (!definition) throw new Error(`test/support/graphql: no operation ${name}`);
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [definition, ...[...fragmentsUsedBy(definition)].map((fragment) => fragments.get(fragment)!)],
  };
  return print(document) as TypedDocument<ResultOf<N>, VariablesOf<N>>;
}

/**
 * The text of an operation for the specs that pass it to gql() or run() themselves: its variables
 * are not checked and its answer is `any`. Those specs were written against untyped answers (they
 * read union members and nullable fields without narrowing first) and their assertions are not
 * changed with the clients; the clients' own helpers use `operation(name)`.
 */
export const untypedOperation = (name: OperationName): string => operation(name);
