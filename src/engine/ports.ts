/**
 * The ports the engine and workflows talk through. Adapters live elsewhere: plugins/ runs
 * operations in-process, messaging/ sends them to agents, storage/ keeps the state.
 */
import type { EventDocument } from '../core/index.js';
import type { NodeModel, OperationSpec, RelationshipInstance } from '../plan/model.js';

/** Node instance lifecycle states, in Cloudify's names. */
export type NodeInstanceStatus =
  | 'uninitialized'
  | 'initializing'
  | 'creating'
  | 'created'
  | 'configuring'
  | 'configured'
  | 'starting'
  | 'started'
  | 'stopping'
  | 'stopped'
  | 'deleting'
  | 'deleted';

/** Runtime state of one node instance. */
export interface NodeInstanceState {
  id: string;
  nodeId: string;
  state: NodeInstanceStatus;
  runtimeProperties: Record<string, unknown>;
  /** Incremented on every runtime-properties update; used for optimistic concurrency. */
  version: number;
}

/** Reads and writes node-instance runtime state (local state files, SQL storage...). */
export interface InstanceStorePort {
  get(nodeInstanceId: string): Promise<NodeInstanceState>;
  setState(nodeInstanceId: string, state: NodeInstanceStatus): Promise<void>;
  /**
   * Replaces the runtime properties. With `expectedVersion`, fails with a `conflict_error`
   * UserError when the stored version differs. Returns the new state.
   */
  updateRuntimeProperties(
    nodeInstanceId: string,
    runtimeProperties: Record<string, unknown>,
    expectedVersion?: number,
  ): Promise<NodeInstanceState>;
}

/** The side of a relationship an operation runs for. */
export interface RelationshipInvocation {
  side: 'source' | 'target';
  type: string;
  sourceNodeId: string;
  sourceNodeInstanceId: string;
  targetNodeId: string;
  targetNodeInstanceId: string;
}

/** Everything needed to run one attempt of one operation, anywhere. JSON-serialisable. */
export interface OperationInvocation {
  /** Unique per attempt. */
  taskId: string;
  executionId: string;
  workflowId: string;
  deploymentId: string;
  blueprintId: string;
  /** The operation as planned (name, task name, plugin, executor). */
  operation: OperationSpec;
  /** Operation inputs after runtime functions were evaluated and kwargs applied. */
  inputs: Record<string, unknown>;
  /** The node instance that is `ctx.instance` (the source, for relationship operations). */
  nodeId: string;
  nodeInstanceId: string;
  /** Set for relationship operations. */
  relationship: RelationshipInvocation | null;
  /** The host instance of `nodeInstanceId`, for `host_agent` operations. */
  hostId: string | null;
  /**
   * The relationships of `nodeInstanceId` (Cloudify's `ctx.instance.relationships`), so plugins
   * can find connected nodes (networks, ports, keypairs...). Absent when the caller has none.
   */
  instanceRelationships?: RelationshipInstance[];
  /** 0 on the first attempt. */
  retryNumber: number;
  /** -1 = infinite. */
  maxRetries: number;
}

/**
 * Runs operations. Resolves with the operation's return value; rejects with the
 * classes from core/operation-errors (anything else counts as recoverable).
 */
export interface OperationDispatcherPort {
  run(invocation: OperationInvocation, signal: AbortSignal): Promise<unknown>;
}

/** Looks up the planned nodes of a deployment (for `ctx.node`, `ctx.source.node`, ...). */
export interface NodeLookupPort {
  node(nodeId: string): NodeModel;
}

/** Receives every event and log a workflow produces. */
export interface EventSinkPort {
  emit(event: EventDocument): void;
}
