/**
 * What a workflow function receives: the deployment model, its parameters, graph building and
 * running, a logger, and the execution's ports. Built-in and custom (plugin) workflows alike.
 */
import type { LogLevel } from '../core/index.js';
import { TaskGraph, type Execution, type ExecutionEvents, type InstanceStorePort } from '../engine/index.js';
import type { DeploymentModel, NodeInstanceModel } from '../plan/model.js';
import { indexModel, type ModelIndex } from './model-index.js';
import { TaskBuilder } from './task-builder.js';

/** Creates the instances a `scale` run adds or removes (src/plan's job). */
export type ScalePlanner = (model: DeploymentModel, request: ScaleRequest) => ScaleModification | Promise<ScaleModification>;

/** A scale request after `scale_compute` was applied. */
export interface ScaleRequest {
  /** Node id or scaling group name. */
  entity: string;
  delta: number;
}

/** The planned change of a scale run. */
export interface ScaleModification {
  /** The model holding every instance involved: kept ones, added ones and removed ones. */
  model: DeploymentModel;
  /** Ids of the instances to install. */
  added: string[];
  /** Ids of the instances to uninstall. */
  removed: string[];
  /** The deployment's instance list once the scale succeeded (what to persist). */
  instances: NodeInstanceModel[];
}

/** Services a workflow may use beyond the engine (set by `runWorkflow` options). */
export interface WorkflowServices {
  /** @default src/plan's `planScale` (nodes only) */
  planScale?: ScalePlanner;
  /** Called after a successful scale with the final instance list, to persist it. */
  commitScale?: (modification: ScaleModification) => Promise<void> | void;
}

/** A workflow log function. */
export type WorkflowLogger = Readonly<Record<LogLevel, (text: string) => void>>;

/** The context of one workflow run. */
export class WorkflowContext {
  readonly logger: WorkflowLogger;
  #index: ModelIndex;

  constructor(
    index: ModelIndex,
    readonly parameters: Readonly<Record<string, unknown>>,
    readonly execution: Execution,
    readonly services: WorkflowServices = {},
  ) {
    this.#index = index;
    const events = execution.events;
    this.logger = {
      debug: (text) => events.log('debug', text),
      info: (text) => events.log('info', text),
      warning: (text) => events.log('warning', text),
      error: (text) => events.log('error', text),
    };
  }

  /** The deployment model the workflow works on. */
  get model(): DeploymentModel {
    return this.#index.model;
  }

  /** Lookups over {@link model}. */
  get index(): ModelIndex {
    return this.#index;
  }

  /**
   * Switches to another model of the same deployment (scale: with added instances); later
   * graphs and runtime input evaluation use it.
   */
  useModel(model: DeploymentModel): ModelIndex {
    this.#index = indexModel(model);
    return this.#index;
  }

  /** The execution's event emitter. */
  get events(): ExecutionEvents {
    return this.execution.events;
  }

  /** The node-instance state store. */
  get instances(): InstanceStorePort {
    return this.execution.ports.instances;
  }

  /** Every node instance of the deployment. */
  get nodeInstances(): readonly NodeInstanceModel[] {
    return this.model.nodeInstances;
  }

  /** A new, empty graph with a builder for node-instance tasks. */
  newGraph(): TaskBuilder {
    return new TaskBuilder(new TaskGraph(), this.#index, this.instances, this.events);
  }

  /** Runs a graph; rejects on task failure or cancel. */
  runGraph(graph: TaskGraph | TaskBuilder): Promise<void> {
    return this.execution.runGraph(graph instanceof TaskBuilder ? graph.graph : graph);
  }

  /** Throws when a cancel was requested. */
  throwIfCancelled(): void {
    this.execution.throwIfCancelled();
  }
}

/** A workflow implementation. */
export type WorkflowFunction = (ctx: WorkflowContext) => Promise<void>;
