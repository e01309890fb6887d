/**
 * Everything snapshots add to the manager, as one fastify plugin registered on the root
 * instance: the snapshot service (with start-up reconciliation), the global restore guard
 * (503 `restore_in_progress_error` for mutating requests during a restore), the `/api/v2/snapshots`
 * routes in their own encapsulated context (raw-stream upload parser), and an onClose hook.
 *
 * Wiring (app.ts, after the swagger registration, before the `/api/v2` block):
 *   `await app.register(snapshotsPlugin, { services, config, version: versionInfo().version });`
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { UnexpectedError } from '../../core/index.js';
import { readPassphrase, type RestoreManagerSnapshotResult, type ScryptParams } from '../../snapshots/index.js';
import { openStorage, type StoragePort } from '../../storage/index.js';
import type { CompiledManagerConfig } from '../config.js';
import type { ManagerServices } from '../services/index.js';
import { SnapshotService } from '../services/snapshots.js';
import { rawStorageOf } from '../services/snapshots-storage.js';
import { installRestoreGuard } from './restore-guard.js';
import { snapshotRoutes } from './snapshots.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The snapshot service (set by snapshotsPlugin). */
    snapshots: SnapshotService;
  }
}

export interface SnapshotsPluginOptions {
  services: ManagerServices;
  config: Pick<CompiledManagerConfig, 'dataDir' | 'storageUrl'>;
  /** This manager's version (written into snapshots, compared on restore). */
  version: string;
  /**
   * The storage adapter. @default the one behind `services.ctx.store` (see storeWithStorage),
   * else a second connection opened from `config.storageUrl` (closed with the app).
   */
  storage?: StoragePort;
  /** File holding the passphrase used when a request gives none (as `--passphrase-file`). */
  passphraseFile?: string;
  /** Told after every committed restore: reload cached agent credentials, deployment models... */
  onRestored?: (result: RestoreManagerSnapshotResult) => Promise<void> | void;
  /** Prefix of the REST routes. @default '/api/v2' */
  prefix?: string;
  /** scrypt cost override (tests). */
  scrypt?: Partial<ScryptParams>;
  /** Rows from which a restore reads the archive in a worker thread (tests). @default 250000 */
  restoreReadInWorkerFromRows?: number;
}

const plugin: FastifyPluginAsync<SnapshotsPluginOptions> = async (app: FastifyInstance, options) => {
  let storage = options.storage ?? rawStorageOf(options.services.ctx.store);
  let own: StoragePort | undefined;
  if (storage === undefined) {
    if (/^(sqlite:)?:memory:$/.test(options.config.storageUrl)) {
      throw new UnexpectedError(
        'snapshot_wiring_error',
        'Snapshots need the storage adapter behind the manager store for an in-memory database: open the store with storeWithStorage(storage) or pass `storage`',
      );
    }
    own = await openStorage({ url: options.config.storageUrl });
    storage = own;
  }
  const passphrase = options.passphraseFile === undefined ? undefined : await readPassphrase(options.passphraseFile, {});
  const service = new SnapshotService({
    ctx: options.services.ctx,
    storage,
    dataDir: options.config.dataDir,
    managerVersion: options.version,
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(options.onRestored ? { onRestored: options.onRestored } : {}),
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    ...(options.restoreReadInWorkerFromRows === undefined ? {} : { restoreReadInWorkerFromRows: options.restoreReadInWorkerFromRows }),
  });
  await service.reconcile();
  app.decorate('snapshots', service);
  installRestoreGuard(app, () => service.restoring);
  await app.register((api, _opts, done) => {
    snapshotRoutes(api, service);
    done();
  }, { prefix: options.prefix ?? '/api/v2' });
  app.addHook('onClose', async () => {
    await service.close();
    await own?.close();
  });
};

// Not encapsulated (what fastify-plugin does): the guard hook and decorator reach every route.
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** The snapshots plugin; see the file comment for the wiring line. */
export const snapshotsPlugin = plugin;
