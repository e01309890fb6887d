/** The single entry point: run one workflow of a deployment model with the given ports. */
import { runExecution, type EnginePorts, type ExecutionOptions, type ExecutionResult } from '../engine/index.js';
import type { DeploymentModel } from '../plan/model.js';
import { indexModel } from './model-index.js';
import { WorkflowRegistry, workflowParameters } from './registry.js';
import { createInputResolver } from './runtime-inputs.js';
import { WorkflowContext, type WorkflowServices } from './workflow-context.js';

/** Options of {@link runWorkflow}; all optional. */
export interface RunWorkflowOptions extends ExecutionOptions, WorkflowServices {
  /** `task_retries`: -1 = infinite. @default -1 */
  taskRetries?: number;
  /** `task_retry_interval`, seconds. @default 30 */
  taskRetryInterval?: number;
  /** Task thread pool size. @default 1 */
  threadPoolSize?: number;
  /** Workflow functions. @default the built-ins */
  registry?: WorkflowRegistry;
  /** Accept parameters the workflow does not declare. @default false */
  allowCustomParameters?: boolean;
}

/** What to run. */
export interface RunWorkflowRequest {
  model: DeploymentModel;
  /** Workflow name (`install`, `heal`, a custom one...). */
  workflow: string;
  parameters?: Record<string, unknown>;
  /** `manager` for the CLI's local manager environment; null for system-wide workflows. */
  deploymentId: string | null;
  blueprintId?: string | null;
  ports: EnginePorts;
  options?: RunWorkflowOptions;
}

const defaultRegistry = new WorkflowRegistry();

/**
 * Runs a workflow as one execution. Throws a UserError before anything starts for an unknown
 * workflow or bad parameters; otherwise resolves with the final execution record and the error
 * that ended it (null on success), after the execution reached an end state.
 */
export async function runWorkflow(request: RunWorkflowRequest): Promise<ExecutionResult> {
  const options = request.options ?? {};
  const registry = options.registry ?? defaultRegistry;
  const workflow = registry.resolve(request.model, request.workflow);
  const parameters = workflowParameters(workflow, request.parameters ?? {}, options.allowCustomParameters ?? false);
  const index = indexModel(request.model);
  let context: WorkflowContext | null = null;
  const executionOptions: ExecutionOptions = {
    ...options,
    resolveInputs: options.resolveInputs ?? createInputResolver(() => context?.index ?? index, request.ports.instances),
  };
  const identity = { workflowId: request.workflow, deploymentId: request.deploymentId, blueprintId: request.blueprintId ?? null, parameters };
  const services: WorkflowServices = {
    ...(options.planScale === undefined ? {} : { planScale: options.planScale }),
    ...(options.commitScale === undefined ? {} : { commitScale: options.commitScale }),
  };
  return runExecution(identity, request.ports, executionOptions, (execution) => {
    context = new WorkflowContext(index, parameters, execution, services);
    return workflow.run(context);
  });
}
