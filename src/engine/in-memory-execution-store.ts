import { conflict, notFound } from '../core/index.js';
import { transitionExecution, type ExecutionStatus } from './execution-status.js';
import type { ExecutionRecord, ExecutionStorePort, TaskOutcome, TaskRecord, TaskState } from './execution-store.js';

/**
 * An {@link ExecutionStorePort} kept in memory (local mode, tests, benchmarks). Records are
 * copied on the way out, so callers cannot mutate stored state by accident; a task record
 * passed to `putTask` is kept as it is (the engine builds a fresh one per attempt). Only
 * unfinished tasks are indexed by id, so the index stays as small as the work in flight.
 */
export class InMemoryExecutionStoreAdapter implements ExecutionStorePort {
  readonly #executions = new Map<string, ExecutionRecord>();
  /** Tasks not finished yet, by id. */
  readonly #open = new Map<string, TaskRecord>();
  readonly #tasksByExecution = new Map<string, TaskRecord[]>();
  readonly #now: () => number;

  /** @param now clock for `updatedAt` (defaults to `Date.now`). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  createExecution(record: ExecutionRecord): Promise<void> {
    if (this.#executions.has(record.id)) return Promise.reject(conflict('Execution', record.id));
    this.#executions.set(record.id, { ...record });
    return Promise.resolve();
  }

  getExecution(id: string): Promise<ExecutionRecord> {
    const record = this.#executions.get(id);
    return record === undefined ? Promise.reject(notFound('Execution', id)) : Promise.resolve({ ...record });
  }

  setExecutionStatus(id: string, status: ExecutionStatus, error: string | null = null): Promise<ExecutionRecord> {
    const record = this.#executions.get(id);
    if (record === undefined) return Promise.reject(notFound('Execution', id));
    try {
      record.status = transitionExecution(record.status, status, id);
    } catch (failure) {
      return Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
    }
    record.error = error;
    record.updatedAt = new Date(this.#now()).toISOString();
    return Promise.resolve({ ...record });
  }

  putTask(record: TaskRecord): Promise<void> {
    this.#open.set(record.id, record);
    let list = this.#tasksByExecution.get(record.executionId);
    if (list === undefined) this.#tasksByExecution.set(record.executionId, (list = []));
    list.push(record);
    return Promise.resolve();
  }

  finishTask(id: string, outcome: TaskOutcome): Promise<void> {
    const record = this.#open.get(id);
    if (record === undefined) return Promise.reject(notFound('Open task', id));
    this.#open.delete(id);
    record.state = outcome.state;
    record.nextAttemptAt = outcome.nextAttemptAt ?? null;
    record.error = outcome.error ?? null;
    return Promise.resolve();
  }

  listTasks(executionId: string, states?: readonly TaskState[]): Promise<TaskRecord[]> {
    const list = this.#tasksByExecution.get(executionId) ?? [];
    const picked = states === undefined ? list : list.filter((t) => states.includes(t.state));
    return Promise.resolve(picked.map((t) => ({ ...t })));
  }
}
