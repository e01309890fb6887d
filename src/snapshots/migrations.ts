/**
 * Format versions: refuse archives newer than this code, upgrade older ones through a chain of
 * metadata migrations (`from` version -> `from + 1`). Version 1 is the first, so the built-in
 * chain is empty; the hook exists so version 2 can add one line here.
 */
import { snapshotError } from './errors.js';
import { SNAPSHOT_FORMAT_VERSION } from './format.js';

/** Upgrades raw metadata of version `from` to version `from + 1`. */
export type MetadataMigration = (metadata: Record<string, unknown>) => Record<string, unknown>;

/** Built-in migrations, keyed by the version they upgrade from. */
export const BUILTIN_MIGRATIONS: ReadonlyMap<number, MetadataMigration> = new Map();

/** Result of {@link upgradeMetadata}. */
export interface UpgradedMetadata {
  metadata: Record<string, unknown>;
  /** The version the archive was written with. */
  sourceVersion: number;
}

/** Checks `format_version` and upgrades older metadata to the current version. */
export function upgradeMetadata(raw: unknown, migrations: ReadonlyMap<number, MetadataMigration> = BUILTIN_MIGRATIONS): UpgradedMetadata {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw snapshotError('snapshot_metadata_error', "Snapshot entry 'metadata.json' is not a JSON object", { entry: 'metadata.json' });
  }
  const version = (raw as Record<string, unknown>).format_version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw snapshotError('snapshot_metadata_error', "Snapshot entry 'metadata.json' has no valid format_version", { entry: 'metadata.json' });
  }
  refuseNewer(version);
  let metadata = { ...(raw as Record<string, unknown>) };
  for (let from = version; from < SNAPSHOT_FORMAT_VERSION; from++) {
    const migrate = migrations.get(from);
    if (migrate === undefined) {
      throw snapshotError('snapshot_version_error', `No migration from snapshot format version ${from} to ${from + 1}`, { formatVersion: version, supported: SNAPSHOT_FORMAT_VERSION });
    }
    metadata = { ...migrate(metadata), format_version: from + 1 };
  }
  return { metadata, sourceVersion: version };
}

/** Throws `snapshot_version_error` when `version` is newer than this code reads. */
export function refuseNewer(version: unknown): void {
  if (typeof version === 'number' && version > SNAPSHOT_FORMAT_VERSION) {
    throw snapshotError(
      'snapshot_version_error',
      `Cannot read a snapshot of format version ${version}: this manager reads format version ${SNAPSHOT_FORMAT_VERSION} and older`,
      { formatVersion: version, supported: SNAPSHOT_FORMAT_VERSION },
      { hints: ['Upgrade this manager to the version that created the snapshot, or newer'] },
    );
  }
}
