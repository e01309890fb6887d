/**
 * The operation context (`ctx`) handed to TypeScript plugin functions, and the bookkeeping that
 * persists runtime properties after the operation (with an optimistic version check).
 */
import {
  OperationRetry,
  RecoverableError,
  isRekindleError,
  type Clock,
  type EventContext,
} from '../../core/index.js';
import type {
  EventSinkPort,
  InstanceStorePort,
  NodeLookupPort,
  OperationInvocation,
} from '../../engine/ports.js';
import { createOperationLogger, type OperationLogger } from './logger.js';
import type { BlueprintResourcesPort } from './resources.js';

/** `ctx.node`: the planned node (read-only). */
export interface NodeContext {
  readonly id: string;
  /** Same as `id` (Cloudify exposes both). */
  readonly name: string;
  readonly type: string;
  /** The node type and its ancestors, root first. */
  readonly typeHierarchy: readonly string[];
  readonly properties: Readonly<Record<string, unknown>>;
}

/** `ctx.instance`: the node instance. Runtime properties may be changed; they are saved after the operation. */
export interface InstanceContext {
  readonly id: string;
  /** Mutable: changes are persisted when the operation ends (success or failure). */
  runtimeProperties: Record<string, unknown>;
  /** The IP of the instance's host: the host's `ip` runtime property, else its `ip` node property. */
  readonly hostIp: string | null;
  /**
   * `ctx.instance.relationships`: each relationship's type and its target node and instance.
   * Set on `ctx.instance` when the invocation carries them; target changes are saved too.
   */
  readonly relationships?: readonly RelationshipContext[];
}

/** One relationship of `ctx.instance`, seen from its source. */
export interface RelationshipContext {
  readonly type: string;
  /** The relationship type and its ancestors. */
  readonly typeHierarchy: readonly string[];
  readonly target: EntityContext;
}

/** A node and one of its instances (`ctx.source`, `ctx.target`). */
export interface EntityContext {
  readonly node: NodeContext;
  readonly instance: InstanceContext;
}

/** `ctx.operation`. */
export interface OperationInfo {
  /** Full operation name, e.g. `cloudify.interfaces.lifecycle.start`. */
  readonly name: string;
  /** 0 on the first attempt. */
  readonly retryNumber: number;
  /** -1 = infinite. */
  readonly maxRetries: number;
  /** Asks the engine to run the operation again (always retried, even in uninstall). Throws OperationRetry. */
  retry(message?: string, retryAfter?: number): never;
}

/** Everything a plugin function sees about the operation it runs. */
export interface OperationContext {
  readonly type: 'node-instance' | 'relationship-instance';
  /** The node of `ctx.instance`; for relationship operations, the side the operation runs for. */
  readonly node: NodeContext;
  readonly instance: InstanceContext;
  /** Set for relationship operations. */
  readonly source: EntityContext | null;
  readonly target: EntityContext | null;
  readonly deploymentId: string;
  readonly blueprintId: string;
  readonly executionId: string;
  readonly workflowId: string;
  readonly taskId: string;
  /** e.g. `script_runner.tasks.run`. */
  readonly taskName: string;
  readonly pluginName: string | null;
  readonly operation: OperationInfo;
  readonly logger: OperationLogger;
  /** The content of a blueprint resource (path relative to the blueprint folder). */
  getResource(path: string): Promise<Buffer>;
  /** Copies a blueprint resource to `target` (default: a new temp file); resolves with the path written. */
  downloadResource(path: string, target?: string): Promise<string>;
}

/** What building a context needs. */
export interface OperationContextDeps {
  store: InstanceStorePort;
  nodes: NodeLookupPort;
  events: EventSinkPort;
  resources: BlueprintResourcesPort;
  clock: Clock;
}

/** A built context plus the step that saves what the operation changed. */
export interface PreparedContext {
  ctx: OperationContext;
  /** Saves changed runtime properties of every instance the context exposes (version-checked). */
  persist(): Promise<void>;
}

interface LoadedInstance {
  context: InstanceContext;
  version: number;
  original: string;
}

