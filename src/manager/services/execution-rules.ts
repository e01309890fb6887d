/**
 * The rules of Cloudify 3.3 §2.3 for starting and cancelling executions, as pure checks over
 * the currently active executions. Each violation is a 400 with Cloudify's code and message.
 */
import type { ParameterSpec, WorkflowSpec } from '../../plan/model.js';
import {
  badParameters,
  existingRunningExecution,
  globalLimitReached,
  illegalAction,
  nonexistentWorkflow,
} from '../errors.js';
import type { ExecutionRecord, ExecutionStatus } from '../store/records.js';

const describe = (list: readonly ExecutionRecord[]): string =>
  `[${list.map((e) => `${e.id} (${e.workflow_id}, ${e.status})`).join(', ')}]`;

/** May a new execution start next to `active`? Throws the first violated rule. */
export function checkCanStart(
  request: { deploymentId: string | null; systemWide: boolean; force: boolean },
  active: readonly ExecutionRecord[],
  maxParallel: number,
): void {
  if (request.systemWide) {
    if (active.length > 0) {
      throw existingRunningExecution(
        `You cannot start a system-wide execution if there are other executions running. Currently running executions: ${describe(active)}`,
        { running: active.map((e) => e.id) },
      );
    }
    return;
  }
  // A snapshot create reads one consistent point in time, so deployments may keep working meanwhile.
  const system = active.find((e) => e.is_system_workflow && e.workflow_id !== 'create_snapshot');
  if (system) {
    throw existingRunningExecution(
      `You cannot start an execution if there is a running system-wide execution (id: ${system.id})`,
      { running: [system.id] },
    );
  }
  const mine = active.filter((e) => e.deployment_id === request.deploymentId);
  if (mine.length > 0 && !request.force) {
    throw existingRunningExecution(
      `The following executions are currently running for this deployment: ${describe(mine)}. To execute this workflow anyway, pass "force=true" as a query parameter to this request`,
      { running: mine.map((e) => e.id) },
      ['Wait for them to end, cancel them, or pass force=true'],
    );
  }
  if (active.length >= maxParallel) {
    throw globalLimitReached(
      `New workflows may not be executed at this time, because the maximum number of running executions (${maxParallel}) has been reached. Please try again later`,
      { limit: maxParallel, running: active.length },
    );
  }
}

/** The workflow of a deployment, or 400 `nonexistent_workflow_error`. */
export function findWorkflow(workflows: Record<string, WorkflowSpec>, deploymentId: string, workflowId: string): WorkflowSpec {
  const spec = workflows[workflowId];
  if (!spec) {
    throw nonexistentWorkflow(
      `Workflow ${workflowId} does not exist in deployment ${deploymentId}; its workflows: ${Object.keys(workflows).join(', ')}`,
      { workflow_id: workflowId, deployment_id: deploymentId },
    );
  }
  return spec;
}

/**
 * Merges given parameters with the declared defaults. Missing mandatory parameters and, unless
 * allowed, undeclared ones are 400 `bad_parameters_error` (all listed at once).
 */
export function mergeParameters(
  workflowId: string,
  declared: Record<string, ParameterSpec>,
  given: unknown,
  allowCustom: boolean,
): Record<string, unknown> {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) {
    throw badParameters(`Workflow parameters must be a dict, got ${Array.isArray(given) ? 'a list' : typeof given}`);
  }
  const params = (given ?? {}) as Record<string, unknown>;
  const missing = Object.entries(declared)
    .filter(([name, spec]) => !(name in params) && spec.default === undefined)
    .map(([name]) => name);
  const custom = Object.keys(params).filter((name) => !(name in declared));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing mandatory parameter(s): ${missing.join(', ')}`);
  if (custom.length > 0 && !allowCustom) {
    problems.push(`undeclared parameter(s): ${custom.join(', ')} (pass allow_custom_parameters=true to allow them)`);
  }
  if (problems.length > 0) {
    throw badParameters(`Workflow ${workflowId}: ${problems.join('; ')}`, { missing, custom });
  }
  const merged: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) merged[name] = name in params ? params[name] : spec.default;
  for (const name of custom) merged[name] = params[name];
  return merged;
}

export type CancelAction = 'cancel' | 'force-cancel';

/** The status an action moves to; 400 `illegal_action_error` when the status does not allow it. */
export function cancelTransition(execution: ExecutionRecord, action: CancelAction): ExecutionStatus {
  const allowed: readonly ExecutionStatus[] =
    action === 'cancel' ? ['pending', 'started'] : ['pending', 'started', 'cancelling'];
  if (!allowed.includes(execution.status)) {
    throw illegalAction(`Can't ${action} execution ${execution.id} because it's in status ${execution.status}`, {
      id: execution.id,
      status: execution.status,
    });
  }
  return action === 'cancel' ? 'cancelling' : 'force_cancelling';
}
