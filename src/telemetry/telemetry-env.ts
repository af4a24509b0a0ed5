/**
 * Tracing is on when an OTLP endpoint is configured (for all signals or for traces alone) and
 * the SDK is not disabled outright: the standard OpenTelemetry variables, nothing of our own.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** Requests that are not traced: probes and scrapes, many a minute, would bury the real traffic. */
export function untracedPath(path: string): boolean {
  const bare = path.split('?')[0];
  return bare === '/metrics' || bare.startsWith('/health/');
}

/** How the started SDK is handed to the application (which imports nothing of OpenTelemetry). */
export const TELEMETRY_SHUTDOWN = Symbol.for('aftercare.telemetry.shutdown');

export type TelemetryShutdown = () => Promise<void>;
