import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Checks REST answers against openapi.json (the committed document, which schema.e2e-spec.ts
 * keeps equal to what the code generates): each answer's status must be declared for its
 * operation, and its body must match the schema declared for that status. rest() (api.ts) runs
 * every answer of every suite through it, so the document cannot drift from what the server sends.
 */
type Json = Record<string, any>;

const API_PREFIX = '/api/v1';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export const openApiDocument: Json = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

/** OpenAPI 3.0's `nullable` as JSON Schema: null, or the schema without it. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, example: _example, examples: _examples, ...rest } = node as Json;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, toJsonSchema(v)]));
  return nullable === true ? { anyOf: [{ type: 'null' }, converted] } : converted;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addSchema({ $id: 'openapi', components: toJsonSchema(openApiDocument.components) });

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  responses: Json;
}

/** Every operation of the document, with a matcher for its path. */
export const operations: (Operation & { pattern: RegExp })[] = Object.entries(openApiDocument.paths as Json).flatMap(
  ([template, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      operationId: item[method].operationId as string,
      method,
      template,
      responses: item[method].responses as Json,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/:]+')}$`),
    })),
);

export function operationFor(method: string, url: string): Operation | undefined {
  const path = decodeURIComponent(url.split('?')[0]);
  return operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(path));
}

const resolve = (node: Json): Json => {
  if (!node?.$ref) return node;
  const [, ...parts] = (node.$ref as string).split('/');
  return parts.reduce((at: Json, part) => at[part], openApiDocument);
};

const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    // the schema's references point into the document added above
    const rebased = JSON.parse(key.replace(/"#\/components\//g, '"openapi#/components/'));
    validate = ajv.compile(toJsonSchema(rebased) as Json);
    compiled.set(key, validate);
  }
  return validate;
}

export interface CheckedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

/** Operations whose 2xx answers were checked in this test file (openapi-contract.e2e-spec.ts asks for all). */
export const checkedSuccesses = new Set<string>();

/**
 * The mismatches between an answer and its operation's declared answer for its status, as
 * sentences; empty when it matches. Requests outside the document (no such route) are not checked.
 */
export function contractMismatches(method: string, url: string, answer: CheckedAnswer): string[] {
  const operation = operationFor(method, url.startsWith(API_PREFIX) ? url : `${API_PREFIX}${url}`);
  if (!operation) return [];
  const where = `${method.toUpperCase()} ${url} (${operation.operationId}) answered ${answer.status}`;
  const declared = operation.responses[String(answer.status)];
  if (!declared)
    return [
      `${where}, a status openapi.json does not declare for it (declared: ${Object.keys(operation.responses).join(', ')})`,
    ];
  const response = resolve(declared);
  const contentType = String(answer.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  const media = response.content?.[contentType];
  if (!media)
    return [
      `${where} as ${contentType || 'no content type'}, which openapi.json does not declare (declared: ${Object.keys(response.content ?? {}).join(', ')})`,
    ];
  const validate = validatorFor(media.schema);
  // a streamed NDJSON answer: every line is one value of the schema
  const values =
    contentType === 'application/x-ndjson'
      ? (answer.text ?? '')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => JSON.parse(line) as unknown)
      : [answer.body];
  const problems: string[] = values.length === 0 ? [`${where} with no ${contentType} body`] : [];
  for (const value of values) {
    if (!validate(value))
      problems.push(
        `${where} with a body that does not match its schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(value).slice(0, 600)}`,
      );
  }
  if (problems.length === 0 && answer.status < 300) checkedSuccesses.add(operation.operationId);
  return problems;
}
