/**
 * Body parsing: JSON for `application/json`, raw bytes for anything else (blueprint uploads).
 * Routes marked `config: { jsonBody: true }` answer 415 `unsupported_content_type_error` to a
 * body that is not `application/json`.
 */
import type { FastifyInstance } from 'fastify';
import { unsupportedContentType } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a JSON body (415 for other content types). */
    jsonBody?: boolean;
  }
}

const bodyMethods = ['POST', 'PUT', 'PATCH'];

/** Installs the raw-bytes parser and the JSON content-type check. */
export function installContentTypes(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('preValidation', (request, _reply, done) => {
    if (!request.routeOptions.config.jsonBody || !bodyMethods.includes(request.method)) {
      done();
      return;
    }
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      done(unsupportedContentType(
        `${request.method} ${request.routeOptions.url ?? request.url} takes a JSON body; got Content-Type '${type ?? ''}'. Send 'Content-Type: application/json'`,
        { content_type: type ?? null },
      ));
      return;
    }
    done();
  });
}
