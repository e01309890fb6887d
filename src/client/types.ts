/**
 * REST resource shapes (Cloudify 3.3, snake_case), as the manager returns them: the one
 * definition, used by the client and by the manager's records (src/manager/store/records.ts).
 */
import type { EventDocument } from '../core/index.js';
import { endExecutionStatuses, type ExecutionStatus, type NodeInstanceStatus } from '../engine/index.js';

export interface Pagination {
  total: number;
  size: number;
  offset: number;
}

/** The v2 list envelope. */
export interface ListResponse<T> {
  items: T[];
  /** `last_seq`: on `GET /events` only, the cursor for `_after_seq` (a Rekindle extension). */
  metadata: { pagination: Pagination; last_seq?: number | null };
}

export interface Blueprint {
  id: string;
  main_file_name: string;
  description: string | null;
  /** Summary of the parsed blueprint. */
  plan: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface DeploymentWorkflow {
  name: string;
  created_at?: string;
  parameters: Record<string, unknown>;
}

export interface Deployment {
  id: string;
  blueprint_id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  workflows: DeploymentWorkflow[];
  created_at: string;
  updated_at: string;
}

export interface NodeInstance {
  id: string;
  node_id: string;
  deployment_id: string;
  host_id: string | null;
  state: NodeInstanceStatus;
  runtime_properties: Record<string, unknown>;
  version: number;
  relationships: { target_id: string; target_name: string; type: string }[];
}

/** Execution statuses (one definition, in the engine). */
export type { ExecutionStatus } from '../engine/index.js';

/** End states of an execution. */
export const executionEndStates: readonly ExecutionStatus[] = endExecutionStatuses;

export interface Execution {
  id: string;
  status: ExecutionStatus;
  deployment_id: string | null;
  workflow_id: string;
  blueprint_id: string | null;
  created_at: string;
  error: string;
  parameters: Record<string, unknown>;
  is_system_workflow: boolean;
}

export interface Snapshot {
  id: string;
  created_at: string;
  status: 'creating' | 'created' | 'failed' | 'uploaded';
  error: string;
}

export interface ServiceStatus {
  display_name: string;
  instances: { state: string }[];
}

export interface ManagerStatus {
  status: string;
  services: ServiceStatus[];
}

export interface ProviderContext {
  name: string;
  context: Record<string, unknown>;
}

export type Event = EventDocument;
