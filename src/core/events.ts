/**
 * The event and log documents Rekindle records, in Cloudify 3.3's shape (REST `GET /events`
 * returns them as they are). Events describe what a workflow did; logs are what operations said.
 */

/** Event types, as in Cloudify 3.3. */
export type EventType =
  | 'workflow_started'
  | 'workflow_succeeded'
  | 'workflow_failed'
  | 'workflow_cancelled'
  | 'workflow_stage'
  | 'workflow_node_event'
  | 'sending_task'
  | 'task_started'
  | 'task_succeeded'
  | 'task_rescheduled'
  | 'task_failed';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/** Where an event comes from. Keys follow Cloudify's `context` object. */
export interface EventContext {
  blueprint_id?: string | null;
  deployment_id?: string | null;
  execution_id?: string | null;
  workflow_id?: string | null;
  node_id?: string | null;
  node_name?: string | null;
  source_id?: string | null;
  source_name?: string | null;
  target_id?: string | null;
  target_name?: string | null;
  operation?: string | null;
  plugin?: string | null;
  task_id?: string | null;
  task_name?: string | null;
  task_queue?: string | null;
  task_target?: string | null;
  task_current_retries?: number;
  task_total_retries?: number;
  group?: string | null;
  policy?: string | null;
  trigger?: string | null;
}

interface DocumentBase {
  /** Local time `YYYY-MM-DD HH:MM:SS.mmm+ZZZZ` (Cloudify's `timestamp`). */
  timestamp: string;
  /** ISO time with `T` (what the manager stores, like Logstash's `@timestamp`). */
  '@timestamp'?: string;
  context: EventContext;
}

/** A `cloudify_event` document. */
export interface WorkflowEventDocument extends DocumentBase {
  type: 'cloudify_event';
  event_type: EventType;
  message_code: null;
  message: { text: string; arguments: unknown };
}

/** A `cloudify_log` document. */
export interface LogDocument extends DocumentBase {
  type: 'cloudify_log';
  logger: string;
  level: LogLevel;
  message: { text: string };
}

export type EventDocument = WorkflowEventDocument | LogDocument;

/** Formats a Date as Cloudify's local `timestamp` (`YYYY-MM-DD HH:MM:SS.mmm+ZZZZ`). */
export function cloudifyTimestamp(date: Date): string {
  const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(offset / 60))}${pad(offset % 60)}`
  );
}
