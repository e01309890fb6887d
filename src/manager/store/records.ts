/**
 * The records the manager keeps, in Cloudify 3.3's REST shapes (snake_case). Routes return
 * them as they are (after `_include` projection); the store port persists them. The shapes the
 * client also reads are defined once, in src/client/types.ts.
 */
import type { EventDocument } from '../../core/index.js';
import type { Blueprint, Execution, NodeInstance, ProviderContext } from '../../client/index.js';
import { endExecutionStatuses, type ExecutionStatus } from '../../engine/index.js';
import type { DeploymentModel, NodeModel, RelationshipInstance } from '../../plan/model.js';

/** Execution statuses (the engine's, Cloudify names). */
export type { ExecutionStatus };

/** Statuses after which an execution never changes again. */
export const endStates: readonly ExecutionStatus[] = endExecutionStatuses;
/** Statuses that count as "running" for the concurrency rules. */
export const activeStates: readonly ExecutionStatus[] = ['pending', 'started', 'cancelling', 'force_cancelling'];
export const executionStatuses: readonly ExecutionStatus[] = [...activeStates, ...endStates];

export type BlueprintRecord = Blueprint;

/** A deployment. `workflows` and `policies` are the planned specs; routes reshape them. */
export interface DeploymentRecord {
  id: string;
  blueprint_id: string;
  created_at: string;
  updated_at: string;
  description: string | null;
  inputs: Record<string, unknown>;
  outputs: DeploymentModel['outputs'];
  workflows: DeploymentModel['workflows'];
  groups: DeploymentModel['groups'];
  policies: DeploymentModel['policies'];
}

export interface NodeRecord {
  id: string;
  deployment_id: string;
  blueprint_id: string;
  type: string;
  type_hierarchy: string[];
  number_of_instances: number;
  planned_number_of_instances: number;
  deploy_number_of_instances: number;
  host_id: string | null;
  properties: Record<string, unknown>;
  operations: NodeModel['operations'];
  relationships: NodeModel['relationships'];
  plugins: NodeModel['plugins'];
}

export type NodeInstanceRecord = NodeInstance;
export type ExecutionRecord = Execution;
export type ProviderContextRecord = ProviderContext;

export interface UserRecord {
  username: string;
  password_hash: string;
  role: string;
  created_at: string;
}

export interface TokenRecord {
  value_hash: string;
  username: string;
  created_at: string;
  expires_at: string;
}

export interface PluginRecord {
  id: string;
  package_name: string;
  package_version: string | null;
  uploaded_at: string;
  [key: string]: unknown;
}

/** Node-instance relationships in REST shape from the planned ones. */
export function restRelationships(rels: readonly RelationshipInstance[]): NodeInstanceRecord['relationships'] {
  return rels.map((r) => ({ type: r.type, target_id: r.targetId, target_name: r.targetName }));
}

export type { EventDocument };
