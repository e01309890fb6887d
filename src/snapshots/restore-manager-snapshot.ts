/**
 * `restoreManagerSnapshot`: checks, verifies, then applies a manager snapshot atomically.
 *
 * 1. Clean-manager check (blueprints present -> refuse unless `force`; forced -> refuse id
 *    conflicts). 2. Open (passphrase, limits, format version + migrations), storage schema check,
 *    `verify()` every byte. Nothing has been touched so far. 3. Stage blueprint files beside the
 *    live folder. 4. One bulk storage transaction: importAll (replace, or merge when forced;
 *    large archives read and parsed in a worker thread, worker-import.ts), active executions
 *    turned `failed`, the caller's own rows re-inserted, a swap journal row.
 *    5. After the commit, the staged folder replaces (or joins) the live one; the journal row goes.
 *    Any failure before the commit removes the staging folder: the manager is exactly as before.
 */
import { rm } from 'node:fs/promises';
import type { ExecutionRecord, StoragePort } from '../storage/index.js';
import { currentSchemaVersion } from '../storage/index.js';
import { BLUEPRINT_ENTRY_PREFIX } from './blueprint-entries.js';
import {
  RESTORE_JOURNAL_KEY,
  applyBlueprintSwap,
  newStagingDir,
  type BlueprintSwapJournal,
} from './blueprint-swap.js';
import type { SnapshotProgress } from './create-manager-snapshot.js';
import type { SnapshotLimits } from './limits.js';
import type { MetadataMigration } from './migrations.js';
import { openSnapshotArchive } from './open-archive.js';
import type { SnapshotArchive, SnapshotSummary } from './reader.js';
import { dirtyManager, idConflicts, schemaMismatch } from './restore-errors.js';
import { archiveImportItems, restoreInterruptedError } from './import-items.js';
import { storageTableEntry } from './storage-entries.js';
import { ArchiveReaderThread } from './worker-import.js';

export { restoreInterruptedError };

/**
 * Rows from which a restore reads the archive in a worker thread. Below, the worker's start-up
 * (~1 s of module loading through tsx, partly hidden behind verification) costs more than it
 * saves: measured equal at 220,000 rows, 25% faster at 1.1M.
 */
const READ_IN_WORKER_ROWS = 250_000;

export interface RestoreManagerSnapshotOptions {
  storage: StoragePort;
  archivePath: string;
  /** `<data>/blueprints`. */
  blueprintsDir: string;
  passphrase?: string;
  /** This manager's version, for messages. */
  managerVersion?: string;
  /** Restore into a manager that has blueprints (merge; id conflicts still refused). @default false */
  force?: boolean;
  /** The restore execution itself: kept (re-inserted after a replace import). */
  keepExecution?: ExecutionRecord;
  progress?: SnapshotProgress;
  limits?: Partial<SnapshotLimits>;
  migrations?: ReadonlyMap<number, MetadataMigration>;
  now?: () => Date;
  /**
   * From this many rows (the archive's counts) the archive is read and parsed in a worker thread
   * while this thread writes (worker-import.ts); 0 always, Infinity never.
   * @default 250000
   */
  readInWorkerFromRows?: number;
}

export interface RestoreManagerSnapshotResult {
  summary: SnapshotSummary;
  /** Rows imported per table. */
  counts: Record<string, number>;
  /** Executions active in the snapshot, now `failed`. */
  interruptedExecutions: string[];
  mode: 'replace' | 'merge';
}

async function idsOf(archive: SnapshotArchive, table: string): Promise<string[]> {
  const ids: string[] = [];
  if (!archive.has(storageTableEntry(table))) return ids;
  for await (const line of archive.readLines(storageTableEntry(table)))
    ids.push(String((JSON.parse(line) as { id: unknown }).id));
  return ids;
}

async function allIds(
  list: (q: {
    offset: number;
    size: number;
  }) => Promise<{ items: { id: string }[]; total: number }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 10_000) {
    const page = await list({ offset, size: 10_000 });
    ids.push(...page.items.map((r) => r.id));
    if (page.items.length < 10_000) return ids;
  }
}

