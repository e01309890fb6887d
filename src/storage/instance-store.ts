/** The engine's InstanceStorePort on top of the storage port, scoped to one deployment. */
import { notFound } from '../core/index.js';
import type { InstanceStorePort, NodeInstanceState, NodeInstanceStatus } from '../engine/ports.js';
import { sqliteInstanceAccess } from './engine-sqlite.js';
import { KyselyStorage } from './kysely-storage.js';
import type { StoragePort } from './port.js';
import type { NodeInstanceRecord } from './records.js';

function toState(record: NodeInstanceRecord): NodeInstanceState {
  return {
    id: record.id,
    nodeId: record.nodeId,
    state: record.state,
    runtimeProperties: record.runtimeProperties,
    version: record.version,
  };
}

/**
 * An InstanceStorePort reading and writing the node instances of `deploymentId`. Instances of
 * other deployments are reported as not found. On SQLite: prepared statements through the
 * connection's group-commit queue (engine-sqlite.ts).
 */
export function createInstanceStore(storage: StoragePort, deploymentId: string): InstanceStorePort {
  const queue = storage instanceof KyselyStorage ? storage.writeQueue : undefined;
  if (queue !== undefined) return sqliteInstanceAccess(queue, deploymentId);
  const load = async (id: string): Promise<NodeInstanceRecord> => {
    const record = await storage.nodeInstances.find(id);
    if (!record || record.deploymentId !== deploymentId) throw notFound('Node instance', id);
    return record;
  };
  return {
    async get(id) {
      return toState(await load(id));
    },
    async setState(id: string, state: NodeInstanceStatus) {
      await load(id);
      await storage.nodeInstances.update(id, { state });
    },
    async updateRuntimeProperties(id, runtimeProperties, expectedVersion) {
      await load(id);
      return toState(await storage.nodeInstances.update(id, { runtimeProperties }, expectedVersion));
    },
  };
}
