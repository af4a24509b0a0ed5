import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { MetricsService } from './metrics.service.js';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The root fields an operation selects (through fragments too), without __typename. */
function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): Set<string> {
  const names = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') names.add(selection.name.value);
    } else {
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
      if (name !== null && seen.has(name)) continue;
      if (name !== null) seen.add(name);
      const nested =
        selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(name!)?.selectionSet;
      if (nested) for (const inner of rootFieldNames(nested, fragments, seen)) names.add(inner);
    }
  }
  return names;
}

/**
 * Labels for an operation, all from bounded sets: the operation type, and the root field's name
 * when it is one the schema defines ("multiple" for several, "none" for only __typename). The
 * operation name is the client's free text and is never used.
 */
export function operationLabels(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  schema: GraphQLSchema,
): { operation_type: string; root_field: string } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const names = [...rootFieldNames(operation.selectionSet, fragments)];
  const rootType = schema.getRootType(operation.operation);
  let rootField = 'none';
  if (names.length > 1) rootField = 'multiple';
  else if (names.length === 1) {
    const [name] = names;
    rootField =
      rootType?.getFields()[name] || (operation.operation === 'query' && INTROSPECTION_FIELDS.has(name))
        ? name
        : 'unknown';
  }
  return { operation_type: operation.operation, root_field: rootField };
}

/** Times GraphQL operations over HTTP (found by @nestjs/apollo through @Plugin()). */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: MetricsService) {}

  async requestDidStart(): Promise<GraphQLRequestListener<BaseContext> | void> {
    if (!this.metrics.enabled) return;
    const stopTimer = this.metrics.graphqlDuration.startTimer();
    // a document refused before it ran (syntax, validation, limits) keeps these
    let labels = { operation_type: 'none', root_field: 'none' };
    return {
      async didResolveOperation({ operation, document, schema }) {
        if (operation) labels = operationLabels(operation, document, schema);
      },
      async willSendResponse({ response }) {
        const failed = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0;
        stopTimer({ ...labels, outcome: failed ? 'error' : 'ok' });
      },
    };
  }
}
