/**
 * Snapshots on the manager: create (system execution `create_snapshot`, runs next to other
 * executions), list/get/delete, upload/download of archives, restore (system execution
 * `restore_snapshot`, exclusive) and start-up reconciliation. The archive work is
 * src/snapshots' createManagerSnapshot / restoreManagerSnapshot.
 */
import type { Readable } from 'node:stream';
import { conflict, isRekindleError, newUuid, notFound, type EventDocument } from '../../core/index.js';
import {
  createManagerSnapshot,
  dirtyManager,
  openSnapshotArchive,
  recoverBlueprintSwap,
  restoreManagerSnapshot,
  type RestoreManagerSnapshotResult,
  type ScryptParams,
} from '../../snapshots/index.js';
import type { SnapshotRecord, StoragePort } from '../../storage/index.js';
import type { ListQuery, ListResult } from '../store/port.js';
import type { ExecutionRecord } from '../store/records.js';
import { isoNow, type ServiceContext } from './context.js';
import { checkCanStart } from './execution-rules.js';
import { describeError } from './executions.js';
import { checkResourceId } from './ids.js';
import { SnapshotFiles } from './snapshot-files.js';
import { restoreInProgress, snapshotState } from './snapshot-errors.js';
import { systemExecutionEvents } from './snapshot-events.js';

/** Error text of snapshots a previous process left `creating`. */
export const interruptedCreateError = 'interrupted: the manager stopped while this snapshot was being created';

/** The REST shape of a snapshot. */
export interface SnapshotResource {
  id: string;
  created_at: string;
  status: SnapshotRecord['status'];
  error: string;
  size: number | null;
  encrypted: boolean;
}

export interface CreateSnapshotRequest {
  includeMetrics?: boolean;
  includeCredentials?: boolean;
  passphrase?: string;
}

export interface RestoreSnapshotRequest {
  recreateDeploymentsEnvs?: boolean;
  force?: boolean;
  passphrase?: string;
}

export interface SnapshotServiceOptions {
  ctx: ServiceContext;
  /** The storage adapter itself (exportAll / importAll / snapshots / manager_state). */
  storage: StoragePort;
  dataDir: string;
  managerVersion: string;
  /** Manager-side passphrase (from a file read at start), used when a request gives none. */
  passphrase?: string;
  /** Largest upload. @default 64 GiB */
  maxUploadBytes?: number;
  /** Called after a restore committed: reload whatever is cached (agent credentials, models). */
  onRestored?: (result: RestoreManagerSnapshotResult) => Promise<void> | void;
  /** scrypt cost override (tests). */
  scrypt?: Partial<ScryptParams>;
  /** Rows from which a restore reads the archive in a worker thread (tests). @default 250000 */
  restoreReadInWorkerFromRows?: number;
}

const resource = (r: SnapshotRecord): SnapshotResource => ({
  id: r.id, created_at: r.createdAt, status: r.status, error: r.error ?? '', size: r.size, encrypted: r.encrypted,
});

export class SnapshotService {
  readonly files: SnapshotFiles;
  readonly #runs = new Map<string, { done: Promise<void>; controller: AbortController; snapshotId: string }>();
  #restoring: string | undefined;

  constructor(private readonly options: SnapshotServiceOptions) {
    this.files = new SnapshotFiles(options.dataDir);
  }

  /** The running restore execution's id, if any. */
  get restoring(): string | undefined {
    return this.#restoring;
  }

