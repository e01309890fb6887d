/**
 * The storage the manager needs, in REST shapes, as one port. `createStorageStore` adapts
 * src/storage's SQLite/PostgreSQL adapters to it; routes and services see only this.
 */
import type { TaskOutcome, TaskRecord, TaskState } from '../../engine/index.js';
import type { InstanceStorePort } from '../../engine/ports.js';
import type {
  BlueprintRecord,
  DeploymentRecord,
  EventDocument,
  ExecutionRecord,
  NodeInstanceRecord,
  NodeRecord,
  PluginRecord,
  ProviderContextRecord,
  TokenRecord,
  UserRecord,
} from './records.js';

/** One sort key: field name, descending when `desc`. */
export interface SortKey {
  field: string;
  desc: boolean;
}

/** Equality filters on top-level fields; an array means "any of". */
export type FieldFilter = Readonly<Record<string, string | number | boolean | null | readonly string[] | undefined>>;

export interface ListQuery {
  filter?: FieldFilter;
  offset: number;
  size: number;
  sort?: readonly SortKey[];
}

export interface ListResult<T> {
  items: T[];
  total: number;
}

/** Create/read/update/delete/list for one kind of record keyed by `id`. */
export interface RecordTable<T> {
  get(id: string): Promise<T | undefined>;
  /** Fails with `conflict_error` when the id exists. */
  insert(record: T): Promise<void>;
  /** Fails with `not_found_error` when the id does not exist. Returns the updated record. */
  update(id: string, patch: Partial<T>): Promise<T>;
  /** Returns false when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
  list(query: ListQuery): Promise<ListResult<T>>;
}

/** Filters for `GET /events`. */
export interface EventQuery {
  /** Equality on `context.<key>`. */
  context?: Readonly<Record<string, string | undefined>>;
  /** `cloudify_event` / `cloudify_log`. */
  types?: readonly string[];
  /** Log level (`cloudify_log` only). */
  levels?: readonly string[];
  /** Inclusive `@timestamp` range (ISO strings). */
  from?: string;
  to?: string;
  offset: number;
  size: number;
  /**
   * Default: `@timestamp` ascending. Field `@timestamp` (or `timestamp`) or `_seq` (the storage
   * sequence number: insertion order).
   */
  sort?: readonly SortKey[];
  /** Keyset cursor: only events whose sequence number is greater (read in sequence order). */
  afterSeq?: number;
}

/** A page of events and the cursor to follow it with. */
export interface EventPage extends ListResult<EventDocument> {
  /** Highest sequence number among `items`; null when there are none. */
  lastSeq: number | null;
}

/** Everything the manager persists. */
export interface ManagerStorePort {
  blueprints: RecordTable<BlueprintRecord>;
  deployments: RecordTable<DeploymentRecord>;
  /** Nodes are keyed by (deployment_id, id). */
  nodes: {
    insertMany(records: readonly NodeRecord[]): Promise<void>;
    get(deploymentId: string, nodeId: string): Promise<NodeRecord | undefined>;
    list(query: ListQuery): Promise<ListResult<NodeRecord>>;
    deleteByDeployment(deploymentId: string): Promise<void>;
  };
  nodeInstances: RecordTable<NodeInstanceRecord> & {
    insertMany(records: readonly NodeInstanceRecord[]): Promise<void>;
    deleteByDeployment(deploymentId: string): Promise<void>;
    /**
     * Replaces runtime properties and bumps `version`. With `expectedVersion`, fails with a
     * 409 `conflict_error` when the stored version differs.
     */
    updateRuntimeProperties(
      id: string,
      runtimeProperties: Record<string, unknown>,
      expectedVersion?: number,
    ): Promise<NodeInstanceRecord>;
  };
  executions: RecordTable<ExecutionRecord>;
  /** Operation attempts of executions (the engine's intent records). */
  tasks: {
    put(record: TaskRecord): Promise<void>;
    finish(id: string, outcome: TaskOutcome): Promise<void>;
    list(executionId: string, states?: readonly TaskState[]): Promise<TaskRecord[]>;
  };
  /**
   * The engine's node-instance access for one deployment's workflow, when the store has a
   * faster one than `nodeInstances` (SQLite: prepared statements, group commit).
   */
  engineInstances?(deploymentId: string): InstanceStorePort;
  events: {
    append(events: readonly EventDocument[]): Promise<void>;
    list(query: EventQuery): Promise<EventPage>;
    deleteByDeployment(deploymentId: string): Promise<void>;
  };
  providerContext: {
    get(): Promise<ProviderContextRecord | undefined>;
    set(record: ProviderContextRecord): Promise<void>;
  };
  users: {
    get(username: string): Promise<UserRecord | undefined>;
    insert(user: UserRecord): Promise<void>;
    count(): Promise<number>;
  };
  tokens: {
    get(valueHash: string): Promise<TokenRecord | undefined>;
    insert(token: TokenRecord): Promise<void>;
  };
  plugins: { list(query: ListQuery): Promise<ListResult<PluginRecord>> };
  close(): Promise<void>;
}
