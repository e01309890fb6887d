/**
 * What an agent needs to run a real plugin operation, carried with the task (see
 * docs/decisions/agent-operation-context.md): the deployment's node models, the node instances
 * the operation may read (its own, relationship sides, hosts) with their versions, and the
 * blueprint resources; and what comes back: the operation's value plus the runtime properties
 * it changed, applied by the manager with a version check.
 */
import type { NodeInstanceState, OperationInvocation } from '../engine/ports.js';
import type { NodeModel } from '../plan/index.js';

/** Context snapshot attached to `invocation.agentContext`. JSON only. */
export interface AgentOperationContext {
  nodes: NodeModel[];
  instances: NodeInstanceState[];
  /** Blueprint resources: path (relative to the blueprint folder, `/` separated) -> base64 content. */
  resources: Record<string, string>;
  /** Resource paths left out because of the size cap (asking for one fails with a clear error). */
  omittedResources: string[];
}

/** A runtime-properties change the agent's operation made, applied by the manager. */
export interface RuntimePropertiesChange {
  nodeInstanceId: string;
  runtimeProperties: Record<string, unknown>;
  /** Version the operation read: the manager's update fails (recoverable) when it moved. */
  expectedVersion: number;
}

/** The value an agent returns for an invocation that carried a context. */
export interface AgentOperationOutcome {
  rekindleOutcome: 1;
  value: unknown;
  changes: RuntimePropertiesChange[];
}

/** An invocation with its context snapshot. */
export type InvocationWithContext = OperationInvocation & { agentContext: AgentOperationContext };

/** The context snapshot of an invocation, or null when the manager sent none. */
export function invocationContext(invocation: OperationInvocation): AgentOperationContext | null {
  const context = (invocation as Partial<InvocationWithContext>).agentContext;
  return context !== undefined && typeof context === 'object' && context !== null ? context : null;
}

/** True for a value built by the agent's context executor. */
export function isAgentOutcome(value: unknown): value is AgentOperationOutcome {
  return typeof value === 'object' && value !== null && (value as { rekindleOutcome?: unknown }).rekindleOutcome === 1 && Array.isArray((value as { changes?: unknown }).changes);
}
