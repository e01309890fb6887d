/**
 * `POST /servers` validation and network wiring (subset §2.4.1, §4.1): resolves image, flavor,
 * keypair, security groups and the `networks` list, then creates or binds ports.
 */
import { randomUUID } from 'node:crypto';
import type { CloudContext } from './context.js';
import { ApiFault, novaFault } from './faults.js';
import type { Token } from './identity.js';
import { findFlavor } from './nova-views.js';
import { resolveSecurityGroups } from './security-groups.js';
import type { PortRecord, ServerPort, ServerRecord } from './state.js';
import { isoSeconds } from './time.js';

type Json = Record<string, unknown>;

const ALLOWED = new Set([
  'name',
  'imageRef',
  'flavorRef',
  'networks',
  'key_name',
  'security_groups',
  'user_data',
  'metadata',
  'availability_zone',
  'adminPass',
  'accessIPv4',
  'accessIPv6',
  'config_drive',
  'min_count',
  'max_count',
  'return_reservation_id',
  'OS-DCF:diskConfig',
  'block_device_mapping',
  'block_device_mapping_v2',
  'personality',
]);

function invalid(name: string, value: unknown, message: string): ApiFault {
  return novaFault(
    400,
    `Invalid input for field/attribute ${name}. Value: ${JSON.stringify(value)}. ${message}`,
  );
}

interface NicRequest {
  networkId?: string;
  portId?: string;
  fixedIp?: string;
}

/** Turns a Neutron fault raised while wiring ports into Nova's shape. */
export function asNovaFault(error: unknown): unknown {
  if (
    error instanceof ApiFault &&
    typeof error.body === 'object' &&
    error.body !== null &&
    'NeutronError' in error.body
  ) {
    const inner = (error.body as { NeutronError: { message: string } }).NeutronError;
    return novaFault(error.statusCode === 404 ? 400 : error.statusCode, inner.message);
  }
  return error;
}

/** Validates the body, creates the server record and its ports; the caller commits and schedules the build. */
export function createServer(ctx: CloudContext, token: Token, body: unknown): ServerRecord {
  const wrapper = (body ?? {}) as Json;
  const spec = wrapper.server;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw invalid('server', body, "'server' is a required property");
  const server = spec as Json;
  const extra = Object.keys(server).filter((k) => !ALLOWED.has(k));
  if (extra.length > 0)
    throw invalid(
      'server',
      server,
      `Additional properties are not allowed (${extra.map((e) => `'${e}'`).join(', ')} ${extra.length > 1 ? 'were' : 'was'} unexpected)`,
    );
  for (const key of ['name', 'flavorRef'] as const)
    if (server[key] === undefined)
      throw invalid('server', server, `'${key}' is a required property`);
  if (typeof server.name !== 'string' || server.name.trim() === '' || server.name.length > 255)
    throw invalid('name', server.name, 'must be a non-empty string of at most 255 characters');
  if (typeof server.imageRef !== 'string' || server.imageRef === '')
    throw novaFault(400, 'Can not find requested image');
  const imageId = server.imageRef.split('/').pop()!;
  const image = [...ctx.images.values()].find((i) => i.id === imageId);
  if (!image) throw novaFault(400, 'Can not find requested image');
  const flavorRef = String(server.flavorRef);
  const flavor = findFlavor(flavorRef);
  if (!flavor) throw novaFault(400, `Flavor ${flavorRef} could not be found.`);
  const keyName = server.key_name;
  if (keyName !== undefined) {
    if (typeof keyName !== 'string')
      throw invalid('key_name', keyName, `${JSON.stringify(keyName)} is not of type 'string'`);
    if (!ctx.state.keypairs.some((k) => k.name === keyName && k.user_id === token.user.id))
      throw novaFault(400, 'Invalid key_name provided.');
  }
  const userData = server.user_data;
  if (userData !== undefined) {
    if (
      typeof userData !== 'string' ||
      userData.length > 65535 ||
      !/^[A-Za-z0-9+/\n\r]*={0,2}[\n\r]*$/.test(userData)
    ) {
      throw invalid('user_data', userData, 'is not a base64 string of at most 65535 characters');
    }
  }
  const metadata = server.metadata ?? {};
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    Array.isArray(metadata) ||
    Object.entries(metadata).some(
      ([k, v]) => typeof v !== 'string' || k.length > 255 || v.length > 255,
    )
  ) {
    throw invalid(
      'metadata',
      metadata,
      'must be a map of strings (keys and values at most 255 characters)',
    );
  }
  const projectId = token.projectId ?? '';
  const groupsRaw = server.security_groups ?? [{ name: 'default' }];
  if (!Array.isArray(groupsRaw) || groupsRaw.some((g) => typeof (g as Json)?.name !== 'string'))
    throw invalid('security_groups', groupsRaw, 'must be a list of {"name": ...}');
  const groupNames = [...new Set((groupsRaw as { name: string }[]).map((g) => g.name))];
  const groupIds = resolveSecurityGroups(ctx, projectId, groupNames, true, (ref) =>
    novaFault(400, `Security group ${ref} not found for project ${projectId}.`),
  );
  const nics = networkRequests(ctx, server.networks);

  const id = randomUUID();
  const ports: ServerPort[] = [];
  const created: PortRecord[] = [];
  try {
    for (const nic of nics) {
      if (nic.portId !== undefined) {
        const port = ctx.neutron.port(nic.portId);
        port.device_id = id;
        port.device_owner = 'compute:nova';
        port.binding_host_id = 'rekindle-local';
        ctx.neutron.touch(port);
        ports.push({ port_id: port.id, preexisting: true });
      } else {
        const port = ctx.neutron.createPort(projectId, {
          network_id: nic.networkId!,
          fixed_ips: nic.fixedIp === undefined ? undefined : [{ ip_address: nic.fixedIp }],
          security_groups: groupIds,
          device_id: id,
          device_owner: 'compute:nova',
        });
        port.binding_host_id = 'rekindle-local';
        created.push(port);
        ports.push({ port_id: port.id, preexisting: false });
      }
    }
  } catch (error) {
    ctx.state.ports = ctx.state.ports.filter((p) => !created.includes(p));
    for (const p of ctx.state.ports)
      if (p.device_id === id)
        Object.assign(p, { device_id: '', device_owner: '', binding_host_id: '' });
    throw asNovaFault(error);
  }
  const at = isoSeconds(ctx.now());
  const record: ServerRecord = {
    id,
    name: server.name,
    project_id: projectId,
    user_id: token.user.id,
    image_id: image.id,
    flavor_id: flavor.id,
    key_name: typeof keyName === 'string' ? keyName : null,
    metadata: metadata as Record<string, string>,
    user_data: typeof userData === 'string' ? userData : null,
    security_groups: groupNames.map((name) => ({ name })),
    availability_zone:
      typeof server.availability_zone === 'string' ? server.availability_zone : 'nova',
    vm_state: 'building',
    task_state: 'scheduling',
    power_state: 0,
    created: at,
    updated: at,
    launched_at: null,
    fault: null,
    ports,
    pid: null,
    pid_start: null,
    boot_count: 0,
  };
  ctx.state.servers.push(record);
  return record;
}

