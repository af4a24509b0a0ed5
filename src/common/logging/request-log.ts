import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/**
 * Only answers that went wrong (4xx, 5xx) get a request log line: one line with the request, the
 * status and the time taken. Fastify's two lines for every request ("incoming request", "request
 * completed") cost a busy server more CPU than the coverage check itself and say nothing the
 * metrics do not. Errors keep their own lines (the exception filter, Fastify's error handler).
 */
class FailedRequestLogs extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!error && reply.statusCode < 400) return;
    // the request is on this line: there is no "incoming request" line to find it on
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Which requests get a log line: those that failed, or every one at LOG_LEVEL=debug (Fastify's own lines). */
export function requestLogController(logger: Logger): LogController {
  return logger.isLevelEnabled('debug') ? new LogController() : new FailedRequestLogs();
}
