/** Events and logs of the system-wide snapshot executions (`create_snapshot`, `restore_snapshot`). */
import { cloudifyTimestamp, type EventDocument, type EventType } from '../../core/index.js';
import type { ExecutionRecord } from '../store/records.js';

/** Where a snapshot workflow's events go. */
export type SnapshotEventSink = (event: EventDocument) => void;

/** Builds the events of one system execution. */
export function systemExecutionEvents(execution: Pick<ExecutionRecord, 'id' | 'workflow_id'>, now: () => Date, sink: SnapshotEventSink) {
  const context = { blueprint_id: null, deployment_id: null, execution_id: execution.id, workflow_id: execution.workflow_id };
  const stamp = (): { timestamp: string; '@timestamp': string } => {
    const at = now();
    return { timestamp: cloudifyTimestamp(at), '@timestamp': at.toISOString() };
  };
  return {
    /** A `cloudify_event` (`workflow_started`, `workflow_stage`, ...). */
    event(type: EventType, text: string): void {
      sink({ type: 'cloudify_event', event_type: type, message_code: null, message: { text, arguments: null }, context, ...stamp() });
    },
    /** A `cloudify_log` line. */
    log(level: 'info' | 'warning' | 'error', text: string): void {
      sink({ type: 'cloudify_log', logger: execution.workflow_id, level, message: { text }, context, ...stamp() });
    },
  };
}
