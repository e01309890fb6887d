/**
 * Runs `host_agent` operations on agents: the {@link OperationDispatcherPort} adapter the
 * manager's engine uses for them. At-least-once towards the agent (the task is re-sent whenever
 * its agent (re)connects and after a manager restart), exactly-once towards the engine (the
 * first result per task id wins; duplicates are ignored).
 */
import { NonRecoverableError, RecoverableError, fromOperationFailure } from '../core/index.js';
import type { EventSinkPort, OperationDispatcherPort, OperationInvocation } from '../engine/ports.js';
import type { AgentTracker, AgentTransition } from './agent-tracker.js';
import { AgentOfflineError } from './errors.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';
import type { AgentChannelPort } from './manager-channel.js';
import { InMemoryPendingJournal } from './pending-journal.js';
import type { PendingTask, PendingTaskJournalPort } from './pending-journal.js';
import type { ResultMessage } from './protocol.js';

/** Options of {@link AgentDispatcher}. */
export interface AgentDispatcherOptions {
  channel: AgentChannelPort;
  tracker: AgentTracker;
  /** The agent serving a host node instance (by default Cloudify names the agent after the host instance id). */
  agentForHost: (hostId: string) => string | Promise<string>;
  /** Where pending tasks survive a manager restart. @default in memory */
  journal?: PendingTaskJournalPort;
  /** Receives the logs and events operations emit on agents. */
  events?: EventSinkPort;
  /** How long a task waits for its agent to be online before it fails with `agent_offline`. @default 30000 */
  agentWaitMs?: number;
  logger?: Logger;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Pending {
  task: PendingTask;
  waiters: Set<Waiter>;
  timer: NodeJS.Timeout | undefined;
}

/** How many finished tasks keep their event sink, for logs that arrive after the result. */
const RECENT_SINKS = 1000;

/** Sends operations to agents and matches their results by task id. */
export class AgentDispatcher implements OperationDispatcherPort {
  readonly #options: AgentDispatcherOptions;
  readonly #journal: PendingTaskJournalPort;
  readonly #logger: Logger;
  readonly #pending = new Map<string, Pending>();
  readonly #detach: Array<() => void> = [];
  /** Task id -> the sink of the {@link withEvents} view that ran it (insertion-ordered, bounded). */
  readonly #sinks = new Map<string, EventSinkPort>();

