/**
 * The manager's record of tasks sent to agents and not yet collected. Written before a task is
 * published (intent) and removed once its result was handed to the engine, so a manager that
 * restarts re-sends pending tasks (agents answer a finished task id with its stored result and
 * never run it twice) and can re-await them by task id.
 */
import { readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/index.js';
import type { OperationInvocation } from '../engine/ports.js';
import type { ResultMessage } from './protocol.js';

/** One pending task. */
export interface PendingTask {
  taskId: string;
  agent: string;
  invocation: OperationInvocation;
  /** ISO time it was first sent. */
  sentAt: string;
  /** Set when the result arrived while nobody awaited it. */
  outcome: ResultMessage | null;
}

/** Persistence of pending tasks. */
export interface PendingTaskJournalPort {
  put(task: PendingTask): void;
  remove(taskId: string): void;
  list(): PendingTask[];
}

/** A journal in memory (tests, bench, and managers that keep in-flight state elsewhere). Keeps the objects it is given. */
export class InMemoryPendingJournal implements PendingTaskJournalPort {
  readonly #tasks = new Map<string, PendingTask>();
  put(task: PendingTask): void {
    this.#tasks.set(task.taskId, task);
  }
  remove(taskId: string): void {
    this.#tasks.delete(taskId);
  }
  list(): PendingTask[] {
    return [...this.#tasks.values()].map((t) => ({ ...t }));
  }
}

/** A journal as one JSON file per task in a folder, written atomically. */
export class FilePendingJournal implements PendingTaskJournalPort {
  readonly #dir: string;
  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }
  put(task: PendingTask): void {
    writeFileAtomic(this.#path(task.taskId), JSON.stringify(task));
  }
  remove(taskId: string): void {
    rmSync(this.#path(taskId), { force: true });
  }
  list(): PendingTask[] {
    const tasks: PendingTask[] = [];
    for (const name of readdirSync(this.#dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      try {
        tasks.push(JSON.parse(readFileSync(join(this.#dir, name), 'utf8')) as PendingTask);
      } catch {
        // a file from another writer or a damaged one: not ours to interpret
      }
    }
    return tasks.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  }
  #path(taskId: string): string {
    return join(this.#dir, `${encodeURIComponent(taskId)}.json`);
  }
}
