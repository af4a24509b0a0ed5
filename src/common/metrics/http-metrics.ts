import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Histogram } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Requests no route matched (404s, scanners): one label value, never the raw URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/** The route pattern Fastify matched (`/api/v1/units/:id`), so ids never become label values. */
export function routeLabel(req: Pick<FastifyRequest, 'routeOptions'>): string {
  return req.routeOptions.url ?? UNMATCHED_ROUTE;
}

export function statusClass(statusCode: number): string {
  return statusCode >= 100 && statusCode < 600 ? `${Math.floor(statusCode / 100)}xx` : 'other';
}

/** Times every HTTP answer, including those hooks gave before a handler ran (401, 429, replays). */
export function registerHttpMetrics(
  fastify: FastifyInstance,
  histogram: Histogram<'method' | 'route' | 'status_class'>,
): void {
  fastify.addHook('onResponse', async (req, reply) => {
    histogram.observe(
      { method: methodLabel(req.method), route: routeLabel(req), status_class: statusClass(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
