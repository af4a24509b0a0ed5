import type { TestApp } from './test-app.js';

// The REST routes of the running server, as "METHOD /path" under /api/v1 with {param} names, from
// the two places they are listed: the OpenAPI document and Fastify's own route table (which also
// holds routes left out of the document).

const API_PREFIX = '/api/v1';
/** Routes that serve the API's documentation, not the API: the docs, the OpenAPI document and the index at /api/v1/ (public, see index-page.ts). */
const DOCUMENTATION = /^\/(docs|openapi\.|$)/;

export async function openApiRoutes(t: TestApp): Promise<string[]> {
  const res = await t.http.get(`${API_PREFIX}/openapi.json`);
  if (res.status !== 200) throw new Error(`the OpenAPI document answered ${res.status}`);
  return Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.slice(API_PREFIX.length)}`),
  );
}

/**
 * Fastify's route table (printRoutes with full paths, one tree line per segment) as routes.
 * In a segment, `/:name(regex)` is a parameter and `::` an escaped colon (`units/{id}:transfer`).
 */
export function fastifyRoutes(t: TestApp): string[] {
  const tree = t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }) as string;
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    parents.length = depth;
    const path = (parents[depth - 1] ?? '') + match[2];
    parents[depth] = path;
    const normalized = path.replace(/\/:(\w+)(\([^)]*\))?/g, '/{$1}').replace(/::/g, ':');
    if (!normalized.startsWith(`${API_PREFIX}/`)) continue;
    const local = normalized.slice(API_PREFIX.length);
    if (DOCUMENTATION.test(local)) continue;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method && method !== 'HEAD' && method !== 'OPTIONS') routes.push(`${method} ${local}`);
    }
  }
  return routes;
}
