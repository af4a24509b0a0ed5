import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { badInput } from '../errors/domain-error.js';
import { JSON_CONTENT_TYPE, takesStreamedBody, unsupportedMediaType } from './streaming-body.js';

/** JSON bodies nest at most this deep: the deepest real input is a few levels; 10,000 levels would exhaust the stack further on. */
const MAX_JSON_DEPTH = 32;

/** True when the JSON text nests arrays and objects deeper than `limit` (read without parsing, so without recursion). */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Objects without a prototype: a "__proto__" key is then an ordinary (refusable) field, never a prototype. */
function withoutPrototype(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.assign(Object.create(null), value);
}

/** JSON.parse for rows of data files: objects have no prototype and nesting is bounded. */
export function parseJsonWithoutPrototypes(text: string): unknown {
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return JSON.parse(text, withoutPrototype);
}

/**
 * JSON request bodies (REST and GraphQL) are read by Fastify's own parser, which refuses
 * "__proto__" and "constructor.prototype" keys, after a nesting check: too deep is a 400 naming
 * the body, not a stack overflow further on.
 */
export function registerJsonBodyParser(app: NestFastifyApplication, bodyLimit: number) {
  const parseJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>(JSON_CONTENT_TYPE, { bodyLimit }, (req, body, done) => {
    if (takesStreamedBody(req)) {
      // a streaming route (an import) takes NDJSON or CSV, not one JSON document
      done(unsupportedMediaType(req), undefined);
      return;
    }
    const text = body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(badInput('body', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    // a refused "__proto__" key or malformed JSON names the body, as every input error names its field
    void parseJson(req, text, (error, value) =>
      error ? done(badInput('body', error.message), undefined) : done(null, value),
    );
  });
}
