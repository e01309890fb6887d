/**
 * A local deployment's state on disk, Cloudify `FileStorage`-like (spec §1.1):
 *
 * ```
 * <root>/data                   JSON: format, name, blueprint file, inputs, plan (the deployment model)
 * <root>/payload                JSON: free-form (bootstrap keeps manager_node_instance_id here)
 * <root>/node-instances/<id>    JSON: one node instance with runtime properties and version
 * <root>/executions/<id>        JSON: one execution record; <id>.tasks: its attempt journal
 * <root>/resources/             a copy of the blueprint folder (scripts are read from here)
 * <root>/lock                   pid of the command using the state
 * ```
 * Every file is written atomically; `create` builds the folder beside the target and renames it
 * into place, so an interrupted command leaves the old state or the new one.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError, notFound, fsyncDir } from '../../core/index.js';
import type { ExecutionRecord } from '../../engine/index.js';
import type { NodeLookupPort } from '../../engine/ports.js';
import type { DeploymentModel, NodeInstanceModel, NodeModel } from '../../plan/model.js';
import { failUnfinishedExecutions } from './reconcile.js';
import { LocalExecutionStoreAdapter } from './execution-store.js';
import { GroupCommit } from './group-commit.js';
import { LocalInstanceStoreAdapter, type StoredNodeInstance } from './instance-store.js';
import { readJson, writeJsonAtomic } from './json-files.js';
import { acquireLock } from './lock.js';

/**
 * Size of the node-instance journal from which the end of a command compacts it (about 50 bytes
 * a state change: a 10,000-instance install appends ~3 MB).
 */
export const CHECKPOINT_AFTER_BYTES = 8 * 1024 * 1024;

/** The `data` file. */
export interface LocalStateData {
  /** Layout version of the folder. */
  format: 1;
  /** Deployment (and blueprint) id events carry, e.g. `local` or `manager`. */
  name: string;
  blueprintId: string;
  /** File name of the main blueprint inside `resources/`. */
  blueprintFilename: string;
  inputs: Record<string, unknown>;
  plan: DeploymentModel;
  createdAt: string;
}

/** What `LocalStateStore.create` needs. */
export interface CreateLocalStateOptions {
  name: string;
  /** @default name */
  blueprintId?: string;
  /** The main blueprint file; its folder is copied to `resources/`. */
  blueprintPath: string;
  inputs: Record<string, unknown>;
  plan: DeploymentModel;
  payload?: Record<string, unknown>;
  /** @default Date.now */
  now?: () => number;
}

/** A local deployment's state folder. */
export class LocalStateStore {
  readonly root: string;
  readonly instances: LocalInstanceStoreAdapter;
  readonly executions: LocalExecutionStoreAdapter;
  #data: LocalStateData | undefined;

  private constructor(root: string, now: () => number) {
    this.root = root;
    // One group: a task intent is durable only after the state changes written before it.
    const group = new GroupCommit();
    this.instances = new LocalInstanceStoreAdapter(join(root, 'node-instances'), group);
    this.executions = new LocalExecutionStoreAdapter(join(root, 'executions'), now, group);
  }

  /**
   * Compacts the node-instance journal once it holds {@link CHECKPOINT_AFTER_BYTES} (`force`:
   * whatever it holds; see {@link LocalInstanceStoreAdapter.checkpoint}). Commands call it when
   * their workflow ended.
   */
  checkpoint(force = false): boolean {
    return this.instances.checkpoint(force ? 0 : CHECKPOINT_AFTER_BYTES);
  }

  /** True when `root` holds a state folder. */
  static exists(root: string): boolean {
    return existsSync(join(root, 'data'));
  }

  /**
   * Creates (or replaces) the state folder at `root`: copies the blueprint folder, writes the plan
   * and one file per planned node instance. Atomic: built beside `root`, then renamed into place.
   */
  static create(root: string, options: CreateLocalStateOptions): LocalStateStore {
    const target = resolve(root);
    const now = options.now ?? Date.now;
    const parent = dirname(target);
    mkdirSync(parent, { recursive: true });
    const building = join(parent, `.${basename(target)}.new-${process.pid}`);
    rmSync(building, { recursive: true, force: true });
    const blueprintDir = dirname(resolve(options.blueprintPath));
    copyBlueprintFolder(blueprintDir, join(building, 'resources'));
    const data: LocalStateData = {
      format: 1,
      name: options.name,
      blueprintId: options.blueprintId ?? options.name,
      blueprintFilename: basename(options.blueprintPath),
      inputs: options.inputs,
      plan: options.plan,
      createdAt: new Date(now()).toISOString(),
    };
    writeJsonAtomic(join(building, 'data'), data);
    writeJsonAtomic(join(building, 'payload'), options.payload ?? {});
    mkdirSync(join(building, 'executions'), { recursive: true });
    const instances = new LocalInstanceStoreAdapter(join(building, 'node-instances'));
    mkdirSync(join(building, 'node-instances'), { recursive: true });
    for (const planned of options.plan.nodeInstances) instances.put(initialInstance(planned));
    const old = join(parent, `.${basename(target)}.old-${process.pid}`);
    if (existsSync(target)) renameSync(target, old);
    renameSync(building, target);
    fsyncDir(parent);
    rmSync(old, { recursive: true, force: true });
    return new LocalStateStore(target, now);
  }

