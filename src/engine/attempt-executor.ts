/**
 * Runs one attempt of a graph task: for operations, writes the intent record, emits the task
 * events, dispatches, applies the retry policy and finalizes the record; for local tasks, runs
 * the function. Failures become {@link AttemptResult}s, never exceptions.
 */
import { OperationRetry, newUuid } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { errorText, operationContext } from './event-builders.js';
import { TaskFailedError } from './errors.js';
import type { ExecutionEvents } from './execution-events.js';
import type { ExecutionStorePort } from './execution-store.js';
import type { OperationDispatcherPort, OperationInvocation } from './ports.js';
import { decideFailure, retryPolicyFor, type RetryDefaults } from './retry-policy.js';
import type { AttemptExecutor, AttemptResult } from './scheduler.js';
import type { GraphTask, OperationTaskSpec } from './task-graph.js';

/** Evaluates an operation's inputs at run time (runtime functions, kwargs). */
export type InputResolver = (spec: OperationTaskSpec) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** Everything the attempt executor needs. */
export interface AttemptExecutorContext {
  events: ExecutionEvents;
  dispatcher: OperationDispatcherPort;
  store: ExecutionStorePort;
  clock: Clock;
  retryDefaults: RetryDefaults;
  /** @default the operation's static inputs merged with its kwargs */
  resolveInputs?: InputResolver;
  /** @default random UUIDs */
  newTaskId?: () => string;
}

/** Static inputs plus kwargs (kwargs win; overrides were checked when the graph was built). */
export const staticInputs: InputResolver = (spec) =>
  spec.kwargs === undefined ? spec.operation.inputs : { ...spec.operation.inputs, ...spec.kwargs };

const DONE: AttemptResult = Object.freeze({ kind: 'done' });
const SUCCEEDED = Object.freeze({ state: 'succeeded' as const });

/** Builds the {@link AttemptExecutor} of one execution. */
export function createAttemptExecutor(ctx: AttemptExecutorContext): AttemptExecutor {
  const resolveInputs = ctx.resolveInputs ?? staticInputs;
  const newTaskId = ctx.newTaskId ?? newUuid;
  const { events, store, dispatcher, clock } = ctx;
  const scope = events.scope;

  const localFailed = (task: GraphTask, error: unknown): AttemptResult => {
    if (task.ignoreFailure && task.owner !== null) {
      events.nodeEvent(task.owner.id, task.owner.nodeId, `Ignoring task ${task.name} failure`);
      return DONE;
    }
    return { kind: 'failed', error: new TaskFailedError(task.name, errorText(error), error) };
  };
  // Synchronous when the local function is (events): no promise per task.
  const runLocal = (task: GraphTask, signal: AbortSignal): AttemptResult | Promise<AttemptResult> => {
    let out: Promise<void> | void;
    try {
      out = task.run!(signal, task);
    } catch (error) {
      return localFailed(task, error);
    }
    if (out instanceof Promise) return out.then(() => DONE, (error: unknown) => localFailed(task, error));
    return DONE;
  };

  const runOperation = async (task: GraphTask, spec: OperationTaskSpec, signal: AbortSignal): Promise<AttemptResult> => {
    try {
      const policy = retryPolicyFor(spec.operation, ctx.retryDefaults);
      const resolved = resolveInputs(spec);
      const invocation: OperationInvocation = {
        taskId: newTaskId(),
        executionId: scope.executionId,
        workflowId: scope.workflowId,
        deploymentId: scope.deploymentId ?? '',
        blueprintId: scope.blueprintId ?? '',
        operation: spec.operation,
        inputs: resolved instanceof Promise ? await resolved : resolved,
        nodeId: spec.nodeId,
        nodeInstanceId: spec.nodeInstanceId,
        relationship: spec.relationship,
        hostId: spec.hostId,
        ...(spec.instanceRelationships ? { instanceRelationships: spec.instanceRelationships } : {}),
        retryNumber: task.attempt,
        maxRetries: policy.maxRetries,
      };
      const context = operationContext(invocation);
      const visible = spec.sendTaskEvents !== false;
      await store.putTask({ id: invocation.taskId, executionId: scope.executionId, attempt: task.attempt, state: 'pending', nextAttemptAt: null, error: null, invocation });
      if (visible) events.task('sending', invocation, context);
      let result: unknown;
      try {
        if (visible) events.task('started', invocation, context);
        result = await dispatcher.run(invocation, signal);
      } catch (error) {
        return failed(task, invocation, context, policy, error, signal);
      }
      if (visible) events.task('succeeded', invocation, context, result);
      if (spec.retryUntilTrue === true && result !== true) {
        const nextAttemptAt = clock.now() + policy.retryIntervalMs;
        await store.finishTask(invocation.taskId, { state: 'rescheduled', nextAttemptAt });
        return { kind: 'retry', delayMs: policy.retryIntervalMs };
      }
      await store.finishTask(invocation.taskId, SUCCEEDED);
      return DONE;
    } catch (error) {
      return { kind: 'failed', error: new TaskFailedError(task.name, errorText(error), error) };
    }
  };

  const failed = async (
    task: GraphTask,
    invocation: OperationInvocation,
    context: ReturnType<typeof operationContext>,
    policy: ReturnType<typeof retryPolicyFor>,
    error: unknown,
    signal: AbortSignal,
  ): Promise<AttemptResult> => {
    const text = errorText(error);
    if (signal.aborted) {
      await store.finishTask(invocation.taskId, { state: 'cancelled', error: text });
      return { kind: 'cancelled' };
    }
    events.task(error instanceof OperationRetry ? 'rescheduled' : 'failed', invocation, context, error);
    const decision = decideFailure(error, policy, task.attempt, task.ignoreFailure);
    switch (decision.action) {
      case 'retry':
        await store.finishTask(invocation.taskId, { state: 'rescheduled', error: text, nextAttemptAt: clock.now() + decision.delayMs });
        return { kind: 'retry', delayMs: decision.delayMs };
      case 'ignore':
        await store.finishTask(invocation.taskId, { state: 'ignored', error: text });
        events.nodeEvent(invocation.nodeInstanceId, invocation.nodeId, `Ignoring task ${task.name} failure`);
        return DONE;
      case 'fail':
        await store.finishTask(invocation.taskId, { state: 'failed', error: text });
        return {
          kind: 'failed',
          error: new TaskFailedError(task.name, text, error, { taskId: invocation.taskId, nodeInstanceId: invocation.nodeInstanceId, attempt: task.attempt }),
        };
    }
  };

  return (task, signal) => {
    if (task.kind === 'local') return runLocal(task, signal);
    if (task.operation === null) return DONE;
    return runOperation(task, task.operation, signal);
  };
}
