/** The StoragePort over a Kysely handle; the adapters differ only in how they connect. */
import { systemClock, type Clock } from '../core/index.js';
import type { DbContext } from './db.js';
import { TableEventStore } from './events.js';
import { checkIntegrity } from './integrity.js';
import { readSchemaVersion } from './migrate.js';
import { NodeInstanceTableRepository } from './node-instances.js';
import type { BulkCommit } from './background-checkpoint.js';
import type { ExportItem, ExportOptions, ImportItem, ImportOptions, TransactionOptions, IntegrityReport, ManagerStateStore, NodeKey, ProviderContextStore, StoragePort } from './port.js';
import type * as R from './records.js';
import { TableRepository } from './repository.js';
import * as T from './tables.js';
import { TaskTableRepository } from './tasks.js';
import { exportTables, importTables, type SnapshotReader } from './transfer.js';
import type { WriteQueue } from './write-queue.js';

/** What an adapter provides. */
export interface AdapterHooks {
  /** Opens a read transaction on one consistent snapshot, for exportAll. */
  openSnapshot(): Promise<SnapshotReader>;
  /** Closes every connection. */
  close(): Promise<void>;
  clock?: Clock;
  /** SQLite: the connection's group-commit queue for the engine adapters' hot paths. */
  writeQueue?: WriteQueue;
  /** SQLite: bulk transactions with the checkpoint in the background. */
  bulkCommit?: BulkCommit;
}

/** The StoragePort implementation shared by both adapters. */
export class KyselyStorage implements StoragePort {
  readonly dialect: StoragePort['dialect'];
  readonly blueprints: TableRepository<R.BlueprintRecord>;
  readonly deployments: TableRepository<R.DeploymentRecord>;
  readonly nodes: TableRepository<R.NodeRecord, NodeKey>;
  readonly nodeInstances: NodeInstanceTableRepository;
  readonly executions: TableRepository<R.ExecutionRecord>;
  readonly tasks: TaskTableRepository;
  readonly snapshots: TableRepository<R.SnapshotRecord>;
  readonly users: TableRepository<R.UserRecord>;
  readonly tokens: TableRepository<R.TokenRecord>;
  readonly agents: TableRepository<R.AgentRecord>;
  readonly plugins: TableRepository<R.PluginRecord>;
  readonly deploymentModifications: TableRepository<R.DeploymentModificationRecord>;
  readonly events: TableEventStore;
  readonly providerContext: ProviderContextStore;
  readonly managerState: ManagerStateStore;
  #closed = false;

  constructor(
    private readonly ctx: DbContext,
    private readonly hooks: AdapterHooks,
  ) {
    this.dialect = ctx.dialect;
    this.blueprints = new TableRepository(ctx, T.blueprintsTable);
    this.deployments = new TableRepository(ctx, T.deploymentsTable);
    this.nodes = new TableRepository(ctx, T.nodesTable);
    this.nodeInstances = new NodeInstanceTableRepository(ctx);
    this.executions = new TableRepository(ctx, T.executionsTable);
    this.tasks = new TaskTableRepository(ctx);
    this.snapshots = new TableRepository(ctx, T.snapshotsTable);
    this.users = new TableRepository(ctx, T.usersTable);
    this.tokens = new TableRepository(ctx, T.tokensTable);
    this.agents = new TableRepository(ctx, T.agentsTable);
    this.plugins = new TableRepository(ctx, T.pluginsTable);
    this.deploymentModifications = new TableRepository(ctx, T.deploymentModificationsTable);
    const clock = hooks.clock ?? systemClock;
    this.events = new TableEventStore(ctx, () => clock.now());
    this.providerContext = providerContextStore(ctx);
    this.managerState = managerStateStore(ctx, () => new Date(clock.now()).toISOString());
  }

  /** The group-commit queue (SQLite, outside a transaction), else undefined: use the repositories. */
  get writeQueue(): WriteQueue | undefined {
    return this.ctx.db.isTransaction ? undefined : this.hooks.writeQueue;
  }

  async transaction<T>(fn: (tx: StoragePort) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.ctx.db.isTransaction) return fn(this);
    const run = (): Promise<T> => this.ctx.db.transaction().execute((trx) => fn(new KyselyStorage({ db: trx, dialect: this.dialect }, this.hooks)));
    const bulk = options.bulk === true ? this.hooks.bulkCommit : undefined;
    if (!bulk) return run();
    bulk.begin();
    try {
      return await run();
    } finally {
      bulk.end();
    }
  }

  schemaVersion(): Promise<number> {
    return readSchemaVersion(this.ctx);
  }

  integrityCheck(): Promise<IntegrityReport> {
    return checkIntegrity(this.ctx);
  }

  exportAll(options: ExportOptions = {}): AsyncIterable<ExportItem> {
    return exportTables(() => this.hooks.openSnapshot(), options);
  }

  importAll(items: AsyncIterable<ImportItem> | Iterable<ImportItem>, options: ImportOptions = {}): Promise<Record<string, number>> {
    return this.transaction((tx) => importTables((tx as KyselyStorage).ctx, items, options.mode));
  }

  async close(): Promise<void> {
    if (this.#closed || this.ctx.db.isTransaction) return;
    this.#closed = true;
    await this.hooks.close();
  }
}

function providerContextStore(ctx: DbContext): ProviderContextStore {
  const repo = new TableRepository<{ id: string; name: string; context: R.JsonObject }>(ctx, T.providerContextTable);
  return {
    async get() {
      const row = await repo.find('provider');
      return row ? { name: row.name, context: row.context } : null;
    },
    async set(record) {
      const existing = await repo.find('provider');
      if (existing) await repo.update('provider', record);
      else await repo.create({ id: 'provider', ...record });
    },
  };
}

function managerStateStore(ctx: DbContext, now: () => string): ManagerStateStore {
  const repo = new TableRepository<{ key: string; value: unknown; updatedAt: string }>(ctx, T.managerStateTable);
  return {
    async get(key) {
      return (await repo.find(key))?.value;
    },
    async set(key, value) {
      const existing = await repo.find(key);
      if (existing) await repo.update(key, { value, updatedAt: now() });
      else await repo.create({ key, value, updatedAt: now() });
    },
    async delete(key) {
      await repo.deleteWhere({ key });
    },
  };
}
