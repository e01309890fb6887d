/**
 * The storage port: everything the manager keeps, behind one async interface. Adapters:
 * SQLite (embedded default) and PostgreSQL, both built on the same Kysely query layer.
 */
import type { EventDocument } from '../core/index.js';
import type {
  AgentRecord,
  BlueprintRecord,
  DeploymentModificationRecord,
  DeploymentRecord,
  EventRecord,
  ExecutionRecord,
  NodeInstanceRecord,
  NodeRecord,
  PluginRecord,
  ProviderContextRecord,
  SnapshotRecord,
  TaskRecord,
  TokenRecord,
  UserRecord,
} from './records.js';

/** A list request with the REST list semantics. */
export interface ListQuery {
  /** Equality filters by record field; an array means "any of". Only filterable fields. */
  filter?: Readonly<Record<string, string | number | boolean | null | readonly (string | number | boolean)[]>>;
  /** @default 0 */
  offset?: number;
  /** @default 1000 (at most 10000) */
  size?: number;
  /** Record fields, `-` prefix for descending, e.g. `['-createdAt']`. Only sortable fields. */
  sort?: readonly string[];
}

/** One page of a list and the total number of matching records. */
export interface ListResult<R> {
  items: R[];
  total: number;
  offset: number;
  size: number;
}

/** CRUD over one table. `K` is the key: a string id, or an object for composite keys. */
export interface Repository<R, K = string> {
  /** Throws `not_found_error` when absent. */
  get(key: K): Promise<R>;
  find(key: K): Promise<R | null>;
  /** Throws `conflict_error` on a duplicate key, `storage_reference_error` on a missing parent. */
  create(record: R): Promise<R>;
  /** Inserts many records in one statement batch (same errors as create). */
  createMany(records: readonly R[]): Promise<void>;
  /** Updates the given fields; throws `not_found_error` when absent. */
  update(key: K, patch: Partial<R>): Promise<R>;
  /** Deletes and returns the record; `dependent_exists_error` when others refer to it. */
  delete(key: K): Promise<R>;
  list(query?: ListQuery): Promise<ListResult<R>>;
  /** Deletes every record matching the (filterable-field) filter; returns how many. */
  deleteWhere(filter: NonNullable<ListQuery['filter']>): Promise<number>;
}

/** Node instances add an optimistic version check: every update increments `version`. */
export interface NodeInstanceRepository extends Omit<Repository<NodeInstanceRecord>, 'update'> {
  /**
   * Applies the patch and increments `version`. With `expectedVersion`, throws a 409
   * `conflict_error` when the stored version differs.
   */
  update(id: string, patch: Partial<Omit<NodeInstanceRecord, 'id' | 'version'>>, expectedVersion?: number): Promise<NodeInstanceRecord>;
}

/** A task to create: `position` defaults to the next one of its execution. */
export type NewTaskRecord = Omit<TaskRecord, 'position'> & { position?: number };

/** Tasks keep their write order per execution in `position`, assigned on create. */
export interface TaskRepository extends Omit<Repository<TaskRecord>, 'create' | 'createMany'> {
  create(record: NewTaskRecord): Promise<TaskRecord>;
  createMany(records: readonly NewTaskRecord[]): Promise<void>;
}

/** Event query: filters, time range, offset pagination or a sequence cursor. */
export interface EventQuery {
  executionId?: string | readonly string[];
  deploymentId?: string | readonly string[];
  blueprintId?: string | readonly string[];
  workflowId?: string | readonly string[];
  nodeId?: string | readonly string[];
  nodeInstanceId?: string | readonly string[];
  type?: EventRecord['type'] | readonly EventRecord['type'][];
  level?: string | readonly string[];
  eventType?: string | readonly string[];
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, inclusive. */
  to?: string;
  /** Substring of the message text (case-sensitive in PostgreSQL, ASCII-insensitive in SQLite). */
  messageContains?: string;
  /** Only events with `seq` greater than this (keyset cursor; combine with offset 0). */
  afterSeq?: number;
  /** @default 0 */
  offset?: number;
  /** @default 1000 (at most 10000) */
  size?: number;
  /** `seq`, `-seq`, `timestamp`, `-timestamp`. @default ['seq'] */
  sort?: readonly string[];
  /** Skip counting the total (returns -1): saves a scan for tailing clients. @default true */
  withTotal?: boolean;
}

/** An event as {@link EventStore.listDocuments} returns it. */
export type EventDocumentRecord = Pick<EventRecord, 'seq' | 'timestamp' | 'document'>;

export interface EventStore {
  /** Appends documents in one transaction (sequence numbers follow the array order). Returns how many. */
  append(documents: readonly EventDocument[]): Promise<number>;
  list(query?: EventQuery): Promise<ListResult<EventRecord>>;
  /**
   * The same page as {@link list}, reading only `seq`, `timestamp` and `document` (what the
   * REST API returns): a page of 100 costs about a third less without the filter columns.
   */
  listDocuments(query?: EventQuery): Promise<ListResult<EventDocumentRecord>>;
  /** Number of stored events (O(1)). */
  count(): Promise<number>;
  /** Deletes the events of a deployment; returns how many. */
  deleteForDeployment(deploymentId: string): Promise<number>;
}

