/**
 * Errors of the manager <-> agent channel. Codes are listed in docs/errors/messaging.md.
 */
import { OperationalError, RecoverableError } from '../core/index.js';

/**
 * A task could not finish because its agent is offline: the agent's last will arrived while the
 * task was in flight, or the agent did not come online in time. Recoverable, so the engine
 * retries the operation per its policy. Code `agent_offline`.
 */
export class AgentOfflineError extends RecoverableError {
  readonly code = 'agent_offline';
  readonly agentName: string;
  readonly taskId: string;
  constructor(agentName: string, taskId: string, why: string) {
    super(`Agent ${agentName} is offline (${why}); task ${taskId} did not complete on it`);
    this.agentName = agentName;
    this.taskId = taskId;
  }
  override get name(): string {
    return 'AgentOfflineError';
  }
}

/** The manager could not reach or use the broker. Code `broker_unavailable`. */
export function brokerUnavailable(url: string, cause: unknown): OperationalError {
  return new OperationalError('broker_unavailable', `Cannot use the message broker at ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, {
    cause,
    details: { url },
    hints: ['Check that the broker is running and that the manager credentials are right'],
  });
}
