/**
 * Error codes of restoring a manager snapshot (beside the archive's own, errors.ts). User errors:
 * the manager or the archive does not allow the restore. See docs/errors/snapshots.md.
 */
import { UserError, type ErrorDetails } from '../core/index.js';

/** Codes raised by createManagerSnapshot / restoreManagerSnapshot. */
export type SnapshotRestoreErrorCode =
  'snapshot_dirty_manager_error' | 'snapshot_conflict_error' | 'snapshot_schema_mismatch_error';

const restoreError = (
  code: SnapshotRestoreErrorCode,
  message: string,
  details: ErrorDetails,
  hints: readonly string[],
): UserError => new UserError(code, message, { details, hints });

/** The manager has blueprints and `force` was not given. */
export const dirtyManager = (blueprints: readonly string[]): UserError =>
  restoreError(
    'snapshot_dirty_manager_error',
    'Snapshot restoration on a dirty manager is not permitted.',
    { blueprints: blueprints.slice(0, 50) },
    [
      'Restore into a manager without blueprints, or pass force (cfy snapshots restore -f) to add the snapshot to this one',
    ],
  );

/**
 * Forced restore whose blueprint, deployment or execution ids exist on the manager. The message
 * is 3.3's; execution ids (which 3.3 did not check, failing later) are appended when there are any.
 */
export const idConflicts = (
  blueprints: readonly string[],
  deployments: readonly string[],
  executions: readonly string[] = [],
): UserError =>
  restoreError(
    'snapshot_conflict_error',
    `There are blueprints/deployments names conflicts in manager and restored data: blueprints [${blueprints.join(', ')}], deployments [${deployments.join(', ')}]` +
      (executions.length > 0
        ? `, executions [${executions.slice(0, 20).join(', ')}${executions.length > 20 ? `, ... (${executions.length} in all)` : ''}]`
        : ''),
    {
      blueprints: [...blueprints],
      deployments: [...deployments],
      executions: executions.slice(0, 200),
    },
    [
      executions.length > 0
        ? 'Restore into an empty manager (a new --data-dir): executions cannot be deleted, so a manager that shares them with the snapshot cannot take it with force'
        : 'Delete the conflicting blueprints and deployments from this manager first, or restore into an empty manager',
    ],
  );

/** The archive's storage schema differs from this manager's. */
export const schemaMismatch = (
  snapshot: number,
  manager: number,
  snapshotVersion: string,
  managerVersion: string,
): UserError =>
  snapshot > manager
    ? restoreError(
        'snapshot_schema_mismatch_error',
        `Cannot restore a newer manager's snapshot on this manager [${snapshotVersion} > ${managerVersion}] (storage schema ${snapshot} > ${manager})`,
        { snapshotSchema: snapshot, managerSchema: manager },
        ['Upgrade this manager to the version that wrote the snapshot'],
      )
    : restoreError(
        'snapshot_schema_mismatch_error',
        `Snapshot storage schema ${snapshot} is older than this manager's ${manager} and no migration exists for it`,
        { snapshotSchema: snapshot, managerSchema: manager },
        [
          'Restore it on a manager of the version that wrote it, then take a new snapshot after upgrading',
        ],
      );
