import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its body as a stream of one of STREAMED_CONTENT_TYPES, never as JSON (see StreamedBody). */
    streamedBody?: boolean;
    /** The route takes an HTML form (FORM_CONTENT_TYPES) as a stream and reads it itself, with a small limit (the owner pages). */
    formBody?: boolean;
  }
}

/** Every body is JSON, except on the routes marked with StreamedBody. */
export const JSON_CONTENT_TYPE = 'application/json';

/** Content types whose bodies are handed to the route as a stream, never buffered: bulk imports. */
export const STREAMED_CONTENT_TYPES = ['application/x-ndjson', 'application/ndjson', 'text/csv'];

/** Marks a route whose body is streamed (NDJSON or CSV): it takes no JSON body, and other routes take no stream. */
export const StreamedBody = () => RouteConfig({ streamedBody: true });

export const takesStreamedBody = (req: FastifyRequest) => req.routeOptions.config?.streamedBody === true;

/** HTML forms: taken only by routes whose config says formBody (the owner pages), refused with 415 everywhere else. */
export const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export const takesFormBody = (req: FastifyRequest) => req.routeOptions.config?.formBody === true;

/**
 * 415 for a body the route does not take (another content type, or none given), naming what it
 * takes, in the body and in an Accept header (RFC 9110, section 12.5.1).
 */
export function unsupportedMediaType(req: FastifyRequest): DomainError {
  const given = req.headers['content-type'] === undefined ? 'The request has a body but no Content-Type header. ' : '';
  const [expected, accept] = takesStreamedBody(req)
    ? [
        'Send the rows as NDJSON (Content-Type: application/x-ndjson) or CSV (Content-Type: text/csv).',
        STREAMED_CONTENT_TYPES.join(', '),
      ]
    : [`Send the body as JSON with the header Content-Type: ${JSON_CONTENT_TYPE}.`, JSON_CONTENT_TYPE];
  return new DomainError('BAD_USER_INPUT', given + expected, {
    field: 'Content-Type',
    status: 415,
    headers: { Accept: accept },
  });
}

/** Fastify's refusal of a Content-Type header it cannot read, as is or as Nest wraps it (an HttpException caused by it). */
export function isFastifyUnsupportedMediaType(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e?.cause?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
}

/** The parsers besides JSON's (safe-json.ts): a stream for the routes that take one, a 415 for any other body. */
export function registerStreamingParsers(fastify: FastifyInstance) {
  fastify.addContentTypeParser(STREAMED_CONTENT_TYPES, (req, payload, done) => {
    if (takesStreamedBody(req)) done(null, payload);
    else done(unsupportedMediaType(req));
  });
  fastify.addContentTypeParser(FORM_CONTENT_TYPES, (req, payload, done) => {
    if (takesFormBody(req)) done(null, payload);
    else done(unsupportedMediaType(req));
  });
  // bodies are JSON: a text/plain body is refused with 415 rather than read as a string
  fastify.removeContentTypeParser('text/plain');
  // any other content type, or a body sent without one (curl -d sends a form): 415 naming what the
  // route takes, before a byte of it is read; a form is never read as an object of unknown fields
  fastify.addContentTypeParser('*', (req, _payload, done) => done(unsupportedMediaType(req)));
}
