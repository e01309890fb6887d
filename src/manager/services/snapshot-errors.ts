/** REST error codes of the snapshot endpoints (besides the archive's own `snapshot_*` codes). */
import { UserError, type ErrorDetails } from '../../core/index.js';

/** 503: a snapshot restore is running; mutating requests wait until it ends. */
export const restoreInProgress = (details: ErrorDetails = {}): UserError =>
  new UserError('restore_in_progress_error', 'A snapshot restore is in progress; the manager accepts no changes until it ends', {
    httpStatus: 503,
    details,
    hints: ['Retry when the restore_snapshot execution has ended (cfy executions list --include-system-workflows)'],
  });

/** 400: the snapshot's state does not allow the action (failed or still being created). */
export const snapshotState = (message: string, details: ErrorDetails): UserError =>
  new UserError('snapshot_state_error', message, { httpStatus: 400, details, hints: ['List snapshots (cfy snapshots list) to see their states'] });
