import { UserError } from '../../core/index.js';
import { planScale } from '../../plan/index.js';
import { buildLifecycleGraph } from '../lifecycle.js';
import type { ScalePlanner, WorkflowContext } from '../workflow-context.js';

/**
 * The default planner: src/plan's `planScale` on a node. Scale-out returns the model after
 * scaling (added instances and extended relationships); scale-in the model before it (the
 * removed instances must still be there to be uninstalled).
 */
export const planScaleOfNode: ScalePlanner = (model, request) => {
  if (!model.nodes.some((n) => n.id === request.entity)) {
    throw new UserError('bad_parameters_error', `Scaling group ${request.entity} needs a planScale service that knows groups`, {
      details: { entity: request.entity },
      hints: ['scale a node instead, or pass options.planScale'],
    });
  }
  const result = planScale(model, model.nodeInstances, { nodeId: request.entity, delta: request.delta });
  return {
    model: request.delta > 0 ? { ...model, nodeInstances: result.instances } : model,
    added: result.added.map((i) => i.id),
    removed: result.removed.map((i) => i.id),
    instances: result.instances,
  };
};

/**
 * `scale`: adds or removes instances of a node (or scaling group) by `delta`. With
 * `scale_compute` (default true) a node contained in a Compute scales its host. The instances
 * come from the `planScale` service (default: src/plan's); added ones are installed with every other
 * instance intact (and uninstalled again if that fails), removed ones are uninstalled.
 */
export async function scale(ctx: WorkflowContext): Promise<void> {
  const entityParam = ctx.parameters['scalable_entity_name'] ?? ctx.parameters['node_id'];
  if (typeof entityParam !== 'string' || entityParam === '') {
    throw new UserError('bad_parameters_error', 'scale needs `node_id` (or `scalable_entity_name`): the node or scaling group to scale', {
      details: { parameter: 'node_id' },
    });
  }
  const delta = Number(ctx.parameters['delta'] ?? 1);
  if (!Number.isInteger(delta)) {
    throw new UserError('bad_parameters_error', `scale delta must be an integer, got ${String(ctx.parameters['delta'])}`, { details: { parameter: 'delta' } });
  }
  if (delta === 0) {
    ctx.logger.info('delta parameter is 0, so no scaling will take place.');
    return;
  }
  const scaleCompute = ctx.parameters['scale_compute'] !== false && ctx.parameters['scale_compute'] !== 'false';
  let entity = entityParam;
  if (ctx.index.hasNode(entity)) {
    const node = ctx.index.node(entity);
    if (scaleCompute && node.hostId !== null && node.hostId !== node.id) entity = node.hostId;
  } else if (ctx.model.groups[entity] === undefined) {
    throw new UserError('not_found_error', `No node or scaling group named ${entity}`, { httpStatus: 404, details: { entity } });
  }
  const planner = ctx.services.planScale ?? planScaleOfNode;
  const modification = await planner(ctx.model, { entity, delta });
  const index = ctx.useModel(modification.model);
  if (delta > 0) {
    const added = modification.added.map((id) => index.instance(id));
    try {
      await ctx.runGraph(buildLifecycleGraph(ctx.newGraph(), 'install', added, true));
    } catch (error) {
      ctx.logger.error('Scale out failed, scaling back in.');
      await ctx.runGraph(buildLifecycleGraph(ctx.newGraph(), 'uninstall', added, true)).catch(() => undefined);
      throw error;
    }
  } else {
    const removed = modification.removed.map((id) => index.instance(id));
    await ctx.runGraph(buildLifecycleGraph(ctx.newGraph(), 'uninstall', removed, true));
  }
  await ctx.services.commitScale?.(modification);
}
