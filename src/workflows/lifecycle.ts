/**
 * Cross-instance ordering of install and uninstall (Cloudify 3.3 `LifecycleProcessor`, spec
 * §4.4): one subgraph per instance; a source runs after its targets on install and before them
 * on uninstall. Intact instances (heal, scale) get stub subgraphs so ordering through them
 * holds, and an intact instance's relationships to a processed instance get their
 * `establish` / `unlink` operations in its stub. Only the intact instances that matter are
 * visited: those with a relationship into the processed set, and those on a relationship path
 * leading from the processed set back into it. So the cost follows the processed set.
 */
import type { GraphTask, Step, TaskGraph } from '../engine/index.js';
import type { NodeInstanceModel } from '../plan/model.js';
import { installInstance, uninstallInstance } from './instance-sequences.js';
import type { ModelIndex } from './model-index.js';
import type { TaskBuilder } from './task-builder.js';

/** Which half of the lifecycle a graph runs. */
export type LifecyclePhase = 'install' | 'uninstall';

/**
 * Builds the install or uninstall graph of `instances`. With `withIntact`, every other instance
 * of the model is intact (heal, scale); otherwise relationships to outside instances are only
 * run from the processed side. Uninstall tasks ignore failures (except exhausted OperationRetry).
 */
export function buildLifecycleGraph(b: TaskBuilder, phase: LifecyclePhase, instances: readonly NodeInstanceModel[], withIntact: boolean): TaskGraph {
  const graph = b.graph;
  const steps = new Map<string, Step>();
  for (const instance of instances) {
    const first = graph.tasks.length;
    steps.set(instance.id, phase === 'install' ? installInstance(b, instance) : uninstallInstance(b, instance));
    if (phase === 'uninstall') graph.ignoreFailuresFrom(first);
  }
  const processed = new Set(steps.keys());
  const intact = withIntact ? relevantIntact(b.index, instances, processed) : [];
  const op = phase === 'install' ? 'cloudify.interfaces.relationship_lifecycle.establish' : 'cloudify.interfaces.relationship_lifecycle.unlink';
  for (const instance of intact) {
    const first = graph.tasks.length;
    const tasks: GraphTask[] = b.relationshipOperations(instance, op, (rel) => processed.has(rel.targetId));
    steps.set(instance.id, tasks.length === 0 ? graph.nop(`stub_${instance.id}`) : b.forkJoin(...tasks));
    if (phase === 'uninstall') graph.ignoreFailuresFrom(first);
  }
  for (const instance of [...instances, ...intact]) {
    const source = steps.get(instance.id)!;
    for (const rel of instance.relationships) {
      const target = steps.get(rel.targetId);
      if (target === undefined) continue;
      if (phase === 'install') graph.dependsOn(source, target);
      else graph.dependsOn(target, source);
    }
  }
  return graph;
}

/**
 * Intact instances that need a stub: direct sources of processed instances (they run
 * establish/unlink), plus intact instances both reachable from and leading to the processed
 * set (they carry ordering between processed instances).
 */
function relevantIntact(index: ModelIndex, instances: readonly NodeInstanceModel[], processed: ReadonlySet<string>): NodeInstanceModel[] {
  const backward = new Map<string, NodeInstanceModel>();
  const stack: NodeInstanceModel[] = [];
  for (const instance of instances) {
    for (const source of index.sources(instance.id)) {
      if (processed.has(source.id) || backward.has(source.id)) continue;
      backward.set(source.id, source);
      stack.push(source);
    }
  }
  const direct = new Set(backward.keys());
  while (stack.length > 0) {
    for (const source of index.sources(stack.pop()!.id)) {
      if (processed.has(source.id) || backward.has(source.id)) continue;
      backward.set(source.id, source);
      stack.push(source);
    }
  }
  const forward = new Set<string>();
  const queue: string[] = [];
  for (const instance of instances) for (const rel of instance.relationships) queue.push(rel.targetId);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (processed.has(id) || forward.has(id)) continue;
    forward.add(id);
    const target = index.findInstance(id);
    if (target !== undefined) for (const rel of target.relationships) queue.push(rel.targetId);
  }
  const result: NodeInstanceModel[] = [];
  for (const [id, instance] of backward) if (direct.has(id) || forward.has(id)) result.push(instance);
  return result;
}
