/** Test doubles for plugin tests: an in-memory instance store, a node lookup, a capturing sink. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { conflict, notFound, type EventDocument, type LogDocument } from '../../src/core/index.js';
import type {
  EventSinkPort,
  InstanceStorePort,
  NodeInstanceState,
  NodeInstanceStatus,
  NodeLookupPort,
  OperationInvocation,
} from '../../src/engine/ports.js';
import type { NodeModel, OperationSpec } from '../../src/plan/model.js';
import {
  FolderResourcesAdapter,
  InProcessDispatcherAdapter,
  PluginRegistry,
  registerBuiltinPlugins,
} from '../../src/plugins/index.js';

export class MemoryInstanceStore implements InstanceStorePort {
  readonly instances = new Map<string, NodeInstanceState>();

  add(id: string, nodeId: string, runtimeProperties: Record<string, unknown> = {}): void {
    this.instances.set(id, { id, nodeId, state: 'uninitialized', runtimeProperties, version: 1 });
  }
  get(id: string): Promise<NodeInstanceState> {
    const found = this.instances.get(id);
    if (!found) return Promise.reject(notFound('node instance', id));
    return Promise.resolve(structuredClone(found));
  }
  setState(id: string, state: NodeInstanceStatus): Promise<void> {
    this.instances.get(id)!.state = state;
    return Promise.resolve();
  }
  updateRuntimeProperties(
    id: string,
    runtimeProperties: Record<string, unknown>,
    expectedVersion?: number,
  ): Promise<NodeInstanceState> {
    const found = this.instances.get(id)!;
    if (expectedVersion !== undefined && expectedVersion !== found.version)
      return Promise.reject(conflict('node instance version', id));
    found.runtimeProperties = structuredClone(runtimeProperties);
    found.version += 1;
    return Promise.resolve(structuredClone(found));
  }
}

export class CapturingSink implements EventSinkPort {
  readonly events: EventDocument[] = [];
  emit(event: EventDocument): void {
    this.events.push(event);
  }
  logs(level?: string): string[] {
    return this.events
      .filter(
        (e): e is LogDocument =>
          e.type === 'cloudify_log' && (level === undefined || e.level === level),
      )
      .map((e) => e.message.text);
  }
}

export function node(
  id: string,
  properties: Record<string, unknown> = {},
  type = 'cloudify.nodes.Root',
): NodeModel {
  return {
    id,
    type,
    typeHierarchy: ['cloudify.nodes.Root', type],
    properties,
    operations: {},
    relationships: [],
    hostId: null,
    plugins: [],
    deployInstances: 1,
  };
}

export function lookup(nodes: NodeModel[]): NodeLookupPort {
  return {
    node(id) {
      const found = nodes.find((n) => n.id === id);
      if (!found) throw notFound('node', id);
      return found;
    },
  };
}

export function scriptOperation(
  scriptPath: string,
  inputs: Record<string, unknown> = {},
  name = 'cloudify.interfaces.lifecycle.start',
): OperationSpec {
  return {
    name,
    operation: 'script_runner.tasks.run',
    plugin: 'script',
    executor: 'central_deployment_agent',
    inputs: { script_path: scriptPath, ...inputs },
    maxRetries: null,
    retryInterval: null,
  };
}

export function invocation(
  operation: OperationSpec,
  nodeId: string,
  instanceId: string,
  extra: Partial<OperationInvocation> = {},
): OperationInvocation {
  return {
    taskId: 'task-1',
    executionId: 'exec-1',
    workflowId: 'install',
    deploymentId: 'dep',
    blueprintId: 'bp',
    operation,
    inputs: operation.inputs,
    nodeId,
    nodeInstanceId: instanceId,
    relationship: null,
    hostId: null,
    retryNumber: 0,
    maxRetries: 3,
    ...extra,
  };
}

/** A blueprint folder with the given files (path -> content), removed by `cleanup()`. */
export function blueprintFolder(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rk-bp-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content, { mode: 0o644 });
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A dispatcher with the built-in plugins over one blueprint folder. */
export function harness(dir: string, nodes: NodeModel[]) {
  const store = new MemoryInstanceStore();
  const sink = new CapturingSink();
  const registry = registerBuiltinPlugins(new PluginRegistry());
  const dispatcher = new InProcessDispatcherAdapter({
    registry,
    events: sink,
    ports: { store, nodes: lookup(nodes), resources: new FolderResourcesAdapter(dir) },
  });
  return { store, sink, registry, dispatcher };
}
