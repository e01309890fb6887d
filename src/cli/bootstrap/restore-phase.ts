/**
 * The last part of `cfy recover`: upload the snapshot as `restored-snapshot` (replacing a leftover
 * of a failed attempt), restore it with deployment environments, wait, and delete it. A restore
 * that does not end `terminated` is an error carrying the restore's own error (3.3 printed success).
 */
import { ManagerRequestError, executionEndStates, type Execution, type RestClient } from '../../client/index.js';
import { UserError } from '../../core/index.js';
import type { Output } from '../output.js';

/** The snapshot id recover uploads the archive as. */
export const restoredSnapshotId = 'restored-snapshot';

/** The REST calls this phase makes (a RestClient satisfies it; tests pass a fake). */
export interface RestorePhaseClient {
  snapshots: Pick<RestClient['snapshots'], 'get' | 'delete' | 'upload' | 'restore'>;
  executions: Pick<RestClient['executions'], 'get'>;
}

/** Options of {@link uploadAndRestore}. */
export interface RestorePhaseOptions {
  snapshotPath: string;
  managerIp: string;
  passphrase?: string | undefined;
  /** @default 100 */
  pollMs?: number;
  /** Called once the archive is uploaded (recover times its phases with it). */
  onUploaded?: () => void;
}

async function waitForEnd(client: RestorePhaseClient, id: string, pollMs: number): Promise<Execution> {
  for (;;) {
    const execution = await client.executions.get(id);
    if (executionEndStates.includes(execution.status)) return execution;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Uploads (replacing a leftover), restores, waits, deletes. Throws `restore_failed` on a failed restore. */
export async function uploadAndRestore(client: RestorePhaseClient, output: Output, options: RestorePhaseOptions): Promise<void> {
  try {
    await client.snapshots.get(restoredSnapshotId);
    output.info(`Deleting the leftover snapshot '${restoredSnapshotId}' of an earlier attempt`);
    await client.snapshots.delete(restoredSnapshotId);
  } catch (error) {
    if (!(error instanceof ManagerRequestError && error.status === 404)) throw error;
  }
  output.info(`Uploading snapshot '${options.snapshotPath}' to management server ${options.managerIp} as ${restoredSnapshotId}`);
  await client.snapshots.upload(restoredSnapshotId, options.snapshotPath);
  options.onUploaded?.();

  output.info(`Restoring snapshot '${restoredSnapshotId}'...`);
  const execution = await client.snapshots.restore(restoredSnapshotId, {
    recreateDeploymentsEnvs: true,
    force: false,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  const done = await waitForEnd(client, execution.id, options.pollMs ?? 100);
  if (done.status !== 'terminated') {
    const unexpected = done.status === 'failed' ? '' : `, Unexpected snapshot status: ${done.status}`;
    throw new UserError('restore_failed', `Failed to restore snapshot ${restoredSnapshotId}${unexpected}: ${done.error}`, {
      details: { executionId: done.id, status: done.status },
      hints: [`The snapshot stays on the manager as '${restoredSnapshotId}'; running 'cfy recover' again replaces it`],
    });
  }
  output.info(`Successfully restored snapshot ${restoredSnapshotId}`);
  await client.snapshots.delete(restoredSnapshotId);
}
