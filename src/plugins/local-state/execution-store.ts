/**
 * Executions of a local deployment: `executions/<id>` (the record, rewritten atomically) and
 * `executions/<id>.tasks` (an append-only JSON-lines journal of attempt intents and outcomes; a
 * torn last line after a crash is ignored when read). Journal lines are group-committed: an
 * intent resolves once it (and every line written before it) is on disk; an outcome once
 * written (it becomes durable with the next intent or status change).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { conflict, notFound } from '../../core/index.js';
import {
  transitionExecution,
  type ExecutionRecord,
  type ExecutionStatus,
  type ExecutionStorePort,
  type TaskOutcome,
  type TaskRecord,
  type TaskState,
} from '../../engine/index.js';
import { GroupCommit, JournalFile, readJournalLines } from './group-commit.js';
import { readJson, writeJsonAtomic } from './json-files.js';

type JournalLine = { put: TaskRecord } | { finish: string; outcome: TaskOutcome };

/** The {@link ExecutionStorePort} of a local deployment. */
export class LocalExecutionStoreAdapter implements ExecutionStorePort {
  readonly #dir: string;
  readonly #now: () => number;
  readonly #group: GroupCommit;
  readonly #journals = new Map<string, JournalFile>();

  /**
   * @param dir the `executions` folder.
   * @param group shared with the instance store, so an intent is durable only after the state
   *   changes written before it.
   */
  constructor(dir: string, now: () => number = Date.now, group: GroupCommit = new GroupCommit()) {
    this.#dir = dir;
    this.#now = now;
    this.#group = group;
  }

  /** Every execution record, oldest first. */
  list(): ExecutionRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir).filter((n) => !n.startsWith('.') && !n.endsWith('.tasks'));
    } catch {
      return [];
    }
    return names
      .map((id) => readJson<ExecutionRecord>(join(this.#dir, id)))
      .filter((r): r is ExecutionRecord => r !== null)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  createExecution(record: ExecutionRecord): Promise<void> {
    return attempt(() => {
      if (readJson(this.#path(record.id)) !== null) throw conflict('Execution', record.id);
      writeJsonAtomic(this.#path(record.id), record);
    });
  }

  getExecution(id: string): Promise<ExecutionRecord> {
    return attempt(() => this.#get(id));
  }

  setExecutionStatus(
    id: string,
    status: ExecutionStatus,
    error: string | null = null,
  ): Promise<ExecutionRecord> {
    return attempt(() => {
      const record = this.#get(id);
      // Every task outcome and state change written so far goes to disk before the status.
      this.#group.flushSync();
      const updated: ExecutionRecord = {
        ...record,
        status: transitionExecution(record.status, status, id),
        error,
        updatedAt: new Date(this.#now()).toISOString(),
      };
      writeJsonAtomic(this.#path(id), updated);
      return updated;
    });
  }

  putTask(record: TaskRecord): Promise<void> {
    return attempt(() => this.#append(record.executionId, { put: record })).then(() =>
      this.#group.durable(),
    );
  }

  finishTask(id: string, outcome: TaskOutcome): Promise<void> {
    return attempt(() => {
      const executionId = this.#taskExecution.get(id) ?? this.#findTaskExecution(id);
      if (executionId === undefined) throw notFound('Task', id);
      this.#append(executionId, { finish: id, outcome });
    });
  }

  listTasks(executionId: string, states?: readonly TaskState[]): Promise<TaskRecord[]> {
    return attempt(() => {
      const tasks = this.#readJournal(executionId);
      return states === undefined ? tasks : tasks.filter((t) => states.includes(t.state));
    });
  }

  readonly #taskExecution = new Map<string, string>();

  #get(id: string): ExecutionRecord {
    if (id.includes('/') || id.startsWith('.')) throw notFound('Execution', id);
    const record = readJson<ExecutionRecord>(this.#path(id));
    if (record === null) throw notFound('Execution', id);
    return record;
  }

  /** Slow path for a task put by an earlier process: reads the journals. */
  #findTaskExecution(taskId: string): string | undefined {
    for (const record of this.list()) {
      this.#readJournal(record.id);
      const found = this.#taskExecution.get(taskId);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #path(id: string): string {
    return join(this.#dir, id);
  }

  #append(executionId: string, line: JournalLine): void {
    if ('put' in line) this.#taskExecution.set(line.put.id, executionId);
    const path = join(this.#dir, `${executionId}.tasks`);
    let journal = this.#journals.get(path);
    if (!journal) this.#journals.set(path, (journal = new JournalFile(path, this.#group)));
    journal.append(JSON.stringify(line));
  }

  #readJournal(executionId: string): TaskRecord[] {
    this.#group.writeAll();
    const tasks = new Map<string, TaskRecord>();
    for (const line of readJournalLines<JournalLine>(join(this.#dir, `${executionId}.tasks`))) {
      if ('put' in line) {
        tasks.set(line.put.id, line.put);
        this.#taskExecution.set(line.put.id, executionId);
      } else {
        const task = tasks.get(line.finish);
        if (task)
          tasks.set(task.id, {
            ...task,
            state: line.outcome.state,
            nextAttemptAt: line.outcome.nextAttemptAt ?? null,
            error: line.outcome.error ?? null,
          });
      }
    }
    return [...tasks.values()];
  }
}

function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
