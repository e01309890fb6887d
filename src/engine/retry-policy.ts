/**
 * Retry rules of spec §4.5, as data plus one pure decision function. The engine persists the
 * decision (next attempt time) with the task record, so a restart loses no retry.
 */
import { NonRecoverableError, OperationRetry, RecoverableError } from '../core/index.js';
import type { OperationSpec } from '../plan/model.js';

/** How often, and how far apart, one operation may be attempted. */
export interface RetryPolicy {
  /** Retries after the first attempt; -1 = infinite. */
  maxRetries: number;
  /** Delay before a retry, in milliseconds. */
  retryIntervalMs: number;
}

/** Workflow-wide retry settings (CLI `--task-retries` / `--task-retry-interval`). */
export interface RetryDefaults {
  /** @default -1 (infinite, Cloudify's default) */
  taskRetries?: number;
  /** Seconds. @default 30 */
  taskRetryInterval?: number;
}

/**
 * The policy of one operation: its own `max_retries` / `retry_interval` from the blueprint,
 * else the workflow's `task_retries` / `task_retry_interval`.
 */
export function retryPolicyFor(spec: Pick<OperationSpec, 'maxRetries' | 'retryInterval'>, defaults: RetryDefaults = {}): RetryPolicy {
  const maxRetries = spec.maxRetries ?? defaults.taskRetries ?? -1;
  const interval = spec.retryInterval ?? defaults.taskRetryInterval ?? 30;
  return { maxRetries: maxRetries < 0 ? -1 : Math.floor(maxRetries), retryIntervalMs: Math.max(0, interval) * 1000 };
}

/** What happens after a failed attempt. */
export type FailureDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'fail' }
  | { action: 'ignore' };

/** Whether another attempt is allowed after attempt `retryNumber` (0-based). */
export function hasRetriesLeft(policy: RetryPolicy, retryNumber: number): boolean {
  return policy.maxRetries === -1 || retryNumber < policy.maxRetries;
}

/**
 * Decides the fate of a failed attempt:
 * - `OperationRetry` is always retried while retries remain, even when failures are ignored,
 *   and fails (is never ignored) once they are exhausted;
 * - otherwise an ignoring task (uninstall) ignores the failure;
 * - `NonRecoverableError` fails at once;
 * - anything else is recoverable: retried after `retryAfter` (seconds) or the interval.
 */
export function decideFailure(
  error: unknown,
  policy: RetryPolicy,
  retryNumber: number,
  ignoreFailure: boolean,
): FailureDecision {
  if (error instanceof OperationRetry) {
    return hasRetriesLeft(policy, retryNumber) ? { action: 'retry', delayMs: delayFor(error.retryAfter, policy) } : { action: 'fail' };
  }
  if (ignoreFailure) return { action: 'ignore' };
  if (error instanceof NonRecoverableError) return { action: 'fail' };
  if (!hasRetriesLeft(policy, retryNumber)) return { action: 'fail' };
  const retryAfter = error instanceof RecoverableError ? error.retryAfter : undefined;
  return { action: 'retry', delayMs: delayFor(retryAfter, policy) };
}

function delayFor(retryAfterSeconds: number | undefined, policy: RetryPolicy): number {
  return retryAfterSeconds === undefined ? policy.retryIntervalMs : Math.max(0, retryAfterSeconds) * 1000;
}
