/**
 * Builds the Cloudify event and log documents a workflow emits (spec §1.11, §2.4). Texts are
 * Cloudify 3.3's, including the ` [attempt N/M]` suffix of task events.
 */
import { cloudifyTimestamp, type EventContext, type EventType, type LogDocument, type LogLevel, type WorkflowEventDocument } from '../core/index.js';
import type { OperationInvocation } from './ports.js';

/** Formats epoch ms as Cloudify's local timestamp, reusing the last string within one ms. */
export class TimestampCache {
  #ms = Number.NaN;
  #text = '';
  /** The `timestamp` field for `ms`. */
  at(ms: number): string {
    if (ms !== this.#ms) {
      this.#ms = ms;
      this.#text = cloudifyTimestamp(new Date(ms));
    }
    return this.#text;
  }
}

/** The four fields every event of an execution carries. */
export interface ExecutionEventScope {
  blueprintId: string | null;
  deploymentId: string | null;
  executionId: string;
  workflowId: string;
}

/** `blueprint_id`, `deployment_id`, `execution_id`, `workflow_id` of an execution. */
export function workflowContext(scope: ExecutionEventScope): EventContext {
  return {
    blueprint_id: scope.blueprintId,
    deployment_id: scope.deploymentId,
    execution_id: scope.executionId,
    workflow_id: scope.workflowId,
  };
}

/** Context of a node event: the workflow fields plus `node_id` (instance) and `node_name`. */
export function nodeContext(scope: ExecutionEventScope, nodeInstanceId: string, nodeId: string): EventContext {
  return {
    blueprint_id: scope.blueprintId,
    deployment_id: scope.deploymentId,
    execution_id: scope.executionId,
    workflow_id: scope.workflowId,
    node_id: nodeInstanceId,
    node_name: nodeId,
  };
}

/**
 * Context of an operation's events and logs (§2.4): task fields, `operation`, `plugin`, and
 * either `node_id`/`node_name` or `source_*`/`target_*` for relationship operations, plus the
 * retry counters.
 */
export function operationContext(invocation: OperationInvocation): EventContext {
  const queue = invocation.operation.executor === 'host_agent' ? invocation.hostId : invocation.deploymentId;
  const context: EventContext = {
    // Invocations carry '' for a system-wide execution; events say null (`<None>`).
    blueprint_id: invocation.blueprintId === '' ? null : invocation.blueprintId,
    deployment_id: invocation.deploymentId === '' ? null : invocation.deploymentId,
    execution_id: invocation.executionId,
    workflow_id: invocation.workflowId,
    task_id: invocation.taskId,
    task_name: invocation.operation.operation,
    task_queue: queue,
    task_target: queue,
    operation: invocation.operation.name,
    plugin: invocation.operation.plugin,
    task_current_retries: invocation.retryNumber,
    task_total_retries: invocation.maxRetries,
  };
  const rel = invocation.relationship;
  if (rel === null) {
    context.node_id = invocation.nodeInstanceId;
    context.node_name = invocation.nodeId;
  } else {
    context.source_id = rel.sourceNodeInstanceId;
    context.source_name = rel.sourceNodeId;
    context.target_id = rel.targetNodeInstanceId;
    context.target_name = rel.targetNodeId;
  }
  return context;
}

/** A `cloudify_event` document. `context` is stored as given: treat documents as immutable. */
export function eventDocument(timestamp: string, eventType: EventType, text: string, context: EventContext): WorkflowEventDocument {
  return { type: 'cloudify_event', event_type: eventType, timestamp, message_code: null, message: { text, arguments: null }, context };
}

/** A `cloudify_log` document (level lower-case, as Cloudify stores it). */
export function logDocument(timestamp: string, level: LogLevel, text: string, context: EventContext, logger = 'cloudify'): LogDocument {
  return { type: 'cloudify_log', logger, level, timestamp, message: { text }, context };
}

/** The task event kinds of §1.11. */
export type TaskEventState = 'sending' | 'started' | 'succeeded' | 'rescheduled' | 'failed';

const taskEventTypes: Readonly<Record<TaskEventState, EventType>> = {
  sending: 'sending_task',
  started: 'task_started',
  succeeded: 'task_succeeded',
  rescheduled: 'task_rescheduled',
  failed: 'task_failed',
};

/** The event type of a task event state. */
export function taskEventType(state: TaskEventState): EventType {
  return taskEventTypes[state];
}

/**
 * The 3.3 attempt suffix: ` [attempt N/M]` when the attempt is a retry or the state is
 * failed/rescheduled; N = retries + 1, M = total + 1, `/M` omitted when total is -1.
 */
export function attemptSuffix(state: TaskEventState, retryNumber: number, maxRetries: number): string {
  if (retryNumber === 0 && state !== 'failed' && state !== 'rescheduled') return '';
  return maxRetries < 0 ? ` [attempt ${retryNumber + 1}]` : ` [attempt ${retryNumber + 1}/${maxRetries + 1}]`;
}

/**
 * The text of a task event: `Sending task 'x'`, `Task started 'x'`, `Task succeeded 'x (result)'`,
 * `Task rescheduled 'x' -> error`, `Task failed 'x' -> error`, plus the attempt suffix.
 */
export function taskEventText(state: TaskEventState, taskName: string, retryNumber: number, maxRetries: number, detail?: unknown): string {
  let text: string;
  switch (state) {
    case 'sending':
      text = `Sending task '${taskName}'`;
      break;
    case 'started':
      text = `Task started '${taskName}'`;
      break;
    case 'succeeded':
      text = detail === undefined || detail === null ? `Task succeeded '${taskName}'` : `Task succeeded '${taskName} (${resultText(detail)})'`;
      break;
    case 'rescheduled':
      text = `Task rescheduled '${taskName}' -> ${errorText(detail)}`;
      break;
    case 'failed':
      text = `Task failed '${taskName}' -> ${errorText(detail)}`;
      break;
  }
  return text + attemptSuffix(state, retryNumber, maxRetries);
}

/** How an operation error appears in event texts (Python's `str(exception)`: the message). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}

function resultText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (typeof result === 'boolean') return result ? 'True' : 'False';
  if (typeof result === 'number' || typeof result === 'bigint') return String(result);
  return JSON.stringify(result) ?? String(result);
}

/** Workflow event texts of §1.11. */
export const workflowEventText = {
  started: (workflow: string): string => `Starting '${workflow}' workflow execution`,
  succeeded: (workflow: string): string => `'${workflow}' workflow execution succeeded`,
  failed: (workflow: string, error: string): string => `'${workflow}' workflow execution failed: ${error}`,
  cancelled: (workflow: string): string => `'${workflow}' workflow execution cancelled`,
} as const;
