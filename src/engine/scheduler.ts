/**
 * Runs a {@link TaskGraph}: ready tasks in FIFO order, at most `concurrency` at a time
 * (Cloudify's task thread pool). A failed task halts scheduling; a cancel request halts it too.
 * Running tasks are awaited in both cases (force-cancel aborts them through their signal), so
 * no work is left behind when `executeGraph` settles. Retry delays do not hold a slot.
 */
import type { Clock } from '../core/index.js';
import { ExecutionCancelledError, graphCycleError } from './errors.js';
import type { GraphTask, TaskGraph } from './task-graph.js';

/** What one attempt of one task came to. */
export type AttemptResult =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed'; error: Error }
  | { kind: 'cancelled' };

/**
 * Runs one attempt of an operation or local task (`task.attempt` is its number). May answer
 * synchronously (a local task that did not need to wait), which saves a promise per task.
 */
export type AttemptExecutor = (task: GraphTask, signal: AbortSignal) => AttemptResult | Promise<AttemptResult>;

export interface ExecuteGraphOptions {
  clock: Clock;
  /** Task thread pool size. @default 1 */
  concurrency?: number;
  /** Cancel request: stops scheduling, interrupts retry waits. */
  signal?: AbortSignal;
  /** Force-cancel: also aborts running operations. */
  forceSignal?: AbortSignal;
}

const neverAborted = new AbortController().signal;

/**
 * Runs every task of `graph` once its prerequisites completed. Resolves when all completed;
 * rejects with the first task failure, an {@link ExecutionCancelledError}, or a cycle error.
 */
export function executeGraph(graph: TaskGraph, execute: AttemptExecutor, options: ExecuteGraphOptions): Promise<void> {
  const limit = Math.max(1, options.concurrency ?? 1);
  const opSignal = options.forceSignal ?? neverAborted;
  // A force-cancel is a cancel too.
  const cancel =
    options.signal !== undefined && options.forceSignal !== undefined
      ? AbortSignal.any([options.signal, options.forceSignal])
      : (options.signal ?? options.forceSignal ?? neverAborted);
  const stop = new AbortController();
  const waitSignal = AbortSignal.any([cancel, stop.signal]);
  const ready: GraphTask[] = [];
  let head = 0;
  let running = 0;
  let waiting = 0;
  let remaining = graph.tasks.length;
  let failure: Error | null = null;
  let settled = false;

  for (const task of graph.tasks) if (task.unmet === 0) ready.push(task);

  return new Promise<void>((resolve, reject) => {
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      stop.abort();
      cancel.removeEventListener('abort', pump);
      if (error === null) resolve();
      else reject(error);
    };
    const complete = (task: GraphTask): void => {
      remaining--;
      for (const next of task.dependents) if (--next.unmet === 0) ready.push(next);
    };
    /** Applies a result (never calls pump: callers do). */
    const settle = (task: GraphTask, result: AttemptResult): void => {
      running--;
      switch (result.kind) {
        case 'done':
          complete(task);
          break;
        case 'retry':
          waiting++;
          options.clock.sleep(result.delayMs, waitSignal).then(
            () => {
              waiting--;
              task.attempt++;
              ready.push(task);
              pump();
            },
            () => {
              waiting--;
              pump();
            },
          );
          break;
        case 'failed':
          failure ??= result.error;
          stop.abort();
          break;
        case 'cancelled':
          break;
      }
    };
    const onResult = (task: GraphTask, result: AttemptResult): void => {
      settle(task, result);
      pump();
    };
    const onError = (task: GraphTask, error: unknown): void => {
      onResult(task, { kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    };
    const pump = (): void => {
      if (settled) return;
      if (failure === null && !cancel.aborted) dispatch();
      if (failure !== null || cancel.aborted) {
        if (running === 0 && waiting === 0) finish(failure ?? new ExecutionCancelledError(opSignal.aborted));
        return;
      }
      if (head > 4096 && head * 2 > ready.length) {
        ready.splice(0, head);
        head = 0;
      }
      if (remaining === 0) finish(null);
      else if (running === 0 && waiting === 0 && head >= ready.length) finish(graphCycleError(remaining));
    };
    const dispatch = (): void => {
      while (head < ready.length && running < limit) {
        const task = ready[head++]!;
        if (task.kind === 'nop') {
          complete(task);
          continue;
        }
        running++;
        let attempt: AttemptResult | Promise<AttemptResult>;
        try {
          attempt = execute(task, opSignal);
        } catch (error) {
          attempt = { kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) };
        }
        if (attempt instanceof Promise) {
          attempt.then(
            (result) => onResult(task, result),
            (error: unknown) => onError(task, error),
          );
        } else {
          settle(task, attempt);
          if (failure !== null || cancel.aborted) break;
        }
      }
    };
    if (!cancel.aborted) cancel.addEventListener('abort', pump, { once: true });
    pump();
  });
}
