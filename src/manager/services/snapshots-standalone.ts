/**
 * A snapshot service without the HTTP server, on a data dir and its storage: what the snapshot
 * chaos script and benchmark drive, and a way to snapshot or restore a stopped manager's data
 * dir from a script. Workflow ports are absent (snapshots do not run workflows).
 */
import { join } from 'node:path';
import pino from 'pino';
import { UnexpectedError } from '../../core/index.js';
import type { ScryptParams } from '../../snapshots/index.js';
import { openStorage, type StoragePort } from '../../storage/index.js';
import { BlueprintFiles } from './blueprint-files.js';
import { EventBatcher } from './event-batcher.js';
import { createServices, type ManagerServices } from './index.js';
import { storeWithStorage } from './snapshots-storage.js';
import { SnapshotService } from './snapshots.js';

export interface StandaloneSnapshots {
  storage: StoragePort;
  services: ManagerServices;
  snapshots: SnapshotService;
  /** Waits for running snapshot executions, flushes events, closes storage. */
  close(): Promise<void>;
}

const absent = (): never => {
  throw new UnexpectedError('standalone_snapshots_error', 'Workflows do not run in the standalone snapshot service');
};

/**
 * Opens `dataDir` (storage `sqlite://<dataDir>/manager.db` unless `storageUrl`) and runs the
 * start-up reconciliation, as a manager start would.
 */
export async function openStandaloneSnapshots(
  dataDir: string,
  options: { storageUrl?: string; managerVersion?: string; scrypt?: Partial<ScryptParams>; reconcile?: boolean; restoreReadInWorkerFromRows?: number } = {},
): Promise<StandaloneSnapshots> {
  const storage = await openStorage({ url: options.storageUrl ?? `sqlite://${join(dataDir, 'manager.db')}` });
  const store = storeWithStorage(storage);
  const log = pino({ level: 'silent' });
  const events = new EventBatcher({ write: (docs) => store.events.append(docs), onError: () => undefined });
  const services = createServices({
    store,
    files: new BlueprintFiles(dataDir, { maxBytes: 1 << 30, maxEntries: 100_000 }),
    parser: { parse: absent },
    planner: { plan: absent },
    runner: { run: absent },
    events,
    now: () => new Date(),
    log,
    maxParallelExecutions: 50,
  });
  const snapshots = new SnapshotService({
    ctx: services.ctx, storage, dataDir, managerVersion: options.managerVersion ?? '0.1.0', ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    ...(options.restoreReadInWorkerFromRows === undefined ? {} : { restoreReadInWorkerFromRows: options.restoreReadInWorkerFromRows }),
  });
  if (options.reconcile !== false) {
    await snapshots.reconcile();
    await services.executions.reconcile();
  }
  return {
    storage,
    services,
    snapshots,
    async close() {
      await snapshots.close();
      await events.close();
      await storage.close();
    },
  };
}
