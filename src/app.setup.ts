import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { AltairFastify } from 'altair-fastify-plugin';
import { AppModule } from './app.module.js';
import { AuthService } from './common/auth/auth.service.js';
import { registerHooks } from './common/http/hooks.js';
import { completeDocument } from './common/openapi/document.js';
import { WebhookCatalogue } from './webhooks/webhook-catalogue.service.js';
import { registerIndexRoutes } from './common/http/index-page.js';
import { registerHttpMetrics } from './common/metrics/http-metrics.js';
import { registerMetricsRoute } from './common/metrics/metrics-route.js';
import { MetricsService } from './common/metrics/metrics.service.js';
import { registerRateLimit } from './common/http/rate-limit.js';
import { IdempotencyService } from './common/idempotency/idempotency.service.js';
import { logSafeError } from './common/errors/log-safe.js';
import { createRootLogger, PinoNestLogger } from './common/logging/logger.js';
import { requestLogController } from './common/logging/request-log.js';
import type { AppConfig } from './config/config.js';
import { registerJsonBodyParser } from './common/http/safe-json.js';
import { registerStreamingParsers } from './common/http/streaming-body.js';

const REQUEST_ID = /^[\w.-]{1,100}$/;

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Aftercare REST API')
    .setDescription(
      'Warranty, returns and repair management. The same operations as the GraphQL API at /graphql; errors are RFC 9457 problem+json with a `code` and a `correlationId`.',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An Aftercare API key' })
    .addTag('organizations', 'Organizations, their API keys and technicians; the directory')
    .addTag('catalog', 'Products with their warranty terms, and service plans')
    .addTag('units', 'Sold units: registration, bulk import, ownership, service plans and history')
    .addTag('warranty', 'Coverage checks and warranty claims')
    .addTag('repairs', 'Repair tickets at service centers')
    .addTag('returns', 'Return policies and return authorizations')
    .addTag('upgrades', 'Upgrade and trade-in programs and requests')
    .addTag('webhooks', 'Signed outbound events: endpoints, the event catalogue and the delivery log')
    .build();
  return completeDocument(
    SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method }),
  );
}

/**
 * A request as its log line shows it: an owner page's token opens that page without a login (it is a
 * password in the path), so it never reaches a log.
 */
function withoutOwnerToken(req: { method?: string; url?: string; hostname?: string; ip?: string }) {
  const url = typeof req.url === 'string' ? req.url.replace(/^\/o\/[^/?#]+/, '/o/[token]') : req.url;
  return { method: req.method, url, host: req.hostname, remoteAddress: req.ip };
}

/** Builds the whole application (server, hooks, docs) without listening: main.ts and the tests share it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  // every error logged under `err` or `error` (ours, Nest's, Fastify's) goes through logSafeError:
  // no query parameters or values from the database driver ever reach a log line
  const safeError = (error: unknown) => (error instanceof Error ? logSafeError(error) : error);
  const logger = createRootLogger(config.logLevel).child(
    {},
    { serializers: { err: safeError, error: safeError, req: withoutOwnerToken } },
  );
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: requestLogController(logger),
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // no form parser: bodies are JSON (registerJsonBodyParser) or streamed (registerStreamingParsers),
    // and anything else is a 415 that says so, not a form read as one unknown field
    bodyParser: false,
  });
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready'] });

  const fastify = app.getHttpAdapter().getInstance();
  registerHooks(fastify, app.get(AuthService), app.get(IdempotencyService));
  registerRateLimit(fastify, config.rateLimitPerMinute);
  registerStreamingParsers(fastify);
  registerJsonBodyParser(app, config.http.bodyLimitBytes);
  const metrics = app.get(MetricsService);
  if (metrics.enabled) {
    registerHttpMetrics(fastify, metrics.httpDuration);
    registerMetricsRoute(fastify, metrics.registry, config.metrics.token);
  }
  registerIndexRoutes(fastify, { metricsServed: metrics.enabled });
  // the IDE page at /ide/, its files below /ide/static/: all served from node_modules, no CDN
  await fastify.register(AltairFastify as never, { path: '/ide/', baseURL: '/ide/static/', endpointURL: '/graphql' });
  fastify.get('/ide', (_req, reply) => reply.redirect('/ide/', 301));

  const document = openApiDocument(app);
  // the webhook catalogue's data schemas are the REST views, as this document publishes them
  app.get(WebhookCatalogue).useSchemas(document.components?.schemas ?? {});
  SwaggerModule.setup('api/v1/docs', app, document, {
    jsonDocumentUrl: 'api/v1/openapi.json',
    yamlDocumentUrl: 'api/v1/openapi.yaml',
  });
  await app.init();
  return app;
}
