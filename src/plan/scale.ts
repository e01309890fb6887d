/** Scale planning: which instances a `scale` workflow adds or removes, and relationship changes. */
import { secureRandom, UserError, type RandomSource } from '../core/index.js';
import { DeploymentGraph } from './graph.js';
import {
  childrenByContainer,
  containerNodeId,
  IdAllocator,
  relationshipInstances,
  spawn,
  type DraftInstance,
} from './instances.js';
import type { DeploymentModel, NodeInstanceModel, RelationshipInstance } from './model.js';

export interface ScaleOptions {
  nodeId: string;
  /** Instances to add (> 0) or remove (< 0), per container instance for contained nodes. */
  delta: number;
  /** @default secure random */
  random?: RandomSource;
}

/** An existing instance whose relationships change because targets were added or removed. */
export interface RelationshipChange {
  instance: NodeInstanceModel;
  /** Relationship instances added to (extended) or removed from (reduced) it. */
  relationships: RelationshipInstance[];
}

export interface ScaleResult {
  /** New instances (the scaled node's and everything contained in them), containers first. */
  added: NodeInstanceModel[];
  /** Instances to remove (the scaled node's and everything contained in them), contained first. */
  removed: NodeInstanceModel[];
  /** Existing instances gaining relationships to added instances (all_to_all). */
  extended: RelationshipChange[];
  /** Existing instances losing relationships to removed instances. */
  reduced: RelationshipChange[];
  /** The instance list after scaling. */
  instances: NodeInstanceModel[];
}

/**
 * Plans a scale of `nodeId` by `delta`. Contained nodes scale with their container (N x M);
 * new instances get relationships to existing targets; existing all_to_all sources get
 * relationships to new targets. Removes the most recently created instances first.
 */
export function planScale(
  model: Pick<DeploymentModel, 'nodes'>,
  current: readonly NodeInstanceModel[],
  options: ScaleOptions,
): ScaleResult {
  const graph = new DeploymentGraph(model, current);
  const node = graph.nodes.get(options.nodeId);
  if (!node)
    throw new UserError('not_found_error', `Node ${options.nodeId} not found in the deployment`, {
      httpStatus: 404,
      details: { nodeId: options.nodeId },
    });
  if (!Number.isInteger(options.delta))
    throw new UserError('bad_parameters_error', `delta must be an integer, got ${options.delta}`);
  if (options.delta === 0)
    return { added: [], removed: [], extended: [], reduced: [], instances: [...current] };
  return options.delta > 0
    ? scaleOut(model, graph, current, options)
    : scaleIn(graph, current, options);
}

function scaleOut(
  model: Pick<DeploymentModel, 'nodes'>,
  graph: DeploymentGraph,
  current: readonly NodeInstanceModel[],
  options: ScaleOptions,
): ScaleResult {
  const node = graph.nodes.get(options.nodeId)!;
  const ids = new IdAllocator(
    options.random ?? secureRandom,
    current.map((i) => i.id),
  );
  const children = childrenByContainer(model.nodes);
  const drafts: DraftInstance[] = [];
  const containerNode = containerNodeId(node);
  const containerIds =
    containerNode === null ? [null] : graph.instancesOf(containerNode).map((i) => i.id);
  for (const containerId of containerIds) {
    const container = containerId === null ? null : graph.instances.get(containerId)!;
    spawn(
      node,
      options.delta,
      container ? { ...container, containerId: graph.containerOf(container) } : null,
      children,
      ids,
      drafts,
    );
  }
  const all = [...current, ...drafts];
  const byNode = new Map<string, NodeInstanceModel[]>();
  for (const i of all) {
    const list = byNode.get(i.nodeId);
    if (list) list.push(i);
    else byNode.set(i.nodeId, [i]);
  }
  const instancesOf = (id: string): NodeInstanceModel[] => byNode.get(id) ?? [];
  const added = drafts.map((d): NodeInstanceModel => {
    const dn = graph.nodes.get(d.nodeId)!;
    // all_to_one keeps pointing at the target existing instances of the node already use.
    const preferred = (type: string, target: string): string | undefined =>
      graph
        .instancesOf(d.nodeId)[0]
        ?.relationships.find((r) => r.type === type && r.targetName === target)?.targetId;
    return {
      id: d.id,
      nodeId: d.nodeId,
      hostId: d.hostId,
      relationships: relationshipInstances(dn, d, instancesOf, preferred),
    };
  });
  const addedIds = new Set(drafts.map((d) => d.id));
  const extended: RelationshipChange[] = [];
  const updated = current.map((inst) => {
    const n = graph.nodes.get(inst.nodeId);
    if (!n) return inst;
    const extra: RelationshipInstance[] = [];
    for (const rel of n.relationships) {
      if (
        rel.connectionType !== 'all_to_all' ||
        rel.typeHierarchy.includes('cloudify.relationships.contained_in')
      )
        continue;
      for (const t of instancesOf(rel.targetId))
        if (addedIds.has(t.id))
          extra.push({ type: rel.type, targetId: t.id, targetName: rel.targetId });
    }
    if (extra.length === 0) return inst;
    extended.push({ instance: inst, relationships: extra });
    return { ...inst, relationships: [...inst.relationships, ...extra] };
  });
  return { added, removed: [], extended, reduced: [], instances: [...updated, ...added] };
}

function scaleIn(
  graph: DeploymentGraph,
  current: readonly NodeInstanceModel[],
  options: ScaleOptions,
): ScaleResult {
  const existing = graph.instancesOf(options.nodeId);
  const count = -options.delta;
  // Per container instance, like scale out (top-level nodes: one group).
  const groups = new Map<string | null, NodeInstanceModel[]>();
  for (const i of existing) {
    const c = graph.containerOf(i);
    const list = groups.get(c);
    if (list) list.push(i);
    else groups.set(c, [i]);
  }
  const victims: NodeInstanceModel[] = [];
  for (const [container, list] of groups) {
    if (count > list.length) {
      throw new UserError(
        'bad_parameters_error',
        `Cannot remove ${count} instances of ${options.nodeId}${container ? ` from ${container}` : ''}: only ${list.length} exist`,
      );
    }
    victims.push(...list.slice(list.length - count));
  }
  const removed: NodeInstanceModel[] = [];
  for (const v of victims) removed.push(...graph.containedSubgraph(v.id).reverse());
  const removedIds = new Set(removed.map((r) => r.id));
  const reduced: RelationshipChange[] = [];
  const instances: NodeInstanceModel[] = [];
  for (const inst of current) {
    if (removedIds.has(inst.id)) continue;
    const lost = inst.relationships.filter((r) => removedIds.has(r.targetId));
    if (lost.length === 0) instances.push(inst);
    else {
      reduced.push({ instance: inst, relationships: lost });
      instances.push({
        ...inst,
        relationships: inst.relationships.filter((r) => !removedIds.has(r.targetId)),
      });
    }
  }
  return { added: [], removed, extended: [], reduced, instances };
}
