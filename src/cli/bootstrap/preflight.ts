/**
 * Recover's preflight, run before anything is destroyed: the snapshot file (readable, hashes,
 * version, passphrase when encrypted) and the kept cloud resources (the manager's port, which
 * holds the private IP, and its floating IP).
 */
import { UserError } from '../../core/index.js';
import { checkKeptResource, type KeptResource } from '../../plugins/builtin/rekindle_manager/index.js';
import type { LocalStateStore } from '../../plugins/index.js';
import { openSnapshotArchive, type SnapshotSummary } from '../../snapshots/index.js';

/** Node types whose resources must survive the heal. */
const keptTypes: Record<string, KeptResource['kind']> = {
  'cloudify.openstack.nodes.Port': 'port',
  'cloudify.openstack.nodes.FloatingIP': 'floatingip',
};

/** Checks the snapshot archive completely; returns its summary. */
export async function checkSnapshotFile(path: string, passphrase: string | undefined): Promise<SnapshotSummary> {
  const archive = await openSnapshotArchive(path, passphrase === undefined ? {} : { passphrase });
  try {
    await archive.verify();
    const summary = archive.summary();
    if (summary.encrypted && passphrase === undefined) {
      throw new UserError('recover_snapshot_passphrase_missing', `The snapshot ${path} is encrypted: recover needs its passphrase`, {
        hints: ['Pass --passphrase-file FILE or set REKINDLE_SNAPSHOT_PASSPHRASE'],
      });
    }
    return summary;
  } finally {
    archive.close();
  }
}

/** One kept resource as the preflight saw it. */
export interface KeptResourceReport {
  nodeInstanceId: string;
  kind: KeptResource['kind'];
  id: string;
  address: string | null;
}

/** The kept resources of the manager deployment (instances of Port / FloatingIP nodes with an external id). */
export function keptResources(store: LocalStateStore): (KeptResource & { nodeInstanceId: string })[] {
  const nodes = new Map(store.model().nodes.map((n) => [n.id, n]));
  const out: (KeptResource & { nodeInstanceId: string })[] = [];
  for (const instance of store.listInstances()) {
    const node = nodes.get(instance.nodeId);
    const kind = node?.typeHierarchy.map((t) => keptTypes[t]).find((k) => k !== undefined);
    const id = instance.runtimeProperties.external_id;
    if (!node || !kind || typeof id !== 'string') continue;
    out.push({ nodeInstanceId: instance.id, kind, id, openstackConfig: node.properties.openstack_config });
  }
  return out;
}

/** Refuses when the port or the floating IP is gone (the addresses could not be kept). */
export async function checkKeptResources(store: LocalStateStore): Promise<KeptResourceReport[]> {
  const reports: KeptResourceReport[] = [];
  for (const resource of keptResources(store)) {
    const state = await checkKeptResource(resource);
    if (!state.exists && resource.kind === 'port') {
      throw new UserError(
        'recover_port_missing',
        `Cannot recover: the manager's port ${resource.id} (node instance ${resource.nodeInstanceId}) no longer exists in the cloud, so the manager's private IP cannot be kept. ` +
          'Agents on application hosts reach the manager at that private IP; a new port would get a different one. Nothing was changed.',
        {
          hints: [
            'Recreate the port with the same fixed IP in the same subnet and set it as an external resource, or',
            'bootstrap a new manager, restore the snapshot there and reinstall the agents of your deployments',
          ],
          details: { portId: resource.id, nodeInstanceId: resource.nodeInstanceId },
        },
      );
    }
    if (!state.exists) {
      throw new UserError(
        'recover_floating_ip_missing',
        `Cannot recover: the manager's floating IP ${resource.id} (node instance ${resource.nodeInstanceId}) no longer exists in the cloud, so the manager's public IP cannot be kept. Nothing was changed.`,
        { hints: ["Recreate the floating IP with the same address, or run 'cfy use' with the new address after a fresh bootstrap"] },
      );
    }
    reports.push({ nodeInstanceId: resource.nodeInstanceId, kind: resource.kind, id: resource.id, address: state.address });
  }
  return reports;
}
