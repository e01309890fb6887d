/**
 * Workflow functions by mapping name (`default_workflows.cloudify.plugins.workflows.install`,
 * or a plugin's own `my_plugin.workflows.rolling_update`), with the built-ins pre-registered.
 */
import { UserError } from '../core/index.js';
import type { DeploymentModel, ParameterSpec, WorkflowSpec } from '../plan/model.js';
import { executeOperation } from './builtin/execute-operation.js';
import { heal } from './builtin/heal.js';
import { install, uninstall } from './builtin/install.js';
import { scale } from './builtin/scale.js';
import type { WorkflowFunction } from './workflow-context.js';

const builtinPlugin = 'default_workflows';

/** Built-in workflows: name, mapping (Cloudify 3.3 types.yaml) and parameters. */
export const builtinWorkflows: Readonly<Record<string, { mapping: string; run: WorkflowFunction; parameters: Record<string, ParameterSpec> }>> = {
  install: { mapping: 'cloudify.plugins.workflows.install', run: install, parameters: {} },
  uninstall: { mapping: 'cloudify.plugins.workflows.uninstall', run: uninstall, parameters: {} },
  execute_operation: {
    mapping: 'cloudify.plugins.workflows.execute_operation',
    run: executeOperation,
    parameters: {
      operation: { description: 'The name of the operation to execute' },
      operation_kwargs: { default: {} },
      allow_kwargs_override: { default: null },
      run_by_dependency_order: { default: false },
      type_names: { default: [] },
      node_ids: { default: [] },
      node_instance_ids: { default: [] },
    },
  },
  heal: {
    mapping: 'cloudify.plugins.workflows.auto_heal_reinstall_node_subgraph',
    run: heal,
    parameters: {
      node_instance_id: { description: 'Which node instance has failed' },
      diagnose_value: { description: 'Diagnosed reason of failure', default: 'Not provided' },
    },
  },
  scale: {
    mapping: 'cloudify.plugins.workflows.scale',
    run: scale,
    parameters: { node_id: { description: 'Which node to scale' }, delta: { default: 1 }, scale_compute: { default: true } },
  },
};

/** A resolved workflow: what to run and the parameters it declares. */
export interface ResolvedWorkflow {
  name: string;
  run: WorkflowFunction;
  parameters: Record<string, ParameterSpec>;
}

/** Workflow functions by mapping name. */
export class WorkflowRegistry {
  readonly #functions = new Map<string, WorkflowFunction>();

  /** A registry holding the built-ins (under `cloudify.plugins.workflows.*` and `default_workflows.*`). */
  constructor() {
    for (const workflow of Object.values(builtinWorkflows)) {
      this.register(workflow.mapping, workflow.run);
      this.register(`${builtinPlugin}.${workflow.mapping}`, workflow.run);
    }
  }

  /** Registers (or replaces) the function of a mapping name. */
  register(mapping: string, run: WorkflowFunction): this {
    this.#functions.set(mapping, run);
    return this;
  }

  /** The function of a mapping name, if any. */
  get(mapping: string): WorkflowFunction | undefined {
    return this.#functions.get(mapping);
  }

  /**
   * The workflow `name` of a deployment: its blueprint declaration (mapping looked up with and
   * without the plugin prefix), else the built-in of that name. `nonexistent_workflow_error`
   * when neither exists.
   */
  resolve(model: DeploymentModel, name: string): ResolvedWorkflow {
    const spec: WorkflowSpec | undefined = model.workflows[name];
    if (spec !== undefined) {
      const run = this.get(spec.operation) ?? this.get(`${spec.plugin}.${spec.operation}`);
      if (run === undefined) {
        throw new UserError('nonexistent_workflow_error', `Workflow ${name} maps to ${spec.plugin}.${spec.operation}, which no plugin provides`, {
          details: { workflow: name, mapping: spec.operation, plugin: spec.plugin },
          hints: ['register the workflow function of this plugin before running it'],
        });
      }
      return { name, run, parameters: spec.parameters };
    }
    const builtin = builtinWorkflows[name];
    if (builtin !== undefined) return { name, run: builtin.run, parameters: builtin.parameters };
    const known = [...new Set([...Object.keys(model.workflows), ...Object.keys(builtinWorkflows)])].sort();
    throw new UserError('nonexistent_workflow_error', `Workflow ${name} does not exist in this deployment`, {
      details: { workflow: name, known },
      hints: [`known workflows: ${known.join(', ')}`],
    });
  }
}

/**
 * Applies parameter defaults and checks required ones (all missing names in one error,
 * `bad_parameters_error`). Parameters the workflow does not declare are rejected unless
 * `allowCustom`.
 */
export function workflowParameters(
  workflow: ResolvedWorkflow,
  given: Readonly<Record<string, unknown>>,
  allowCustom: boolean,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [key, spec] of Object.entries(workflow.parameters)) {
    if (key in given) result[key] = given[key];
    else if ('default' in spec) result[key] = spec.default;
    else missing.push(key);
  }
  const unknown = Object.keys(given).filter((key) => !(key in workflow.parameters));
  if (missing.length > 0 || (unknown.length > 0 && !allowCustom)) {
    const parts = [
      missing.length > 0 ? `missing required parameter(s) ${missing.join(', ')}` : '',
      unknown.length > 0 && !allowCustom ? `unknown parameter(s) ${unknown.join(', ')}` : '',
    ].filter((p) => p !== '');
    throw new UserError('bad_parameters_error', `Workflow ${workflow.name}: ${parts.join('; ')}`, {
      details: { workflow: workflow.name, missing, unknown },
      hints: [unknown.length > 0 ? 'pass allow_custom_parameters to accept parameters the workflow does not declare' : `declared: ${Object.keys(workflow.parameters).join(', ') || 'none'}`],
    });
  }
  for (const key of unknown) result[key] = given[key];
  return result;
}