  async get(id: string): Promise<SnapshotResource> {
    return resource(await this.#record(id));
  }

  async list(query: ListQuery): Promise<ListResult<SnapshotResource>> {
    const sort = (query.sort ?? []).map((s) => `${s.desc ? '-' : ''}${s.field === 'created_at' ? 'createdAt' : s.field}`);
    const page = await this.options.storage.snapshots.list({ offset: query.offset, size: query.size, sort: sort.length > 0 ? sort : ['createdAt'] });
    return { items: page.items.map(resource), total: page.total };
  }

  /** `PUT /snapshots/{id}`: records the snapshot (`creating`) and starts `create_snapshot`. */
  async create(id: string, request: CreateSnapshotRequest = {}): Promise<ExecutionRecord> {
    this.#refuseWhileRestoring();
    checkResourceId('Snapshot', id);
    const { storage } = this.options;
    const passphrase = request.passphrase ?? this.options.passphrase;
    await storage.snapshots.create({ id, createdAt: isoNow(this.options.ctx), status: 'creating', error: null, size: null, sha256: null, encrypted: passphrase !== undefined });
    const includeCredentials = request.includeCredentials ?? true;
    const execution = await this.#insertExecution('create_snapshot', { snapshot_id: id, include_metrics: request.includeMetrics ?? false, include_credentials: includeCredentials }).catch(async (error: unknown) => {
      await storage.snapshots.delete(id).catch(() => undefined);
      throw error;
    });
    this.#launch(execution, id, false, async (ev, signal) => {
      try {
        const target = await this.files.prepare(id);
        const result = await createManagerSnapshot({
          storage, blueprintsDir: this.options.ctx.files.root, targetPath: target, managerVersion: this.options.managerVersion,
          includeCredentials, excludeExecutionId: execution.id, signal,
          progress: (message, level) => (level === 'warning' ? ev.log('warning', message) : ev.event('workflow_stage', message)),
          ...(passphrase === undefined ? {} : { passphrase }),
          ...(this.options.scrypt ? { scrypt: this.options.scrypt } : {}),
        });
        await storage.snapshots.update(id, { status: 'created', size: result.size });
      } catch (error) {
        await storage.snapshots.update(id, { status: 'failed', error: errorText(error) }).catch(() => undefined);
        await this.files.removeTemps(id).catch(() => undefined);
        throw error;
      }
    });
    return execution;
  }

  /** `PUT /snapshots/{id}/archive`: streams the body to disk; the snapshot is `uploaded`. */
  async upload(id: string, body: Readable): Promise<SnapshotResource> {
    this.#refuseWhileRestoring();
    checkResourceId('Snapshot', id);
    const { storage } = this.options;
    if ((await storage.snapshots.find(id)) !== null) throw conflict('Snapshot', id);
    // Claim the id first so two uploads of one id cannot both write.
    await storage.snapshots.create({ id, createdAt: isoNow(this.options.ctx), status: 'creating', error: null, size: null, sha256: null, encrypted: false });
    try {
      const size = await this.files.receive(id, body, this.options.maxUploadBytes ?? 64 * 1024 ** 3);
      const encrypted = await openSnapshotArchive(this.files.archivePath(id)).then((a) => (a.close(), a.summary().encrypted), () => false);
      return resource(await storage.snapshots.update(id, { status: 'uploaded', size, encrypted }));
    } catch (error) {
      await storage.snapshots.delete(id).catch(() => undefined);
      await this.files.remove(id);
      throw error;
    }
  }

  /** Path and size of a downloadable archive (400 for failed or unfinished snapshots). */
  async archive(id: string): Promise<{ path: string; size: number }> {
    const record = await this.#record(id);
    if (record.status === 'failed') throw snapshotState('Failed snapshot cannot be downloaded', { id, status: record.status });
    if (record.status === 'creating') throw snapshotState(`Snapshot ${id} is still being created`, { id, status: record.status });
    const size = await this.files.size(id);
    if (size === undefined) throw snapshotState(`Snapshot ${id} has no archive on the manager`, { id, status: record.status });
    return { path: this.files.archivePath(id), size };
  }

  /** `DELETE /snapshots/{id}`: stops a running create of it, removes the record and the files. */
  async delete(id: string): Promise<SnapshotResource> {
    this.#refuseWhileRestoring();
    const record = await this.#record(id);
    for (const run of this.#runs.values()) {
      if (run.snapshotId === id && !run.controller.signal.aborted) {
        run.controller.abort(new Error(`snapshot ${id} was deleted`));
        await run.done;
      }
    }
    await this.options.storage.snapshots.delete(id).catch(() => undefined);
    await this.files.remove(id);
    return resource(record);
  }

  /** `POST /snapshots/{id}/restore`: checks what can be checked at once, then runs `restore_snapshot`. */
  async restore(id: string, request: RestoreSnapshotRequest = {}): Promise<ExecutionRecord> {
    this.#refuseWhileRestoring();
    const record = await this.#record(id);
    if (record.status === 'failed') throw snapshotState('Failed snapshot cannot be restored', { id, status: record.status });
    if (record.status === 'creating') throw snapshotState(`Snapshot ${id} is still being created`, { id, status: record.status });
    const { storage, ctx } = this.options;
    checkCanStart({ deploymentId: null, systemWide: true, force: false }, (await ctx.store.executions.list({ offset: 0, size: 1000, filter: { status: ['pending', 'started', 'cancelling', 'force_cancelling'] } })).items, ctx.maxParallelExecutions);
    if (request.force !== true) {
      const blueprints = await storage.blueprints.list({ size: 50 });
      if (blueprints.total > 0) throw dirtyManager(blueprints.items.map((b) => b.id));
    }
    const passphrase = request.passphrase ?? this.options.passphrase;
    // Structure, format version and passphrase are checked now, so the caller gets a 400.
    const archive = await openSnapshotArchive(this.files.archivePath(id), passphrase === undefined ? {} : { passphrase });
    archive.close();
    this.#refuseWhileRestoring();
    this.#restoring = 'pending';
    try {
      const execution = await this.#insertExecution('restore_snapshot', {
        snapshot_id: id, recreate_deployments_envs: request.recreateDeploymentsEnvs ?? true, force: request.force ?? false,
      });
      this.#restoring = execution.id;
      this.#launch(execution, id, true, async (ev) => {
        try {
          const result = await restoreManagerSnapshot({
            storage, archivePath: this.files.archivePath(id), blueprintsDir: ctx.files.root, managerVersion: this.options.managerVersion,
            force: request.force ?? false, keepExecution: await storage.executions.get(execution.id), now: ctx.now,
            progress: (message, level) => (level === 'warning' ? ev.log('warning', message) : ev.event('workflow_stage', message)),
            ...(passphrase === undefined ? {} : { passphrase }),
            ...(this.options.restoreReadInWorkerFromRows === undefined ? {} : { readInWorkerFromRows: this.options.restoreReadInWorkerFromRows }),
          });
          await this.options.onRestored?.(result);
        } finally {
          this.#restoring = undefined;
        }
      });
      return execution;
    } catch (error) {
      this.#restoring = undefined;
      throw error;
    }
  }

  /**
   * Start-up reconciliation: finishes or undoes an interrupted restore's file swap, fails
   * snapshots left `creating` and removes temp files. Returns the failed snapshot ids.
   */
  async reconcile(): Promise<string[]> {
    const { storage, ctx } = this.options;
    for (const line of await recoverBlueprintSwap(storage, ctx.files.root)) ctx.log.warn(line);
    const stale = (await storage.snapshots.list({ filter: { status: 'creating' }, size: 10_000 })).items;
    for (const s of stale) await storage.snapshots.update(s.id, { status: 'failed', error: interruptedCreateError });
    await this.files.removeTemps();
    if (stale.length > 0) ctx.log.warn({ snapshots: stale.map((s) => s.id) }, 'failed snapshots interrupted by a restart');
    return stale.map((s) => s.id);
  }

  /** Resolves when the execution's background run has ended. */
  async settled(executionId: string): Promise<void> {
    await this.#runs.get(executionId)?.done;
  }

  /** Aborts running creates, waits for every run (a restore is never aborted half-way). */
  async close(): Promise<void> {
    for (const run of this.#runs.values()) if (this.#restoring === undefined) run.controller.abort(new Error('the manager is shutting down'));
    await Promise.all([...this.#runs.values()].map((r) => r.done));
  }

  async #record(id: string): Promise<SnapshotRecord> {
    const record = await this.options.storage.snapshots.find(id);
    if (!record) throw notFound('Snapshot', id);
    return record;
  }

  #refuseWhileRestoring(): void {
    if (this.#restoring !== undefined) throw restoreInProgress({ execution_id: this.#restoring });
  }

  async #insertExecution(workflowId: string, parameters: Record<string, unknown>): Promise<ExecutionRecord> {
    const execution: ExecutionRecord = {
      id: newUuid(), status: 'pending', deployment_id: null, blueprint_id: null, workflow_id: workflowId,
      created_at: isoNow(this.options.ctx), error: '', parameters, is_system_workflow: true,
    };
    await this.options.ctx.store.executions.insert(execution);
    return execution;
  }

  /** Runs a system workflow body in the background: started -> terminated | failed, with events. */
  #launch(
    execution: ExecutionRecord,
    snapshotId: string,
    holdEvents: boolean,
    body: (ev: ReturnType<typeof systemExecutionEvents>, signal: AbortSignal) => Promise<void>,
  ): void {
    const { ctx } = this.options;
    const held: EventDocument[] = [];
    // A replace restore empties the events table: hold the restore's own events until it ends.
    const ev = systemExecutionEvents(execution, ctx.now, (e) => (holdEvents ? held.push(e) : ctx.events.emit(e)));
    const controller = new AbortController();
    const store = ctx.store.executions;
    const done = (async () => {
      await Promise.resolve();
      try {
        await store.update(execution.id, { status: 'started' });
        ev.event('workflow_started', `Starting '${execution.workflow_id}' workflow execution`);
        try {
          await body(ev, controller.signal);
          ev.event('workflow_succeeded', `'${execution.workflow_id}' workflow execution succeeded`);
          await store.update(execution.id, { status: 'terminated' });
        } catch (error) {
          const text = errorText(error);
          ev.event('workflow_failed', `'${execution.workflow_id}' workflow execution failed: ${text}`);
          await store.update(execution.id, { status: 'failed', error: text });
        }
      } catch (error) {
        ctx.log.error({ err: error, execution_id: execution.id }, 'snapshot execution bookkeeping failed');
      } finally {
        for (const e of held) ctx.events.emit(e);
        await ctx.events.flush().catch(() => undefined);
        this.#runs.delete(execution.id);
      }
    })();
    this.#runs.set(execution.id, { done, controller, snapshotId });
  }
}

/** Failure text of a snapshot execution: the message and the stable code (`... (snapshot_corrupt_error)`). */
function errorText(error: unknown): string {
  return isRekindleError(error) && error.kind !== 'unexpected' ? `${error.message} (${error.code})` : describeError(error);
}
