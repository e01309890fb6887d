/**
 * One log line per request, written when the response is sent: method, URL, status, user and
 * response time. Fastify's default (an "incoming request" line and a "request completed"
 * line, each serialising the whole request or reply through pino serializers, both written
 * synchronously to the log file) was about 8% of the CPU of a REST read
 * (docs/decisions/manager-request-logging.md). Passed to fastify as its `logController`.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Fastify's request log controller, reduced to one compact line per request. */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, user: request.username, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