/** Builds `ctx` for one attempt of one operation. */
export async function prepareOperationContext(
  invocation: OperationInvocation,
  deps: OperationContextDeps,
): Promise<PreparedContext> {
  const loaded = new Map<string, LoadedInstance>();
  const entity = async (nodeId: string, instanceId: string): Promise<EntityContext> => {
    let instance = loaded.get(instanceId);
    if (!instance) {
      const state = await deps.store.get(instanceId);
      const runtimeProperties = structuredClone(state.runtimeProperties);
      instance = {
        context: {
          id: instanceId,
          runtimeProperties,
          hostIp: await hostIp(deps, instanceId, invocation, runtimeProperties),
        },
        version: state.version,
        original: JSON.stringify(runtimeProperties),
      };
      loaded.set(instanceId, instance);
    }
    return { node: nodeContext(deps.nodes, nodeId), instance: instance.context };
  };

  const rel = invocation.relationship;
  const main = await entity(invocation.nodeId, invocation.nodeInstanceId);
  if (invocation.instanceRelationships) {
    const node = deps.nodes.node(invocation.nodeId);
    const relationships: RelationshipContext[] = [];
    for (const r of invocation.instanceRelationships) {
      const model = node.relationships.find((m) => m.type === r.type && m.targetId === r.targetName);
      relationships.push({ type: r.type, typeHierarchy: model?.typeHierarchy ?? [r.type], target: await entity(r.targetName, r.targetId) });
    }
    (main.instance as { relationships?: readonly RelationshipContext[] }).relationships = relationships;
  }
  const source = rel ? await entity(rel.sourceNodeId, rel.sourceNodeInstanceId) : null;
  const target = rel ? await entity(rel.targetNodeId, rel.targetNodeInstanceId) : null;
  const eventContext = logContext(invocation);

  const ctx: OperationContext = {
    type: rel ? 'relationship-instance' : 'node-instance',
    node: main.node,
    instance: main.instance,
    source,
    target,
    deploymentId: invocation.deploymentId,
    blueprintId: invocation.blueprintId,
    executionId: invocation.executionId,
    workflowId: invocation.workflowId,
    taskId: invocation.taskId,
    taskName: invocation.operation.operation,
    pluginName: invocation.operation.plugin,
    operation: {
      name: invocation.operation.name,
      retryNumber: invocation.retryNumber,
      maxRetries: invocation.maxRetries,
      retry(message = 'Operation retry requested', retryAfter?: number): never {
        throw new OperationRetry(message, retryAfter);
      },
    },
    logger: createOperationLogger(deps.events, eventContext, deps.clock),
    getResource: (path) => deps.resources.get(path),
    downloadResource: (path, targetPath) => deps.resources.download(path, targetPath),
  };

  const persist = async (): Promise<void> => {
    for (const [id, instance] of loaded) {
      const now = JSON.stringify(instance.context.runtimeProperties);
      if (now === instance.original) continue;
      try {
        const saved = await deps.store.updateRuntimeProperties(
          id,
          instance.context.runtimeProperties,
          instance.version,
        );
        instance.version = saved.version;
        instance.original = now;
      } catch (error) {
        if (isRekindleError(error) && error.code === 'conflict_error') {
          throw new RecoverableError(
            `Runtime properties of node instance ${id} were changed by someone else while the operation ran; the operation will be retried`,
            { cause: error },
          );
        }
        throw error;
      }
    }
  };
  return { ctx, persist };
}

function nodeContext(nodes: NodeLookupPort, nodeId: string): NodeContext {
  const node = nodes.node(nodeId);
  return {
    id: node.id,
    name: node.id,
    type: node.type,
    typeHierarchy: node.typeHierarchy,
    properties: node.properties,
  };
}

async function hostIp(
  deps: OperationContextDeps,
  instanceId: string,
  invocation: OperationInvocation,
  ownRuntimeProperties: Record<string, unknown>,
): Promise<string | null> {
  const hostId = instanceId === invocation.nodeInstanceId ? invocation.hostId : null;
  if (hostId === null) return null;
  const state =
    hostId === instanceId
      ? { nodeId: invocation.nodeId, runtimeProperties: ownRuntimeProperties }
      : await deps.store.get(hostId);
  const fromRuntime = state.runtimeProperties.ip;
  if (typeof fromRuntime === 'string' && fromRuntime !== '') return fromRuntime;
  const fromNode = deps.nodes.node(state.nodeId).properties.ip;
  return typeof fromNode === 'string' && fromNode !== '' ? fromNode : null;
}

/** The `context` object of the logs an operation writes (Cloudify's keys). */
export function logContext(invocation: OperationInvocation): EventContext {
  const rel = invocation.relationship;
  return {
    blueprint_id: invocation.blueprintId,
    deployment_id: invocation.deploymentId,
    execution_id: invocation.executionId,
    workflow_id: invocation.workflowId,
    node_id: invocation.nodeInstanceId,
    node_name: invocation.nodeId,
    ...(rel
      ? {
          source_id: rel.sourceNodeInstanceId,
          source_name: rel.sourceNodeId,
          target_id: rel.targetNodeInstanceId,
          target_name: rel.targetNodeId,
        }
      : {}),
    operation: invocation.operation.name,
    plugin: invocation.operation.plugin,
    task_id: invocation.taskId,
    task_name: invocation.operation.operation,
    task_current_retries: invocation.retryNumber,
    task_total_retries: invocation.maxRetries,
  };
}
