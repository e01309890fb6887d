/** After a crash: executions that never reached an end state are marked failed. */
import { isEndStatus, type ExecutionRecord } from '../../engine/index.js';
import type { LocalExecutionStoreAdapter } from './execution-store.js';

/** The message an interrupted execution is failed with. */
export const interruptedMessage =
  'Interrupted: the command running this execution stopped before it ended';

/** Fails every execution not in an end state (call with the state's lock held). Returns them. */
export async function failUnfinishedExecutions(
  executions: LocalExecutionStoreAdapter,
): Promise<ExecutionRecord[]> {
  const changed: ExecutionRecord[] = [];
  for (const record of executions.list()) {
    if (isEndStatus(record.status)) continue;
    changed.push(await executions.setExecutionStatus(record.id, 'failed', interruptedMessage));
  }
  return changed;
}
