import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { stdoutLogDestination, type LogDestination } from './log-destination.js';

/**
 * Structured JSON logs. Keys and owner data never reach them: credentials are redacted. They
 * go to stdout without ever blocking the process (see log-destination.ts).
 */
export function createRootLogger(level: string, destination: LogDestination = stdoutLogDestination()): Logger {
  return pino(
    {
      level,
      base: { service: 'aftercare' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.secret', 'secret'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Nest's own log lines, in the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: unknown) {
    const ctx = typeof context === 'string' ? context : undefined;
    // an Error's message is not an own property: spread, a failure at start would lose what it says
    if (message instanceof Error) this.logger[level]({ context: ctx, err: message }, message.message);
    else if (message !== null && typeof message === 'object')
      this.logger[level]({ context: ctx, ...(message as object) });
    else this.logger[level]({ context: ctx }, String(message));
  }

  log(message: unknown, context?: unknown) {
    this.write('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest.at(-1));
  }
  warn(message: unknown, context?: unknown) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: unknown) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: unknown) {
    this.write('trace', message, context);
  }
}
