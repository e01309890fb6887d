/** Nova server actions (os-start, os-stop, reboot) and port interfaces (subset §2.6, §2.7). */
import type { FastifyInstance } from 'fastify';
import type { CloudContext } from '../context.js';
import { novaFault } from '../faults.js';
import { portView } from '../neutron-views.js';
import { asNovaFault } from '../server-create.js';
import type { PortRecord, ServerRecord } from '../state.js';
import { findServer } from './nova-servers.js';

type Params = { id: string };

function conflict(
  action: string,
  server: ServerRecord,
  attr: 'vm_state' | 'task_state',
  value: string | null,
): never {
  throw novaFault(
    409,
    `Cannot '${action}' instance ${server.id} while it is in ${attr} ${String(value)}`,
  );
}

/** Enforces the precondition table of §2.6. */
function require(
  action: string,
  server: ServerRecord,
  states: string[],
  tasks: (string | null)[] = [null],
): void {
  if (!states.includes(server.vm_state)) conflict(action, server, 'vm_state', server.vm_state);
  if (!tasks.includes(server.task_state)) conflict(action, server, 'task_state', server.task_state);
  if (server.launched_at === null) conflict(action, server, 'vm_state', server.vm_state);
}

function attachment(port: PortRecord): Record<string, unknown> {
  const view = portView(port);
  return {
    port_id: port.id,
    net_id: port.network_id,
    mac_addr: port.mac_address,
    port_state: port.status,
    fixed_ips: view.fixed_ips,
  };
}

export function registerActionRoutes(app: FastifyInstance, ctx: CloudContext): void {
  app.post<{ Params: Params }>('/v2.1/servers/:id/action', async (request, reply) => {
    const server = findServer(ctx, request.params.id);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const keys = Object.keys(body);
    if (keys.length !== 1)
      throw novaFault(400, 'Malformed request body: exactly one action is expected');
    const action = keys[0]!;
    if (action === 'os-start') {
      require('start', server, ['stopped']);
      ctx.compute.startServer(server);
    } else if (action === 'os-stop') {
      require('stop', server, ['active', 'error']);
      ctx.compute.stop(server);
    } else if (action === 'reboot') {
      const rawType = (body.reboot as { type?: unknown } | null)?.type;
      const type =
        typeof rawType === 'string' ? rawType.toUpperCase() : JSON.stringify(rawType ?? null);
      if (type !== 'SOFT' && type !== 'HARD')
        throw novaFault(
          400,
          `Invalid input for field/attribute type. Value: ${type}. '${type}' is not one of ['HARD', 'Hard', 'SOFT', 'Soft']`,
        );
      if (type === 'SOFT') require('reboot', server, ['active']);
      else
        require('reboot', server, ['active', 'stopped', 'error'], [
          null,
          'rebooting',
          'rebooting_hard',
        ]);
      ctx.compute.reboot(server, type === 'HARD');
    } else {
      throw novaFault(400, `There is no such action: ${action}`);
    }
    await ctx.commit();
    return reply.code(202).send();
  });

  const attachedPort = (server: ServerRecord, portId: string): PortRecord => {
    const port = ctx.state.ports.find((p) => p.id === portId && p.device_id === server.id);
    if (!port) throw novaFault(404, `Instance ${server.id} does not have a port with id ${portId}`);
    return port;
  };

  app.get<{ Params: Params }>('/v2.1/servers/:id/os-interface', (request) => {
    const server = findServer(ctx, request.params.id);
    return {
      interfaceAttachments: ctx.state.ports
        .filter((p) => p.device_id === server.id)
        .map(attachment),
    };
  });
  app.get<{ Params: Params & { portId: string } }>(
    '/v2.1/servers/:id/os-interface/:portId',
    (request) => {
      const server = findServer(ctx, request.params.id);
      return { interfaceAttachment: attachment(attachedPort(server, request.params.portId)) };
    },
  );
  app.post<{ Params: Params }>('/v2.1/servers/:id/os-interface', async (request) => {
    const server = findServer(ctx, request.params.id);
    const spec = (
      (request.body ?? {}) as {
        interfaceAttachment?: {
          port_id?: string;
          net_id?: string;
          fixed_ips?: { ip_address?: string }[];
        };
      }
    ).interfaceAttachment;
    if (!spec)
      throw novaFault(
        400,
        "Invalid input for field/attribute interfaceAttachment. Value: None. 'interfaceAttachment' is a required property",
      );
    if (spec.port_id && spec.net_id)
      throw novaFault(400, 'Must not input both network_id and port_id');
    if (spec.fixed_ips && !spec.net_id)
      throw novaFault(400, 'Must input network_id when request IP address');
    require('attach_interface', server, ['active', 'stopped']);
    let port: PortRecord;
    if (spec.port_id) {
      const found = ctx.state.ports.find((p) => p.id === spec.port_id);
      if (!found) throw novaFault(404, `Port ${spec.port_id} could not be found.`);
      if (found.device_id !== '') throw novaFault(409, `Port ${found.id} is still in use.`);
      port = found;
      server.ports.push({ port_id: port.id, preexisting: true });
    } else {
      const networkId =
        spec.net_id ?? ctx.state.networks.filter((n) => !n.external).map((n) => n.id)[0];
      if (!networkId || !ctx.state.networks.some((n) => n.id === networkId))
        throw novaFault(404, `Network ${spec.net_id ?? ''} could not be found.`);
      try {
        const ip = spec.fixed_ips?.[0]?.ip_address;
        port = ctx.neutron.createPort(server.project_id, {
          network_id: networkId,
          fixed_ips: ip === undefined ? undefined : [{ ip_address: ip }],
        });
      } catch (error) {
        throw asNovaFault(error);
      }
      server.ports.push({ port_id: port.id, preexisting: false });
    }
    port.device_id = server.id;
    port.device_owner = 'compute:nova';
    port.binding_host_id = 'rekindle-local';
    port.status = server.vm_state === 'active' ? 'ACTIVE' : 'DOWN';
    ctx.neutron.touch(port);
    await ctx.commit();
    return { interfaceAttachment: attachment(port) };
  });
  app.delete<{ Params: Params & { portId: string } }>(
    '/v2.1/servers/:id/os-interface/:portId',
    async (request, reply) => {
      const server = findServer(ctx, request.params.id);
      require('detach_interface', server, ['active', 'stopped']);
      const port = attachedPort(server, request.params.portId);
      const entry = server.ports.find((a) => a.port_id === port.id);
      server.ports = server.ports.filter((a) => a.port_id !== port.id);
      if (entry && !entry.preexisting) ctx.neutron.deletePort(port.id);
      else {
        Object.assign(port, {
          device_id: '',
          device_owner: '',
          binding_host_id: '',
          status: 'DOWN',
        });
        ctx.neutron.touch(port);
      }
      await ctx.commit();
      return reply.code(202).send();
    },
  );
}
