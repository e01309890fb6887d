/**
 * The deployment model: what `planDeployment(blueprint, inputs)` produces and what workflows,
 * storage and the manager consume. It is plain JSON-serialisable data.
 *
 * Values may still hold unevaluated intrinsic functions such as `{ get_attribute: [...] }`
 * (runtime functions); everything static (`get_input`, `get_property`, `concat` of static
 * values) is already resolved.
 */
import type { Executor, PolicyDef, ResolvedOperation } from '../dsl/index.js';

/** Where an operation runs (the DSL's). */
export type { Executor };

/** One operation as the engine runs it: the DSL's resolved operation, copied as it is. */
export type OperationSpec = ResolvedOperation;

/** A relationship of a node, with its type resolved. */
export interface RelationshipModel {
  type: string;
  /** The relationship type and its ancestors, most derived first... root last. */
  typeHierarchy: string[];
  /** Target node id. */
  targetId: string;
  properties: Record<string, unknown>;
  /** Operations run with the source as `ctx.instance`, keyed by full operation name. */
  sourceOperations: Record<string, OperationSpec>;
  /** Operations run on the target side, keyed by full operation name. */
  targetOperations: Record<string, OperationSpec>;
  connectionType: 'all_to_all' | 'all_to_one';
}

/** A plugin declared by the blueprint. */
export interface PluginSpec {
  name: string;
  executor: Executor;
  source: string | null;
  install: boolean;
  packageName: string | null;
  packageVersion: string | null;
}

/** One node template, resolved. */
export interface NodeModel {
  id: string;
  type: string;
  /** The node type and its ancestors, root first (Cloudify's `type_hierarchy` order). */
  typeHierarchy: string[];
  properties: Record<string, unknown>;
  /** Operations keyed by full operation name (`cloudify.interfaces.lifecycle.start`). */
  operations: Record<string, OperationSpec>;
  relationships: RelationshipModel[];
  /** Id of the Compute node this node is (transitively) contained in, itself for a Compute, else null. */
  hostId: string | null;
  /** Plugins this node's operations use. */
  plugins: PluginSpec[];
  /** Instances to deploy (`instances.deploy`, default 1) per container instance. */
  deployInstances: number;
}

/** A relationship between two node instances. */
export interface RelationshipInstance {
  type: string;
  /** Target node instance id. */
  targetId: string;
  /** Target node id. */
  targetName: string;
}

/** One node instance as planned (runtime state is kept by the store). */
export interface NodeInstanceModel {
  id: string;
  nodeId: string;
  /** Id of the host (Compute) instance, itself for a Compute instance, else null. */
  hostId: string | null;
  relationships: RelationshipInstance[];
}

/** A workflow declared by the blueprint (built-in or custom). */
export interface WorkflowSpec {
  name: string;
  /** Plugin function, e.g. `default_workflows.cloudify.plugins.workflows.install`. */
  operation: string;
  plugin: string;
  parameters: Record<string, ParameterSpec>;
}

export interface ParameterSpec {
  description?: string;
  type?: string;
  default?: unknown;
}

export interface OutputSpec {
  description?: string;
  /** May contain `get_attribute` and other runtime functions. */
  value: unknown;
}

export interface GroupSpec {
  members: string[];
  policies: Record<
    string,
    { type: string; properties: Record<string, unknown>; triggers?: Record<string, TriggerSpec> }
  >;
}

/** A group policy trigger (3.3 `groups.<g>.policies.<p>.triggers`), parameters with defaults applied. */
export interface TriggerSpec {
  type: string;
  parameters: Record<string, unknown>;
}

/** A policy (`policies`, DSL 1_3) as the blueprint declares it: the DSL's own shape. */
export type PolicySpec = PolicyDef;

/** The whole planned deployment. */
export interface DeploymentModel {
  /** Inputs after defaults were applied. */
  inputs: Record<string, unknown>;
  nodes: NodeModel[];
  nodeInstances: NodeInstanceModel[];
  workflows: Record<string, WorkflowSpec>;
  outputs: Record<string, OutputSpec>;
  groups: Record<string, GroupSpec>;
  policies: Record<string, PolicySpec>;
  /** Every plugin the blueprint declares. */
  plugins: PluginSpec[];
  description: string | null;
}
