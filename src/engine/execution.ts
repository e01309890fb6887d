/**
 * One workflow execution from `pending` to an end state: the execution record, the workflow
 * events, and running task graphs with the execution's ports, retry settings and signals.
 */
import { isRekindleError, newUuid, type Clock } from '../core/index.js';
import { createAttemptExecutor, type InputResolver } from './attempt-executor.js';
import { ExecutionCancelledError } from './errors.js';
import { ExecutionEvents } from './execution-events.js';
import type { ExecutionRecord, ExecutionStorePort } from './execution-store.js';
import type { EventSinkPort, InstanceStorePort, OperationDispatcherPort } from './ports.js';
import type { RetryDefaults } from './retry-policy.js';
import { executeGraph, type AttemptExecutor } from './scheduler.js';
import type { TaskGraph } from './task-graph.js';

/** The ports an execution talks through. */
export interface EnginePorts {
  dispatcher: OperationDispatcherPort;
  instances: InstanceStorePort;
  executions: ExecutionStorePort;
  events: EventSinkPort;
  clock: Clock;
}

/** Settings of one execution. */
export interface ExecutionOptions extends RetryDefaults {
  /** @default a new UUID. An existing `pending` record with this id is reused. */
  executionId?: string;
  /** Task thread pool size. @default 1 (Cloudify local default) */
  threadPoolSize?: number;
  /** Cancel request (graceful: running operations finish, nothing new starts). */
  signal?: AbortSignal;
  /** Force-cancel: running operations are aborted too. */
  forceSignal?: AbortSignal;
  /** Runtime evaluation of operation inputs. */
  resolveInputs?: InputResolver;
  /** @default random UUIDs */
  newTaskId?: () => string;
}

/** Identity of the execution being run. */
export interface ExecutionIdentity {
  workflowId: string;
  deploymentId: string | null;
  blueprintId: string | null;
  parameters: Record<string, unknown>;
}

/** How an execution ended. */
export interface ExecutionResult {
  execution: ExecutionRecord;
  /** The failure (or {@link ExecutionCancelledError}); null on success. */
  error: Error | null;
}

/** A running execution, handed to the workflow body. */
export class Execution {
  readonly id: string;
  readonly events: ExecutionEvents;
  readonly ports: EnginePorts;
  readonly options: ExecutionOptions;
  readonly #execute: AttemptExecutor;

  constructor(id: string, identity: ExecutionIdentity, ports: EnginePorts, options: ExecutionOptions) {
    this.id = id;
    this.ports = ports;
    this.options = options;
    this.events = new ExecutionEvents(
      { executionId: id, workflowId: identity.workflowId, deploymentId: identity.deploymentId, blueprintId: identity.blueprintId },
      ports.events,
      ports.clock,
    );
    this.#execute = createAttemptExecutor({
      events: this.events,
      dispatcher: ports.dispatcher,
      store: ports.executions,
      clock: ports.clock,
      retryDefaults: options,
      ...(options.resolveInputs === undefined ? {} : { resolveInputs: options.resolveInputs }),
      ...(options.newTaskId === undefined ? {} : { newTaskId: options.newTaskId }),
    });
  }

  /** Runs a graph to completion; rejects on task failure or cancel. */
  runGraph(graph: TaskGraph): Promise<void> {
    return executeGraph(graph, this.#execute, {
      clock: this.ports.clock,
      concurrency: this.options.threadPoolSize ?? 1,
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      ...(this.options.forceSignal === undefined ? {} : { forceSignal: this.options.forceSignal }),
    });
  }

  /** Throws {@link ExecutionCancelledError} when a cancel was requested (between phases). */
  throwIfCancelled(): void {
    if (this.options.signal?.aborted === true || this.options.forceSignal?.aborted === true) {
      throw new ExecutionCancelledError(this.options.forceSignal?.aborted === true);
    }
  }
}

/**
 * Runs `body` as an execution: `pending -> started -> terminated | failed | cancelled`, with the
 * workflow events. Never throws for a workflow failure: the result carries the error.
 */
export async function runExecution(
  identity: ExecutionIdentity,
  ports: EnginePorts,
  options: ExecutionOptions,
  body: (execution: Execution) => Promise<void>,
): Promise<ExecutionResult> {
  const id = options.executionId ?? newUuid();
  const store = ports.executions;
  const existing = await store.getExecution(id).catch(() => null);
  if (existing === null) {
    const now = new Date(ports.clock.now()).toISOString();
    await store.createExecution({ id, ...identity, status: 'pending', error: null, createdAt: now, updatedAt: now });
  }
  const execution = new Execution(id, identity, ports, options);
  if (existing?.status === 'cancelling' || existing?.status === 'force_cancelling') {
    // Cancelled before it started.
    execution.events.workflowCancelled();
    return { execution: await store.setExecutionStatus(id, 'cancelled'), error: new ExecutionCancelledError(existing.status === 'force_cancelling') };
  }
  await store.setExecutionStatus(id, 'started');
  execution.events.workflowStarted();
  let error: Error | null = null;
  try {
    execution.throwIfCancelled();
    await body(execution);
  } catch (failure) {
    error = failure instanceof Error ? failure : new Error(String(failure));
  }
  // Cleanup below is not cancellable: it uses no signal.
  if (error === null) {
    execution.events.workflowSucceeded();
    return { execution: await store.setExecutionStatus(id, 'terminated'), error: null };
  }
  if (error instanceof ExecutionCancelledError) {
    const current = await store.getExecution(id);
    if (current.status === 'started') await store.setExecutionStatus(id, error.force ? 'force_cancelling' : 'cancelling');
    execution.events.workflowCancelled();
    return { execution: await store.setExecutionStatus(id, 'cancelled'), error };
  }
  const text = isRekindleError(error) || error.stack === undefined ? error.message : error.stack;
  execution.events.workflowFailed(error.message);
  return { execution: await store.setExecutionStatus(id, 'failed', text), error };
}
