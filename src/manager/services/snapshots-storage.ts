/**
 * Lets the snapshot service reach the storage adapter behind the manager store: the store made
 * by {@link storeWithStorage} carries it (not enumerable), {@link rawStorageOf} reads it back.
 */
import type { StoragePort } from '../../storage/index.js';
import type { ManagerStorePort } from '../store/port.js';
import { createStorageStore } from '../store/storage-store.js';

const RAW = Symbol.for('rekindle.manager.rawStorage');

/** `createStorageStore(storage)` that also remembers `storage` for snapshots. */
export function storeWithStorage(storage: StoragePort): ManagerStorePort {
  const store = createStorageStore(storage);
  Object.defineProperty(store, RAW, { value: storage, enumerable: false });
  return store;
}

/** The storage adapter behind `store`, when it was made by {@link storeWithStorage}. */
export function rawStorageOf(store: ManagerStorePort): StoragePort | undefined {
  return (store as unknown as Record<symbol, StoragePort | undefined>)[RAW];
}
