/** Neutron response bodies (subset §3.3–§3.8) built from records. */
import type { NeutronModel } from './neutron-model.js';
import type {
  FloatingIpRecord,
  NetworkRecord,
  PortRecord,
  RouterRecord,
  SecurityGroupRecord,
  SecurityGroupRuleRecord,
  SubnetRecord,
} from './state.js';

type Json = Record<string, unknown>;

function common(r: {
  id: string;
  project_id: string;
  description: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}): Json {
  return {
    id: r.id,
    project_id: r.project_id,
    tenant_id: r.project_id,
    description: r.description,
    created_at: r.created_at,
    updated_at: r.updated_at,
    revision_number: r.revision_number,
    tags: [],
  };
}

export function networkView(model: NeutronModel, n: NetworkRecord): Json {
  return {
    ...common(n),
    name: n.name,
    status: 'ACTIVE',
    admin_state_up: n.admin_state_up,
    subnets: model.subnetsOf(n.id).map((s) => s.id),
    shared: n.shared,
    'router:external': n.external,
    mtu: n.mtu,
    port_security_enabled: true,
    availability_zones: ['nova'],
    availability_zone_hints: [],
  };
}

export function subnetView(s: SubnetRecord): Json {
  return {
    ...common(s),
    name: s.name,
    network_id: s.network_id,
    ip_version: 4,
    cidr: s.cidr,
    gateway_ip: s.gateway_ip,
    allocation_pools: s.allocation_pools,
    enable_dhcp: s.enable_dhcp,
    dns_nameservers: s.dns_nameservers,
    host_routes: [],
    ipv6_address_mode: null,
    ipv6_ra_mode: null,
    subnetpool_id: null,
    segment_id: null,
    service_types: [],
  };
}

export function portView(p: PortRecord): Json {
  return {
    ...common(p),
    name: p.name,
    network_id: p.network_id,
    mac_address: p.mac_address,
    fixed_ips: p.fixed_ips,
    device_id: p.device_id,
    device_owner: p.device_owner,
    status: p.status,
    admin_state_up: p.admin_state_up,
    security_groups: p.security_groups,
    port_security_enabled: true,
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    'binding:vnic_type': 'normal',
    ip_allocation: 'immediate',
  };
}

export function floatingIpView(model: NeutronModel, f: FloatingIpRecord): Json {
  const port = f.port_id === null ? undefined : model.state.ports.find((p) => p.id === f.port_id);
  return {
    ...common(f),
    floating_network_id: f.floating_network_id,
    floating_ip_address: f.floating_ip_address,
    fixed_ip_address: f.fixed_ip_address,
    port_id: f.port_id,
    router_id: f.router_id,
    status: f.port_id === null ? 'DOWN' : 'ACTIVE',
    port_forwardings: [],
    port_details: port
      ? {
          name: port.name,
          network_id: port.network_id,
          mac_address: port.mac_address,
          admin_state_up: port.admin_state_up,
          status: port.status,
          device_id: port.device_id,
          device_owner: port.device_owner,
        }
      : null,
  };
}

export function ruleView(r: SecurityGroupRuleRecord): Json {
  return {
    ...common(r),
    security_group_id: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol,
    port_range_min: r.port_range_min,
    port_range_max: r.port_range_max,
    remote_ip_prefix: r.remote_ip_prefix,
    remote_group_id: r.remote_group_id,
  };
}

export function securityGroupView(model: NeutronModel, g: SecurityGroupRecord): Json {
  return {
    ...common(g),
    name: g.name,
    stateful: g.stateful,
    shared: false,
    security_group_rules: model.state.security_group_rules
      .filter((r) => r.security_group_id === g.id)
      .map(ruleView),
  };
}

export function routerView(model: NeutronModel, r: RouterRecord): Json {
  const gatewayPort = r.gateway
    ? model.state.ports.find((p) => p.id === r.gateway!.port_id)
    : undefined;
  return {
    ...common(r),
    name: r.name,
    status: 'ACTIVE',
    admin_state_up: r.admin_state_up,
    external_gateway_info: r.gateway
      ? {
          network_id: r.gateway.network_id,
          enable_snat: r.gateway.enable_snat,
          external_fixed_ips: gatewayPort?.fixed_ips ?? [],
        }
      : null,
    routes: [],
    distributed: false,
    ha: false,
    availability_zones: ['nova'],
    availability_zone_hints: [],
  };
}