/** Parses and checks `networks` (subset §2.4.1 table, §4.1). */
function networkRequests(ctx: CloudContext, raw: unknown): NicRequest[] {
  if (raw === undefined) {
    const usable = ctx.state.networks.filter((n) => !n.external);
    if (usable.length > 1)
      throw novaFault(
        409,
        'More than one possible network found. Specify network ID(s) to select which one(s) to connect to.',
      );
    return usable.map((n) => ({ networkId: n.id }));
  }
  if (raw === 'none') return [];
  if (!Array.isArray(raw))
    throw invalid('networks', raw, `${JSON.stringify(raw)} is not of type 'array'`);
  const out: NicRequest[] = [];
  const seenPorts = new Set<string>();
  for (const item of raw as Json[]) {
    const extra = Object.keys(item ?? {}).filter(
      (k) => !['uuid', 'port', 'fixed_ip', 'tag'].includes(k),
    );
    if (typeof item !== 'object' || item === null || extra.length > 0)
      throw invalid('networks', raw, 'Additional properties are not allowed');
    const port = typeof item.port === 'string' && item.port !== '' ? item.port : undefined;
    const uuid = typeof item.uuid === 'string' && item.uuid !== '' ? item.uuid : undefined;
    const fixedIp = typeof item.fixed_ip === 'string' ? item.fixed_ip : undefined;
    if (port !== undefined) {
      if (fixedIp !== undefined)
        throw novaFault(
          400,
          `Specified Fixed IP '${fixedIp}' cannot be used with port '${port}': the two cannot be specified together.`,
        );
      if (seenPorts.has(port))
        throw novaFault(
          400,
          `Port ID '${port}' was specified twice: you cannot attach a port multiple times.`,
        );
      seenPorts.add(port);
      const record = ctx.state.ports.find((p) => p.id === port);
      if (!record) throw novaFault(400, `Port id ${port} could not be found.`);
      if (record.device_id !== '') throw novaFault(409, `Port ${port} is still in use.`);
      out.push({ portId: port });
    } else if (uuid !== undefined) {
      if (!ctx.state.networks.some((n) => n.id === uuid))
        throw novaFault(400, `Network ${uuid} could not be found.`);
      out.push({ networkId: uuid, ...(fixedIp === undefined ? {} : { fixedIp }) });
    } else {
      throw invalid('networks', raw, 'each item needs "uuid" or "port"');
    }
  }
  return out;
}
