import { UserError } from '../../core/index.js';
import type { Step } from '../../engine/index.js';
import type { NodeInstanceModel } from '../../plan/model.js';
import type { ModelIndex } from '../model-index.js';
import type { WorkflowContext } from '../workflow-context.js';

/** Parameters of `execute_operation` (3.3 names). */
export interface ExecuteOperationParameters {
  operation: string;
  operation_kwargs: Record<string, unknown>;
  allow_kwargs_override: boolean | null;
  run_by_dependency_order: boolean;
  type_names: string[];
  node_ids: string[];
  node_instance_ids: string[];
}

/** The instances `execute_operation` runs on: filtered by node ids, type names and instance ids. */
export function filterInstances(index: ModelIndex, p: Pick<ExecuteOperationParameters, 'type_names' | 'node_ids' | 'node_instance_ids'>): NodeInstanceModel[] {
  const nodeIds = new Set(p.node_ids);
  const instanceIds = new Set(p.node_instance_ids);
  return index.model.nodeInstances.filter((instance) => {
    if (nodeIds.size > 0 && !nodeIds.has(instance.nodeId)) return false;
    if (p.type_names.length > 0) {
      const hierarchy = index.node(instance.nodeId).typeHierarchy;
      if (!p.type_names.some((t) => hierarchy.includes(t))) return false;
    }
    return instanceIds.size === 0 || instanceIds.has(instance.id);
  });
}

/**
 * `execute_operation`: one operation on the filtered instances, in parallel, or, with
 * `run_by_dependency_order`, after the instances their relationships point to (through every
 * instance, so indirect dependencies hold).
 */
export async function executeOperation(ctx: WorkflowContext): Promise<void> {
  const p = readParameters(ctx.parameters);
  const instances = filterInstances(ctx.index, p);
  const b = ctx.newGraph();
  const missing: string[] = [];
  const tasks = new Map<string, Step>();
  for (const instance of instances) {
    const spec = ctx.index.node(instance.nodeId).operations[p.operation];
    if (spec === undefined) {
      missing.push(instance.id);
      continue;
    }
    const clashes = Object.keys(p.operation_kwargs).filter((key) => key in spec.inputs);
    if (clashes.length > 0 && p.allow_kwargs_override !== true) {
      throw new UserError('operation_kwargs_override_error', `operation_kwargs ${clashes.join(', ')} would override inputs of ${p.operation} on ${instance.id}`, {
        details: { operation: p.operation, nodeInstanceId: instance.id, inputs: clashes },
        hints: ['pass allow_kwargs_override=true to let operation_kwargs win, or rename the kwargs'],
      });
    }
    const task = b.operation(instance, p.operation, { kwargs: p.operation_kwargs });
    tasks.set(instance.id, task ?? b.graph.nop(instance.id));
  }
  if (missing.length > 0) {
    throw new UserError('operation_not_found_error', `Operation ${p.operation} does not exist on node instance(s) ${missing.join(', ')}`, {
      details: { operation: p.operation, nodeInstanceIds: missing },
      hints: ['use the full operation name (cloudify.interfaces.lifecycle.start), or narrow node_ids / type_names'],
    });
  }
  if (p.run_by_dependency_order) {
    const steps = new Map<string, Step>();
    for (const instance of ctx.nodeInstances) steps.set(instance.id, tasks.get(instance.id) ?? b.graph.nop(`stub_${instance.id}`));
    for (const instance of ctx.nodeInstances) {
      for (const rel of instance.relationships) {
        const target = steps.get(rel.targetId);
        if (target !== undefined) b.graph.dependsOn(steps.get(instance.id)!, target);
      }
    }
  }
  await ctx.runGraph(b);
}

function readParameters(raw: Readonly<Record<string, unknown>>): ExecuteOperationParameters {
  const operation = raw['operation'];
  if (typeof operation !== 'string' || operation === '') {
    throw new UserError('bad_parameters_error', 'execute_operation needs an `operation` parameter (a full operation name)', {
      details: { parameter: 'operation' },
    });
  }
  const list = (name: string): string[] => {
    const value = raw[name];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map(String);
    return [typeof value === 'string' ? value : JSON.stringify(value)];
  };
  const kwargs = raw['operation_kwargs'];
  return {
    operation,
    operation_kwargs: typeof kwargs === 'object' && kwargs !== null && !Array.isArray(kwargs) ? (kwargs as Record<string, unknown>) : {},
    allow_kwargs_override: raw['allow_kwargs_override'] === true || raw['allow_kwargs_override'] === 'true',
    run_by_dependency_order: raw['run_by_dependency_order'] === true || raw['run_by_dependency_order'] === 'true',
    type_names: list('type_names'),
    node_ids: list('node_ids'),
    node_instance_ids: list('node_instance_ids'),
  };
}
