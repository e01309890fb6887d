/**
 * The engine's ExecutionStorePort on top of the storage port: executions and the crash-safe
 * task (attempt) records, in the manager's tables.
 *
 * Mapping: the engine's `updatedAt` is the last of `endedAt`, `startedAt`, `createdAt` (set
 * when the status becomes `started` / an end state); a task's `nextAttemptAt` (epoch ms) is
 * stored as ISO time; `position` keeps write order within an execution.
 */
import { notFound } from '../core/index.js';
import {
  isEndStatus,
  transitionExecution,
  type ExecutionRecord as EngineExecution,
  type ExecutionStorePort,
  type TaskRecord as EngineTask,
  type TaskState,
} from '../engine/index.js';
import type { OperationInvocation } from '../engine/ports.js';
import { iso, sqliteTaskWrites } from './engine-sqlite.js';
import { KyselyStorage } from './kysely-storage.js';
import type { StoragePort } from './port.js';
import type { ExecutionRecord, TaskRecord } from './records.js';

function toEngineExecution(r: ExecutionRecord): EngineExecution {
  return {
    id: r.id,
    workflowId: r.workflowId,
    deploymentId: r.deploymentId,
    blueprintId: r.blueprintId,
    status: r.status,
    error: r.error,
    parameters: r.parameters,
    createdAt: r.createdAt,
    updatedAt: r.endedAt ?? r.startedAt ?? r.createdAt,
  };
}

function toEngineTask(r: TaskRecord): EngineTask {
  return {
    id: r.id,
    executionId: r.executionId,
    attempt: r.attempt,
    state: r.state as TaskState,
    nextAttemptAt: r.nextAttemptAt === null ? null : Date.parse(r.nextAttemptAt),
    error: typeof r.error === 'string' ? r.error : null,
    invocation: r.invocation as unknown as OperationInvocation,
  };
}

/** putTask / finishTask through the repositories (PostgreSQL, or SQLite inside a transaction). */
function repositoryTaskWrites(storage: StoragePort, now: () => number): Pick<ExecutionStorePort, 'putTask' | 'finishTask'> {
  return {
    putTask(record) {
      return storage.transaction(async (tx) => {
        const at = iso(now());
        const fields = {
          state: record.state,
          attempt: record.attempt,
          nextAttemptAt: record.nextAttemptAt === null ? null : iso(record.nextAttemptAt),
          invocation: record.invocation as unknown as Record<string, unknown>,
          error: record.error,
          updatedAt: at,
        };
        if (await tx.tasks.find(record.id)) {
          await tx.tasks.update(record.id, fields);
          return;
        }
        await tx.tasks.create({
          id: record.id,
          executionId: record.executionId,
          name: record.invocation.operation.name,
          result: null,
          createdAt: at,
          ...fields,
        });
      });
    },
    async finishTask(id, outcome) {
      const existing = await storage.tasks.find(id);
      if (!existing) throw notFound('Task', id);
      await storage.tasks.update(id, {
        state: outcome.state,
        nextAttemptAt: outcome.nextAttemptAt === undefined || outcome.nextAttemptAt === null ? null : iso(outcome.nextAttemptAt),
        error: outcome.error ?? null,
        updatedAt: iso(now()),
      });
    },
  };
}

/**
 * An ExecutionStorePort over `storage`. `now` stamps status changes and task writes. On SQLite
 * task writes go through the connection's group-commit queue (engine-sqlite.ts); the status
 * change and task listing wait for what is queued, so an execution recorded ended has every
 * outcome written before it committed.
 */
export function createExecutionStore(storage: StoragePort, now: () => number = Date.now): ExecutionStorePort {
  const queue = storage instanceof KyselyStorage ? storage.writeQueue : undefined;
  const settled = (): Promise<void> => queue?.flush() ?? Promise.resolve();
  return {
    ...(queue !== undefined ? sqliteTaskWrites(queue, now) : repositoryTaskWrites(storage, now)),
    async createExecution(record) {
      await storage.executions.create({
        id: record.id,
        deploymentId: record.deploymentId,
        blueprintId: record.blueprintId,
        workflowId: record.workflowId,
        status: record.status,
        error: record.error,
        parameters: record.parameters,
        isSystemWorkflow: record.deploymentId === null,
        createdAt: record.createdAt,
        startedAt: record.status === 'pending' ? null : record.updatedAt,
        endedAt: isEndStatus(record.status) ? record.updatedAt : null,
      });
    },
    async getExecution(id) {
      return toEngineExecution(await storage.executions.get(id));
    },
    async setExecutionStatus(id, status, error = null) {
      await settled();
      return storage.transaction(async (tx) => {
        const current = await tx.executions.get(id);
        transitionExecution(current.status, status, id);
        const at = iso(now());
        const patch: Partial<ExecutionRecord> = { status, error };
        if (status === 'started' && current.startedAt === null) patch.startedAt = at;
        if (isEndStatus(status)) patch.endedAt = at;
        return toEngineExecution(await tx.executions.update(id, patch));
      });
    },
    async listTasks(executionId, states) {
      await settled();
      const filter: Record<string, string | readonly string[]> = states === undefined ? { executionId } : { executionId, state: states };
      const out: EngineTask[] = [];
      for (let offset = 0; ; ) {
        const page = await storage.tasks.list({ filter, sort: ['position'], offset, size: 10_000 });
        out.push(...page.items.map(toEngineTask));
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
      return out;
    },
  };
}
