import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { PROBLEMS_EXTENSION } from './operation.js';

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The error answers, each described once (components.responses) and referenced by the operations. */
const PROBLEM_RESPONSES: Record<number, { name: string; description: string; headers?: string[] }> = {
  400: {
    name: 'BadRequest',
    description: 'The request is not valid: `field` names the parameter, header or body field.',
  },
  401: { name: 'Unauthorized', description: 'No API key, or one that is unknown, revoked or expired.' },
  403: { name: 'Forbidden', description: "The caller's organization or role may not do this." },
  404: { name: 'NotFound', description: 'No such record, or none the caller may see.' },
  409: {
    name: 'Conflict',
    description:
      'A conflict: the record changed (VERSION_CONFLICT, with currentVersion), a duplicate, or an Idempotency-Key still in use.',
  },
  413: { name: 'PayloadTooLarge', description: 'The request body is larger than the server takes.' },
  415: {
    name: 'UnsupportedMediaType',
    description: 'A body of a content type the operation does not take; the Accept header names those it takes.',
    headers: ['Accept'],
  },
  422: {
    name: 'UnprocessableContent',
    description:
      'Refused by a business rule (errorCode says which; INVALID_STATE_TRANSITION adds fromState, toState and allowedStates), or an Idempotency-Key reused with another request.',
  },
  429: {
    name: 'TooManyRequests',
    description: 'Over the rate limit: retry after Retry-After seconds.',
    headers: ['Retry-After'],
  },
  500: { name: 'InternalServerError', description: 'A failure on our side; correlationId finds it in our logs.' },
  503: {
    name: 'ServiceUnavailable',
    description: 'The database is not reachable right now: retry after Retry-After seconds.',
    headers: ['Retry-After'],
  },
};

const RATE_LIMIT_HEADERS = ['RateLimit', 'RateLimit-Policy'];

const HEADERS = {
  RateLimit: {
    description:
      'Requests left in the current window and the seconds until it ends (draft-ietf-httpapi-ratelimit-headers), e.g. `"default";r=1187;t=42`. Sent when rate limiting is on.',
    schema: { type: 'string', example: '"default";r=1187;t=42' },
  },
  'RateLimit-Policy': {
    description:
      'The quota: requests per 60 s window for one API key, e.g. `"default";q=1200;w=60`. Sent when rate limiting is on.',
    schema: { type: 'string', example: '"default";q=1200;w=60' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 0, example: 5 },
  },
  Accept: {
    description: 'The content types the operation takes.',
    schema: { type: 'string', example: 'application/json' },
  },
};

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same key with the same request answers with the first answer (Idempotent-Replayed: true) instead of doing it twice; ' +
    'with another request it is a 422. Keys are per API key and kept at least 24 hours (IDEMPOTENCY_TTL_HOURS).',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7E]+$',
    example: '8e0f6c3a-2b1d-4c5e-9f7a-6b3d2e1c0a9f',
  },
};

const MUTATIONS = new Set(['post', 'put', 'patch', 'delete']);

/** The error statuses an operation can answer with, from its shape and its own list. */
function problemStatuses(method: string, operation: OperationObject, own: number[]): number[] {
  const statuses = new Set([401, 429, 500, 503, ...own]);
  if ((operation.parameters ?? []).length > 0) statuses.add(400);
  if (operation.requestBody) for (const status of [400, 413, 415]) statuses.add(status);
  // an Idempotency-Key can be malformed (400), in use (409) or reused with another request (422)
  if (MUTATIONS.has(method)) for (const status of [400, 409, 422]) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * @nestjs/swagger writes a property of a named schema as `allOf: [$ref]`. OpenAPI 3.0 needs that
 * wrapper only to make the reference nullable, where it also needs the referenced type beside
 * `nullable`; anywhere else the property is the plain reference.
 */
function simplifyReferences(schemas: Record<string, SchemaObject | ReferenceObject>): void {
  const typeOf = (ref: string) => (schemas[ref.split('/').at(-1)!] as SchemaObject | undefined)?.type;
  const simplify = (schema: SchemaObject | ReferenceObject | undefined): SchemaObject | ReferenceObject | undefined => {
    if (!schema || '$ref' in schema) return schema;
    for (const [name, property] of Object.entries(schema.properties ?? {}))
      schema.properties![name] = simplify(property)!;
    if (schema.items) schema.items = simplify(schema.items);
    const only = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
    if (!only || !('$ref' in only)) return schema;
    if (!schema.nullable) return { $ref: only.$ref };
    schema.type ??= typeOf(only.$ref);
    return schema;
  };
  for (const schema of Object.values(schemas)) simplify(schema);
}

/** The error answers, the rate limit headers and the Idempotency-Key parameter, each described once. */
function addSharedComponents(document: OpenAPIObject): void {
  const components = (document.components ??= {});
  simplifyReferences(components.schemas ?? {});
  components.headers = { ...components.headers, ...HEADERS };
  components.parameters = { ...components.parameters, IdempotencyKey: IDEMPOTENCY_KEY };
  components.responses = { ...components.responses };
  for (const { name, description, headers } of Object.values(PROBLEM_RESPONSES)) {
    components.responses[name] = {
      description,
      headers: Object.fromEntries([...RATE_LIMIT_HEADERS, ...(headers ?? [])].map((h) => [h, header(h)])),
      content: { 'application/problem+json': { schema: PROBLEM_REF } },
    };
  }
}

/** One operation's rate limit headers on its 2xx answers, references to its error answers, its Idempotency-Key. */
function completeOperation(method: string, operation: OperationObject & Record<string, unknown>): void {
  const own = (operation[PROBLEMS_EXTENSION] as number[] | undefined) ?? [];
  delete operation[PROBLEMS_EXTENSION];
  for (const [status, response] of Object.entries(operation.responses) as [
    string,
    ResponseObject | ReferenceObject,
  ][]) {
    if (status.startsWith('2') && !('$ref' in response)) {
      response.headers = {
        ...response.headers,
        ...Object.fromEntries(RATE_LIMIT_HEADERS.map((h) => [h, header(h)])),
      };
    }
  }
  for (const status of problemStatuses(method, operation, own)) {
    operation.responses[status] = { $ref: `#/components/responses/${PROBLEM_RESPONSES[status].name}` };
  }
  if (MUTATIONS.has(method))
    operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
}

/**
 * Completes the document @nestjs/swagger generates with what decorators cannot say once for
 * all operations: the problem+json error answers, the rate limit headers and the Idempotency-Key
 * header of mutations, each described once in components and referenced.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  addSharedComponents(document);
  for (const path of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(path) as [string, OperationObject & Record<string, unknown>][]) {
      if (operation && typeof operation === 'object' && 'responses' in operation) completeOperation(method, operation);
    }
  }
  return document;
}
