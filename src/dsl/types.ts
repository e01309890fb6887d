/**
 * The parsed blueprint: types resolved (derived_from chains merged), node templates resolved
 * against their types, operations mapped to plugins. Intrinsic functions are still in place;
 * the plan stage evaluates them with the deployment inputs.
 */

/** Supported `tosca_definitions_version` values, oldest first. */
export const DSL_VERSIONS = [
  'cloudify_dsl_1_0',
  'cloudify_dsl_1_1',
  'cloudify_dsl_1_2',
  'cloudify_dsl_1_3',
] as const;
export type DslVersion = (typeof DSL_VERSIONS)[number];

export type Executor = 'central_deployment_agent' | 'host_agent';

/** A property (or data type field, or operation input) schema. */
export interface PropertySchema {
  description?: string;
  type?: string;
  /** Present when the schema has a default (which may be null). */
  default?: unknown;
  hasDefault: boolean;
  /** `required` (default true). Only a missing value without default is an error. */
  required: boolean;
}

export interface InputDef {
  description?: string;
  type?: string;
  default?: unknown;
  hasDefault: boolean;
}

export interface OutputDef {
  description?: string;
  value: unknown;
}

/** One operation, as the plan stage copies it into the deployment model (the plan's `OperationSpec`). */
export interface ResolvedOperation {
  /** Full operation name, e.g. `cloudify.interfaces.lifecycle.create`. */
  name: string;
  /**
   * The task name Cloudify shows in events, e.g. `neutron_plugin.port.detach` or
   * `script_runner.tasks.run`. Empty string for a no-op (no implementation).
   */
  operation: string;
  /** Plugin name (`script` for script mappings), or null for a no-op. */
  plugin: string | null;
  /** Resolved executor (operation's own, else the plugin's). Null for a no-op. */
  executor: Executor | null;
  /** Operation inputs (functions not yet evaluated). For script mappings `script_path` holds the script. */
  inputs: Record<string, unknown>;
  /** Per-operation retries from the blueprint (`max_retries`); null = use the workflow's. */
  maxRetries: number | null;
  /** Per-operation retry interval in seconds; null = use the workflow's. */
  retryInterval: number | null;
}

/** An operation as declared by a type, before a template overrides it. */
export interface OperationDecl {
  implementation: string;
  /** Type level: schemas; template level: values. */
  inputs: Record<string, unknown>;
  executor: Executor | null;
  maxRetries: number | null;
  retryInterval: number | null;
  /** Where it is declared (for diagnostics about type-level operations). */
  site?: { section: string; name: string; rest: (string | number)[] };
}

/** interface name -> operation name -> declaration. */
export type InterfacesDecl = Record<string, Record<string, OperationDecl>>;

export interface NodeType {
  name: string;
  /** Root first, this type last. */
  hierarchy: string[];
  properties: Record<string, PropertySchema>;
  interfaces: InterfacesDecl;
}

export interface RelationshipType {
  name: string;
  /** Root first, this type last. */
  hierarchy: string[];
  properties: Record<string, PropertySchema>;
  sourceInterfaces: InterfacesDecl;
  targetInterfaces: InterfacesDecl;
}

export interface DataType {
  name: string;
  hierarchy: string[];
  properties: Record<string, PropertySchema>;
}

export interface PluginDef {
  name: string;
  executor: Executor;
  source: string | null;
  install: boolean;
  installArguments: string | null;
  packageName: string | null;
  packageVersion: string | null;
}

export interface WorkflowDef {
  name: string;
  /** Full mapping, `<plugin>.<module>.<function>`. */
  mapping: string;
  plugin: string;
  /** The mapping without the plugin prefix. */
  operation: string;
  parameters: Record<string, { description?: string; type?: string; default?: unknown }>;
}

export type ConnectionType = 'all_to_all' | 'all_to_one';

export interface RelationshipTemplate {
  type: string;
  /** Most derived first, root last. */
  typeHierarchy: string[];
  target: string;
  properties: Record<string, unknown>;
  sourceOperations: Record<string, ResolvedOperation>;
  targetOperations: Record<string, ResolvedOperation>;
  connectionType: ConnectionType;
}

export interface NodeTemplate {
  id: string;
  type: string;
  /** Root first. */
  typeHierarchy: string[];
  /** Values with defaults applied; functions not yet evaluated. */
  properties: Record<string, unknown>;
  operations: Record<string, ResolvedOperation>;
  relationships: RelationshipTemplate[];
  deployInstances: number;
  /** The node this one is contained in (contained_in relationship), or null. */
  containedIn: string | null;
  /** The Compute node hosting this node (itself for a Compute), or null. */
  hostId: string | null;
  /** Names of the plugins the node's operations (and relationship operations run for it) use. */
  plugins: string[];
}

export interface GroupPolicyDef {
  type: string;
  properties: Record<string, unknown>;
  triggers: Record<string, { type: string; parameters: Record<string, unknown> }>;
}

export interface GroupDef {
  members: string[];
  policies: Record<string, GroupPolicyDef>;
}

/** A policy of `policies` (1_3): its type, the groups it targets, its properties. */
export interface PolicyDef {
  type: string;
  targets: string[];
  properties: Record<string, unknown>;
}

export interface PolicyTypeDef {
  properties: Record<string, PropertySchema>;
  source: string | null;
}

export interface PolicyTriggerDef {
  parameters: Record<string, PropertySchema>;
  source: string | null;
}

/** A parsed, validated blueprint. */
export interface Blueprint {
  version: DslVersion;
  description: string | null;
  /** Path of the main blueprint file. */
  source: string;
  inputs: Record<string, InputDef>;
  outputs: Record<string, OutputDef>;
  dataTypes: Record<string, DataType>;
  nodeTypes: Record<string, NodeType>;
  relationshipTypes: Record<string, RelationshipType>;
  plugins: Record<string, PluginDef>;
  workflows: Record<string, WorkflowDef>;
  /** In declaration order. */
  nodeTemplates: NodeTemplate[];
  groups: Record<string, GroupDef>;
  policies: Record<string, PolicyDef>;
  policyTypes: Record<string, PolicyTypeDef>;
  policyTriggers: Record<string, PolicyTriggerDef>;
}
