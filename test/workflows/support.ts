/** Test support: a tiny model builder, a recording fake dispatcher, an event collector, ports. */
import { ManualClock, type EventDocument } from '../../src/core/index.js';
import {
  InMemoryExecutionStoreAdapter,
  InMemoryInstanceStoreAdapter,
  formatEventLine,
  type EnginePorts,
  type EventSinkPort,
  type OperationDispatcherPort,
  type OperationInvocation,
} from '../../src/engine/index.js';
import type { DeploymentModel, NodeInstanceModel, NodeModel, OperationSpec, RelationshipModel } from '../../src/plan/model.js';

/** An operation spec with an implementation. */
export function op(name: string, task: string, extra: Partial<OperationSpec> = {}): OperationSpec {
  return { name, operation: task, plugin: task.split('.')[0] ?? null, executor: 'central_deployment_agent', inputs: {}, maxRetries: null, retryInterval: null, ...extra };
}

const lifecycleOps = ['create', 'configure', 'start', 'stop', 'delete'];

/** Every lifecycle op of a node, mapped to `<node>.<op>`. */
export function lifecycle(nodeId: string, ops: readonly string[] = lifecycleOps): Record<string, OperationSpec> {
  const out: Record<string, OperationSpec> = {};
  for (const o of ops) out[`cloudify.interfaces.lifecycle.${o}`] = op(`cloudify.interfaces.lifecycle.${o}`, `${nodeId}.${o}`);
  return out;
}

const relOps = ['preconfigure', 'postconfigure', 'establish', 'unlink'];

/** A relationship model; `ops` maps side -> relationship_lifecycle ops to implement. */
export function rel(
  type: string,
  targetId: string,
  options: { hierarchy?: string[]; source?: readonly string[]; target?: readonly string[]; sourceOps?: Record<string, OperationSpec> } = {},
): RelationshipModel {
  const make = (side: string, ops: readonly string[]): Record<string, OperationSpec> => {
    const out: Record<string, OperationSpec> = {};
    for (const o of ops) {
      const name = `cloudify.interfaces.relationship_lifecycle.${o}`;
      out[name] = op(name, `${type.split('.').pop()}.${side}.${o}`);
    }
    return out;
  };
  return {
    type,
    typeHierarchy: options.hierarchy ?? [type, 'cloudify.relationships.depends_on'],
    targetId,
    properties: {},
    sourceOperations: { ...make('source', options.source ?? []), ...options.sourceOps },
    targetOperations: make('target', options.target ?? []),
    connectionType: 'all_to_all',
  };
}

export const containedIn = (target: string): RelationshipModel =>
  rel('cloudify.relationships.contained_in', target, { hierarchy: ['cloudify.relationships.contained_in', 'cloudify.relationships.depends_on'] });
export const connectedTo = (target: string, ops: readonly string[] = relOps): RelationshipModel =>
  rel('cloudify.relationships.connected_to', target, { hierarchy: ['cloudify.relationships.connected_to', 'cloudify.relationships.depends_on'], source: ops, target: ops });

/** A node; `compute` makes it its own host. */
export function node(id: string, options: { compute?: boolean; hostId?: string | null; ops?: Record<string, OperationSpec>; rels?: RelationshipModel[]; properties?: Record<string, unknown>; type?: string } = {}): NodeModel {
  const type = options.type ?? (options.compute === true ? 'cloudify.nodes.Compute' : 'cloudify.nodes.Root');
  return {
    id,
    type,
    typeHierarchy: options.compute === true ? ['cloudify.nodes.Root', 'cloudify.nodes.Compute'] : ['cloudify.nodes.Root', type].filter((t, i, a) => a.indexOf(t) === i),
    properties: options.properties ?? (options.compute === true ? { install_agent: false } : {}),
    operations: options.ops ?? lifecycle(id),
    relationships: options.rels ?? [],
    hostId: options.compute === true ? id : (options.hostId ?? null),
    plugins: [],
    deployInstances: 1,
  };
}

/**
 * A model with one instance per node, id `<node>_1`. Instance hosts follow contained_in
 * chains to a compute node.
 */
