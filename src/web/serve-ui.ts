/**
 * Serves the browser UI (built by Vite into `dist/web/`) at `/`: hashed assets with a long
 * cache, `index.html` (no cache) for `/` and every client-side route. Paths under `/api/` never
 * fall back to the page: they get the manager's 404. When the UI was not built, `/` answers a
 * short text saying how to build it.
 *
 * The static files are public (see {@link isWebUiRequest}); the data behind `/api/v2` is not.
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { packageRoot } from '../core/index.js';

/** Options of {@link serveWebUi}. */
export interface ServeWebUiOptions {
  /** Folder holding the built UI. @default `<package root>/dist/web` */
  root?: string;
}

/** `dist/web` of this package (found from the package root, so it works from a bundle too). */
export const defaultWebRoot = join(packageRoot(), 'dist', 'web');

/** Message `/` answers when `dist/web/index.html` is missing. */
export const notBuiltMessage = 'web UI not built: run npm run build';

/**
 * True for requests the UI serves without credentials: GET/HEAD outside `/api/`. The manager's
 * auth hook lets these through; everything under `/api/` still needs Basic or a token.
 */
export function isWebUiRequest(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && path !== '/api' && !path.startsWith('/api/');
}

const immutable = 'public, max-age=31536000, immutable';

const plugin: FastifyPluginAsync<ServeWebUiOptions> = async (app: FastifyInstance, options) => {
  const root = normalize(options.root ?? defaultWebRoot);
  const built = existsSync(join(root, 'index.html'));
  if (!built) {
    const answer = (_request: unknown, reply: FastifyReply) => reply.status(503).type('text/plain; charset=utf-8').send(`${notBuiltMessage}\n`);
    app.get('/', { schema: { hide: true } }, answer);
    app.get('/*', { schema: { hide: true } }, (request, reply) =>
      request.url.startsWith('/api/') ? reply.callNotFound() : answer(request, reply),
    );
    return;
  }
  await app.register(fastifyStatic, { root, serve: false });
  const page = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  app.get('/', { schema: { hide: true } }, (_request, reply) => page(reply));
  app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, (request, reply) => {
    const rest = request.params['*'];
    if (request.url.startsWith('/api/') || request.url === '/api') return reply.callNotFound();
    const file = normalize(join(root, rest));
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      const hashed = rest.startsWith('assets/');
      return reply.header('cache-control', hashed ? immutable : 'no-cache').sendFile(rest, root, { cacheControl: false });
    }
    return page(reply);
  });
};

/** The fastify plugin serving the UI; the manager registers it once (src/manager/app.ts). */
export const serveWebUi = plugin;
