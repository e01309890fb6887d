/**
 * The snapshot archive's error codes, one constructor each. Every one is a {@link UserError}:
 * a bad, damaged, hostile or foreign archive, or a wrong passphrase. See docs/errors/snapshots.md.
 */
import { UserError, type ErrorDetails } from '../core/index.js';

/** Every stable code this folder raises. */
export type SnapshotErrorCode =
  | 'snapshot_corrupt_error'
  | 'snapshot_truncated_error'
  | 'snapshot_unsafe_path_error'
  | 'snapshot_symlink_error'
  | 'snapshot_duplicate_entry_error'
  | 'snapshot_limit_error'
  | 'snapshot_hash_mismatch_error'
  | 'snapshot_missing_entry_error'
  | 'snapshot_unlisted_entry_error'
  | 'snapshot_metadata_error'
  | 'snapshot_version_error'
  | 'snapshot_decryption_error'
  | 'snapshot_passphrase_required_error'
  | 'snapshot_entry_name_error'
  | 'snapshot_not_found_error';

/** A snapshot error: a {@link UserError} whose code is one of {@link SnapshotErrorCode}. */
export function snapshotError(
  code: SnapshotErrorCode,
  message: string,
  details: ErrorDetails = {},
  options: { cause?: unknown; hints?: readonly string[] } = {},
): UserError {
  return new UserError(code, message, { details, ...options });
}

/** True when `error` is a snapshot error with `code`. */
export function isSnapshotError(error: unknown, code?: SnapshotErrorCode): error is UserError {
  return error instanceof UserError && error.code.startsWith('snapshot_') && (code === undefined || error.code === code);
}

export const hashMismatch = (entry: string, expected: string, actual: string): UserError =>
  snapshotError(
    'snapshot_hash_mismatch_error',
    `Snapshot entry '${entry}' is damaged: its SHA-256 does not match the manifest`,
    { entry, expected, actual },
    { hints: ['The archive was corrupted in storage or in transit; use another copy of the snapshot'] },
  );

export const corruptEntry = (entry: string, reason: string, cause?: unknown): UserError =>
  snapshotError('snapshot_corrupt_error', `Snapshot entry '${entry}' is damaged: ${reason}`, { entry, reason }, { cause });

export const limitExceeded = (limit: string, value: number, max: number, entry?: string): UserError =>
  snapshotError(
    'snapshot_limit_error',
    `Snapshot archive exceeds the ${limit} limit${entry === undefined ? '' : ` in entry '${entry}'`} (${value} > ${max}); refusing it as a possible zip bomb`,
    { limit, value, max, ...(entry === undefined ? {} : { entry }) },
    { hints: ['If the archive is genuine, raise the matching limit in the reader options'] },
  );
