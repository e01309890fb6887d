/**
 * Execution lifecycle, in Cloudify's status names (spec §2.3).
 *
 * ```
 * pending ──> started ──> terminated            (success)
 *    │           ├──────> failed
 *    │           ├──> cancelling ──> cancelled
 *    │           └──> force_cancelling ──> cancelled
 *    └──> cancelled | failed | cancelling | force_cancelling
 * cancelling ──> force_cancelling | terminated | failed   (a workflow may finish before it notices)
 * ```
 * End states (`terminated`, `failed`, `cancelled`) accept no transition.
 */
import { UserError } from '../core/index.js';

/** Status of one workflow execution. `terminated` means success. */
export type ExecutionStatus =
  | 'pending'
  | 'started'
  | 'cancelling'
  | 'force_cancelling'
  | 'cancelled'
  | 'terminated'
  | 'failed';

const allowed: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  pending: ['started', 'cancelling', 'force_cancelling', 'cancelled', 'failed'],
  started: ['cancelling', 'force_cancelling', 'terminated', 'failed', 'cancelled'],
  cancelling: ['force_cancelling', 'cancelled', 'terminated', 'failed'],
  force_cancelling: ['cancelled', 'terminated', 'failed'],
  cancelled: [],
  terminated: [],
  failed: [],
};

/** The statuses after which an execution never changes again. */
export const endExecutionStatuses: readonly ExecutionStatus[] = ['terminated', 'failed', 'cancelled'];

/** True for `terminated`, `failed` and `cancelled`. */
export function isEndStatus(status: ExecutionStatus): boolean {
  return allowed[status].length === 0;
}

/** True when `from -> to` is a legal execution status transition. */
export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return allowed[from].includes(to);
}

/**
 * The one transition function: returns `to`, or throws an `illegal_action_error` UserError
 * naming both statuses when the move is not allowed.
 */
export function transitionExecution(from: ExecutionStatus, to: ExecutionStatus, executionId?: string): ExecutionStatus {
  if (canTransition(from, to)) return to;
  const subject = executionId === undefined ? 'an execution' : `execution ${executionId}`;
  throw new UserError('illegal_action_error', `Cannot move ${subject} from status ${from} to ${to}`, {
    details: { executionId, from, to },
    hints: isEndStatus(from)
      ? [`${from} is an end state; start a new execution instead`]
      : [`allowed from ${from}: ${allowed[from].join(', ')}`],
  });
}
