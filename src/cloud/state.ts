/**
 * The cloud's persistent records. The whole state is one JSON document (state.json in the data
 * folder), rewritten atomically after every change. Field names follow the API bodies where they
 * are the same thing, so views are thin.
 */

/** Common bookkeeping fields of Neutron resources. */
export interface NeutronBase {
  id: string;
  project_id: string;
  description: string;
  created_at: string;
  updated_at: string;
  revision_number: number;
}

export interface NetworkRecord extends NeutronBase {
  name: string;
  admin_state_up: boolean;
  shared: boolean;
  /** `router:external`: usable as a floating-IP pool and router gateway. */
  external: boolean;
  mtu: number;
}

export interface AllocationPool {
  start: string;
  end: string;
}

export interface SubnetRecord extends NeutronBase {
  name: string;
  network_id: string;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  enable_dhcp: boolean;
  dns_nameservers: string[];
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface PortRecord extends NeutronBase {
  name: string;
  network_id: string;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  /** `DOWN` while unbound, `ACTIVE` once its server runs. */
  status: 'ACTIVE' | 'DOWN';
  admin_state_up: boolean;
  security_groups: string[];
  binding_host_id: string;
}

export interface FloatingIpRecord extends NeutronBase {
  floating_network_id: string;
  floating_ip_address: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  router_id: string | null;
  /** TCP ports forwarded for this floating IP; `null` = the cloud's configured list. */
  forwarded_ports: number[] | null;
}

export interface SecurityGroupRecord extends NeutronBase {
  name: string;
  stateful: boolean;
}

export interface SecurityGroupRuleRecord extends NeutronBase {
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

export interface RouterGateway {
  network_id: string;
  enable_snat: boolean;
  port_id: string;
}

export interface RouterRecord extends NeutronBase {
  name: string;
  admin_state_up: boolean;
  gateway: RouterGateway | null;
}

export interface KeypairRecord {
  id: number;
  name: string;
  user_id: string;
  public_key: string;
  fingerprint: string;
  type: 'ssh' | 'x509';
  created_at: string;
}

/** Nova `vm_state` values the cloud uses. */
export type VmState = 'building' | 'active' | 'stopped' | 'error';

/** Nova `task_state` values the cloud uses (`null` when idle). */
export type TaskState =
  | 'scheduling'
  | 'spawning'
  | 'powering-off'
  | 'powering-on'
  | 'rebooting'
  | 'rebooting_hard'
  | 'deleting'
  | null;

export interface ServerFault {
  code: number;
  message: string;
  details: string;
  created: string;
}

export interface ServerPort {
  port_id: string;
  /** The port existed before (passed as `networks: [{port}]`): kept and unbound on delete. */
  preexisting: boolean;
}

export interface ServerRecord {
  id: string;
  name: string;
  project_id: string;
  user_id: string;
  image_id: string;
  flavor_id: string;
  key_name: string | null;
  metadata: Record<string, string>;
  /** Base64 as sent, or null. */
  user_data: string | null;
  security_groups: { name: string }[];
  availability_zone: string;
  vm_state: VmState;
  task_state: TaskState;
  /** 0 NOSTATE, 1 RUNNING, 4 SHUTDOWN, 6 CRASHED. */
  power_state: 0 | 1 | 4 | 6;
  created: string;
  updated: string;
  launched_at: string | null;
  fault: ServerFault | null;
  ports: ServerPort[];
  /** Process group id (= pid of the group leader) while running. */
  pid: number | null;
  /** Kernel start time of `pid` (from /proc), to tell a re-used pid from ours. */
  pid_start: string | null;
  boot_count: number;
}

/** Everything the cloud persists. */
export interface CloudState {
  version: 1;
  networks: NetworkRecord[];
  subnets: SubnetRecord[];
  ports: PortRecord[];
  floatingips: FloatingIpRecord[];
  security_groups: SecurityGroupRecord[];
  security_group_rules: SecurityGroupRuleRecord[];
  routers: RouterRecord[];
  keypairs: KeypairRecord[];
  servers: ServerRecord[];
  /** Counter for keypair ids. */
  next_keypair_id: number;
}

/** A fresh, empty state. */
export function emptyState(): CloudState {
  return {
    version: 1,
    networks: [],
    subnets: [],
    ports: [],
    floatingips: [],
    security_groups: [],
    security_group_rules: [],
    routers: [],
    keypairs: [],
    servers: [],
    next_keypair_id: 1,
  };
}
