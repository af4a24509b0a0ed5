/**
 * A self-contained JSON Schema (draft 2020-12) for one schema of the OpenAPI document: the schema
 * and every schema it refers to, under `$defs`, with OpenAPI 3.0's `nullable` and `example`
 * written as JSON Schema says them (`type: [..., "null"]`, `examples`).
 */
export type OpenApiSchemas = Record<string, unknown>;
type Json = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

export function jsonSchemaOf(name: string, schemas: OpenApiSchemas): Json {
  const defs: Record<string, unknown> = {};
  const pending = [name];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next in defs || !(next in schemas)) continue;
    defs[next] = convert(schemas[next], (ref) => pending.push(ref));
  }
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $ref: `#/$defs/${name}`, $defs: defs };
}

function convert(node: unknown, refer: (name: string) => void): unknown {
  if (Array.isArray(node)) return node.map((item) => convert(item, refer));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = Object.create(null);
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'nullable' || key === 'example') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      const target = value.slice(REF_PREFIX.length);
      refer(target);
      out.$ref = `#/$defs/${target}`;
    } else out[key] = convert(value, refer);
  }
  const source = node as Json;
  if ('example' in source) out.examples = [source.example];
  return source.nullable === true ? nullable(out) : { ...out };
}

function nullable(schema: Json): Json {
  const composed = ['allOf', 'anyOf', 'oneOf', '$ref'].some((keyword) => keyword in schema);
  if (!composed && typeof schema.type === 'string') {
    const withNull: Json = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) withNull.enum = [...schema.enum, null];
    return withNull;
  }
  return { anyOf: [{ ...schema }, { type: 'null' }] };
}
