/**
 * Preloaded before the application: `node --import ./dist/telemetry/preload.js dist/main.js`
 * (the Dockerfile does so). Instrumentation has to be in place before fastify, http and pg load,
 * hence a preload rather than code in main.ts. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing of
 * OpenTelemetry is imported: tracing that is off costs nothing.
 */
import { tracingRequested } from './telemetry-env.js';

if (tracingRequested(process.env)) await import('./tracing.js');
