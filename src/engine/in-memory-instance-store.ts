import { UserError, notFound } from '../core/index.js';
import type { InstanceStorePort, NodeInstanceState, NodeInstanceStatus } from './ports.js';

/**
 * An {@link InstanceStorePort} kept in memory (tests, benchmarks). Instances are created on
 * first use in state `uninitialized` when `autoCreate` is set, else must be added.
 */
export class InMemoryInstanceStoreAdapter implements InstanceStorePort {
  readonly #states = new Map<string, NodeInstanceState>();
  readonly #autoCreate: boolean;

  /** @param autoCreate create unknown instances on first use. @default true */
  constructor(autoCreate = true) {
    this.#autoCreate = autoCreate;
  }

  /** Adds (or replaces) an instance. */
  add(id: string, nodeId: string, runtimeProperties: Record<string, unknown> = {}): void {
    this.#states.set(id, { id, nodeId, state: 'uninitialized', runtimeProperties, version: 1 });
  }

  get(nodeInstanceId: string): Promise<NodeInstanceState> {
    const state = this.#find(nodeInstanceId);
    return state === undefined ? Promise.reject(notFound('Node instance', nodeInstanceId)) : Promise.resolve(copy(state));
  }

  setState(nodeInstanceId: string, state: NodeInstanceStatus): Promise<void> {
    const stored = this.#find(nodeInstanceId);
    if (stored === undefined) return Promise.reject(notFound('Node instance', nodeInstanceId));
    stored.state = state;
    return Promise.resolve();
  }

  updateRuntimeProperties(nodeInstanceId: string, runtimeProperties: Record<string, unknown>, expectedVersion?: number): Promise<NodeInstanceState> {
    const stored = this.#find(nodeInstanceId);
    if (stored === undefined) return Promise.reject(notFound('Node instance', nodeInstanceId));
    if (expectedVersion !== undefined && expectedVersion !== stored.version) {
      return Promise.reject(
        new UserError('conflict_error', `Node instance ${nodeInstanceId} was updated concurrently (version ${stored.version}, expected ${expectedVersion})`, {
          httpStatus: 409,
          details: { nodeInstanceId, version: stored.version, expectedVersion },
        }),
      );
    }
    stored.runtimeProperties = structuredClone(runtimeProperties);
    stored.version++;
    return Promise.resolve(copy(stored));
  }

  /** Synchronous peek at the stored state (tests). */
  peek(nodeInstanceId: string): NodeInstanceState | undefined {
    const state = this.#states.get(nodeInstanceId);
    return state === undefined ? undefined : copy(state);
  }

  #find(id: string): NodeInstanceState | undefined {
    let state = this.#states.get(id);
    if (state === undefined && this.#autoCreate) {
      state = { id, nodeId: id.replace(/_[0-9a-f]{5}$/, ''), state: 'uninitialized', runtimeProperties: {}, version: 1 };
      this.#states.set(id, state);
    }
    return state;
  }
}

function copy(state: NodeInstanceState): NodeInstanceState {
  return { ...state, runtimeProperties: structuredClone(state.runtimeProperties) };
}
