import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
}

/** Depth of the deepest field and the number of aliases, following fragments (each fragment once per path). */
export function measureOperation(operation: OperationDefinitionNode, document: DocumentNode): { depth: number; aliases: number } {
  const fragments = fragmentsOf(document);
  let aliases = 0;
  const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
    let deepest = depth;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        if (selection.selectionSet) deepest = Math.max(deepest, walk(selection.selectionSet, depth + 1, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, walk(selection.selectionSet, depth, seen));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name)) deepest = Math.max(deepest, walk(fragment.selectionSet, depth, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  const depth = walk(operation.selectionSet, 0, new Set());
  return { depth, aliases };
}

/** Lists cost what they may return: a field with `first` multiplies its children by it (default page 20). */
const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : args.queries && Array.isArray(args.queries) ? args.queries.length : null;
  if (first !== null) return 1 + childComplexity * Math.max(first, 1);
  return undefined;
};

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', errorCode: 'QUERY_TOO_COMPLEX' } });
}

/** Rejects too deep, too aliased or too costly operations after validation and before any resolver runs. */
export function queryLimitsPlugin(limits: QueryLimits, schema: () => GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const { depth, aliases } = measureOperation(operation, document);
          if (depth > limits.maxDepth) throw limitError(`The query is ${depth} levels deep; the limit is ${limits.maxDepth}.`);
          if (aliases > limits.maxAliases) throw limitError(`The query uses ${aliases} aliases; the limit is ${limits.maxAliases}.`);
          const cost = getComplexity({
            schema: schema(),
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [paginationEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > limits.maxCost) throw limitError(`The query costs ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer fields.`);
        },
      };
    },
  };
}
