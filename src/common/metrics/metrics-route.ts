import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { hashApiKey, hashesEqual } from '../auth/api-key-secret.js';
import { DomainError } from '../errors/domain-error.js';
import { problemDetails } from '../errors/error-mapping.js';

const METRICS_PATH = '/metrics';

/** The scrape of /metrics answers an operator's scraper, not an API caller: no API key, no rate limit. */
export function isMetricsRequest(req: Pick<FastifyRequest, 'routeOptions'>): boolean {
  return req.routeOptions.url === METRICS_PATH;
}

/**
 * GET /metrics in Prometheus' text format, on the main port and outside the REST API (no
 * /api/v1 prefix, not in the OpenAPI document). With a token, the scraper must send
 * `Authorization: Bearer <token>`, compared in constant time through its hash.
 */
export function registerMetricsRoute(fastify: FastifyInstance, registry: Registry, token: string | undefined): void {
  const tokenHash = token === undefined ? null : hashApiKey(token);
  fastify.get(METRICS_PATH, async (req, reply) => {
    if (tokenHash !== null) {
      const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (given === undefined || !hashesEqual(hashApiKey(given), tokenHash)) {
        const error = new DomainError(
          'UNAUTHENTICATED',
          'GET /metrics needs the header "Authorization: Bearer <METRICS_TOKEN>".',
          { field: 'authorization' },
        );
        return reply
          .status(error.httpStatus)
          .header('WWW-Authenticate', 'Bearer realm="metrics"')
          .type('application/problem+json')
          .send(problemDetails(error, String(req.id), req.url));
      }
    }
    const body = await registry.metrics();
    return reply.header('Cache-Control', 'no-store').type(registry.contentType).send(body);
  });
}
