/**
 * The records the storage port reads and writes. Field names are camelCase here and
 * snake_case in the database (see tables.ts). Timestamps are ISO-8601 UTC strings with
 * milliseconds (`2026-11-26T11:08:42.000Z`), so they sort as text and need no conversion.
 */
import type { EventDocument } from '../core/index.js';
import type { NodeInstanceStatus } from '../engine/ports.js';
import type { ExecutionStatus } from '../engine/index.js';
import type { NodeModel, RelationshipInstance } from '../plan/model.js';

/** JSON object column. */
export type JsonObject = Record<string, unknown>;

/** An uploaded blueprint and its parsed plan. */
export interface BlueprintRecord {
  id: string;
  mainFileName: string;
  description: string | null;
  /** The parsed blueprint / plan as JSON (whatever dsl/plan produced). */
  plan: JsonObject;
  createdAt: string;
  updatedAt: string;
}

/** A deployment: the deployment-level parts of the deployment model. */
export interface DeploymentRecord {
  id: string;
  blueprintId: string;
  description: string | null;
  inputs: JsonObject;
  outputs: JsonObject;
  workflows: JsonObject;
  groups: JsonObject;
  policies: JsonObject;
  /** Scaling groups and their current/planned instance counts. */
  scalingGroups: JsonObject;
  createdAt: string;
  updatedAt: string;
}

/** One planned node of a deployment. Key: (deploymentId, id). */
export interface NodeRecord {
  deploymentId: string;
  id: string;
  blueprintId: string;
  type: string;
  hostId: string | null;
  /** Current number of instances (changes on scale). */
  numberOfInstances: number;
  /** Instances planned at deploy time. */
  plannedNumberOfInstances: number;
  /** The node as planned. */
  model: NodeModel;
}

/** Runtime record of a node instance. `version` increases on every update. */
export interface NodeInstanceRecord {
  id: string;
  deploymentId: string;
  nodeId: string;
  hostId: string | null;
  state: NodeInstanceStatus;
  runtimeProperties: JsonObject;
  version: number;
  relationships: RelationshipInstance[];
}

/** Execution statuses, as in Cloudify 3.3 (one definition, in the engine). */
export type { ExecutionStatus };

/** A workflow run. System-wide workflows (snapshots) have no deployment. */
export interface ExecutionRecord {
  id: string;
  deploymentId: string | null;
  blueprintId: string | null;
  workflowId: string;
  status: ExecutionStatus;
  error: string | null;
  parameters: JsonObject;
  isSystemWorkflow: boolean;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** The engine's crash-safe record of one task (state values are the engine's). */
export interface TaskRecord {
  id: string;
  executionId: string;
  /** Write order within the execution (1, 2, 3...); the execution-store adapter assigns it. */
  position: number;
  name: string;
  state: string;
  attempt: number;
  nextAttemptAt: string | null;
  /** The engine's task description (e.g. an OperationInvocation). */
  invocation: JsonObject;
  result: unknown;
  error: unknown;
  createdAt: string;
  updatedAt: string;
}

/** Snapshot states, as in Cloudify 3.3 (end states: created, failed, uploaded). */
export type SnapshotStatus = 'creating' | 'created' | 'failed' | 'uploaded';

export interface SnapshotRecord {
  id: string;
  createdAt: string;
  status: SnapshotStatus;
  error: string | null;
  /** Archive size in bytes, once known. */
  size: number | null;
  /** Hex sha256 of the archive, once known. */
  sha256: string | null;
  encrypted: boolean;
}

/** The single provider-context row. */
export interface ProviderContextRecord {
  name: string;
  context: JsonObject;
}

export interface UserRecord {
  username: string;
  passwordHash: string;
  role: string;
  createdAt: string;
}

export interface TokenRecord {
  /** Hash of the token (never the token itself). */
  hash: string;
  username: string;
  createdAt: string;
  expiresAt: string;
}

export interface AgentRecord {
  name: string;
  deploymentId: string;
  /** The host node instance the agent runs on. */
  nodeInstanceId: string;
  credentialsHash: string | null;
  version: string | null;
  lastSeen: string | null;
  state: string;
  createdAt: string;
}

export interface PluginRecord {
  id: string;
  packageName: string;
  packageVersion: string;
  archiveName: string;
  supportedPlatform: string;
  distribution: string | null;
  distributionRelease: string | null;
  /** Anything else the plugin package declares. */
  metadata: JsonObject;
  uploadedAt: string;
}

export type DeploymentModificationStatus = 'started' | 'finished' | 'rolledback';

/** A scale in progress or done (Cloudify's deployment-modification). */
export interface DeploymentModificationRecord {
  id: string;
  deploymentId: string;
  status: DeploymentModificationStatus;
  modifiedNodes: JsonObject;
  nodeInstances: JsonObject;
  context: JsonObject;
  createdAt: string;
  endedAt: string | null;
}

/** A stored event or log, with its sequence number. */
export interface EventRecord {
  /** Increasing insertion order; use it as a cursor. */
  seq: number;
  /** ISO time (the document's `@timestamp`, else derived from `timestamp`). */
  timestamp: string;
  type: EventDocument['type'];
  executionId: string | null;
  deploymentId: string | null;
  blueprintId: string | null;
  workflowId: string | null;
  /** Node id (`context.node_name`, else `context.source_name`). */
  nodeId: string | null;
  /** Node instance id (`context.node_id`, else `context.source_id`). */
  nodeInstanceId: string | null;
  /** Log level; null for events. */
  level: string | null;
  /** Event type; null for logs. */
  eventType: string | null;
  message: string;
  document: EventDocument;
}
