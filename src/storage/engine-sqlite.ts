/**
 * The engine adapters' hot paths on SQLite: task intents and outcomes, node-instance reads and
 * updates, as one prepared statement each, run through the connection's {@link WriteQueue}
 * (one transaction per event-loop turn). Values are stored as row-codec.ts stores them, so the
 * rows are the ones the Kysely path writes; PostgreSQL keeps that path.
 */
import { notFound } from '../core/index.js';
import type { ExecutionStorePort } from '../engine/index.js';
import type { InstanceStorePort, NodeInstanceState, NodeInstanceStatus } from '../engine/ports.js';
import { mapWriteError, versionConflict } from './errors.js';
import type { WriteQueue } from './write-queue.js';

/** Epoch ms -> the ISO text `time` columns store. */
export const iso = (ms: number): string => new Date(ms).toISOString();
const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

const putTaskSql =
  'insert into tasks (id, execution_id, position, name, state, attempt, next_attempt_at, invocation, result, error, created_at, updated_at) ' +
  'values (?, ?, (select coalesce(max(position), 0) + 1 from tasks where execution_id = ?), ?, ?, ?, ?, ?, null, ?, ?, ?) ' +
  'on conflict (id) do update set state = excluded.state, attempt = excluded.attempt, next_attempt_at = excluded.next_attempt_at, ' +
  'invocation = excluded.invocation, error = excluded.error, updated_at = excluded.updated_at';
const finishTaskSql = 'update tasks set state = ?, next_attempt_at = ?, error = ?, updated_at = ? where id = ?';

/** putTask / finishTask over `queue`: an upsert (position = max + 1 on insert) and an update. */
export function sqliteTaskWrites(queue: WriteQueue, now: () => number): Pick<ExecutionStorePort, 'putTask' | 'finishTask'> {
  return {
    putTask(record) {
      const invocation = JSON.stringify(record.invocation);
      return queue.run(() => {
        const at = iso(now());
        const next = record.nextAttemptAt === null ? null : iso(record.nextAttemptAt);
        try {
          const { id, executionId, state, attempt } = record;
          queue.statement(putTaskSql).run(id, executionId, executionId, record.invocation.operation.name, state, attempt, next, invocation, json(record.error), at, at);
        } catch (error) {
          throw mapWriteError(error, 'Task', record.id, 'insert');
        }
      });
    },
    finishTask(id, outcome) {
      return queue.run(() => {
        const next = outcome.nextAttemptAt === undefined || outcome.nextAttemptAt === null ? null : iso(outcome.nextAttemptAt);
        const { changes } = queue.statement(finishTaskSql).run(outcome.state, next, json(outcome.error ?? null), iso(now()), id);
        if (changes === 0) throw notFound('Task', id);
      });
    },
  };
}

interface InstanceRow {
  id: string;
  node_id: string;
  state: NodeInstanceStatus;
  runtime_properties: string;
  version: number;
}

const columns = 'id, node_id, state, runtime_properties, version';
const getSql = `select ${columns} from node_instances where id = ? and deployment_id = ?`;
const setStateSql = 'update node_instances set state = ?, version = version + 1 where id = ? and deployment_id = ?';
const setPropsSql = `update node_instances set runtime_properties = ?, version = version + 1 where id = ? and deployment_id = ? returning ${columns}`;
const setPropsAtSql = `update node_instances set runtime_properties = ?, version = version + 1 where id = ? and deployment_id = ? and version = ? returning ${columns}`;

const toState = (row: InstanceRow): NodeInstanceState => ({
  id: row.id,
  nodeId: row.node_id,
  state: row.state,
  runtimeProperties: JSON.parse(row.runtime_properties) as NodeInstanceState['runtimeProperties'],
  version: row.version,
});

/** InstanceStorePort over `queue` for the instances of `deploymentId` (others are not found). */
export function sqliteInstanceAccess(queue: WriteQueue, deploymentId: string): InstanceStorePort {
  const load = (id: string): InstanceRow => {
    const row = queue.statement(getSql).get(id, deploymentId) as InstanceRow | undefined;
    if (row === undefined) throw notFound('Node instance', id);
    return row;
  };
  return {
    get: (id) => queue.run(() => toState(load(id))),
    setState: (id, state) =>
      queue.run(() => {
        if (queue.statement(setStateSql).run(state, id, deploymentId).changes === 0) throw notFound('Node instance', id);
      }),
    updateRuntimeProperties(id, runtimeProperties, expectedVersion) {
      const text = JSON.stringify(runtimeProperties);
      return queue.run(() => {
        const row = (
          expectedVersion === undefined
            ? queue.statement(setPropsSql).get(text, id, deploymentId)
            : queue.statement(setPropsAtSql).get(text, id, deploymentId, expectedVersion)
        ) as InstanceRow | undefined;
        if (row !== undefined) return toState(row);
        const current = load(id);
        throw versionConflict('Node instance', id, expectedVersion ?? current.version, current.version);
      });
    },
  };
}
