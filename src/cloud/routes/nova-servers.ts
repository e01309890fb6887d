/** Nova servers: create, list, detail, show, delete (subset §2.4). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokenOf, type CloudContext } from '../context.js';
import { novaFault } from '../faults.js';
import { scalarText } from '../neutron-http.js';
import { links, serverDetail, serverStatus } from '../nova-views.js';
import { createServer } from '../server-create.js';
import type { ServerRecord } from '../state.js';

type Params = { id: string };

/** The server or Nova's 404. */
export function findServer(
  ctx: CloudContext,
  id: string,
  message = `Instance ${id} could not be found.`,
): ServerRecord {
  const server = ctx.state.servers.find((s) => s.id === id);
  if (!server) throw novaFault(404, message);
  return server;
}

function queryValue(request: FastifyRequest, key: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[key];
  if (Array.isArray(value))
    return value.length > 0 ? scalarText(value[value.length - 1]) : undefined;
  return value === undefined ? undefined : scalarText(value);
}

/** Filters (name regex, status, image, flavor), newest first, then limit/marker paging. */
function listServers(
  ctx: CloudContext,
  request: FastifyRequest,
): { servers: ServerRecord[]; next: string | undefined } {
  const name = queryValue(request, 'name');
  const status = queryValue(request, 'status');
  const image = queryValue(request, 'image');
  const flavor = queryValue(request, 'flavor');
  let pattern: RegExp | undefined;
  try {
    pattern = name === undefined ? undefined : new RegExp(name);
  } catch {
    throw novaFault(
      400,
      `Invalid input for query parameters name. Value: ${name}. not a valid regular expression`,
    );
  }
  let servers = ctx.state.servers
    .filter((s) => (pattern ? pattern.test(s.name) : true))
    .filter((s) => (status ? serverStatus(s) === status.toUpperCase() : true))
    .filter((s) => (image ? s.image_id === image : true))
    .filter((s) => (flavor ? s.flavor_id === flavor : true))
    .sort((a, b) => (a.created === b.created ? 0 : a.created < b.created ? 1 : -1));
  const marker = queryValue(request, 'marker');
  if (marker !== undefined) {
    const at = servers.findIndex((s) => s.id === marker);
    if (at < 0) throw novaFault(400, `marker [${marker}] not found`);
    servers = servers.slice(at + 1);
  }
  const limitText = queryValue(request, 'limit');
  let next: string | undefined;
  if (limitText !== undefined) {
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 0)
      throw novaFault(
        400,
        `Invalid input for query parameters limit. Value: ${limitText}. '${limitText}' does not match '^[0-9]*$'`,
      );
    const capped = Math.min(limit, 1000);
    servers = servers.slice(0, capped);
    const last = servers[servers.length - 1];
    if (servers.length === capped && last) next = `limit=${limit}&marker=${last.id}`;
  }
  return { servers, next };
}

export function registerServerRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const collectionLinks = (path: string, next: string | undefined): Record<string, unknown> =>
    next === undefined
      ? {}
      : { servers_links: [{ rel: 'next', href: `${ctx.urls.compute}/${path}?${next}` }] };

  app.get('/v2.1/servers', (request) => {
    const { servers, next } = listServers(ctx, request);
    return {
      servers: servers.map((s) => ({ id: s.id, name: s.name, links: links(ctx, 'servers', s.id) })),
      ...collectionLinks('servers', next),
    };
  });
  app.get('/v2.1/servers/detail', (request) => {
    const { servers, next } = listServers(ctx, request);
    return {
      servers: servers.map((s) => serverDetail(ctx, s)),
      ...collectionLinks('servers/detail', next),
    };
  });
  app.get<{ Params: Params }>('/v2.1/servers/:id', (request) => ({
    server: serverDetail(ctx, findServer(ctx, request.params.id)),
  }));

  app.post('/v2.1/servers', async (request, reply) => {
    const server = createServer(ctx, tokenOf(request), request.body);
    await ctx.commit();
    ctx.compute.scheduleBuild(server);
    const self = links(ctx, 'servers', server.id);
    return reply
      .code(202)
      .header('location', self[0]!.href)
      .send({
        server: {
          id: server.id,
          links: self,
          'OS-DCF:diskConfig': 'MANUAL',
          security_groups: server.security_groups,
          adminPass: 'rekindle-no-password',
        },
      });
  });

  app.delete<{ Params: Params }>('/v2.1/servers/:id', async (request, reply) => {
    const server = findServer(ctx, request.params.id, 'Instance could not be found');
    if (server.task_state !== 'deleting') ctx.compute.delete(server);
    await ctx.commit();
    return reply.code(204).send();
  });
}
