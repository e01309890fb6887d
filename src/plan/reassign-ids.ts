/**
 * Node-instance ids are `<node>_<5 hex>`: unique within a deployment by construction, but a
 * manager holding many deployments of one blueprint can meet the same id twice. This renames the
 * instances whose ids are taken elsewhere and fixes every reference to them.
 */
import { secureRandom, type RandomSource } from '../core/index.js';
import { IdAllocator } from './instances.js';
import type { DeploymentModel } from './model.js';

/** A copy of `model` whose instances avoid the ids in `taken` (references updated). */
export function reassignInstanceIds(
  model: DeploymentModel,
  taken: ReadonlySet<string>,
  random: RandomSource = secureRandom,
): DeploymentModel {
  const clashing = model.nodeInstances.filter((i) => taken.has(i.id));
  if (clashing.length === 0) return model;
  const ids = new IdAllocator(random, [...taken, ...model.nodeInstances.map((i) => i.id)]);
  const renamed = new Map(clashing.map((i) => [i.id, ids.next(i.nodeId)]));
  const rename = (id: string): string => renamed.get(id) ?? id;
  return {
    ...model,
    nodeInstances: model.nodeInstances.map((instance) => ({
      ...instance,
      id: rename(instance.id),
      hostId: instance.hostId === null ? null : rename(instance.hostId),
      relationships: instance.relationships.map((r) => ({ ...r, targetId: rename(r.targetId) })),
    })),
  };
}
