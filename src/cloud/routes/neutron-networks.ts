/** Neutron networks and subnets (subset §3.3, §3.4). Subnet CIDRs must lie inside 127.0.0.0/8. */
import type { FastifyInstance } from 'fastify';
import { tokenOf, type CloudContext } from '../context.js';
import { neutronFault } from '../faults.js';
import {
  cidrContains,
  cidrsOverlap,
  formatIpv4,
  hostRange,
  isLoopbackCidr,
  parseCidr,
  parseIpv4,
} from '../ip.js';
import {
  invalid,
  neutronList,
  optBool,
  optString,
  optStringList,
  resourceBody,
} from '../neutron-http.js';
import { networkView, subnetView } from '../neutron-views.js';
import type { AllocationPool, NetworkRecord, SubnetRecord } from '../state.js';

type Params = { id: string };
const NETWORK_ATTRS = [
  'name',
  'admin_state_up',
  'shared',
  'router:external',
  'mtu',
  'description',
  'tenant_id',
  'project_id',
  'port_security_enabled',
  'availability_zone_hints',
];
const SUBNET_ATTRS = [
  'network_id',
  'ip_version',
  'cidr',
  'name',
  'enable_dhcp',
  'gateway_ip',
  'allocation_pools',
  'dns_nameservers',
  'description',
  'tenant_id',
  'project_id',
  'host_routes',
];

export function registerNetworkRoutes(app: FastifyInstance, ctx: CloudContext): void {
  const { neutron, state } = ctx;
  const base = (): string => `${ctx.urls.network}v2.0`;

  app.get('/v2.0/networks', (request) =>
    neutronList(
      request,
      'networks',
      state.networks.map((n) => networkView(neutron, n)),
      base(),
    ),
  );
  app.get<{ Params: Params }>('/v2.0/networks/:id', (request) => ({
    network: networkView(neutron, neutron.network(request.params.id)),
  }));
  app.post('/v2.0/networks', async (request, reply) => {
    const body = resourceBody(request.body, 'network', NETWORK_ATTRS);
    const network: NetworkRecord = {
      ...neutron.base(tokenOf(request).projectId ?? '', optString(body, 'description')),
      name: optString(body, 'name') ?? '',
      admin_state_up: optBool(body, 'admin_state_up') ?? true,
      shared: optBool(body, 'shared') ?? false,
      external: optBool(body, 'router:external') ?? false,
      mtu: typeof body.mtu === 'number' ? body.mtu : 1500,
    };
    state.networks.push(network);
    await ctx.commit();
    return reply.code(201).send({ network: networkView(neutron, network) });
  });
  app.put<{ Params: Params }>('/v2.0/networks/:id', async (request) => {
    const network = neutron.network(request.params.id);
    const body = resourceBody(request.body, 'network', [
      'name',
      'admin_state_up',
      'shared',
      'router:external',
      'description',
      'mtu',
    ]);
    network.name = optString(body, 'name') ?? network.name;
    network.description = optString(body, 'description') ?? network.description;
    network.admin_state_up = optBool(body, 'admin_state_up') ?? network.admin_state_up;
    network.shared = optBool(body, 'shared') ?? network.shared;
    network.external = optBool(body, 'router:external') ?? network.external;
    neutron.touch(network);
    await ctx.commit();
    return { network: networkView(neutron, network) };
  });
  app.delete<{ Params: Params }>('/v2.0/networks/:id', async (request, reply) => {
    const network = neutron.network(request.params.id);
    if (state.ports.some((p) => p.network_id === network.id)) {
      throw neutronFault(
        409,
        'NetworkInUse',
        `Unable to complete operation on network ${network.id}. There are one or more ports still in use on the network.`,
      );
    }
    state.subnets = state.subnets.filter((s) => s.network_id !== network.id);
    state.networks = state.networks.filter((n) => n.id !== network.id);
    await ctx.commit();
    return reply.code(204).send();
  });

  app.get('/v2.0/subnets', (request) =>
    neutronList(request, 'subnets', state.subnets.map(subnetView), base()),
  );
  app.get<{ Params: Params }>('/v2.0/subnets/:id', (request) => ({
    subnet: subnetView(neutron.subnet(request.params.id)),
  }));
  app.post('/v2.0/subnets', async (request, reply) => {
    const body = resourceBody(request.body, 'subnet', SUBNET_ATTRS, ['network_id', 'cidr']);
    const network = neutron.network(String(body.network_id));
    const subnet = buildSubnet(ctx, body, network, tokenOf(request).projectId ?? '');
    state.subnets.push(subnet);
    await ctx.commit();
    return reply.code(201).send({ subnet: subnetView(subnet) });
  });
  app.put<{ Params: Params }>('/v2.0/subnets/:id', async (request) => {
    const subnet = neutron.subnet(request.params.id);
    const body = resourceBody(request.body, 'subnet', [
      'name',
      'description',
      'enable_dhcp',
      'dns_nameservers',
    ]);
    subnet.name = optString(body, 'name') ?? subnet.name;
    subnet.description = optString(body, 'description') ?? subnet.description;
    subnet.enable_dhcp = optBool(body, 'enable_dhcp') ?? subnet.enable_dhcp;
    subnet.dns_nameservers = optStringList(body, 'dns_nameservers') ?? subnet.dns_nameservers;
    neutron.touch(subnet);
    await ctx.commit();
    return { subnet: subnetView(subnet) };
  });
  app.delete<{ Params: Params }>('/v2.0/subnets/:id', async (request, reply) => {
    const subnet = neutron.subnet(request.params.id);
    if (state.ports.some((p) => p.fixed_ips.some((f) => f.subnet_id === subnet.id))) {
      throw neutronFault(
        409,
        'SubnetInUse',
        `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`,
      );
    }
    state.subnets = state.subnets.filter((s) => s.id !== subnet.id);
    await ctx.commit();
    return reply.code(204).send();
  });
}

