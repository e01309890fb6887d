/** Neutron ports (subset §3.5). */
import type { FastifyInstance } from 'fastify';
import { tokenOf, type CloudContext } from '../context.js';
import { neutronFault } from '../faults.js';
import {
  invalid,
  neutronList,
  optBool,
  optString,
  optStringList,
  resourceBody,
} from '../neutron-http.js';
import { SERVICE_OWNERS, type FixedIpRequest } from '../neutron-model.js';
import { portView } from '../neutron-views.js';
import {
  defaultSecurityGroup,
  resolveSecurityGroups,
  securityGroupNotFound,
} from '../security-groups.js';

type Params = { id: string };
const CREATE_ATTRS = [
  'network_id',
  'name',
  'admin_state_up',
  'fixed_ips',
  'security_groups',
  'device_id',
  'device_owner',
  'description',
  'mac_address',
  'tenant_id',
  'project_id',
  'port_security_enabled',
  'allowed_address_pairs',
  'binding:vnic_type',
  'binding:host_id',
  'binding:profile',
];
const UPDATE_ATTRS = CREATE_ATTRS.filter(
  (a) => !['network_id', 'tenant_id', 'project_id', 'mac_address'].includes(a),
);

/** Parses `fixed_ips` items (`subnet_id` and/or `ip_address`). */
export function fixedIpRequests(value: unknown): FixedIpRequest[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    return invalid('fixed_ips', `'${JSON.stringify(value)}' is not a list`);
  return value.map((item: unknown) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const out: FixedIpRequest = {};
    if (typeof entry.subnet_id === 'string') out.subnet_id = entry.subnet_id;
    if (typeof entry.ip_address === 'string') out.ip_address = entry.ip_address;
    if (out.subnet_id === undefined && out.ip_address === undefined)
      invalid('fixed_ips', `'${JSON.stringify(item)}' needs subnet_id or ip_address`);
    return out;
  });
}

export function registerPortRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const { neutron, state } = ctx;
  const base = (): string => `${ctx.urls.network}v2.0`;

  app.get('/v2.0/ports', (request) =>
    neutronList(request, 'ports', state.ports.map(portView), base()),
  );
  app.get<{ Params: Params }>('/v2.0/ports/:id', (request) => ({
    port: portView(neutron.port(request.params.id)),
  }));
  app.post('/v2.0/ports', async (request, reply) => {
    const body = resourceBody(request.body, 'port', CREATE_ATTRS, ['network_id']);
    const projectId = tokenOf(request).projectId ?? '';
    const groups = optStringList(body, 'security_groups');
    const securityGroups =
      groups === undefined
        ? [defaultSecurityGroup(ctx, projectId).id]
        : resolveSecurityGroups(ctx, projectId, groups, false, securityGroupNotFound);
    const port = neutron.createPort(projectId, {
      network_id: optString(body, 'network_id')!,
      name: optString(body, 'name'),
      fixed_ips: fixedIpRequests(body.fixed_ips),
      security_groups: securityGroups,
      device_id: optString(body, 'device_id'),
      device_owner: optString(body, 'device_owner'),
      admin_state_up: optBool(body, 'admin_state_up'),
      description: optString(body, 'description'),
      mac_address: optString(body, 'mac_address'),
    });
    await ctx.commit();
    return reply.code(201).send({ port: portView(port) });
  });
  app.put<{ Params: Params }>('/v2.0/ports/:id', async (request) => {
    const port = neutron.port(request.params.id);
    const body = resourceBody(request.body, 'port', UPDATE_ATTRS);
    const groups = optStringList(body, 'security_groups');
    if (groups !== undefined)
      port.security_groups = resolveSecurityGroups(
        ctx,
        port.project_id,
        groups,
        false,
        securityGroupNotFound,
      );
    const fixed = fixedIpRequests(body.fixed_ips);
    if (fixed !== undefined) {
      const previous = port.fixed_ips;
      port.fixed_ips = [];
      try {
        port.fixed_ips = neutron.allocate(neutron.network(port.network_id), fixed);
      } catch (error) {
        port.fixed_ips = previous;
        throw error;
      }
    }
    port.name = optString(body, 'name') ?? port.name;
    port.description = optString(body, 'description') ?? port.description;
    port.admin_state_up = optBool(body, 'admin_state_up') ?? port.admin_state_up;
    const deviceId = optString(body, 'device_id');
    if (deviceId !== undefined) port.device_id = deviceId;
    const owner = optString(body, 'device_owner');
    if (owner !== undefined) port.device_owner = owner;
    if (port.device_id === '') {
      port.status = 'DOWN';
      port.binding_host_id = '';
    }
    neutron.touch(port);
    await ctx.commit();
    return { port: portView(port) };
  });
  app.delete<{ Params: Params }>('/v2.0/ports/:id', async (request, reply) => {
    const port = neutron.port(request.params.id);
    if (SERVICE_OWNERS.includes(port.device_owner)) {
      throw neutronFault(
        409,
        'ServicePortInUse',
        `Port ${port.id} cannot be deleted directly via the port API: has device owner ${port.device_owner}.`,
      );
    }
    neutron.deletePort(port.id);
    await ctx.commit();
    return reply.code(204).send();
  });
}
