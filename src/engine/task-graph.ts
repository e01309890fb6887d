/**
 * The task graph: operation tasks, local tasks (set a node state, send an event) and no-op
 * joints, linked by dependencies. Sequences and fork-joins are built from no-op joints, so a
 * subgraph of any shape is a {@link Step} (`head` runs first, `tail` completes last) and two
 * subgraphs are ordered with one edge.
 */
import type { OperationSpec, RelationshipInstance } from '../plan/model.js';
import type { RelationshipInvocation } from './ports.js';

/** An operation to run on one node instance (or one side of a relationship). */
export interface OperationTaskSpec {
  operation: OperationSpec;
  nodeId: string;
  nodeInstanceId: string;
  /** Set for relationship operations. */
  relationship: RelationshipInvocation | null;
  /** Host instance of `nodeInstanceId` (for `host_agent` operations and `task_queue`). */
  hostId: string | null;
  /** Relationships of `nodeInstanceId`, passed to the operation as `ctx.instance.relationships`. */
  instanceRelationships?: RelationshipInstance[];
  /** Extra inputs (execute_operation's `operation_kwargs`), already checked for overrides. */
  kwargs?: Record<string, unknown>;
  /** Re-run until the operation returns `true`, without counting retries (`host.get_state`). */
  retryUntilTrue?: boolean;
  /** @default true. False hides sending/started/succeeded events (agent restart). */
  sendTaskEvents?: boolean;
}

/** A local task: runs in the workflow process, not retried. Receives its task (for `data`). */
export type LocalTaskRun = (signal: AbortSignal, task: GraphTask) => Promise<void> | void;

/** A task name, or a function computing it when first needed. */
export type TaskName = string | ((task: GraphTask) => string);

/** Anything that can be placed in a sequence: one task or a built subgraph. */
export interface Step {
  /** Runs first: every task of the step (transitively) depends on it. */
  readonly head: GraphTask;
  /** Completes last: depends (transitively) on every task of the step. */
  readonly tail: GraphTask;
}

/** The node instance a task is about (a `NodeInstanceModel` fits). */
export interface TaskOwner {
  readonly id: string;
  readonly nodeId: string;
}

/** What a task does. */
export type TaskKind = 'operation' | 'local' | 'nop';

/** One node of the graph. Attempt state lives here while the graph runs. */
export class GraphTask implements Step {
  /** Unfinished prerequisites. */
  unmet = 0;
  /** Tasks waiting on this one. */
  readonly dependents: GraphTask[] = [];
  /** 0-based attempt number of the next/current run. */
  attempt = 0;
  /** Failures of this task are ignored (with an `Ignoring task <name> failure` node event). */
  ignoreFailure = false;

  readonly #name: TaskName;

  constructor(
    readonly id: number,
    readonly kind: TaskKind,
    name: TaskName,
    readonly operation: OperationTaskSpec | null,
    readonly run: LocalTaskRun | null,
    /** The node instance a local task or an ignored failure reports on. */
    readonly owner: TaskOwner | null,
    /** Free data for a local task's shared run function. */
    readonly data: unknown = null,
  ) {
    this.#name = name;
  }

  /** Task name shown in events (`neutron_plugin.port.detach`, `set_state(started)`...). */
  get name(): string {
    return typeof this.#name === 'string' ? this.#name : this.#name(this);
  }

  get head(): GraphTask {
    return this;
  }
  get tail(): GraphTask {
    return this;
  }
}

/** A mutable graph of tasks, built by workflows and run by `executeGraph`. */
export class TaskGraph {
  readonly tasks: GraphTask[] = [];

  /** Adds an operation task. NOP operations (empty implementation) become joints. */
  operation(spec: OperationTaskSpec): GraphTask {
    if (spec.operation.operation === '') return this.nop(spec.operation.name);
    return this.#add('operation', spec.operation.operation, spec, null, { id: spec.nodeInstanceId, nodeId: spec.nodeId });
  }

  /**
   * Adds a local task (state change, event). `name` may be computed lazily; `data` is handed to
   * `run` through the task, so one run function can serve many tasks.
   */
  local(name: TaskName, run: LocalTaskRun, owner: TaskOwner | null = null, data: unknown = null): GraphTask {
    return this.#add('local', name, null, run, owner, data);
  }

  /** Adds a task that does nothing (a joint). */
  nop(name = 'nop'): GraphTask {
    return this.#add('nop', name, null, null, null);
  }

  /** `step` starts only after `prerequisite` completed. */
  dependsOn(step: Step, prerequisite: Step): void {
    const before = prerequisite.tail;
    const after = step.head;
    before.dependents.push(after);
    after.unmet++;
  }

  /** Runs steps one after the other; nulls are skipped. An empty sequence is one joint. */
  sequence(...steps: readonly (Step | null)[]): Step {
    let head: GraphTask | null = null;
    let tail: GraphTask | null = null;
    for (const step of steps) {
      if (step === null) continue;
      if (tail === null) head = step.head;
      else this.dependsOn(step, tail);
      tail = step.tail;
    }
    if (head === null || tail === null) {
      const joint = this.nop('sequence');
      return joint;
    }
    return { head, tail };
  }

  /** Runs steps in parallel between two joints. One step is returned as it is. */
  forkJoin(...steps: readonly (Step | null)[]): Step {
    const present = steps.filter((s): s is Step => s !== null);
    if (present.length === 1) return present[0]!;
    const head = this.nop('fork');
    const tail = this.nop('join');
    for (const step of present) {
      this.dependsOn(step, head);
      this.dependsOn(tail, step);
    }
    if (present.length === 0) this.dependsOn(tail, head);
    return { head, tail };
  }

  /** Marks every task added since index `from` (`tasks.length` before building) as ignoring failures (uninstall). */
  ignoreFailuresFrom(from: number): void {
    for (let i = from; i < this.tasks.length; i++) this.tasks[i]!.ignoreFailure = true;
  }

  /** Number of tasks that do work (operations and local tasks). */
  get workCount(): number {
    let count = 0;
    for (const task of this.tasks) if (task.kind !== 'nop') count++;
    return count;
  }

  #add(kind: TaskKind, name: TaskName, op: OperationTaskSpec | null, run: LocalTaskRun | null, owner: TaskOwner | null, data: unknown = null): GraphTask {
    const task = new GraphTask(this.tasks.length, kind, name, op, run, owner, data);
    this.tasks.push(task);
    return task;
  }
}