/** The single provider-context row. */
export interface ProviderContextStore {
  get(): Promise<ProviderContextRecord | null>;
  set(record: ProviderContextRecord): Promise<void>;
}

/** Small manager-wide key/value flags (e.g. `restore_in_progress`). */
export interface ManagerStateStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Result of {@link StoragePort.integrityCheck}. */
export interface IntegrityReport {
  ok: boolean;
  /** One line per problem found; empty when ok. */
  problems: string[];
}

/** First item of an export stream. */
export interface ExportHeader {
  kind: 'header';
  format: 'rekindle-storage';
  /** Version of this stream format. */
  formatVersion: 1;
  /** Schema version of the database that wrote it. */
  schemaVersion: number;
  dialect: 'sqlite' | 'postgres';
  exportedAt: string;
  /** Tables carried, in import order. */
  tables: string[];
}

/** One row of one table, in the neutral form: snake_case columns, JSON as values, ISO times. */
export interface ExportRow {
  kind: 'row';
  table: string;
  row: Record<string, unknown>;
}

/** Last item: row counts per table (import checks them, so a truncated stream fails). */
export interface ExportTrailer {
  kind: 'end';
  counts: Record<string, number>;
}

/**
 * Rows of one table as NDJSON text (one neutral row per `\n`-terminated line), emitted instead
 * of `row` items when `exportAll({ encoding: 'ndjson' })` asks for them: no object per row.
 */
export interface ExportLines {
  kind: 'lines';
  table: string;
  ndjson: string;
  /** Number of lines in `ndjson`. */
  count: number;
}

export type ExportItem = ExportHeader | ExportRow | ExportLines | ExportTrailer;

/**
 * Rows of one table already turned into INSERT parameters by `encodeLines` (row-batch.ts),
 * `columns.length` values per row: what a `lines` item becomes when another thread parsed it.
 */
export interface EncodedRows {
  kind: 'encoded';
  table: string;
  columns: readonly string[];
  params: unknown[];
  count: number;
}

/** What importAll reads: the export stream, with `lines` items possibly already encoded. */
export type ImportItem = ExportItem | EncodedRows;

/** What exportAll writes. */
export interface ExportOptions {
  /**
   * `objects`: one `row` item per row. `ndjson`: `lines` items holding each table's rows as
   * NDJSON, JSON columns copied as stored rather than parsed and re-serialized (snapshots).
   * @default 'objects'
   */
  encoding?: 'objects' | 'ndjson';
  /** Leaves out this execution: its row, its tasks and its events (a snapshot's own create). */
  excludeExecutionId?: string;
}

/** How a transaction is run. */
export interface TransactionOptions {
  /**
   * A bulk write (a restore): on SQLite the commit fsyncs the log and the copy of the log into
   * the database file runs afterwards in a background thread instead of inside the commit
   * (background-checkpoint.ts). No effect on PostgreSQL.
   * @default false
   */
  bulk?: boolean;
}

/** How importAll treats existing rows. */
export type ImportMode = 'replace' | 'merge';

export interface ImportOptions {
  /** @default 'replace' */
  mode?: ImportMode;
}

/** Composite key of a node. */
export interface NodeKey {
  deploymentId: string;
  id: string;
}

/** Everything the manager stores. */
export interface StoragePort {
  readonly dialect: 'sqlite' | 'postgres';
  readonly blueprints: Repository<BlueprintRecord>;
  readonly deployments: Repository<DeploymentRecord>;
  readonly nodes: Repository<NodeRecord, NodeKey>;
  readonly nodeInstances: NodeInstanceRepository;
  readonly executions: Repository<ExecutionRecord>;
  readonly tasks: TaskRepository;
  readonly snapshots: Repository<SnapshotRecord>;
  readonly users: Repository<UserRecord>;
  readonly tokens: Repository<TokenRecord>;
  readonly agents: Repository<AgentRecord>;
  readonly plugins: Repository<PluginRecord>;
  readonly deploymentModifications: Repository<DeploymentModificationRecord>;
  readonly events: EventStore;
  readonly providerContext: ProviderContextStore;
  readonly managerState: ManagerStateStore;
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: (tx: StoragePort) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Schema version of the open database. */
  schemaVersion(): Promise<number>;
  /** SQLite `integrity_check` + foreign keys; on both dialects, orphan and schema checks. */
  integrityCheck(): Promise<IntegrityReport>;
  /**
   * Streams every restorable table from ONE consistent read snapshot (writers continue).
   * Not exported: provider_context, snapshots, users, tokens, manager_state.
   */
  exportAll(options?: ExportOptions): AsyncIterable<ExportItem>;
  /**
   * Writes the stream's rows into the restorable tables in ONE transaction: all or nothing.
   * `replace` (default) empties those tables first; `merge` keeps existing rows (a duplicate
   * id fails the whole import) and gives imported events new sequence numbers. Tables that
   * are not exported are never touched. Returns the row counts imported.
   */
  importAll(items: AsyncIterable<ImportItem> | Iterable<ImportItem>, options?: ImportOptions): Promise<Record<string, number>>;
  /** Closes the connections (PostgreSQL: after checked-out ones are released). Idempotent. */
  close(): Promise<void>;
}
