/**
 * The agent's deployment ports over the context snapshot the manager sent with a task
 * (docs/decisions/agent-operation-context.md): reads come from the snapshot, runtime-property
 * writes are kept (version-checked against the snapshot) and returned to the manager.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { NonRecoverableError, UserError } from '../core/index.js';
import type { InstanceStorePort, NodeInstanceState, NodeInstanceStatus } from '../engine/ports.js';
import type { AgentOperationContext, RuntimePropertiesChange } from '../messaging/index.js';
import type { BlueprintResourcesPort, DeploymentPorts } from '../plugins/index.js';

/** Ports over one task's snapshot, plus the changes the operation made. */
export interface SnapshotPorts extends DeploymentPorts {
  changes(): RuntimePropertiesChange[];
}

/** Builds the ports of one task from its context snapshot. */
export function snapshotPorts(context: AgentOperationContext, agentName: string): SnapshotPorts {
  const instances = new Map(context.instances.map((i) => [i.id, { state: structuredClone(i), readVersion: i.version, changed: false }]));
  const nodes = new Map(context.nodes.map((n) => [n.id, n]));
  const entry = (id: string): { state: NodeInstanceState; readVersion: number; changed: boolean } => {
    const found = instances.get(id);
    if (found === undefined) {
      throw new NonRecoverableError(`Node instance ${id} is not in the context the manager sent to agent ${agentName} (only the operation's own instance, its relationships' targets, its relationship sides and their hosts are)`);
    }
    return found;
  };
  const store: InstanceStorePort = {
    get: async (id) => Promise.resolve(structuredClone(entry(id).state)),
    setState: async (id: string, state: NodeInstanceStatus) => {
      entry(id).state.state = state;
      return Promise.resolve();
    },
    updateRuntimeProperties: async (id, runtimeProperties, expectedVersion) => {
      const e = entry(id);
      if (expectedVersion !== undefined && expectedVersion !== e.state.version) {
        throw new UserError('conflict_error', `Node instance ${id} is at version ${e.state.version}, not ${expectedVersion}`, { httpStatus: 409 });
      }
      e.state.runtimeProperties = structuredClone(runtimeProperties);
      e.state.version += 1;
      e.changed = true;
      return Promise.resolve(structuredClone(e.state));
    },
  };
  return {
    store,
    nodes: {
      node: (id) => {
        const node = nodes.get(id);
        if (node === undefined) throw new NonRecoverableError(`Node ${id} is not part of the deployment context sent to agent ${agentName}`);
        return node;
      },
    },
    resources: new SnapshotResources(context, agentName),
    changes: () =>
      [...instances.values()]
        .filter((e) => e.changed)
        .map((e) => ({ nodeInstanceId: e.state.id, runtimeProperties: e.state.runtimeProperties, expectedVersion: e.readVersion })),
  };
}

/** Blueprint resources from the snapshot. */
class SnapshotResources implements BlueprintResourcesPort {
  readonly #context: AgentOperationContext;
  readonly #agentName: string;

  constructor(context: AgentOperationContext, agentName: string) {
    this.#context = context;
    this.#agentName = agentName;
  }

  get(path: string): Promise<Buffer> {
    if (typeof path !== 'string' || path.trim() === '') return Promise.reject(new NonRecoverableError('A blueprint resource path must be a non-empty string'));
    const key = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '');
    const content = this.#context.resources[key];
    if (content !== undefined) return Promise.resolve(Buffer.from(content, 'base64'));
    const why = this.#context.omittedResources.includes(key)
      ? 'it was left out of the task because the blueprint folder is larger than the per-task resource cap (see docs/agent.md, Limits)'
      : 'no such file in the blueprint folder';
    return Promise.reject(new NonRecoverableError(`Blueprint resource ${path} is not available on agent ${this.#agentName}: ${why}`));
  }

  async download(path: string, target?: string): Promise<string> {
    const content = await this.get(path);
    const destination = target ?? join(mkdtempSync(join(tmpdir(), 'rekindle-res-')), basename(path));
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, content);
    return destination;
  }
}
