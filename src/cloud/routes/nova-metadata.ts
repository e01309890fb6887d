/**
 * Nova server metadata (`/servers/{id}/metadata[/{key}]`). Changes are also written to the
 * server's meta_data.json, the way a metadata service reflects them.
 */
import type { FastifyInstance } from 'fastify';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudContext } from '../context.js';
import { novaFault } from '../faults.js';
import type { ServerRecord } from '../state.js';
import { isoSeconds } from '../time.js';
import { findServer } from './nova-servers.js';

type Params = { id: string };

function stringMap(value: unknown, field: string): Record<string, string> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.entries(value).some(
      ([k, v]) => typeof v !== 'string' || k.length > 255 || v.length > 255,
    )
  ) {
    throw novaFault(
      400,
      `Invalid input for field/attribute ${field}. Value: ${JSON.stringify(value)}. must be a map of strings (keys and values at most 255 characters)`,
    );
  }
  return value as Record<string, string>;
}

export function registerMetadataRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const save = async (server: ServerRecord): Promise<void> => {
    server.updated = isoSeconds(ctx.now());
    const dir = ctx.compute.serverDir(server.id);
    if (existsSync(dir))
      writeFileSync(join(dir, 'meta_data.json'), JSON.stringify(server.metadata));
    await ctx.commit();
  };

  app.get<{ Params: Params }>('/v2.1/servers/:id/metadata', (request) => ({
    metadata: findServer(ctx, request.params.id).metadata,
  }));
  app.post<{ Params: Params }>('/v2.1/servers/:id/metadata', async (request) => {
    const server = findServer(ctx, request.params.id);
    server.metadata = {
      ...server.metadata,
      ...stringMap((request.body as { metadata?: unknown } | undefined)?.metadata, 'metadata'),
    };
    await save(server);
    return { metadata: server.metadata };
  });
  app.put<{ Params: Params }>('/v2.1/servers/:id/metadata', async (request) => {
    const server = findServer(ctx, request.params.id);
    server.metadata = {
      ...stringMap((request.body as { metadata?: unknown } | undefined)?.metadata, 'metadata'),
    };
    await save(server);
    return { metadata: server.metadata };
  });
  app.get<{ Params: Params & { key: string } }>('/v2.1/servers/:id/metadata/:key', (request) => {
    const server = findServer(ctx, request.params.id);
    const value = server.metadata[request.params.key];
    if (value === undefined) throw novaFault(404, 'Metadata item was not found');
    return { meta: { [request.params.key]: value } };
  });
  app.put<{ Params: Params & { key: string } }>(
    '/v2.1/servers/:id/metadata/:key',
    async (request) => {
      const server = findServer(ctx, request.params.id);
      const meta = stringMap((request.body as { meta?: unknown } | undefined)?.meta, 'meta');
      const keys = Object.keys(meta);
      if (keys.length !== 1 || keys[0] !== request.params.key)
        throw novaFault(400, 'Request body and URI mismatch');
      server.metadata = { ...server.metadata, ...meta };
      await save(server);
      return { meta };
    },
  );
  app.delete<{ Params: Params & { key: string } }>(
    '/v2.1/servers/:id/metadata/:key',
    async (request, reply) => {
      const server = findServer(ctx, request.params.id);
      if (!(request.params.key in server.metadata))
        throw novaFault(404, 'Metadata item was not found');
      const { [request.params.key]: _removed, ...rest } = server.metadata;
      server.metadata = rest;
      await save(server);
      return reply.code(204).send();
    },
  );
}
