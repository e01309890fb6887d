/**
 * The agent's memory of the tasks it was given, kept in its work dir so that a redelivered task
 * id (broker redelivery, or the manager re-sending after its own restart) is never run twice:
 * a finished task is answered with its stored result; a task that was running when the agent
 * process died is answered with a recoverable "outcome unknown" failure.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultMessage } from '../messaging/index.js';

/** One task as the agent remembers it. `running` is written before the operation starts. */
export type TaskRecord =
  | { taskId: string; state: 'running'; startedAt: string; bootId: string }
  | { taskId: string; state: 'done'; finishedAt: string; result: ResultMessage };

/** Where the agent keeps task records. */
export interface TaskLedgerPort {
  get(taskId: string): TaskRecord | null;
  put(record: TaskRecord): void;
}

/** A ledger in memory (tests and the in-process bench). */
export class InMemoryTaskLedger implements TaskLedgerPort {
  readonly #records = new Map<string, TaskRecord>();
  get(taskId: string): TaskRecord | null {
    return this.#records.get(taskId) ?? null;
  }
  put(record: TaskRecord): void {
    this.#records.set(record.taskId, record);
  }
}

/**
 * One JSON file per task under `<workDir>/tasks`, replaced by rename (a killed agent leaves the
 * old or the new record, never half of one). Not fsynced: the ledger guards against the agent
 * process dying, not the host's kernel (a host that crashes is healed, i.e. replaced).
 */
export class FileTaskLedger implements TaskLedgerPort {
  readonly #dir: string;
  constructor(workDir: string) {
    this.#dir = join(workDir, 'tasks');
    mkdirSync(this.#dir, { recursive: true });
  }
  get(taskId: string): TaskRecord | null {
    try {
      return JSON.parse(readFileSync(this.#path(taskId), 'utf8')) as TaskRecord;
    } catch {
      return null;
    }
  }
  put(record: TaskRecord): void {
    const path = this.#path(record.taskId);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record));
    renameSync(tmp, path);
  }
  /** Deletes finished records older than `maxAgeMs`. Returns how many. */
  prune(maxAgeMs: number, now = Date.now()): number {
    let removed = 0;
    for (const name of readdirSync(this.#dir)) {
      const path = join(this.#dir, name);
      try {
        if (name.endsWith('.tmp') || now - statSync(path).mtimeMs > maxAgeMs) {
          const record = name.endsWith('.tmp') ? null : (JSON.parse(readFileSync(path, 'utf8')) as TaskRecord);
          if (record === null || record.state === 'done') {
            rmSync(path, { force: true });
            removed += 1;
          }
        }
      } catch {
        rmSync(path, { force: true });
      }
    }
    return removed;
  }
  #path(taskId: string): string {
    return join(this.#dir, `${encodeURIComponent(taskId)}.json`);
  }
}
