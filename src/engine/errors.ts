/** Errors the engine raises. Codes are listed in docs/errors/engine.md. */
import { OperationalError, UnexpectedError, UserError } from '../core/index.js';

/**
 * A task failed for good (no retry left, NonRecoverableError, or an exhausted OperationRetry),
 * which fails the workflow. The message is Cloudify's:
 * `Workflow failed: Task failed '<name>' -> <error>`.
 */
export class TaskFailedError extends OperationalError {
  constructor(taskName: string, error: string, cause: unknown, details: Record<string, unknown> = {}) {
    super('task_failed_error', `Workflow failed: Task failed '${taskName}' -> ${error}`, {
      cause,
      details: { taskName, ...details },
      hints: ['see the task_failed event and the operation logs of this execution'],
    });
  }
}

/** The execution was cancelled (`force` when operations were aborted too). */
export class ExecutionCancelledError extends UserError {
  readonly force: boolean;
  constructor(force: boolean) {
    super('execution_cancelled_error', force ? 'Execution was force-cancelled' : 'Execution was cancelled', { details: { force } });
    this.force = force;
  }
}

/** A graph whose remaining tasks can never run (a dependency cycle). */
export function graphCycleError(remaining: number): UnexpectedError {
  return new UnexpectedError('task_graph_cycle_error', `Task graph has a dependency cycle: ${remaining} task(s) can never run`, {
    details: { remaining },
    hints: ['this is a bug in the workflow that built the graph; please report it'],
  });
}
