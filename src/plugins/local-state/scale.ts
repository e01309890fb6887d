/**
 * The `scale` workflow's services for a local deployment: planned instances get their state
 * files before they are installed, and the final instance list is written to the stored plan.
 */
import { planScale } from '../../plan/index.js';
import type { ScaleModification, ScalePlanner, WorkflowServices } from '../../workflows/index.js';
import type { LocalStateStore } from './local-state-store.js';

/** `planScale` (nodes; scaling groups are refused by src/plan) and `commitScale` over `store`. */
export function localScaleServices(store: LocalStateStore): Required<WorkflowServices> {
  const plan: ScalePlanner = (model, request) => {
    const result = planScale(model, model.nodeInstances, {
      nodeId: request.entity,
      delta: request.delta,
    });
    store.addInstances(result.added);
    return {
      model: request.delta > 0 ? { ...model, nodeInstances: result.instances } : model,
      added: result.added.map((i) => i.id),
      removed: result.removed.map((i) => i.id),
      instances: result.instances,
    };
  };
  return {
    planScale: plan,
    commitScale: (modification: ScaleModification) => store.commitInstances(modification.instances),
  };
}
