/**
 * The manager's one error boundary: every error a route throws becomes
 * `{message, error_code, server_traceback}` with the status the error carries. Core errors
 * carry `code` + `httpStatus`; fastify's own errors are mapped by their `FST_` code.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isRekindleError, type RekindleError } from '../../core/index.js';
import { badParameters, methodNotAllowed, payloadTooLarge, unsupportedContentType } from '../errors.js';

/** The REST error body (Cloudify 3.3 shape). */
export interface ErrorBody {
  message: string;
  error_code: string;
  server_traceback: string | null;
  /** Structured context (Rekindle extension). */
  details?: Record<string, unknown>;
  hints?: readonly string[];
}

/** Maps fastify's own errors (bad JSON, body too large, schema validation...) to core errors. */
function fromFastify(error: FastifyError): RekindleError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return unsupportedContentType(`${error.message}; send JSON with 'Content-Type: application/json'`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(error.message);
    case 'FST_ERR_VALIDATION':
      return badParameters(error.message, { validation: error.validation ?? [] });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badParameters(error.message);
    default:
      if (error instanceof SyntaxError || error.statusCode === 400) return badParameters(error.message);
      if (error.statusCode === 405) return methodNotAllowed(error.message);
      return undefined;
  }
}

/** Builds the body and status for any thrown value. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  const mapped = isRekindleError(error) ? error : fromFastify(error as FastifyError);
  if (mapped && mapped.kind !== 'unexpected') {
    const body: ErrorBody = { message: mapped.message, error_code: mapped.code, server_traceback: null };
    if (Object.keys(mapped.details).length > 0) body.details = { ...mapped.details };
    if (mapped.hints.length > 0) body.hints = mapped.hints;
    return { status: mapped.httpStatus, body, unexpected: false };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    status: 500,
    unexpected: true,
    body: {
      message: `Unexpected error in the manager (please report it): ${err.message}`,
      error_code: isRekindleError(error) ? error.code : 'internal_server_error',
      server_traceback: err.stack ?? null,
    },
  };
}

/** Route patterns (`/api/v2/executions/:id`) as regular expressions, with their methods. */
class RouteTable {
  readonly #routes: { pattern: RegExp; methods: Set<string> }[] = [];
  add(url: string, methods: readonly string[]): void {
    const source = url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const pattern = new RegExp(`^${source.join('/')}/?$`);
    const known = this.#routes.find((r) => r.pattern.source === pattern.source);
    if (known) for (const m of methods) known.methods.add(m);
    else this.#routes.push({ pattern, methods: new Set(methods) });
  }
  /** The methods a path supports (empty when no route matches it). */
  methodsFor(path: string): string[] {
    return this.#routes.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]);
  }
}

/** Installs the error handler and the not-found handler (405 for a known path, wrong method). */
export function installErrorHandler(app: FastifyInstance): void {
  const routes = new RouteTable();
  app.addHook('onRoute', (route) => {
    routes.add(route.url, Array.isArray(route.method) ? route.method : [route.method]);
  });
  app.setErrorHandler((error, request, reply) => {
    const { status, body, unexpected } = toErrorResponse(error);
    if (unexpected) request.log.error({ err: error }, 'request failed unexpectedly');
    else request.log.info({ error_code: body.error_code, status }, body.message);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes.methodsFor(path).filter((m) => m !== 'HEAD');
    if (allowed.length > 0) {
      const body: ErrorBody = {
        message: `Method ${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
        error_code: 'method_not_allowed_error',
        server_traceback: null,
      };
      return reply.status(405).header('allow', allowed.join(', ')).send(body);
    }
    const body: ErrorBody = {
      message: `Requested URL ${request.method} ${request.url} was not found on the server`,
      error_code: 'not_found_error',
      server_traceback: null,
    };
    return reply.status(404).send(body);
  });
}
