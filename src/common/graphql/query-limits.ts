import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

/**
 * Depth of the deepest field and the number of aliases, following fragments. Each fragment is
 * measured once and reused at every spread, so a document of fragments spreading each other
 * costs linear time (validation has already refused fragment cycles).
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  document: DocumentNode,
): { depth: number; aliases: number } {
  const fragments = fragmentsOf(document);
  const measured = new Map<string, { depth: number; aliases: number }>();
  const measureSet = (set: SelectionSetNode, visiting: Set<string>): { depth: number; aliases: number } => {
    let depth = 0;
    let aliases = 0;
    for (const selection of set.selections) {
      let inner = { depth: 0, aliases: 0 };
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        if (selection.selectionSet) {
          const child = measureSet(selection.selectionSet, visiting);
          inner = { depth: child.depth + 1, aliases: child.aliases };
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measureSet(selection.selectionSet, visiting);
      } else {
        inner = measureFragment(selection.name.value, visiting);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
    return { depth, aliases };
  };
  const measureFragment = (name: string, visiting: Set<string>) => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return { depth: 0, aliases: 0 };
    const result = measureSet(fragment.selectionSet, new Set([...visiting, name]));
    measured.set(name, result);
    return result;
  };
  return measureSet(operation.selectionSet, new Set());
}

/**
 * The IDE's schema introspection is deep by nature but reads only the schema, never data: it is
 * exempt from the limits (and turned off entirely in production).
 */
export function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

/** Lists cost what they may return: a field with `first` multiplies its children by it (default page 20). */
const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first =
    typeof args.first === 'number'
      ? args.first
      : args.queries && Array.isArray(args.queries)
        ? args.queries.length
        : null;
  if (first !== null) return 1 + childComplexity * Math.max(first, 1);
  return undefined;
};

/** A refusal before execution: 400, like any other bad request. */
function limitError(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', errorCode: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
  });
}

/** The cost, or null when the variables do not fit the operation: execution then refuses them with a proper error. */
function costOf(args: Parameters<typeof getComplexity>[0]): number | null {
  try {
    return getComplexity(args);
  } catch {
    return null;
  }
}

/** Whether the cost can depend on the variables: list sizes (first, queries) and @include/@skip. */
export function costDependsOnVariables(document: DocumentNode): boolean {
  let depends = false;
  visit(document, {
    Argument(node) {
      if (node.name.value === 'first' || node.name.value === 'queries') depends = true;
    },
    Directive(node) {
      if (node.name.value === 'include' || node.name.value === 'skip') depends = true;
    },
  });
  return depends;
}

interface Measured {
  depth: number;
  aliases: number;
  /** The cost, once known, when it is the same for any variables. */
  fixedCost: number | null;
  /** Whether list sizes in the variables change the cost. */
  varies: boolean;
}

/**
 * Rejects too deep, too aliased or too costly operations after validation and before any resolver
 * runs. Apollo reuses one parsed document per distinct query text, so what does not depend on the
 * variables is measured once per document and operation.
 */
export function queryLimitsPlugin(limits: QueryLimits, schema: () => GraphQLSchema): ApolloServerPlugin {
  const measuredByDocument = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Measured>>();
  const estimators = [paginationEstimator, simpleEstimator({ defaultComplexity: 1 })];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation || isIntrospectionOnly(operation)) return;
          let byOperation = measuredByDocument.get(document);
          if (!byOperation) measuredByDocument.set(document, (byOperation = new Map()));
          let measured = byOperation.get(operation);
          if (!measured) {
            measured = {
              ...measureOperation(operation, document),
              fixedCost: null,
              varies: costDependsOnVariables(document),
            };
            byOperation.set(operation, measured);
          }
          const { depth, aliases } = measured;
          if (depth > limits.maxDepth)
            throw limitError(`The query is ${depth} levels deep; the limit is ${limits.maxDepth}.`);
          if (aliases > limits.maxAliases)
            throw limitError(`The query uses ${aliases} aliases; the limit is ${limits.maxAliases}.`);
          let cost = measured.fixedCost;
          if (cost === null) {
            cost = costOf({
              schema: schema(),
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators,
            });
            // the same for any variables: worked out once (once the variables fit the operation)
            if (!measured.varies) measured.fixedCost = cost;
          }
          if (cost !== null && cost > limits.maxCost)
            throw limitError(
              `The query costs ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer fields.`,
            );
        },
      };
    },
  };
}
