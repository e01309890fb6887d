/**
 * Snapshot archive format: write, read, verify, encrypt. See docs/snapshots-format.md.
 * The format knows nothing of tables: an archive holds named entries.
 */
export { createSnapshotArchive } from './writer.js';
export { useNativeZipCrc32 } from './zip-crc.js';
export type { CreateSnapshotOptions, CreateSnapshotResult, SnapshotEncryptionOptions, SnapshotEntryInput, SnapshotEntrySource } from './writer.js';
export { openSnapshotArchive } from './open-archive.js';
export type { OpenSnapshotOptions } from './open-archive.js';
export { SnapshotArchive } from './reader.js';
export type { SnapshotEntryInfo, SnapshotSummary } from './reader.js';
export type { VerifyResult } from './verify.js';
export { DEFAULT_LIMITS, type SnapshotLimits } from './limits.js';
export { BUILTIN_MIGRATIONS, type MetadataMigration } from './migrations.js';
export { SNAPSHOT_FORMAT_VERSION, type SnapshotMetadataInput, type MetadataDocument, type ManifestDocument, type ManifestEntry } from './format.js';
export { METADATA_ENTRY, MANIFEST_ENTRY, unsafeNameReason } from './entry-names.js';
export { DEFAULT_SCRYPT, type ScryptParams } from './crypto.js';
export { isSnapshotError, type SnapshotErrorCode } from './errors.js';
export { readPassphrase, PASSPHRASE_ENV } from './passphrase.js';
export { storageExportEntries, storageImportItems, storageImportLines, storageTableEntry, STORAGE_EXPORT_ENTRY } from './storage-entries.js';
export { createManagerSnapshot, type CreateManagerSnapshotOptions, type SnapshotProgress } from './create-manager-snapshot.js';
export { restoreManagerSnapshot, restoreInterruptedError, type RestoreManagerSnapshotOptions, type RestoreManagerSnapshotResult } from './restore-manager-snapshot.js';
export { recoverBlueprintSwap, RESTORE_JOURNAL_KEY } from './blueprint-swap.js';
export { BLUEPRINT_ENTRY_PREFIX } from './blueprint-entries.js';
export type { SnapshotRestoreErrorCode } from './restore-errors.js';
export { dirtyManager } from './restore-errors.js';
