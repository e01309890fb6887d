/**
 * Storage errors: the codes this folder raises (see docs/errors/storage.md) and the one
 * place that maps driver errors (by their `code` field, never by message text) to them.
 */
import { conflict, OperationalError, UserError } from '../core/index.js';

/** A duplicate key, foreign-key or other driver error, classified by the driver's code. */
export type DbErrorKind = 'duplicate' | 'foreign_key' | 'busy' | 'connection' | 'other';

const sqliteKinds: Record<string, DbErrorKind> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'duplicate',
  SQLITE_CONSTRAINT_UNIQUE: 'duplicate',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
};

const pgKinds: Record<string, DbErrorKind> = {
  '23505': 'duplicate',
  '23503': 'foreign_key',
  '40001': 'busy',
  '40P01': 'busy',
  '57P01': 'connection',
  '08006': 'connection',
  '08001': 'connection',
  ECONNREFUSED: 'connection',
  ECONNRESET: 'connection',
  ENOTFOUND: 'connection',
};

/** Classifies a driver error by its `code`. */
export function dbErrorKind(error: unknown): DbErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'other';
  return sqliteKinds[code] ?? pgKinds[code] ?? 'other';
}

/**
 * Maps a driver error raised while writing `resource` `id` to a Rekindle error; returns the
 * original error when it is none of the known kinds. `onForeignKey` picks the message for a
 * foreign-key failure (insert of an orphan vs delete of a parent).
 */
export function mapWriteError(error: unknown, resource: string, id: string, onForeignKey: 'insert' | 'delete'): unknown {
  switch (dbErrorKind(error)) {
    case 'duplicate':
      return Object.assign(conflict(resource, id), { cause: error });
    case 'foreign_key':
      return onForeignKey === 'delete'
        ? new UserError('dependent_exists_error', `${resource} ${id} cannot be deleted: other records still refer to it`, {
            details: { resource, id },
            hints: ['Delete the records that depend on it first (e.g. the deployments of a blueprint).'],
            cause: error,
          })
        : new UserError('storage_reference_error', `${resource} ${id} refers to a record that does not exist`, {
            httpStatus: 404,
            details: { resource, id },
            hints: ['Create the parent record first (e.g. the blueprint before its deployment).'],
            cause: error,
          });
    case 'busy':
      return new OperationalError('storage_busy', `The database is busy; ${resource} ${id} was not written`, {
        details: { resource, id },
        hints: ['Try again; another process may hold a long write transaction.'],
        cause: error,
      });
    case 'connection':
      return storageUnavailable(error);
    default:
      return error;
  }
}

/** The database cannot be reached. */
export function storageUnavailable(cause: unknown): OperationalError {
  return new OperationalError('storage_unavailable', 'The database is unreachable', {
    cause,
    hints: ['Check that the database server runs and the storage URL (host, port, credentials) is right.'],
  });
}

/** 409 for an optimistic-concurrency failure. */
export function versionConflict(resource: string, id: string, expected: number, actual: number): UserError {
  return new UserError(
    'conflict_error',
    `${resource} ${id} was modified concurrently: expected version ${expected}, stored version ${actual}`,
    {
      httpStatus: 409,
      details: { resource, id, expectedVersion: expected, storedVersion: actual },
      hints: ['Read the record again and retry the update with its current version.'],
    },
  );
}

/** 400 for a list query naming a field it may not use. */
export function badListQuery(message: string, details: Record<string, unknown>): UserError {
  return new UserError('bad_parameters_error', message, { details });
}

/** A malformed or incompatible export stream given to importAll. */
export function invalidExport(message: string, details: Record<string, unknown> = {}): UserError {
  return new UserError('storage_export_invalid', `Cannot import storage data: ${message}`, {
    details,
    hints: ['Import only data written by exportAll of a Rekindle manager with the same schema version.'],
  });
}
