/** Node instances of a local deployment: one JSON file each under `node-instances/`. */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, notFound } from '../../core/index.js';
import type {
  InstanceStorePort,
  NodeInstanceState,
  NodeInstanceStatus,
} from '../../engine/ports.js';
import type { RelationshipInstance } from '../../plan/model.js';
import { readJson, writeJsonAtomic } from './json-files.js';

/** A node instance as stored (Cloudify's node-instance fields). */
export interface StoredNodeInstance extends NodeInstanceState {
  hostId: string | null;
  relationships: RelationshipInstance[];
}

/** The {@link InstanceStorePort} of a local deployment. Writes are atomic, one file per instance. */
export class LocalInstanceStoreAdapter implements InstanceStorePort {
  readonly #dir: string;
  readonly #cache = new Map<string, StoredNodeInstance>();

  /** @param dir the `node-instances` folder. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Every instance, sorted by id. */
  list(): StoredNodeInstance[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir).filter((n) => !n.startsWith('.'));
    } catch {
      return [];
    }
    return names.sort().map((id) => structuredClone(this.#load(id)));
  }

  /** Writes an instance (creation, or a full replace). */
  put(instance: StoredNodeInstance): void {
    this.#save(structuredClone(instance));
  }

  /** Deletes an instance's file (scale-in). */
  remove(id: string): void {
    this.#load(id);
    rmSync(join(this.#dir, id), { force: true });
    this.#cache.delete(id);
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
      this.#save({ ...instance, state });
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
      this.#save(updated);
      return Promise.resolve(structuredClone(updated));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #load(id: string): StoredNodeInstance {
    const cached = this.#cache.get(id);
    if (cached) return cached;
    if (id.includes('/') || id.includes('\\') || id.startsWith('.'))
      throw notFound('Node instance', id);
    const stored = readJson<StoredNodeInstance>(join(this.#dir, id));
    if (stored === null) throw notFound('Node instance', id);
    this.#cache.set(id, stored);
    return stored;
  }

  #save(instance: StoredNodeInstance): void {
    writeJsonAtomic(join(this.#dir, instance.id), instance);
    this.#cache.set(instance.id, instance);
  }
}
