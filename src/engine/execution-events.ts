import type { Clock, EventContext, LogLevel } from '../core/index.js';
import {
  TimestampCache,
  eventDocument,
  logDocument,
  nodeContext,
  taskEventText,
  taskEventType,
  workflowContext,
  workflowEventText,
  type ExecutionEventScope,
  type TaskEventState,
} from './event-builders.js';
import type { EventSinkPort, OperationInvocation } from './ports.js';

/**
 * The event emitter of one execution: stamps documents with the clock (one formatted
 * timestamp per millisecond) and the execution's context, and hands them to the sink.
 */
export class ExecutionEvents {
  readonly #sink: EventSinkPort;
  readonly #clock: Clock;
  readonly #stamps = new TimestampCache();
  readonly #context: EventContext;
  readonly #nodeContexts = new Map<string, EventContext>();
  readonly scope: ExecutionEventScope;

  constructor(scope: ExecutionEventScope, sink: EventSinkPort, clock: Clock) {
    this.scope = scope;
    this.#sink = sink;
    this.#clock = clock;
    this.#context = workflowContext(scope);
  }

  /** The current `timestamp` value. */
  timestamp(): string {
    return this.#stamps.at(this.#clock.now());
  }

  /** `workflow_started`. */
  workflowStarted(): void {
    this.#emitWorkflow('workflow_started', workflowEventText.started(this.scope.workflowId));
  }
  /** `workflow_succeeded`. */
  workflowSucceeded(): void {
    this.#emitWorkflow('workflow_succeeded', workflowEventText.succeeded(this.scope.workflowId));
  }
  /** `workflow_failed` with the error text. */
  workflowFailed(error: string): void {
    this.#emitWorkflow('workflow_failed', workflowEventText.failed(this.scope.workflowId, error));
  }
  /** `workflow_cancelled`. */
  workflowCancelled(): void {
    this.#emitWorkflow('workflow_cancelled', workflowEventText.cancelled(this.scope.workflowId));
  }
  /** `workflow_stage`: a free-form workflow message. */
  workflowStage(text: string): void {
    this.#emitWorkflow('workflow_stage', text);
  }

  /** `workflow_node_event`, e.g. `Stopping node`, `Ignoring task x failure`. */
  nodeEvent(nodeInstanceId: string, nodeId: string, text: string): void {
    let context = this.#nodeContexts.get(nodeInstanceId);
    if (context === undefined) this.#nodeContexts.set(nodeInstanceId, (context = nodeContext(this.scope, nodeInstanceId, nodeId)));
    this.#sink.emit(eventDocument(this.timestamp(), 'workflow_node_event', text, context));
  }

  /** A workflow log line (`ctx.logger` of a workflow), optionally about one node instance. */
  log(level: LogLevel, text: string, node?: { nodeInstanceId: string; nodeId: string }): void {
    const context = node === undefined ? { ...this.#context } : nodeContext(this.scope, node.nodeInstanceId, node.nodeId);
    this.#sink.emit(logDocument(this.timestamp(), level, text, context));
  }

  /** A task event (`sending_task` ... `task_failed`) for one attempt, with its context. */
  task(state: TaskEventState, invocation: OperationInvocation, context: EventContext, detail?: unknown): void {
    const text = taskEventText(state, invocation.operation.operation, invocation.retryNumber, invocation.maxRetries, detail);
    this.#sink.emit(eventDocument(this.timestamp(), taskEventType(state), text, context));
  }

  #emitWorkflow(type: 'workflow_started' | 'workflow_succeeded' | 'workflow_failed' | 'workflow_cancelled' | 'workflow_stage', text: string): void {
    this.#sink.emit(eventDocument(this.timestamp(), type, text, { ...this.#context }));
  }
}
