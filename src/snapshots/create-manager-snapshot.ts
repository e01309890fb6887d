/**
 * `createManagerSnapshot`: one manager snapshot archive = the storage export (one consistent read
 * transaction, writers keep going) + the blueprint files of the exported blueprints. Streams to
 * a temp file beside the target and renames it (the format's writer), so memory stays bounded
 * and no half archive ever carries the target name.
 */
import type { StoragePort } from '../storage/index.js';
import { blueprintFileEntries } from './blueprint-entries.js';
import type { ScryptParams } from './crypto.js';
import { filterManagerExport } from './export-filter.js';
import { storageExportEntries } from './storage-entries.js';
import { createSnapshotArchive, type CreateSnapshotResult, type SnapshotEntryInput } from './writer.js';

/** Progress messages of a snapshot workflow (they become the execution's events). */
export type SnapshotProgress = (message: string, level?: 'info' | 'warning') => void;

export interface CreateManagerSnapshotOptions {
  storage: StoragePort;
  /** `<data>/blueprints`: extracted blueprint folders and uploaded archives. */
  blueprintsDir: string;
  /** Where the archive goes (`<data>/snapshots/<id>/<id>.zip`); its folder must exist. */
  targetPath: string;
  managerVersion: string;
  /** Encrypts every entry when given (non-empty). */
  passphrase?: string;
  /** Keep agent credential hashes. @default true */
  includeCredentials?: boolean;
  /** The create execution, left out of the archive. */
  excludeExecutionId?: string;
  progress?: SnapshotProgress;
  signal?: AbortSignal;
  /** scrypt cost override (tests). */
  scrypt?: Partial<ScryptParams>;
  /**
   * zlib level of the entries. Level 1 writes ~15-25% faster than 6 for ~35% more bytes; the
   * export, not compression, dominates either way. @default 1
   */
  compressionLevel?: number;
}

/** Writes the manager snapshot; on error nothing is left at (or beside) `targetPath`. */
export async function createManagerSnapshot(options: CreateManagerSnapshotOptions): Promise<CreateSnapshotResult> {
  const progress = options.progress ?? (() => undefined);
  const blueprintIds: string[] = [];
  const includeCredentials = options.includeCredentials ?? true;
  async function* entries(): AsyncGenerator<SnapshotEntryInput> {
    progress('Dumping storage data');
    // NDJSON pages built by storage, the create execution left out there (decisions/snapshots-fast-export.md).
    const exclude = options.excludeExecutionId === undefined ? {} : { excludeExecutionId: options.excludeExecutionId };
    const items = filterManagerExport(options.storage.exportAll({ encoding: 'ndjson', ...exclude }), {
      includeCredentials,
      onBlueprint: (id) => blueprintIds.push(id),
      ...exclude,
    });
    yield* storageExportEntries(items);
    progress('Copying blueprint files');
    yield* blueprintFileEntries(options.blueprintsDir, blueprintIds, (id) =>
      progress(`Blueprint '${id}' has no files (deleted after the storage dump?); its files are not in the snapshot`, 'warning'),
    );
    progress('Creating snapshot archive');
  }
  const result = await createSnapshotArchive(options.targetPath, {
    metadata: {
      managerVersion: options.managerVersion,
      storageSchemaVersion: await options.storage.schemaVersion(),
      includesCredentials: includeCredentials,
    },
    entries: entries(),
    compressionLevel: options.compressionLevel ?? 1,
    ...(options.passphrase === undefined ? {} : { encryption: { passphrase: options.passphrase, ...(options.scrypt ? { scrypt: options.scrypt } : {}) } }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  progress(`Snapshot archive written (${result.size} bytes)`);
  return result;
}
