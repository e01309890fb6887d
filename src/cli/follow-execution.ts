/**
 * Streams an execution's events while it runs (polling `GET /events` after a cursor, the
 * `_after_seq` extension, and `GET /executions/{id}`), until it ends, times out or the signal
 * aborts. Each poll reads only new events, however many the execution already has.
 */
import { executionEndStates, type Event, type Execution, type RestClient } from '../client/index.js';

export interface FollowOptions {
  includeLogs: boolean;
  onEvent: (event: Event) => void;
  /** Seconds; 0 = no timeout. */
  timeoutSeconds?: number;
  /** @default 500 */
  pollMs?: number;
  signal?: AbortSignal;
}

export type FollowResult = { execution: Execution; timedOut: boolean; events: number };

const pageSize = 100;

interface Cursor {
  /** `metadata.last_seq` of the last page read (0: none yet). */
  seq: number;
  /** Events printed so far. */
  count: number;
}

/** Fetches the events after `cursor`, printing them; returns the advanced cursor. */
async function drainEvents(client: RestClient, executionId: string, cursor: Cursor, options: FollowOptions): Promise<Cursor> {
  let { seq, count } = cursor;
  for (;;) {
    const page = await client.events.list({ executionId, includeLogs: options.includeLogs, afterSeq: seq }, { size: pageSize });
    for (const event of page.items) options.onEvent(event);
    count += page.items.length;
    seq = page.metadata.last_seq ?? seq;
    if (page.items.length < pageSize) return { seq, count };
  }
}

export async function followExecution(client: RestClient, executionId: string, options: FollowOptions): Promise<FollowResult> {
  const pollMs = options.pollMs ?? 500;
  const deadline = options.timeoutSeconds ? Date.now() + options.timeoutSeconds * 1000 : Infinity;
  let cursor: Cursor = { seq: 0, count: 0 };
  for (;;) {
    const execution = await client.executions.get(executionId);
    cursor = await drainEvents(client, executionId, cursor, options);
    if (executionEndStates.includes(execution.status)) {
      // Events written just before the status changed.
      cursor = await drainEvents(client, executionId, cursor, options);
      return { execution, timedOut: false, events: cursor.count };
    }
    if (Date.now() >= deadline) return { execution, timedOut: true, events: cursor.count };
    if (options.signal?.aborted) return { execution, timedOut: false, events: cursor.count };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
