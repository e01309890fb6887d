/** The engine's {@link InstanceStorePort} over the manager's node-instance table. */
import { notFound } from '../../core/index.js';
import type { InstanceStorePort, NodeInstanceState } from '../../engine/ports.js';
import type { ManagerStorePort } from '../store/port.js';
import type { NodeInstanceRecord } from '../store/records.js';

function toState(r: NodeInstanceRecord): NodeInstanceState {
  return { id: r.id, nodeId: r.node_id, state: r.state, runtimeProperties: r.runtime_properties, version: r.version };
}

/** Adapts the store's node instances to the engine port. */
export function instanceStore(store: ManagerStorePort): InstanceStorePort {
  return {
    async get(id) {
      const r = await store.nodeInstances.get(id);
      if (!r) throw notFound('Node instance', id);
      return toState(r);
    },
    async setState(id, state) {
      await store.nodeInstances.update(id, { state });
    },
    async updateRuntimeProperties(id, runtimeProperties, expectedVersion) {
      return toState(await store.nodeInstances.updateRuntimeProperties(id, runtimeProperties, expectedVersion));
    },
  };
}