export function model(nodes: NodeModel[]): DeploymentModel {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const hostOf = (n: NodeModel): string | null => {
    if (n.typeHierarchy.includes('cloudify.nodes.Compute')) return n.id;
    const container = n.relationships.find((r) => r.typeHierarchy.includes('cloudify.relationships.contained_in'));
    return container === undefined ? null : hostOf(byId.get(container.targetId)!);
  };
  const fixed = nodes.map((n) => ({ ...n, hostId: hostOf(n) }));
  const instances: NodeInstanceModel[] = fixed.map((n) => ({
    id: `${n.id}_1`,
    nodeId: n.id,
    hostId: n.hostId === null ? null : `${n.hostId}_1`,
    relationships: n.relationships.map((r) => ({ type: r.type, targetId: `${r.targetId}_1`, targetName: r.targetId })),
  }));
  return { inputs: {}, nodes: fixed, nodeInstances: instances, workflows: {}, outputs: {}, groups: {}, policies: {}, plugins: [], description: null };
}

/** A behaviour for one task name: returns a value or throws. Called with the invocation. */
export type Behaviour = (invocation: OperationInvocation, clock: ManualClock) => unknown;

/** Records every dispatched invocation; behaviours are looked up by task name. */
export class RecordingDispatcher implements OperationDispatcherPort {
  readonly calls: OperationInvocation[] = [];
  readonly behaviours = new Map<string, Behaviour>();
  constructor(readonly clock: ManualClock) {}

  /** Short labels: `inst.op` or `src->tgt|op:side`. */
  get labels(): string[] {
    return this.calls.map(label);
  }

  run(invocation: OperationInvocation, signal: AbortSignal): Promise<unknown> {
    this.calls.push(invocation);
    const behaviour = this.behaviours.get(invocation.operation.operation);
    if (behaviour === undefined) return Promise.resolve(null);
    if (signal.aborted) return Promise.reject(new Error('aborted'));
    try {
      return Promise.resolve(behaviour(invocation, this.clock));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** `inst.op` for node ops, `src->tgt|op:side` for relationship ops. */
export function label(invocation: OperationInvocation): string {
  const short = invocation.operation.name.split('.').pop()!;
  const r = invocation.relationship;
  return r === null ? `${invocation.nodeInstanceId}.${short}` : `${r.sourceNodeInstanceId}->${r.targetNodeInstanceId}|${short}:${r.side}`;
}

/** Collects events. */
export class CollectingSink implements EventSinkPort {
  readonly events: EventDocument[] = [];
  emit(event: EventDocument): void {
    this.events.push(event);
  }
  /** Formatted lines. */
  get lines(): string[] {
    return this.events.map(formatEventLine);
  }
  /** Message texts. */
  get texts(): string[] {
    return this.events.map((e) => e.message.text);
  }
}

/** Fresh ports with a manual clock. */
export function ports(start = Date.UTC(2015, 1, 17, 16, 22, 12)): {
  ports: EnginePorts;
  clock: ManualClock;
  dispatcher: RecordingDispatcher;
  sink: CollectingSink;
  instances: InMemoryInstanceStoreAdapter;
  executions: InMemoryExecutionStoreAdapter;
} {
  const clock = new ManualClock(start);
  const dispatcher = new RecordingDispatcher(clock);
  const sink = new CollectingSink();
  const instances = new InMemoryInstanceStoreAdapter();
  const executions = new InMemoryExecutionStoreAdapter(() => clock.now());
  return { ports: { dispatcher, instances, executions, events: sink, clock }, clock, dispatcher, sink, instances, executions };
}

/** Settles `promise` while moving the manual clock forward `stepMs` whenever someone sleeps. */
export async function withClock<T>(clock: ManualClock, promise: Promise<T>, stepMs = 1000, maxSteps = 100_000): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  let steps = 0;
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!done && clock.pending > 0) clock.advance(stepMs);
    if (++steps > maxSteps) throw new Error(`withClock: the workflow did not settle after ${maxSteps} steps (an operation polling forever?)`);
  }
  return watched;
}

/** The event_type of an event document, null for logs. */
export function typeOf(doc: EventDocument): string | null {
  return doc.type === 'cloudify_event' ? doc.event_type : null;
}