  constructor(options: AgentDispatcherOptions) {
    this.#options = options;
    this.#journal = options.journal ?? new InMemoryPendingJournal();
    this.#logger = options.logger ?? silentLogger();
    this.#detach.push(
      options.channel.addHandlers({
        result: (agent, message) => this.#onResult(agent, message),
        status: () => undefined,
        document: (agent, message) => {
          this.#logger.debug({ agent, taskId: message.taskId }, 'agent document');
          const sink = (message.taskId === null ? undefined : this.#sinks.get(message.taskId)) ?? options.events;
          sink?.emit(message.document);
        },
      }),
      options.tracker.onTransition((transition) => this.#onTransition(transition)),
    );
  }

  /**
   * A view of this dispatcher whose tasks' logs and events go to `events` (e.g. one execution's
   * sink) instead of the `events` option.
   */
  withEvents(events: EventSinkPort): OperationDispatcherPort {
    return {
      run: (invocation, signal) => {
        this.#sinks.delete(invocation.taskId);
        this.#sinks.set(invocation.taskId, events);
        if (this.#sinks.size > RECENT_SINKS) this.#sinks.delete(this.#sinks.keys().next().value!);
        return this.run(invocation, signal);
      },
    };
  }

  /** Sends `invocation` to the agent of its host and resolves with the operation's return value. */
  async run(invocation: OperationInvocation, signal: AbortSignal): Promise<unknown> {
    signal.throwIfAborted();
    const existing = this.#pending.get(invocation.taskId);
    if (existing !== undefined) return this.#await(existing, signal);
    if (invocation.hostId === null) {
      throw new NonRecoverableError(`Operation ${invocation.operation.name} of ${invocation.nodeInstanceId} runs on a host agent but the instance has no host`);
    }
    const agent = await this.#options.agentForHost(invocation.hostId);
    signal.throwIfAborted();
    const raced = this.#pending.get(invocation.taskId);
    if (raced !== undefined) return this.#await(raced, signal);
    const task: PendingTask = { taskId: invocation.taskId, agent, invocation, sentAt: new Date().toISOString(), outcome: null };
    this.#journal.put(task);
    const pending = this.#track(task);
    const promise = this.#await(pending, signal);
    this.#send(task);
    return promise;
  }

  /**
   * Re-awaits a task sent before (typically by a previous manager process; call
   * {@link recover} first). Rejects with a RecoverableError when the task is not pending.
   */
  awaitTask(taskId: string, signal: AbortSignal = new AbortController().signal): Promise<unknown> {
    const pending = this.#pending.get(taskId);
    if (pending === undefined) {
      return Promise.reject(new RecoverableError(`Task ${taskId} is not pending on any agent (its result was already collected, or it was never sent); run it again`));
    }
    return this.#await(pending, signal);
  }

  /** Loads the journal after a restart and re-sends every pending task. Returns how many. */
  recover(): number {
    let count = 0;
    for (const task of this.#journal.list()) {
      if (this.#pending.has(task.taskId)) continue;
      this.#track(task);
      if (task.outcome === null) this.#send(task);
      count += 1;
    }
    this.#logger.info({ count }, 'pending agent tasks recovered');
    return count;
  }

  /** Tasks sent and not yet collected. */
  pending(): Array<{ taskId: string; agent: string; answered: boolean }> {
    return [...this.#pending.values()].map((p) => ({ taskId: p.task.taskId, agent: p.task.agent, answered: p.task.outcome !== null }));
  }

  /** Stops listening. Waiting callers are rejected; the journal keeps the tasks for the next process. */
  close(): void {
    for (const detach of this.#detach.splice(0)) detach();
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      for (const waiter of pending.waiters) waiter.reject(new RecoverableError(`The manager's agent dispatcher closed while task ${pending.task.taskId} was pending`));
    }
    this.#pending.clear();
  }

  #track(task: PendingTask): Pending {
    const pending: Pending = { task, waiters: new Set(), timer: undefined };
    this.#pending.set(task.taskId, pending);
    if (task.outcome === null && this.#options.tracker.get(task.agent)?.state !== 'online') this.#armWait(pending);
    return pending;
  }

  #await(pending: Pending, signal: AbortSignal): Promise<unknown> {
    if (pending.task.outcome !== null) {
      const outcome = pending.task.outcome;
      this.#forget(pending);
      return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(fromOperationFailure(outcome.failure));
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        pending.waiters.delete(waiter);
        reject(abortReason(signal));
        if (pending.waiters.size === 0 && this.#pending.get(pending.task.taskId) === pending) {
          this.#forget(pending);
          this.#cancel(pending.task, 'cancelled by the manager');
        }
      };
      const waiter: Waiter = {
        resolve: (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error: Error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      pending.waiters.add(waiter);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #onResult(agent: string, message: ResultMessage): void {
    const pending = this.#pending.get(message.taskId);
    if (pending === undefined || pending.task.outcome !== null) {
      this.#logger.debug({ agent, taskId: message.taskId }, 'ignored a duplicate or unknown result');
      return;
    }
    if (pending.task.agent !== agent) {
      this.#logger.warn({ agent, expected: pending.task.agent, taskId: message.taskId }, 'ignored a result from the wrong agent');
      return;
    }
    clearTimeout(pending.timer);
    if (pending.waiters.size === 0) {
      pending.task.outcome = message; // nobody awaits it yet (manager restarted): keep it for awaitTask
      this.#journal.put(pending.task);
      return;
    }
    this.#forget(pending);
    for (const waiter of pending.waiters) {
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(fromOperationFailure(message.failure));
    }
  }

  #onTransition(transition: AgentTransition): void {
    const name = transition.agent.name;
    const tasks = [...this.#pending.values()].filter((p) => p.task.agent === name && p.task.outcome === null);
    if (transition.type === 'agent:online') {
      for (const pending of tasks) {
        clearTimeout(pending.timer);
        pending.timer = undefined;
        this.#send(pending.task); // the agent answers a finished task id with its stored result
      }
      return;
    }
    for (const pending of tasks) this.#fail(pending, transition.agent.reason ?? 'connection lost');
  }

  #armWait(pending: Pending): void {
    const waitMs = this.#options.agentWaitMs ?? 30_000;
    pending.timer = setTimeout(() => {
      if (this.#options.tracker.get(pending.task.agent)?.state === 'online') return;
      this.#fail(pending, `not online within ${waitMs} ms`);
    }, waitMs);
  }

  #fail(pending: Pending, why: string): void {
    const error = new AgentOfflineError(pending.task.agent, pending.task.taskId, why);
    this.#logger.warn({ agent: pending.task.agent, taskId: pending.task.taskId, why }, 'task failed: agent offline');
    clearTimeout(pending.timer);
    this.#cancel(pending.task, error.message);
    if (pending.waiters.size === 0) {
      pending.task.outcome = { taskId: pending.task.taskId, ok: false, failure: { kind: 'recoverable', message: error.message } };
      this.#journal.put(pending.task);
      return;
    }
    this.#forget(pending);
    for (const waiter of pending.waiters) waiter.reject(error);
  }

  #forget(pending: Pending): void {
    clearTimeout(pending.timer);
    this.#pending.delete(pending.task.taskId);
    this.#journal.remove(pending.task.taskId);
  }

  #send(task: PendingTask): void {
    this.#options.channel.send(task.agent, { kind: 'task', taskId: task.taskId, invocation: task.invocation }).catch((error: unknown) => {
      this.#logger.warn({ agent: task.agent, taskId: task.taskId, err: error instanceof Error ? error.message : String(error) }, 'publishing a task failed; it is re-sent when the agent reconnects');
    });
  }

  #cancel(task: PendingTask, reason: string): void {
    this.#options.channel.send(task.agent, { kind: 'cancel', taskId: task.taskId, reason }).catch(() => undefined);
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}
