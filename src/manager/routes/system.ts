/** `/status`, `/version`, `/health`, `/tokens`, `/provider/context`, `/plugins`. */
import type { FastifyInstance } from 'fastify';
import { UserError, notFound } from '../../core/index.js';
import { generateSecret, hashToken } from '../auth/passwords.js';
import { booleanParam, compileListQuery, envelope, type Query } from '../http/list.js';
import { anyObject, doc } from '../http/schemas.js';
import type { ManagerServices } from '../services/index.js';

/** What `GET /version` reports. */
export interface VersionInfo {
  version: string;
  build: string;
  date: string;
  commit?: string;
}

/** A service the status endpoint reports, with a probe returning its state. */
export interface StatusProbe {
  display_name: string;
  probe(): Promise<'running' | 'failed' | 'unknown'>;
}

export const pluginFields = ['id', 'package_name', 'package_version', 'archive_name', 'supported_platform', 'uploaded_at'] as const;

export function systemRoutes(
  app: FastifyInstance,
  services: ManagerServices,
  options: { version: VersionInfo; probes: readonly StatusProbe[]; tokenTtlMs: number },
): void {
  const { store } = services.ctx;
  app.get('/health', { schema: doc('system', 'Health check (no credentials needed)') }, () => ({ status: 'ok' }));

  app.get('/status', { schema: doc('system', 'Manager services and their state') }, async () => ({
    status: 'running',
    services: await Promise.all(
      options.probes.map(async (p) => ({
        display_name: p.display_name,
        instances: [{ state: await p.probe().catch(() => 'failed' as const) }],
      })),
    ),
  }));

  app.get('/version', { schema: doc('system', 'Manager version') }, () => options.version);

  app.get('/tokens', { schema: doc('auth', 'A token for the Authentication-Token header') }, async (request) => {
    const value = generateSecret();
    const now = services.ctx.now();
    await store.tokens.insert({
      value_hash: hashToken(value),
      username: request.username ?? '',
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + options.tokenTtlMs).toISOString(),
    });
    return { value };
  });

  app.get('/provider/context', { schema: doc('provider', 'The provider context') }, async () => {
    const record = await store.providerContext.get();
    if (!record) throw notFound('Provider context', 'provider_context');
    return record;
  });

  app.post<{ Querystring: Query; Body: { name: string; context: Record<string, unknown> } }>(
    '/provider/context',
    {
      config: { jsonBody: true },
      schema: doc('provider', 'Create (201) or, with update=true, replace (200) the provider context', {
        body: { type: 'object', required: ['name', 'context'], properties: { name: { type: 'string' }, context: anyObject } },
      }),
    },
    async (request, reply) => {
      const update = booleanParam(request.query, 'update', false);
      const existing = await store.providerContext.get();
      if (!update && existing) {
        throw new UserError('conflict_error', `Provider context ${existing.name} already exists; pass update=true to replace it`, {
          httpStatus: 409,
        });
      }
      await store.providerContext.set({ name: request.body.name, context: request.body.context });
      return reply.status(update ? 200 : 201).send({ status: 'ok' });
    },
  );

  app.get<{ Querystring: Query }>('/plugins', { schema: doc('plugins', 'List uploaded plugins') }, async (request) => {
    const q = compileListQuery(request.query, pluginFields, ['id', 'package_name', 'package_version', 'uploaded_at']);
    return envelope(await store.plugins.list(q), q);
  });
}
