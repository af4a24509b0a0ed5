import type { FastifyInstance } from 'fastify';

/** Content types whose bodies are handed to the route as a stream, never buffered: bulk imports. */
export const STREAMED_CONTENT_TYPES = ['application/x-ndjson', 'application/ndjson', 'text/csv'];

export function registerStreamingParsers(fastify: FastifyInstance) {
  fastify.addContentTypeParser(STREAMED_CONTENT_TYPES, (_req, payload, done) => done(null, payload));
  // bodies are JSON: a text/plain body is refused with 415 rather than read as a string
  fastify.removeContentTypeParser('text/plain');
}
