/**
 * Adds node-instance tasks to a graph: operations (node and relationship, both sides), state
 * changes and node events. Missing and no-op operations add nothing (they return null), so
 * sequences skip them, as Cloudify's NOP tasks emit nothing.
 */
import type { ExecutionEvents, GraphTask, InstanceStorePort, NodeInstanceStatus, OperationTaskSpec, Step, TaskGraph } from '../engine/index.js';
import type { NodeInstanceModel, RelationshipInstance } from '../plan/model.js';
import type { ModelIndex } from './model-index.js';

/** One step of a combined local task: a state change or a node event. */
export type LocalStep = { readonly state: NodeInstanceStatus } | { readonly event: string };

/** Options of one operation task. */
export interface OperationTaskOptions {
  kwargs?: Record<string, unknown>;
  retryUntilTrue?: boolean;
  sendTaskEvents?: boolean;
}

const noOptions: OperationTaskOptions = {};

function localStepsName(task: GraphTask): string {
  return (task.data as readonly LocalStep[]).map((s) => ('state' in s ? `set_state(${s.state})` : `send_event(${s.event})`)).join(', ');
}

/** Builds tasks about node instances into one graph. */
export class TaskBuilder {
  constructor(
    readonly graph: TaskGraph,
    readonly index: ModelIndex,
    readonly instances: InstanceStorePort,
    readonly events: ExecutionEvents,
  ) {}

  /** The node operation `name` of `instance`, or null when the node has none (or it is a no-op). */
  operation(instance: NodeInstanceModel, name: string, options: OperationTaskOptions = noOptions): GraphTask | null {
    const spec = this.index.node(instance.nodeId).operations[name];
    if (spec === undefined || spec.operation === '') return null;
    return this.graph.operation(withOptions({ operation: spec, nodeId: instance.nodeId, nodeInstanceId: instance.id, relationship: null, hostId: instance.hostId, instanceRelationships: instance.relationships }, options));
  }

  /**
   * The source-side and target-side `name` operations of one relationship instance (those that
   * exist). Both run with the source as `ctx.instance`; the target side runs on the target's host.
   */
  relationshipOperation(source: NodeInstanceModel, rel: RelationshipInstance, name: string, options: OperationTaskOptions = noOptions): GraphTask[] {
    const model = this.index.relationshipModel(source, rel);
    const tasks: GraphTask[] = [];
    for (const side of ['source', 'target'] as const) {
      const spec = (side === 'source' ? model.sourceOperations : model.targetOperations)[name];
      if (spec === undefined || spec.operation === '') continue;
      const target = side === 'target' ? this.index.findInstance(rel.targetId) : undefined;
      const relationship = { side, type: rel.type, sourceNodeId: source.nodeId, sourceNodeInstanceId: source.id, targetNodeId: rel.targetName, targetNodeInstanceId: rel.targetId };
      const hostId = side === 'source' ? source.hostId : (target?.hostId ?? null);
      tasks.push(this.graph.operation(withOptions({ operation: spec, nodeId: source.nodeId, nodeInstanceId: source.id, relationship, hostId, instanceRelationships: source.relationships }, options)));
    }
    return tasks;
  }

  /** `name` on both sides of every relationship of `instance`, in declaration order. */
  relationshipOperations(instance: NodeInstanceModel, name: string, filter?: (rel: RelationshipInstance) => boolean): GraphTask[] {
    const tasks: GraphTask[] = [];
    if (!this.index.hasRelationshipOperation(instance.nodeId, name)) return tasks;
    for (const rel of instance.relationships) {
      if (filter !== undefined && !filter(rel)) continue;
      tasks.push(...this.relationshipOperation(instance, rel, name));
    }
    return tasks;
  }

  /** A local task setting the instance's state. */
  setState(instance: NodeInstanceModel, state: NodeInstanceStatus): GraphTask {
    const store = this.instances;
    return this.graph.local(`set_state(${state})`, () => store.setState(instance.id, state), instance);
  }

  /** A local task sending a `workflow_node_event` about the instance. */
  sendEvent(instance: NodeInstanceModel, text: string): GraphTask {
    const events = this.events;
    return this.graph.local(`send_event(${text})`, () => events.nodeEvent(instance.id, instance.nodeId, text), instance);
  }

  /**
   * One local task running several state changes and node events in order (what Cloudify
   * runs as separate tasks in a sequence or a fork-join: same effects, fewer tasks).
   */
  localSteps(instance: NodeInstanceModel, steps: readonly LocalStep[]): GraphTask {
    return this.graph.local(localStepsName, this.#runSteps, instance, steps);
  }

  /** Runs a `localSteps` task: synchronous while there is no state to write. */
  readonly #runSteps = (_signal: AbortSignal, task: GraphTask): Promise<void> | void => {
    const steps = task.data as readonly LocalStep[];
    const owner = task.owner!;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if ('state' in step) return this.#runStepsFrom(steps, i, owner);
      this.events.nodeEvent(owner.id, owner.nodeId, step.event);
    }
  };

  async #runStepsFrom(steps: readonly LocalStep[], from: number, owner: { id: string; nodeId: string }): Promise<void> {
    for (let i = from; i < steps.length; i++) {
      const step = steps[i]!;
      if ('state' in step) await this.instances.setState(owner.id, step.state);
      else this.events.nodeEvent(owner.id, owner.nodeId, step.event);
    }
  }

  /**
   * A sequence where adjacent local steps are merged into one local task; nulls are skipped.
   */
  chain(instance: NodeInstanceModel, items: readonly (Step | LocalStep | null)[]): Step {
    const steps: Step[] = [];
    let pending: LocalStep[] = [];
    const flush = (): void => {
      if (pending.length > 0) steps.push(this.localSteps(instance, pending));
      pending = [];
    };
    for (const item of items) {
      if (item === null) continue;
      if ('head' in item) {
        flush();
        steps.push(item);
      } else pending.push(item);
    }
    flush();
    return this.graph.sequence(...steps);
  }

  /** Shorthands over the graph. */
  sequence(...steps: readonly (Step | null)[]): Step {
    return this.graph.sequence(...steps);
  }
  forkJoin(...steps: readonly (Step | null)[]): Step {
    return this.graph.forkJoin(...steps);
  }
}

function withOptions(spec: OperationTaskSpec, options: OperationTaskOptions): OperationTaskSpec {
  if (options === noOptions) return spec;
  if (options.kwargs !== undefined) spec.kwargs = options.kwargs;
  if (options.retryUntilTrue !== undefined) spec.retryUntilTrue = options.retryUntilTrue;
  if (options.sendTaskEvents !== undefined) spec.sendTaskEvents = options.sendTaskEvents;
  return spec;
}
