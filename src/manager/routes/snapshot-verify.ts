/**
 * `POST /snapshots/{id}/verify` (Rekindle extension): the offline check `cfy snapshots verify`
 * runs (every entry's SHA-256 and size against the manifest, line counts, decryption when the
 * passphrase is given), on the archive the manager stores, answered as a summary.
 */
import { isSnapshotError, openSnapshotArchive } from '../../snapshots/index.js';

/** What a verification found; `ok: false` names the first problem (and its entry when it has one). */
export type SnapshotVerifyView =
  | {
      id: string;
      ok: true;
      checked_entries: number;
      stored_bytes: number;
      /** False for an encrypted snapshot verified without its passphrase (hashes checked, contents not decrypted). */
      contents_authenticated: boolean;
      format_version: number;
      source_format_version: number;
      manager_version: string;
      storage_schema_version: number;
      created_at: string;
      encrypted: boolean;
      includes_credentials: boolean;
      size: number;
      counts: Readonly<Record<string, number>>;
    }
  | { id: string; ok: false; error_code: string; message: string; entry: string | null; hints: readonly string[] };

/**
 * Verifies the archive at `path`. A damaged, foreign or undecryptable archive is a result
 * (`ok: false`), not a thrown error; anything else (I/O trouble, a bug) is thrown.
 */
export async function verifyStoredSnapshot(id: string, path: string, passphrase: string | undefined): Promise<SnapshotVerifyView> {
  try {
    const archive = await openSnapshotArchive(path, passphrase === undefined ? {} : { passphrase });
    try {
      const result = await archive.verify();
      const summary = archive.summary();
      return {
        id,
        ok: true,
        checked_entries: result.entries,
        stored_bytes: result.storedBytes,
        contents_authenticated: !summary.encrypted || result.decrypted,
        format_version: summary.formatVersion,
        source_format_version: summary.sourceFormatVersion,
        manager_version: summary.managerVersion,
        storage_schema_version: summary.storageSchemaVersion,
        created_at: summary.createdAt,
        encrypted: summary.encrypted,
        includes_credentials: summary.includesCredentials,
        size: summary.size,
        counts: summary.counts,
      };
    } finally {
      archive.close();
    }
  } catch (error) {
    if (!isSnapshotError(error)) throw error;
    const entry = error.details.entry;
    return { id, ok: false, error_code: error.code, message: error.message, entry: typeof entry === 'string' ? entry : null, hints: error.hints };
  }
}