/** Rows the archive's metadata counts, all tables together. */
function totalRows(summary: SnapshotSummary): number {
  return Object.values(summary.counts).reduce((sum, n) => sum + n, 0);
}

/** Restores the snapshot at `archivePath` into `storage` + `blueprintsDir`; all or nothing. */
export async function restoreManagerSnapshot(
  options: RestoreManagerSnapshotOptions,
): Promise<RestoreManagerSnapshotResult> {
  const { storage } = options;
  const progress = options.progress ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const existingBlueprints = await allIds((q) => storage.blueprints.list(q));
  const dirty = existingBlueprints.length > 0;
  if (dirty && options.force !== true) throw dirtyManager(existingBlueprints);
  if (dirty) progress('Forcing snapshot restoration on a dirty manager.', 'warning');

  const archive = await openSnapshotArchive(options.archivePath, {
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.migrations ? { migrations: options.migrations } : {}),
  });
  let staging: string | undefined;
  let reader: ArchiveReaderThread | undefined;
  const mode = dirty ? 'merge' : 'replace';
  const at = now().toISOString();
  try {
    const summary = archive.summary();
    progress(
      `Manager version = ${options.managerVersion ?? 'unknown'}, snapshot version = ${summary.managerVersion}`,
    );
    const mine = await storage.schemaVersion();
    if (summary.storageSchemaVersion !== mine || mine !== currentSchemaVersion) {
      throw schemaMismatch(
        summary.storageSchemaVersion,
        mine,
        summary.managerVersion,
        options.managerVersion ?? 'this manager',
      );
    }
    // Started now, the reader thread loads its modules while the archive is verified; it reads
    // nothing before the import asks.
    if (totalRows(summary) >= (options.readInWorkerFromRows ?? READ_IN_WORKER_ROWS)) reader = new ArchiveReaderThread(archive, { at, mode });
    progress('Verifying snapshot archive');
    await archive.verify();
    if (dirty) {
      // Executions keep their ids too: system-wide ones (earlier snapshots) exist on both sides
      // when a manager is rolled back to its own snapshot.
      const conflicting = async (table: string, existing: Iterable<string>): Promise<string[]> => {
        const ids = new Set(existing);
        return (await idsOf(archive, table)).filter((id) => ids.has(id));
      };
      const blueprints = await conflicting('blueprints', existingBlueprints);
      const deployments = await conflicting('deployments', await allIds((q) => storage.deployments.list(q)));
      const executions = await conflicting('executions', await allIds((q) => storage.executions.list(q)));
      if (blueprints.length > 0 || deployments.length > 0 || executions.length > 0)
        throw idConflicts(blueprints, deployments, executions);
    }
    progress(`Starting restoring snapshot of manager ${summary.managerVersion}`);
    progress('Restoring blueprint files');
    staging = await newStagingDir(options.blueprintsDir);
    await archive.extractTo(BLUEPRINT_ENTRY_PREFIX, staging);
    progress('Restoring storage data');
    const interrupted: string[] = [];
    const journal: BlueprintSwapJournal = { live: options.blueprintsDir, staging, mode };
    const counts = await storage.transaction(async (tx) => {
      const items = reader ? reader.items(interrupted) : archiveImportItems(archive, { at, interrupted });
      const imported = await tx.importAll(items, { mode });
      if (options.keepExecution && (await tx.executions.find(options.keepExecution.id)) === null)
        await tx.executions.create(options.keepExecution);
      await tx.managerState.set(RESTORE_JOURNAL_KEY, journal);
      return imported;
    }, { bulk: true });
    // Committed: from here the swap is rolled forward, now or (if this fails) at the next start.
    staging = undefined;
    await applyBlueprintSwap(journal);
    await storage.managerState.delete(RESTORE_JOURNAL_KEY);
    if (interrupted.length > 0)
      progress(
        `Marked ${interrupted.length} execution(s) active in the snapshot as failed: ${restoreInterruptedError}`,
        'warning',
      );
    progress(`Successfully restored snapshot of manager ${summary.managerVersion}`);
    return { summary, counts, interruptedExecutions: interrupted, mode };
  } finally {
    await reader?.stop();
    archive.close();
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
  }
}
