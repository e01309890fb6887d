/** Node instances: ids, containment multiplication, hosts and relationship instances. */
import { nodeInstanceId, type RandomSource } from '../core/index.js';
import type { NodeInstanceModel, NodeModel, RelationshipInstance } from './model.js';

export const CONTAINED_IN = 'cloudify.relationships.contained_in';
export const COMPUTE = 'cloudify.nodes.Compute';

/** The node a node is contained in (its first contained_in relationship), or null. */
export function containerNodeId(node: NodeModel): string | null {
  return node.relationships.find((r) => r.typeHierarchy.includes(CONTAINED_IN))?.targetId ?? null;
}

/** True for nodes whose type derives from cloudify.nodes.Compute. */
export function isCompute(node: NodeModel): boolean {
  return node.typeHierarchy.includes(COMPUTE);
}

/** Generates unique `<node>_<5 hex>` ids. */
export class IdAllocator {
  readonly #used: Set<string>;
  constructor(
    private readonly random: RandomSource,
    used: Iterable<string> = [],
  ) {
    this.#used = new Set(used);
  }
  next(nodeId: string): string {
    for (;;) {
      const id = nodeInstanceId(nodeId, this.random);
      if (!this.#used.has(id)) {
        this.#used.add(id);
        return id;
      }
    }
  }
}

/** Containers before the nodes they contain; otherwise declaration order. */
export function containmentOrder(nodes: readonly NodeModel[]): NodeModel[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: NodeModel[] = [];
  const done = new Set<string>();
  const visit = (n: NodeModel): void => {
    if (done.has(n.id)) return;
    done.add(n.id);
    const container = containerNodeId(n);
    const parent = container === null ? undefined : byId.get(container);
    if (parent) visit(parent);
    out.push(n);
  };
  nodes.forEach(visit);
  return out;
}

/** An instance being built, with its container instance. */
export interface DraftInstance extends NodeInstanceModel {
  containerId: string | null;
}

/**
 * Creates `count` instances of `node` (inside `container`, when contained) and, recursively,
 * the instances of every node contained in it (`deployInstances` per container instance).
 */
export function spawn(
  node: NodeModel,
  count: number,
  container: DraftInstance | null,
  children: Map<string, NodeModel[]>,
  ids: IdAllocator,
  out: DraftInstance[],
): DraftInstance[] {
  const created: DraftInstance[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids.next(node.id);
    const hostId = isCompute(node) ? id : (container?.hostId ?? null);
    const instance: DraftInstance = {
      id,
      nodeId: node.id,
      hostId,
      relationships: [],
      containerId: container?.id ?? null,
    };
    out.push(instance);
    created.push(instance);
    for (const child of children.get(node.id) ?? [])
      spawn(child, child.deployInstances, instance, children, ids, out);
  }
  return created;
}

/** node id -> nodes contained in it (declaration order). */
export function childrenByContainer(nodes: readonly NodeModel[]): Map<string, NodeModel[]> {
  const children = new Map<string, NodeModel[]>();
  for (const n of nodes) {
    const container = containerNodeId(n);
    if (container === null) continue;
    const list = children.get(container) ?? [];
    list.push(n);
    children.set(container, list);
  }
  return children;
}

/**
 * Relationship instances of one instance: contained_in -> its container instance; all_to_all ->
 * every target instance; all_to_one -> one target instance (the first, or `preferred` one).
 */
export function relationshipInstances(
  node: NodeModel,
  instance: DraftInstance,
  instancesOf: (nodeId: string) => readonly NodeInstanceModel[],
  preferred?: (type: string, targetNode: string) => string | undefined,
): RelationshipInstance[] {
  const out: RelationshipInstance[] = [];
  let containerUsed = false;
  for (const rel of node.relationships) {
    if (
      !containerUsed &&
      rel.typeHierarchy.includes(CONTAINED_IN) &&
      instance.containerId !== null
    ) {
      containerUsed = true;
      out.push({ type: rel.type, targetId: instance.containerId, targetName: rel.targetId });
      continue;
    }
    const targets = instancesOf(rel.targetId);
    if (targets.length === 0) continue;
    if (rel.connectionType === 'all_to_one') {
      const chosen = preferred?.(rel.type, rel.targetId) ?? targets[0]!.id;
      out.push({ type: rel.type, targetId: chosen, targetName: rel.targetId });
    } else
      for (const t of targets)
        out.push({ type: rel.type, targetId: t.id, targetName: rel.targetId });
  }
  return out;
}
