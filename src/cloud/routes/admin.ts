/**
 * The cloud's own admin endpoints (not OpenStack): status and crash. Served on the same loopback
 * listener under /rekindle-admin, without a token; `cfy cloud status|crash` call them.
 */
import type { FastifyInstance } from 'fastify';
import type { CloudContext } from '../context.js';
import type { ForwardStatus } from '../forwarder.js';
import { novaFault } from '../faults.js';
import { serverStatus } from '../nova-views.js';
import type { ServerRecord } from '../state.js';

/** One server in `cfy cloud status`. */
export interface ServerStatusView {
  id: string;
  name: string;
  status: string;
  task_state: string | null;
  image: string;
  pid: number | null;
  fixed_ips: string[];
  floating_ips: string[];
  dir: string;
}

/** What `GET /rekindle-admin/status` returns. */
export interface CloudStatusView {
  url: string;
  pid: number;
  data_dir: string;
  servers: ServerStatusView[];
  forwarding: ForwardStatus[];
}

export function serverStatusView(ctx: CloudContext, server: ServerRecord): ServerStatusView {
  const ports = ctx.state.ports.filter((p) => p.device_id === server.id);
  return {
    id: server.id,
    name: server.name,
    status: serverStatus(server),
    task_state: server.task_state,
    image: [...ctx.images.values()].find((i) => i.id === server.image_id)?.name ?? server.image_id,
    pid: server.pid,
    fixed_ips: ports.flatMap((p) => p.fixed_ips.map((f) => f.ip_address)),
    floating_ips: ports.flatMap((p) =>
      ctx.neutron.floatingIpsOfPort(p.id).map((f) => f.floating_ip_address),
    ),
    dir: ctx.compute.serverDir(server.id),
  };
}

export function registerAdminRoutes(
  app: FastifyInstance,
  ctx: CloudContext,
  forwarding: () => ForwardStatus[],
): void {
  app.get('/rekindle-admin/status', (): CloudStatusView => ({
    url: ctx.urls.base,
    pid: process.pid,
    data_dir: ctx.config.dataDir,
    servers: ctx.state.servers.map((s) => serverStatusView(ctx, s)),
    forwarding: forwarding(),
  }));
  app.post<{ Params: { ref: string } }>('/rekindle-admin/servers/:ref/crash', async (request) => {
    const ref = request.params.ref;
    const byId = ctx.state.servers.find((s) => s.id === ref);
    const byName = ctx.state.servers.filter((s) => s.name === ref);
    if (!byId && byName.length > 1)
      throw novaFault(
        409,
        `Several servers are named ${ref}; crash one by id (${byName.map((s) => s.id).join(', ')})`,
      );
    const server = byId ?? byName[0];
    if (!server) throw novaFault(404, `No server with id or name ${ref}`);
    await ctx.compute.crash(server);
    return { server: serverStatusView(ctx, server) };
  });
}
