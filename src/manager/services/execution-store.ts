/**
 * The engine's {@link ExecutionStorePort} over the manager store: the engine moves the
 * execution's status (through its one transition function) and writes task intents.
 * Setting the status an execution already has is a no-op (the manager marks `started` early).
 */
import { transitionExecution, type ExecutionRecord as EngineExecution, type ExecutionStorePort } from '../../engine/index.js';
import { notFound } from '../../core/index.js';
import type { ManagerStorePort } from '../store/port.js';
import type { ExecutionRecord } from '../store/records.js';

function toEngine(r: ExecutionRecord, now: string): EngineExecution {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    deploymentId: r.deployment_id,
    blueprintId: r.blueprint_id,
    status: r.status,
    error: r.error === '' ? null : r.error,
    parameters: r.parameters,
    createdAt: r.created_at,
    updatedAt: now,
  };
}

export function executionStore(store: ManagerStorePort, now: () => Date): ExecutionStorePort {
  const get = async (id: string): Promise<ExecutionRecord> => {
    const r = await store.executions.get(id);
    if (!r) throw notFound('Execution', id);
    return r;
  };
  return {
    async createExecution(record) {
      await store.executions.insert({
        id: record.id,
        status: record.status,
        deployment_id: record.deploymentId,
        blueprint_id: record.blueprintId,
        workflow_id: record.workflowId,
        created_at: record.createdAt,
        error: record.error ?? '',
        parameters: record.parameters,
        is_system_workflow: record.deploymentId === null,
      });
    },
    async getExecution(id) {
      return toEngine(await get(id), now().toISOString());
    },
    async setExecutionStatus(id, status, error) {
      const current = await get(id);
      if (current.status === status && error === undefined) return toEngine(current, now().toISOString());
      const next = current.status === status ? status : transitionExecution(current.status, status, id);
      const updated = await store.executions.update(id, { status: next, ...(error !== undefined ? { error: error ?? '' } : {}) });
      return toEngine(updated, now().toISOString());
    },
    putTask: (record) => store.tasks.put(record),
    finishTask: (id, outcome) => store.tasks.finish(id, outcome),
    listTasks: (executionId, states) => store.tasks.list(executionId, states),
  };
}
