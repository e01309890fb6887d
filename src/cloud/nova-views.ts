/** Nova response bodies (subset §2.4–§2.8) built from records, at microversion 2.1–2.2. */
import { createHash } from 'node:crypto';
import type { CloudContext } from './context.js';
import { FLAVORS, type Flavor, type Image } from './images.js';
import type { PortRecord, ServerRecord } from './state.js';

type Json = Record<string, unknown>;

/** Lowest and highest microversions the cloud implements. */
export const MIN_MICROVERSION = '2.1';
export const MAX_MICROVERSION = '2.2';

/** Nova `status` from vm_state + task_state (nova common._STATE_MAP). */
export function serverStatus(server: ServerRecord): string {
  switch (server.vm_state) {
    case 'building':
      return 'BUILD';
    case 'active':
      if (server.task_state === 'rebooting') return 'REBOOT';
      if (server.task_state === 'rebooting_hard') return 'HARD_REBOOT';
      return 'ACTIVE';
    case 'stopped':
      return 'SHUTOFF';
    case 'error':
      return 'ERROR';
  }
}

/** `self` and `bookmark` links of a compute resource. */
export function links(
  ctx: CloudContext,
  collection: string,
  id: string,
): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${ctx.urls.compute}/${collection}/${id}` },
    { rel: 'bookmark', href: `${ctx.urls.compute.replace(/\/v2\.1$/, '')}/${collection}/${id}` },
  ];
}

function bookmark(
  ctx: CloudContext,
  collection: string,
  id: string,
): { rel: string; href: string }[] {
  return links(ctx, collection, id).filter((l) => l.rel === 'bookmark');
}

/** Ports bound to the server, in attachment order. */
export function serverPorts(ctx: CloudContext, server: ServerRecord): PortRecord[] {
  const bound = ctx.state.ports.filter(
    (p) => p.device_id === server.id && p.device_owner.startsWith('compute:'),
  );
  const order = server.ports.map((a) => a.port_id);
  return bound.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** `addresses`: per network name, fixed IPs then floating IPs. `{}` while building. */
export function serverAddresses(ctx: CloudContext, server: ServerRecord): Record<string, Json[]> {
  if (server.vm_state === 'building') return {};
  const out: Record<string, Json[]> = {};
  for (const port of serverPorts(ctx, server)) {
    const name = ctx.state.networks.find((n) => n.id === port.network_id)?.name ?? port.network_id;
    const list = (out[name] ??= []);
    for (const f of port.fixed_ips)
      list.push({
        addr: f.ip_address,
        version: 4,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': port.mac_address,
      });
    for (const fip of ctx.neutron.floatingIpsOfPort(port.id)) {
      list.push({
        addr: fip.floating_ip_address,
        version: 4,
        'OS-EXT-IPS:type': 'floating',
        'OS-EXT-IPS-MAC:mac_addr': port.mac_address,
      });
    }
  }
  return out;
}

/** The full server body (GET /servers/{id}, /servers/detail). */
export function serverDetail(ctx: CloudContext, server: ServerRecord): Json {
  const status = serverStatus(server);
  const hosted = server.vm_state !== 'building' || server.pid !== null;
  const groups = [...new Set(serverPorts(ctx, server).flatMap((p) => p.security_groups))].map(
    (id) => ctx.state.security_groups.find((g) => g.id === id)?.name ?? id,
  );
  const body: Json = {
    id: server.id,
    name: server.name,
    status,
    tenant_id: server.project_id,
    user_id: server.user_id,
    created: server.created,
    updated: server.updated,
    hostId: hosted
      ? createHash('sha224').update(`${server.project_id}rekindle-local`).digest('hex')
      : '',
    image: { id: server.image_id, links: bookmark(ctx, 'images', server.image_id) },
    flavor: { id: server.flavor_id, links: bookmark(ctx, 'flavors', server.flavor_id) },
    addresses: serverAddresses(ctx, server),
    key_name: server.key_name,
    metadata: server.metadata,
    accessIPv4: '',
    accessIPv6: '',
    config_drive: '',
    links: links(ctx, 'servers', server.id),
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': server.availability_zone,
    'OS-EXT-STS:vm_state': server.vm_state,
    'OS-EXT-STS:task_state': server.task_state,
    'OS-EXT-STS:power_state': server.power_state,
    'OS-SRV-USG:launched_at': server.launched_at,
    'OS-SRV-USG:terminated_at': null,
    'os-extended-volumes:volumes_attached': [],
  };
  if (groups.length > 0) body.security_groups = [...new Set(groups)].map((name) => ({ name }));
  if (status === 'ACTIVE' || status === 'BUILD') body.progress = 0;
  if (status === 'ERROR' && server.fault) {
    body.fault = {
      code: server.fault.code,
      created: server.fault.created,
      message: server.fault.message,
    };
  }
  return body;
}

export function flavorSummary(ctx: CloudContext, f: Flavor): Json {
  return { id: f.id, name: f.name, links: links(ctx, 'flavors', f.id) };
}

export function flavorDetail(ctx: CloudContext, f: Flavor): Json {
  return {
    ...flavorSummary(ctx, f),
    ram: f.ram,
    vcpus: f.vcpus,
    disk: f.disk,
    swap: '',
    'OS-FLV-EXT-DATA:ephemeral': 0,
    'os-flavor-access:is_public': true,
    'OS-FLV-DISABLED:disabled': false,
    rxtx_factor: 1.0,
  };
}

export function findFlavor(ref: string): Flavor | undefined {
  const id = ref.split('/').pop() ?? ref;
  return FLAVORS.find((f) => f.id === id);
}

export function imageSummary(ctx: CloudContext, image: Image): Json {
  return { id: image.id, name: image.name, links: links(ctx, 'images', image.id) };
}

export function imageDetail(ctx: CloudContext, image: Image): Json {
  return {
    ...imageSummary(ctx, image),
    status: 'ACTIVE',
    progress: 100,
    minDisk: 0,
    minRam: 0,
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:00Z',
    metadata: { description: image.description ?? '', rekindle_boot: 'process-group' },
    'OS-EXT-IMG-SIZE:size': 0,
    'OS-DCF:diskConfig': 'AUTO',
  };
}
