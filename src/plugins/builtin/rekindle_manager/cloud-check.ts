/** Recover's preflight in the cloud: do the manager's port and floating IP still exist? */
import { OpenStackClient } from '../openstack/api/client.js';
import { resolveOpenStackConfig } from '../openstack/api/config.js';
import { isNotFound } from '../openstack/api/errors.js';

/** A Neutron resource the manager keeps across recovery. */
export interface KeptResource {
  kind: 'port' | 'floatingip';
  id: string;
  /** The node's `openstack_config` property. */
  openstackConfig: unknown;
}

/** What the cloud says about one kept resource. */
export interface KeptResourceState {
  exists: boolean;
  /** The fixed IP (port) or floating IP address (floating IP) when it exists. */
  address: string | null;
}

/** Looks the resource up (404 = gone). Other failures propagate. */
export async function checkKeptResource(resource: KeptResource, env: NodeJS.ProcessEnv = process.env): Promise<KeptResourceState> {
  const client = new OpenStackClient(resolveOpenStackConfig(resource.openstackConfig, undefined, env));
  const path = resource.kind === 'port' ? `/ports/${encodeURIComponent(resource.id)}` : `/floatingips/${encodeURIComponent(resource.id)}`;
  try {
    const body = await client.get<Record<string, Record<string, unknown> | undefined>>('network', path);
    const item = body[resource.kind] ?? {};
    if (resource.kind === 'port') {
      const ips = (item.fixed_ips ?? []) as { ip_address?: string }[];
      return { exists: true, address: ips[0]?.ip_address ?? null };
    }
    return { exists: true, address: typeof item.floating_ip_address === 'string' ? item.floating_ip_address : null };
  } catch (error) {
    if (isNotFound(error)) return { exists: false, address: null };
    throw error;
  }
}
