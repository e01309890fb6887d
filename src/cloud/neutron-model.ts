/**
 * Neutron's data model and cross-resource rules (IP allocation, port binding, floating-IP
 * association and its NAT path), shared by the Neutron routes and by Nova's server handling.
 * Every address is inside 127.0.0.0/8 and all subnets share the host's loopback, so subnets may
 * not overlap each other even across networks.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { neutronFault } from './faults.js';
import { cidrContains, formatIpv4, parseCidr, parseIpv4 } from './ip.js';
import type {
  CloudState,
  FixedIp,
  FloatingIpRecord,
  NetworkRecord,
  PortRecord,
  RouterRecord,
  SubnetRecord,
} from './state.js';
import { isoSeconds } from './time.js';

/** Device owners Neutron manages itself (not deletable through the port API). */
export const SERVICE_OWNERS = [
  'network:router_interface',
  'network:router_gateway',
  'network:floatingip',
];

/** What a caller asks for in `fixed_ips`. */
export interface FixedIpRequest {
  subnet_id?: string;
  ip_address?: string;
}

/** Fields for a new port. */
export interface NewPort {
  network_id: string;
  name?: string;
  fixed_ips?: FixedIpRequest[];
  security_groups?: string[];
  device_id?: string;
  device_owner?: string;
  admin_state_up?: boolean;
  description?: string;
  mac_address?: string;
}