  /** Opens an existing state folder; `missingHint` tells the user how to create one. */
  static open(
    root: string,
    missingHint = "Run 'cfy local init -p BLUEPRINT' first",
    now: () => number = Date.now,
  ): LocalStateStore {
    const target = resolve(root);
    if (!LocalStateStore.exists(target)) {
      throw new UserError('local_state_missing', `No local deployment state in ${target}`, {
        details: { root: target },
        hints: [missingHint],
      });
    }
    const store = new LocalStateStore(target, now);
    if (store.data().format !== 1) {
      throw new UserError(
        'local_state_format',
        `Local state in ${target} has an unknown format (${String(store.data().format)})`,
        {
          hints: ["Run 'cfy local init' again with this version of Rekindle"],
        },
      );
    }
    return store;
  }

  /** The `data` file. */
  data(): LocalStateData {
    this.#data ??= readJson<LocalStateData>(join(this.root, 'data')) ?? undefined;
    if (this.#data === undefined) throw notFound('Local state data', this.root);
    return this.#data;
  }

  /** The deployment model. */
  model(): DeploymentModel {
    return this.data().plan;
  }

  /** The copy of the blueprint folder. */
  resourcesDir(): string {
    return join(this.root, 'resources');
  }

  payload(): Record<string, unknown> {
    return readJson<Record<string, unknown>>(join(this.root, 'payload')) ?? {};
  }

  setPayload(payload: Record<string, unknown>): void {
    writeJsonAtomic(join(this.root, 'payload'), payload);
  }

  /** The node instances of the stored plan, with their runtime state, sorted by id. */
  listInstances(): StoredNodeInstance[] {
    const planned = new Set(this.model().nodeInstances.map((i) => i.id));
    return this.instances.list().filter((i) => planned.has(i.id));
  }

  /** Creates state files for planned instances that have none yet (scale-out, before install). */
  addInstances(planned: readonly NodeInstanceModel[]): void {
    const existing = new Set(this.instances.list().map((i) => i.id));
    for (const instance of planned) {
      if (!existing.has(instance.id)) this.instances.put(initialInstance(instance));
    }
  }

  /**
   * Makes `planned` the deployment's instance list (after a scale): the plan is rewritten,
   * relationships and hosts of kept instances updated (state and runtime properties kept), and
   * files of instances no longer planned removed.
   */
  commitInstances(planned: readonly NodeInstanceModel[]): void {
    const stored = new Map(this.instances.list().map((i) => [i.id, i]));
    for (const instance of planned) {
      const current = stored.get(instance.id);
      this.instances.put(
        current
          ? { ...current, hostId: instance.hostId, relationships: instance.relationships }
          : initialInstance(instance),
      );
      stored.delete(instance.id);
    }
    const data = { ...this.data(), plan: { ...this.model(), nodeInstances: [...planned] } };
    writeJsonAtomic(join(this.root, 'data'), data);
    this.#data = data;
    for (const id of stored.keys()) this.instances.remove(id);
  }

  /** `ctx.node` lookups from the stored plan. */
  nodeLookup(): NodeLookupPort {
    const nodes = new Map<string, NodeModel>(this.model().nodes.map((n) => [n.id, n]));
    return {
      node(id) {
        const found = nodes.get(id);
        if (!found) throw notFound('Node', id);
        return found;
      },
    };
  }

  /** Takes the folder's lock for the duration of a command; returns the release function. */
  lock(): () => void {
    return acquireLock(join(this.root, 'lock'), `Local deployment state ${this.root}`);
  }

  /**
   * Marks executions left unfinished by a command that died (the caller holds the lock, so none
   * of them is running) as failed. Returns the ones changed.
   */
  async failInterruptedExecutions(): Promise<ExecutionRecord[]> {
    return failUnfinishedExecutions(this.executions);
  }
}

function initialInstance(planned: NodeInstanceModel): StoredNodeInstance {
  return {
    id: planned.id,
    nodeId: planned.nodeId,
    hostId: planned.hostId,
    relationships: planned.relationships,
    state: 'uninitialized',
    runtimeProperties: {},
    version: 1,
  };
}

/**
 * Copies the blueprint folder entry by entry, leaving out version control and state folders
 * (the blueprint may live in the working directory that holds `.cloudify/`).
 */
function copyBlueprintFolder(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name === '.git' || name === '.cloudify') continue;
    cpSync(join(from, name), join(to, name), {
      recursive: true,
      filter: (source) => basename(source) !== '.git',
    });
  }
}
