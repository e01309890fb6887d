/**
 * Persistence of executions and operation tasks. Every operation attempt is written as intent
 * (`pending`, with its full invocation) BEFORE it is dispatched and finalized after, so a later
 * run can reconcile after a crash instead of guessing. Adapters: {@link InMemoryExecutionStore}
 * here; SQL adapters live in src/storage. All methods are async and small on purpose.
 */
import type { ExecutionStatus } from './execution-status.js';
import type { OperationInvocation } from './ports.js';

/** One workflow execution. */
export interface ExecutionRecord {
  id: string;
  workflowId: string;
  /** Null for system-wide workflows. */
  deploymentId: string | null;
  blueprintId: string | null;
  status: ExecutionStatus;
  /** Failure text (Cloudify puts the traceback here); null unless failed. */
  error: string | null;
  parameters: Record<string, unknown>;
  /** ISO time. */
  createdAt: string;
  /** ISO time of the last status change. */
  updatedAt: string;
}

/**
 * State of one operation attempt:
 * `pending` (intent written, about to be dispatched) -> `succeeded` | `failed` | `rescheduled`
 * (another attempt follows at `nextAttemptAt`) | `ignored` (failure ignored, uninstall) |
 * `cancelled` (the execution was cancelled while it ran).
 */
export type TaskState = 'pending' | 'succeeded' | 'failed' | 'rescheduled' | 'ignored' | 'cancelled';

/** One attempt of one operation. */
export interface TaskRecord {
  /** The attempt's task id (`invocation.taskId`). */
  id: string;
  executionId: string;
  /** 0-based attempt number (= `invocation.retryNumber`). */
  attempt: number;
  state: TaskState;
  /** Epoch ms of the next attempt when `rescheduled`, else null. */
  nextAttemptAt: number | null;
  error: string | null;
  invocation: OperationInvocation;
}

/** The fields a finished attempt updates. */
export interface TaskOutcome {
  state: Exclude<TaskState, 'pending'>;
  nextAttemptAt?: number | null;
  error?: string | null;
}

/** Keeps execution and task records. */
export interface ExecutionStorePort {
  /** Stores a new execution; `conflict_error` when the id exists. */
  createExecution(record: ExecutionRecord): Promise<void>;
  /** `not_found_error` when missing. */
  getExecution(id: string): Promise<ExecutionRecord>;
  /**
   * Moves an execution to `status` through `transitionExecution` (illegal moves reject with
   * `illegal_action_error`) and returns the updated record.
   */
  setExecutionStatus(id: string, status: ExecutionStatus, error?: string | null): Promise<ExecutionRecord>;
  /** Writes the intent record of an attempt (state `pending`); resolves once it is durable. */
  putTask(record: TaskRecord): Promise<void>;
  /**
   * Finalizes an attempt once. `not_found_error` when the task was never put or is already
   * finalized. May resolve before the outcome is durable, if it becomes durable no later than
   * the execution's next `putTask` or status change (a lost outcome leaves a `pending` record).
   */
  finishTask(id: string, outcome: TaskOutcome): Promise<void>;
  /** Tasks of an execution in write order, optionally only those in `states`. */
  listTasks(executionId: string, states?: readonly TaskState[]): Promise<TaskRecord[]>;
}
