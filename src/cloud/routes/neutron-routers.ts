/** Neutron routers and their interfaces (subset §3.8). Routers only gate floating-IP association. */
import type { FastifyInstance } from 'fastify';
import { tokenOf, type CloudContext } from '../context.js';
import { neutronFault } from '../faults.js';
import { neutronList, optBool, optString, resourceBody } from '../neutron-http.js';
import { routerView } from '../neutron-views.js';
import type { RouterGateway, RouterRecord } from '../state.js';

type Params = { id: string };

export function registerRouterRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const { neutron, state } = ctx;
  const base = (): string => `${ctx.urls.network}v2.0`;

  /** Creates the gateway port on the external network. */
  const gatewayFor = (router: RouterRecord, info: unknown): RouterGateway | null => {
    if (
      info === null ||
      info === undefined ||
      (typeof info === 'object' && Object.keys(info).length === 0)
    )
      return null;
    const spec = info as { network_id?: unknown; enable_snat?: unknown };
    if (typeof spec.network_id !== 'string')
      throw neutronFault(
        400,
        'HTTPBadRequest',
        'Invalid input for external_gateway_info. Reason: network_id is required.',
      );
    const network = neutron.network(spec.network_id);
    if (!network.external)
      throw neutronFault(
        400,
        'BadRequest',
        `Bad router request: Network ${network.id} is not an external network.`,
      );
    const port = neutron.createPort('', {
      network_id: network.id,
      device_id: router.id,
      device_owner: 'network:router_gateway',
    });
    port.status = 'ACTIVE';
    return { network_id: network.id, enable_snat: spec.enable_snat !== false, port_id: port.id };
  };
  const clearGateway = (router: RouterRecord): void => {
    if (!router.gateway) return;
    if (state.floatingips.some((f) => f.router_id === router.id)) {
      throw neutronFault(
        409,
        'RouterExternalGatewayInUseByFloatingIp',
        `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${router.gateway.network_id} is required by one or more floating IPs.`,
      );
    }
    const portId = router.gateway.port_id;
    state.ports = state.ports.filter((p) => p.id !== portId);
    router.gateway = null;
  };

  app.get('/v2.0/routers', (request) =>
    neutronList(
      request,
      'routers',
      state.routers.map((r) => routerView(neutron, r)),
      base(),
    ),
  );
  app.get<{ Params: Params }>('/v2.0/routers/:id', (request) => ({
    router: routerView(neutron, neutron.router(request.params.id)),
  }));
  app.post('/v2.0/routers', async (request, reply) => {
    const body = resourceBody(request.body, 'router', [
      'name',
      'admin_state_up',
      'external_gateway_info',
      'description',
      'tenant_id',
      'project_id',
      'distributed',
      'ha',
      'availability_zone_hints',
    ]);
    const router: RouterRecord = {
      ...neutron.base(tokenOf(request).projectId ?? '', optString(body, 'description')),
      name: optString(body, 'name') ?? '',
      admin_state_up: optBool(body, 'admin_state_up') ?? true,
      gateway: null,
    };
    router.gateway = gatewayFor(router, body.external_gateway_info);
    state.routers.push(router);
    await ctx.commit();
    return reply.code(201).send({ router: routerView(neutron, router) });
  });
  app.put<{ Params: Params }>('/v2.0/routers/:id', async (request) => {
    const router = neutron.router(request.params.id);
    const body = resourceBody(request.body, 'router', [
      'name',
      'admin_state_up',
      'external_gateway_info',
      'description',
      'routes',
    ]);
    if ('external_gateway_info' in body) {
      const wanted = body.external_gateway_info as { network_id?: string } | null;
      if (wanted?.network_id !== router.gateway?.network_id || !wanted) {
        clearGateway(router);
        router.gateway = gatewayFor(router, wanted);
      }
    }
    router.name = optString(body, 'name') ?? router.name;
    router.description = optString(body, 'description') ?? router.description;
    router.admin_state_up = optBool(body, 'admin_state_up') ?? router.admin_state_up;
    neutron.touch(router);
    await ctx.commit();
    return { router: routerView(neutron, router) };
  });
  app.delete<{ Params: Params }>('/v2.0/routers/:id', async (request, reply) => {
    const router = neutron.router(request.params.id);
    const interfaces = state.ports.filter(
      (p) => p.device_id === router.id && p.device_owner === 'network:router_interface',
    );
    if (interfaces.length > 0)
      throw neutronFault(
        409,
        'RouterInUse',
        `Router ${router.id} has ports still attached: ${interfaces.map((p) => p.id).join(', ')}`,
      );
    clearGateway(router);
    state.routers = state.routers.filter((r) => r.id !== router.id);
    await ctx.commit();
    return reply.code(204).send();
  });

  app.put<{ Params: Params }>('/v2.0/routers/:id/add_router_interface', async (request) => {
    const router = neutron.router(request.params.id);
    const body = (request.body ?? {}) as { subnet_id?: string; port_id?: string };
    if (body.subnet_id !== undefined && body.port_id !== undefined)
      throw neutronFault(
        400,
        'BadRequest',
        'Bad router request: Cannot specify both subnet-id and port-id.',
      );
    if (body.subnet_id === undefined && body.port_id === undefined)
      throw neutronFault(
        400,
        'BadRequest',
        'Bad router request: Either subnet_id or port_id must be specified.',
      );
    const mine = state.ports.filter(
      (p) => p.device_id === router.id && p.device_owner === 'network:router_interface',
    );
    let port;
    if (body.subnet_id !== undefined) {
      const subnet = neutron.subnet(body.subnet_id);
      if (mine.some((p) => p.fixed_ips.some((f) => f.subnet_id === subnet.id))) {
        throw neutronFault(
          400,
          'BadRequest',
          `Bad router request: Router already has a port on subnet ${subnet.id}.`,
        );
      }
      if (subnet.gateway_ip === null)
        throw neutronFault(
          400,
          'BadRequest',
          'Bad router request: Subnet for router interface must have a gateway IP.',
        );
      port = neutron.createPort(router.project_id, {
        network_id: subnet.network_id,
        fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }],
        device_id: router.id,
        device_owner: 'network:router_interface',
      });
    } else {
      port = neutron.port(body.port_id!);
      if (port.device_id !== '' && port.device_id !== router.id) {
        throw neutronFault(
          409,
          'PortInUse',
          `Unable to complete operation on port ${port.id} for network ${port.network_id}. Port already has an attached device ${port.device_id}.`,
        );
      }
      if (port.fixed_ips.length === 0)
        throw neutronFault(
          400,
          'BadRequest',
          `Bad router request: Router port must have at least one fixed IP.`,
        );
      port.device_id = router.id;
      port.device_owner = 'network:router_interface';
      neutron.touch(port);
    }
    port.status = 'ACTIVE';
    await ctx.commit();
    return interfaceBody(router, port);
  });

  app.put<{ Params: Params }>('/v2.0/routers/:id/remove_router_interface', async (request) => {
    const router = neutron.router(request.params.id);
    const body = (request.body ?? {}) as { subnet_id?: string; port_id?: string };
    if (body.subnet_id === undefined && body.port_id === undefined)
      throw neutronFault(
        400,
        'BadRequest',
        'Bad router request: Either subnet_id or port_id must be specified.',
      );
    const mine = state.ports.filter(
      (p) => p.device_id === router.id && p.device_owner === 'network:router_interface',
    );
    const port =
      body.port_id !== undefined
        ? mine.find((p) => p.id === body.port_id)
        : mine.find((p) => p.fixed_ips.some((f) => f.subnet_id === body.subnet_id));
    if (!port) {
      if (body.port_id !== undefined)
        throw neutronFault(
          404,
          'RouterInterfaceNotFound',
          `Router ${router.id} does not have an interface with id ${body.port_id}`,
        );
      throw neutronFault(
        404,
        'RouterInterfaceNotFoundForSubnet',
        `Router ${router.id} has no interface on subnet ${body.subnet_id}`,
      );
    }
    const subnetIds = port.fixed_ips.map((f) => f.subnet_id);
    const inUse = state.floatingips.some((f) => {
      if (f.router_id !== router.id || f.port_id === null) return false;
      const target = state.ports.find((p) => p.id === f.port_id);
      return (
        target?.fixed_ips.some(
          (x) => x.ip_address === f.fixed_ip_address && subnetIds.includes(x.subnet_id),
        ) ?? false
      );
    });
    if (inUse) {
      throw neutronFault(
        409,
        'RouterInterfaceInUseByFloatingIP',
        `Router interface for subnet ${subnetIds[0] ?? ''} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`,
      );
    }
    const result = interfaceBody(router, port);
    state.ports = state.ports.filter((p) => p.id !== port.id);
    await ctx.commit();
    return result;
  });
}

function interfaceBody(
  router: RouterRecord,
  port: { id: string; network_id: string; fixed_ips: { subnet_id: string }[] },
): Record<string, unknown> {
  const subnetIds = port.fixed_ips.map((f) => f.subnet_id);
  return {
    id: router.id,
    subnet_id: subnetIds[0] ?? null,
    subnet_ids: subnetIds,
    port_id: port.id,
    network_id: port.network_id,
    project_id: router.project_id,
    tenant_id: router.project_id,
    tags: [],
  };
}
