import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** Where the index sends a newcomer: public paths, no API key needed to read any of them. */
const INDEX_PATHS = ['/', '/api/v1', '/api/v1/'];

/** The version in package.json, two folders above src/ and dist/ alike (the container copies it too). */
function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof version === 'string' ? version : 'unknown';
}

interface IndexLinks {
  graphql: string;
  graphqlIde: string;
  restDocs: string;
  openApi: string;
  healthLive: string;
  healthReady: string;
  metrics?: string;
}

function indexDocument(version: string, metricsServed: boolean) {
  const links: IndexLinks = {
    graphql: '/graphql',
    graphqlIde: '/ide/',
    restDocs: '/api/v1/docs',
    openApi: '/api/v1/openapi.json',
    healthLive: '/health/live',
    healthReady: '/health/ready',
    ...(metricsServed ? { metrics: '/metrics' } : {}),
  };
  return {
    name: 'Aftercare',
    description:
      'Warranty, returns and repair management API: GraphQL at /graphql, REST under /api/v1. Calls need an API key (Authorization: Bearer <key>).',
    version,
    links,
  };
}

const LABELS: Record<keyof IndexLinks, string> = {
  graphql: 'GraphQL endpoint',
  graphqlIde: 'GraphQL IDE',
  restDocs: 'REST API documentation',
  openApi: 'OpenAPI document',
  healthLive: 'Liveness check',
  healthReady: 'Readiness check',
  metrics: 'Prometheus metrics',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The same index as a tiny page for a browser: inline style, no script, nothing loaded from elsewhere. */
function indexHtml(document: ReturnType<typeof indexDocument>): string {
  const items = (Object.entries(document.links) as [keyof IndexLinks, string][])
    .map(
      ([name, path]) =>
        `<li><a href="${escapeHtml(path)}">${escapeHtml(LABELS[name])}</a> <code>${escapeHtml(path)}</code></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.name)} ${escapeHtml(document.version)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}code{color:#555}</style>
</head><body>
<h1>${escapeHtml(document.name)} <small>${escapeHtml(document.version)}</small></h1>
<p>${escapeHtml(document.description)}</p>
<ul>
${items}
</ul>
</body></html>
`;
}

/**
 * Weighs an Accept header: true when it ranks text/html above JSON (a browser), false for
 * API clients, curl's default (any type) and no header at all. A type named outright outranks a wildcard.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (range && !ranges.has(range)) ranges.set(range, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (type: string) =>
    ranges.get(type) ?? ranges.get(`${type.split('/')[0]}/*`) ?? ranges.get('*/*') ?? 0;
  return weightOf('text/html') > weightOf('application/json');
}

/**
 * GET / and GET /api/v1: what this server offers and where, as JSON (HTML for a browser). Outside
 * the OpenAPI document's operations, like /health and /metrics; no API key needed.
 */
export function registerIndexRoutes(fastify: FastifyInstance, options: { metricsServed: boolean }): void {
  const document = indexDocument(packageVersion(), options.metricsServed);
  const html = indexHtml(document);
  for (const path of INDEX_PATHS) {
    fastify.get(path, async (req, reply) => {
      reply.header('Vary', 'Accept').header('Cache-Control', 'no-cache');
      if (!prefersHtml(req.headers.accept)) return reply.type('application/json').send(document);
      return (
        reply
          .type('text/html; charset=utf-8')
          // the page runs nothing and loads nothing: a policy that allows no more than that
          .header(
            'Content-Security-Policy',
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          )
          .send(html)
      );
    });
  }
}
