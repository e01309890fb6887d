/**
 * Streams an execution's events while it runs (polling `GET /events` by offset and
 * `GET /executions/{id}`), until it ends, times out or the signal aborts.
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

/** Fetches events from `offset` on; returns the new offset. */
async function drainEvents(client: RestClient, executionId: string, offset: number, options: FollowOptions): Promise<number> {
  for (;;) {
    const page = await client.events.list({ executionId, includeLogs: options.includeLogs }, { offset, size: pageSize });
    for (const event of page.items) options.onEvent(event);
    offset += page.items.length;
    if (page.items.length < pageSize) return offset;
  }
}

export async function followExecution(client: RestClient, executionId: string, options: FollowOptions): Promise<FollowResult> {
  const pollMs = options.pollMs ?? 500;
  const deadline = options.timeoutSeconds ? Date.now() + options.timeoutSeconds * 1000 : Infinity;
  let offset = 0;
  for (;;) {
    const execution = await client.executions.get(executionId);
    offset = await drainEvents(client, executionId, offset, options);
    if (executionEndStates.includes(execution.status)) {
      // Events written just before the status changed.
      offset = await drainEvents(client, executionId, offset, options);
      return { execution, timedOut: false, events: offset };
    }
    if (Date.now() >= deadline) return { execution, timedOut: true, events: offset };
    if (options.signal?.aborted) return { execution, timedOut: false, events: offset };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