/** Validates a subnet request and computes gateway and pools. Refuses anything outside 127.0.0.0/8. */
export function buildSubnet(
  ctx: CloudContext,
  body: Record<string, unknown>,
  network: NetworkRecord,
  projectId: string,
): SubnetRecord {
  if (body.ip_version !== undefined && Number(body.ip_version) !== 4) {
    throw neutronFault(
      400,
      'InvalidInput',
      'Invalid input for operation: the local cloud supports IPv4 subnets only (ip_version 4).',
    );
  }
  const cidrText = optString(body, 'cidr')!;
  const cidr = parseCidr(cidrText);
  if (!cidr) return invalid('cidr', `'${cidrText}' is not a valid IP subnet`);
  if (!isLoopbackCidr(cidr)) {
    throw neutronFault(
      400,
      'InvalidInput',
      `Invalid input for operation: CIDR ${cidrText} is outside 127.0.0.0/8; the local cloud only accepts loopback subnets (for example 127.10.0.0/24).`,
    );
  }
  if (cidrContains(cidr, ctx.config.host)) {
    throw neutronFault(
      400,
      'InvalidInput',
      `Invalid input for operation: CIDR ${cidrText} contains the cloud's own address ${ctx.config.host}; pick another 127.x range.`,
    );
  }
  const clash = ctx.state.subnets.find((s) => cidrsOverlap(parseCidr(s.cidr)!, cidr));
  if (clash) {
    throw neutronFault(
      400,
      'InvalidInput',
      `Invalid input for operation: Requested subnet with cidr: ${cidrText} overlaps with subnet ${clash.id} (${clash.cidr}); all local-cloud subnets share the host's loopback and may not overlap.`,
    );
  }
  const range = hostRange(cidr);
  let gateway: string | null = formatIpv4(range.first);
  if (body.gateway_ip === null) gateway = null;
  else if (body.gateway_ip !== undefined) {
    gateway = optString(body, 'gateway_ip')!;
    if (!cidrContains(cidr, gateway))
      invalid('gateway_ip', `'${gateway}' is not inside ${cidrText}`);
  }
  const pools =
    body.allocation_pools === undefined
      ? defaultPools(range, gateway)
      : checkPools(body.allocation_pools, cidr, gateway);
  return {
    ...ctx.neutron.base(projectId, optString(body, 'description')),
    name: optString(body, 'name') ?? '',
    network_id: network.id,
    cidr: cidrText,
    gateway_ip: gateway,
    allocation_pools: pools,
    enable_dhcp: optBool(body, 'enable_dhcp') ?? true,
    dns_nameservers: optStringList(body, 'dns_nameservers') ?? [],
  };
}

function defaultPools(
  range: { first: number; last: number },
  gateway: string | null,
): AllocationPool[] {
  const gw = gateway === null ? undefined : parseIpv4(gateway);
  const pools: AllocationPool[] = [];
  if (gw !== undefined && gw > range.first)
    pools.push({ start: formatIpv4(range.first), end: formatIpv4(gw - 1) });
  const start = gw === undefined || gw < range.first ? range.first : gw + 1;
  if (start <= range.last) pools.push({ start: formatIpv4(start), end: formatIpv4(range.last) });
  return pools;
}

function checkPools(
  raw: unknown,
  cidr: NonNullable<ReturnType<typeof parseCidr>>,
  gateway: string | null,
): AllocationPool[] {
  if (!Array.isArray(raw)) return invalid('allocation_pools', 'must be a list of {start, end}');
  return raw.map((item: unknown) => {
    const pool = item as { start?: unknown; end?: unknown };
    const start = typeof pool.start === 'string' ? parseIpv4(pool.start) : undefined;
    const end = typeof pool.end === 'string' ? parseIpv4(pool.end) : undefined;
    if (start === undefined || end === undefined || start > end) {
      throw neutronFault(
        400,
        'InvalidAllocationPool',
        `The allocation pool ${JSON.stringify(item)} is not valid.`,
      );
    }
    if (start < cidr.network || end > cidr.broadcast) {
      throw neutronFault(
        400,
        'OutOfBoundsAllocationPool',
        `The allocation pool ${String(pool.start)}-${String(pool.end)} spans beyond the subnet cidr ${cidr.text}.`,
      );
    }
    const gw = gateway === null ? undefined : parseIpv4(gateway);
    if (gw !== undefined && gw >= start && gw <= end) {
      throw neutronFault(
        409,
        'GatewayConflictWithAllocationPools',
        `Gateway ip ${gateway} conflicts with allocation pool ${String(pool.start)}-${String(pool.end)}.`,
      );
    }
    return { start: pool.start as string, end: pool.end as string };
  });
}
