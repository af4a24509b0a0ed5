import {
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Every operation of both APIs, read from the running app (the OpenAPI document and the GraphQL
 * schema), as shapes the fuzzer fills with values: an operation added later is fuzzed without
 * anyone listing it here.
 */

export type StringFormat = 'uuid' | 'date' | 'date-time' | 'decimal';

export type Shape =
  | { kind: 'string'; format?: StringFormat; enum?: readonly string[] }
  | { kind: 'integer' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'object'; fields: FieldShape[] }
  | { kind: 'array'; of: Shape }
  | { kind: 'any' };

export interface FieldShape {
  name: string;
  shape: Shape;
  required: boolean;
}

export interface RestOperation {
  api: 'REST';
  /** "POST /api/v1/units/{id}:transfer" */
  name: string;
  method: string;
  path: string;
  pathParams: string[];
  query: FieldShape[];
  /** A JSON body, or rows streamed as NDJSON (the bulk import). */
  body?: { kind: 'json'; shape: Shape; required: boolean } | { kind: 'ndjson'; row: Shape };
  writes: boolean;
}

export interface GraphqlArgument extends FieldShape {
  /** The argument's type as written in an operation, e.g. "RegisterUnitInput!". */
  typeName: string;
  type: GraphQLInputType;
}

export interface GraphqlOperation {
  api: 'GraphQL';
  /** "mutation registerUnit" */
  name: string;
  operation: 'query' | 'mutation';
  field: string;
  args: GraphqlArgument[];
  /** What to select on the answer: nothing for a scalar, its __typename otherwise. */
  selection: string;
  writes: boolean;
}

export type Operation = RestOperation | GraphqlOperation;

// ---------------------------------------------------------------- OpenAPI

type SchemaObject = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  example?: unknown;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  allOf?: SchemaObject[];
};
type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; required?: boolean; schema?: SchemaObject }[];
        requestBody?: { required?: boolean; content: Record<string, { schema: SchemaObject }> };
      }
    >
  >;
  components?: { schemas?: Record<string, SchemaObject> };
};

const DECIMAL_EXAMPLE = /^-?\d+(\.\d+)?$/;

function openApiShape(doc: OpenApiDocument, schema: SchemaObject | undefined, seen: Set<string> = new Set()): Shape {
  if (!schema) return { kind: 'any' };
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    if (seen.has(name)) return { kind: 'any' };
    return openApiShape(doc, doc.components?.schemas?.[name], new Set([...seen, name]));
  }
  if (schema.allOf?.length) return openApiShape(doc, schema.allOf[0], seen);
  if (schema.enum) return { kind: 'string', enum: schema.enum };
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid' || schema.format === 'date' || schema.format === 'date-time')
        return { kind: 'string', format: schema.format };
      // Decimal amounts are documented as strings with a numeric example ("169.99")
      return typeof schema.example === 'string' && DECIMAL_EXAMPLE.test(schema.example)
        ? { kind: 'string', format: 'decimal' }
        : { kind: 'string' };
    case 'number':
    case 'integer':
      return { kind: 'integer' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', of: openApiShape(doc, schema.items, seen) };
    case 'object':
    case undefined:
      if (!schema.properties) return { kind: 'any' };
      return {
        kind: 'object',
        fields: Object.entries(schema.properties).map(([name, property]) => ({
          name,
          shape: openApiShape(doc, property, seen),
          required: schema.required?.includes(name) ?? false,
        })),
      };
    default:
      return { kind: 'any' };
  }
}

/** Every operation of the OpenAPI document. A POST without a JSON body that streams rows (the import) gets NDJSON rows of RegisterUnitInput. */
export function restOperations(doc: OpenApiDocument): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      const upper = method.toUpperCase();
      const parameters = spec.parameters ?? [];
      const json = spec.requestBody?.content['application/json'];
      const streamsRows = upper === 'POST' && !json && path.endsWith(':import');
      operations.push({
        api: 'REST',
        name: `${upper} ${path}`,
        method: upper,
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, shape: openApiShape(doc, p.schema), required: p.required ?? false })),
        body: json
          ? { kind: 'json', shape: openApiShape(doc, json.schema), required: spec.requestBody?.required ?? true }
          : streamsRows
            ? { kind: 'ndjson', row: openApiShape(doc, { $ref: '#/components/schemas/RegisterUnitInput' }) }
            : undefined,
        writes: upper !== 'GET',
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------- GraphQL

const SCALAR_SHAPES: Record<string, Shape> = {
  ID: { kind: 'string', format: 'uuid' },
  String: { kind: 'string' },
  Int: { kind: 'integer' },
  Float: { kind: 'number' },
  Boolean: { kind: 'boolean' },
  Date: { kind: 'string', format: 'date' },
  DateTime: { kind: 'string', format: 'date-time' },
  Decimal: { kind: 'string', format: 'decimal' },
};

function graphqlShape(type: GraphQLInputType, seen: Set<string> = new Set()): Shape {
  if (type instanceof GraphQLNonNull) return graphqlShape(type.ofType, seen);
  if (type instanceof GraphQLList) return { kind: 'array', of: graphqlShape(type.ofType, seen) };
  if (type instanceof GraphQLEnumType) return { kind: 'string', enum: type.getValues().map((v) => v.name) };
  if (type instanceof GraphQLScalarType) return SCALAR_SHAPES[type.name] ?? { kind: 'any' };
  if (type instanceof GraphQLInputObjectType) {
    if (seen.has(type.name)) return { kind: 'any' };
    const inner = new Set([...seen, type.name]);
    return {
      kind: 'object',
      fields: Object.values(type.getFields()).map((f) => ({
        name: f.name,
        shape: graphqlShape(f.type, inner),
        required: f.type instanceof GraphQLNonNull,
      })),
    };
  }
  return { kind: 'any' };
}

function selectionFor(field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type);
  return named instanceof GraphQLScalarType || named instanceof GraphQLEnumType ? '' : '{ __typename }';
}

/** Every query and mutation field of the schema (subscriptions run over WebSocket and are left out). */
export function graphqlOperations(schema: GraphQLSchema): GraphqlOperation[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([operation, root]) =>
    Object.values(root?.getFields() ?? {}).map((field): GraphqlOperation => ({
      api: 'GraphQL',
      name: `${operation} ${field.name}`,
      operation,
      field: field.name,
      args: field.args.map((arg) => ({
        name: arg.name,
        typeName: String(arg.type),
        type: arg.type,
        shape: graphqlShape(arg.type),
        required: arg.type instanceof GraphQLNonNull,
      })),
      selection: selectionFor(field),
      writes: operation === 'mutation',
    })),
  );
}
