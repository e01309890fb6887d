/**
 * Node instances of a local deployment: one JSON file each under `node-instances/`, written when
 * an instance is created or replaced (init, scale), plus `node-instances.journal`: JSON lines of
 * every change since (group-committed with the task journals), applied in order over the files
 * when read. `checkpoint()` compacts the journal.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { conflict, notFound, writeFileAtomic } from '../../core/index.js';
import type {
  InstanceStorePort,
  NodeInstanceState,
  NodeInstanceStatus,
} from '../../engine/ports.js';
import type { RelationshipInstance } from '../../plan/model.js';
import { GroupCommit, JournalFile, readJournalLines } from './group-commit.js';
import { readJson, writeJsonAtomic } from './json-files.js';

/**
 * A journal line: an instance's full record (`put`), the fields a change set (absolute values,
 * applied over the record), or its removal.
 */
type InstanceLine =
  | StoredNodeInstance
  | (Pick<StoredNodeInstance, 'id'> &
      Partial<Pick<StoredNodeInstance, 'state' | 'runtimeProperties' | 'version'>>)
  | { removed: string };

/** A node instance as stored (Cloudify's node-instance fields). */
export interface StoredNodeInstance extends NodeInstanceState {
  hostId: string | null;
  relationships: RelationshipInstance[];
}

/**
 * The {@link InstanceStorePort} of a local deployment. `setState` returns once the change is
 * written (durable with the next task intent or execution status, see group-commit.ts);
 * `updateRuntimeProperties` once it is on disk; `put` and `remove` write through at once.
 */
export class LocalInstanceStoreAdapter implements InstanceStorePort {
  readonly #dir: string;
  readonly #cache = new Map<string, StoredNodeInstance>();
  readonly #group: GroupCommit;
  readonly #journal: JournalFile;
  /** Instances whose latest record is in the journal rather than in their file. */
  readonly #journaled = new Set<string>();
  #replayed = false;

  /**
   * @param dir the `node-instances` folder.
   * @param group shared with the execution store (one durability order for both).
   */
  constructor(dir: string, group: GroupCommit = new GroupCommit()) {
    this.#dir = dir;
    this.#group = group;
    this.#journal = new JournalFile(journalPath(dir), group);
  }

  /** Every instance, sorted by id. */
  list(): StoredNodeInstance[] {
    this.#replay();
    let names: string[];
    try {
      names = readdirSync(this.#dir).filter((n) => !n.startsWith('.'));
    } catch {
      return [];
    }
    return names.sort().map((id) => structuredClone(this.#load(id)));
  }

  /** Writes an instance (creation, or a full replace), durably, before returning. */
  put(instance: StoredNodeInstance): void {
    this.#replay();
    const copy = structuredClone(instance);
    if (this.#journaled.has(copy.id)) {
      // The journal's older record would win over the file when read: supersede it first.
      this.#journal.append(JSON.stringify(copy));
      this.#group.flushSync();
    }
    writeJsonAtomic(join(this.#dir, copy.id), copy);
    this.#cache.set(copy.id, copy);
  }

  /** Deletes an instance's file (scale-in). */
  remove(id: string): void {
    this.#load(id);
    if (this.#journaled.delete(id)) {
      this.#journal.append(JSON.stringify({ removed: id }));
      this.#group.flushSync();
    }
    rmSync(join(this.#dir, id), { force: true });
    this.#cache.delete(id);
  }

  /**
   * Compacts the journal, once it holds at least `minBytes`: rewrites it atomically with one
   * full record per changed instance (one fsync, however many instances). Call while no
   * workflow runs on this store. Returns whether it compacted.
   */
  checkpoint(minBytes = 0): boolean {
    this.#replay();
    if (this.#journaled.size === 0 || journalBytes(this.#journal.path) < minBytes) return false;
    this.#group.flushSync(); // closes the journal's descriptor: the next append opens the new file
    const lines = [...this.#journaled].map((id) => `${JSON.stringify(this.#cache.get(id))}\n`);
    writeFileAtomic(this.#journal.path, lines.join(''));
    return true;
  }

  get(id: string): Promise<NodeInstanceState> {
    try {
      return Promise.resolve(structuredClone(this.#load(id)));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  setState(id: string, state: NodeInstanceStatus): Promise<void> {
    try {
      const instance = this.#load(id);
      this.#record({ ...instance, state }, { id, state });
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  updateRuntimeProperties(
    id: string,
    runtimeProperties: Record<string, unknown>,
    expectedVersion?: number,
  ): Promise<NodeInstanceState> {
    try {
      const instance = this.#load(id);
      if (expectedVersion !== undefined && expectedVersion !== instance.version) {
        const error = conflict('Node instance version', `${id}@${expectedVersion}`);
        return Promise.reject(error);
      }
      const updated = {
        ...instance,
        runtimeProperties: structuredClone(runtimeProperties),
        version: instance.version + 1,
      };
      this.#record(updated, {
        id,
        runtimeProperties: updated.runtimeProperties,
        version: updated.version,
      });
      return this.#group.durable().then(() => structuredClone(updated));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #load(id: string): StoredNodeInstance {
    this.#replay();
    const cached = this.#cache.get(id);
    if (cached) return cached;
    if (id.includes('/') || id.includes('\\') || id.startsWith('.'))
      throw notFound('Node instance', id);
    const stored = this.#file(id);
    if (stored === null) throw notFound('Node instance', id);
    this.#cache.set(id, stored);
    return stored;
  }

  #file(id: string): StoredNodeInstance | null {
    return readJson<StoredNodeInstance>(join(this.#dir, id));
  }

  /** Keeps a change in memory and appends the changed fields to the journal. */
  #record(instance: StoredNodeInstance, change: InstanceLine): void {
    this.#journal.append(JSON.stringify(change));
    this.#journaled.add(instance.id);
    this.#cache.set(instance.id, instance);
  }

  /** Reads the journal once: the last record of each instance wins over its file. */
  #replay(): void {
    if (this.#replayed) return;
    this.#replayed = true;
    for (const line of readJournalLines<InstanceLine>(this.#journal.path)) {
      if ('removed' in line) {
        this.#cache.delete(line.removed);
        this.#journaled.delete(line.removed);
        continue;
      }
      const base = 'nodeId' in line ? undefined : (this.#cache.get(line.id) ?? this.#file(line.id));
      if (base === null) continue; // a change to an instance removed since
      this.#cache.set(line.id, { ...base, ...line } as StoredNodeInstance);
      this.#journaled.add(line.id);
    }
  }
}

/** `node-instances.journal` beside the `node-instances` folder. */
function journalPath(dir: string): string {
  return join(dirname(dir), 'node-instances.journal');
}

function journalBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