/** The Neutron side of the cloud: lookups, allocation, association. */
export class NeutronModel {
  constructor(
    readonly state: CloudState,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bookkeeping fields of a new resource. */
  base(
    projectId: string,
    description = '',
  ): {
    id: string;
    project_id: string;
    description: string;
    created_at: string;
    updated_at: string;
    revision_number: number;
  } {
    const at = isoSeconds(this.now());
    return {
      id: randomUUID(),
      project_id: projectId,
      description,
      created_at: at,
      updated_at: at,
      revision_number: 1,
    };
  }

  /** Marks a resource changed. */
  touch(record: { updated_at: string; revision_number: number }): void {
    record.updated_at = isoSeconds(this.now());
    record.revision_number += 1;
  }

  network(id: string): NetworkRecord {
    const found = this.state.networks.find((n) => n.id === id);
    if (!found) throw neutronFault(404, 'NetworkNotFound', `Network ${id} could not be found.`);
    return found;
  }

  subnet(id: string): SubnetRecord {
    const found = this.state.subnets.find((s) => s.id === id);
    if (!found) throw neutronFault(404, 'SubnetNotFound', `Subnet ${id} could not be found.`);
    return found;
  }

  port(id: string): PortRecord {
    const found = this.state.ports.find((p) => p.id === id);
    if (!found) throw neutronFault(404, 'PortNotFound', `Port ${id} could not be found.`);
    return found;
  }

  floatingIp(id: string): FloatingIpRecord {
    const found = this.state.floatingips.find((f) => f.id === id);
    if (!found)
      throw neutronFault(404, 'FloatingIPNotFound', `Floating IP ${id} could not be found`);
    return found;
  }

  router(id: string): RouterRecord {
    const found = this.state.routers.find((r) => r.id === id);
    if (!found) throw neutronFault(404, 'RouterNotFound', `Router ${id} could not be found`);
    return found;
  }

  subnetsOf(networkId: string): SubnetRecord[] {
    return this.state.subnets.filter((s) => s.network_id === networkId);
  }

  /** True when `ip` is held by a port or is a subnet's gateway held by nobody yet. */
  private ipTaken(subnet: SubnetRecord, ip: string): boolean {
    return this.state.ports.some((p) =>
      p.fixed_ips.some((f) => f.subnet_id === subnet.id && f.ip_address === ip),
    );
  }

  /** Picks the lowest free pool address of a subnet, or undefined. */
  private freeIp(subnet: SubnetRecord): string | undefined {
    for (const pool of subnet.allocation_pools) {
      const start = parseIpv4(pool.start)!;
      const end = parseIpv4(pool.end)!;
      for (let value = start; value <= end; value++) {
        const ip = formatIpv4(value);
        if (!this.ipTaken(subnet, ip)) return ip;
      }
    }
    return undefined;
  }

  /** Resolves requested fixed IPs (or one address from the network's subnets) to allocations. */
  allocate(network: NetworkRecord, requests: FixedIpRequest[] | undefined): FixedIp[] {
    const subnets = this.subnetsOf(network.id);
    if (requests === undefined) {
      for (const subnet of subnets) {
        const ip = this.freeIp(subnet);
        if (ip) return [{ subnet_id: subnet.id, ip_address: ip }];
      }
      if (subnets.length === 0) return [];
      throw neutronFault(
        409,
        'IpAddressGenerationFailure',
        `No more IP addresses available on network ${network.id}.`,
      );
    }
    const out: FixedIp[] = [];
    for (const request of requests) {
      let subnet: SubnetRecord | undefined;
      if (request.subnet_id !== undefined) {
        subnet = this.subnet(request.subnet_id);
        if (subnet.network_id !== network.id) {
          throw neutronFault(
            400,
            'InvalidInput',
            `Invalid input for operation: Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${subnet.id}.`,
          );
        }
      } else if (request.ip_address !== undefined) {
        subnet = subnets.find((s) => cidrContains(parseCidr(s.cidr)!, request.ip_address!));
        if (!subnet) {
          throw neutronFault(
            400,
            'InvalidIpForNetwork',
            `IP address ${request.ip_address} is not a valid IP for any of the subnets on the specified network.`,
          );
        }
      } else {
        throw neutronFault(
          400,
          'InvalidInput',
          'Invalid input for operation: Exactly one of subnet_id or ip_address is needed in a fixed_ips item.',
        );
      }
      if (request.ip_address === undefined) {
        const ip = this.freeIp(subnet);
        if (!ip)
          throw neutronFault(
            409,
            'IpAddressGenerationFailure',
            `No more IP addresses available on network ${network.id}.`,
          );
        out.push({ subnet_id: subnet.id, ip_address: ip });
        continue;
      }
      const ip = request.ip_address;
      if (parseIpv4(ip) === undefined || !cidrContains(parseCidr(subnet.cidr)!, ip)) {
        throw neutronFault(
          400,
          'InvalidIpForSubnet',
          `IP address ${ip} is not a valid IP for the specified subnet.`,
        );
      }
      if (this.ipTaken(subnet, ip) || out.some((f) => f.ip_address === ip)) {
        throw neutronFault(
          409,
          'IpAddressAlreadyAllocated',
          `IP address ${ip} already allocated in subnet ${subnet.id}`,
        );
      }
      out.push({ subnet_id: subnet.id, ip_address: ip });
    }
    return out;
  }

  /** Creates a port (allocating its IPs) and returns it; the caller saves. */
  createPort(projectId: string, spec: NewPort): PortRecord {
    const network = this.network(spec.network_id);
    const fixed = this.allocate(network, spec.fixed_ips);
    const mac = spec.mac_address ?? this.newMac();
    if (this.state.ports.some((p) => p.network_id === network.id && p.mac_address === mac)) {
      throw neutronFault(
        409,
        'MacAddressInUse',
        `Unable to complete operation for network ${network.id}. The mac address ${mac} is in use.`,
      );
    }
    const port: PortRecord = {
      ...this.base(projectId, spec.description),
      name: spec.name ?? '',
      network_id: network.id,
      mac_address: mac,
      fixed_ips: fixed,
      device_id: spec.device_id ?? '',
      device_owner: spec.device_owner ?? '',
      status: 'DOWN',
      admin_state_up: spec.admin_state_up ?? true,
      security_groups: spec.security_groups ?? [],
      binding_host_id: '',
    };
    this.state.ports.push(port);
    return port;
  }

  private newMac(): string {
    for (;;) {
      const mac = `fa:16:3e:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
      if (!this.state.ports.some((p) => p.mac_address === mac)) return mac;
    }
  }

  /** Deletes a port: releases its IPs and disassociates floating IPs that used it. */
  deletePort(id: string): void {
    this.port(id);
    for (const fip of this.state.floatingips.filter((f) => f.port_id === id))
      this.disassociate(fip);
    this.state.ports = this.state.ports.filter((p) => p.id !== id);
  }

  /** Clears an association (port, fixed IP, router). */
  disassociate(fip: FloatingIpRecord): void {
    if (fip.port_id === null) return;
    fip.port_id = null;
    fip.fixed_ip_address = null;
    fip.router_id = null;
    this.touch(fip);
  }

  /** The fixed-network name a floating IP's port is on (for Nova `addresses`). */
  floatingIpsOfPort(portId: string): FloatingIpRecord[] {
    return this.state.floatingips.filter((f) => f.port_id === portId);
  }
}
