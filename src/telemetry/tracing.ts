/**
 * OpenTelemetry tracing (imported by preload.ts only when an OTLP endpoint is configured): the
 * standard Node SDK with the OTLP/HTTP exporter and the http, fastify and pg instrumentations.
 * Everything else comes from the standard variables: OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER
 * and OTEL_TRACES_SAMPLER_ARG, OTEL_BSP_SCHEDULE_DELAY...
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { TELEMETRY_SHUTDOWN, untracedPath, type TelemetryShutdown } from './telemetry-env.js';

const env = process.env;

const sdk = new NodeSDK({
  serviceName: env.OTEL_SERVICE_NAME ? undefined : 'aftercare',
  traceExporter: new OTLPTraceExporter(),
  // metrics are Prometheus' (GET /metrics) and logs go to stdout: the SDK exports neither unless
  // the operator asks for it with the standard variables
  ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
  ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
  instrumentations: [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => untracedPath(req.url ?? '') }),
    // a span for the request and its handler; one per hook would be a dozen anonymous spans a request
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      ignorePaths: (route) => untracedPath(route.url),
    }),
    // statements only inside a traced request (not the job runner's polling); their text has
    // placeholders, and the values (owner data) are never recorded
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
  ],
});
sdk.start();

const shutdown: TelemetryShutdown = () => sdk.shutdown();
(globalThis as Record<symbol, unknown>)[TELEMETRY_SHUTDOWN] = shutdown;
