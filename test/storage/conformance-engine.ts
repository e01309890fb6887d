/** Conformance: the engine's ExecutionStorePort adapter and task write order. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OperationInvocation } from '../../src/engine/index.js';
import { createExecutionStore } from '../../src/storage/index.js';
import type { ConformanceContext } from './conformance.js';
import { rejectsWithCode } from './conformance-crud.js';
import { iso, seedDeployment, t0 } from './records.js';

function invocation(taskId: string): OperationInvocation {
  return {
    taskId,
    executionId: 'run1',
    workflowId: 'install',
    deploymentId: 'd1',
    blueprintId: 'bp',
    operation: { name: 'cloudify.interfaces.lifecycle.create', operation: 'script_runner.tasks.run', plugin: 'script', executor: 'central_deployment_agent', inputs: {}, maxRetries: null, retryInterval: null },
    inputs: { a: 1 },
    nodeId: 'vm',
    nodeInstanceId: 'vm_d1',
    relationship: null,
    hostId: 'vm_d1',
    retryNumber: 0,
    maxRetries: 3,
  };
}

export function engineSection(ctx: ConformanceContext): void {
  describe('engine execution store', () => {
    test('executions: create, status transitions with timestamps, illegal moves rejected', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      let now = t0 + 60_000;
      const store = createExecutionStore(s, () => now);
      await store.createExecution({ id: 'run1', workflowId: 'install', deploymentId: 'd1', blueprintId: 'bp', status: 'pending', error: null, parameters: { x: 1 }, createdAt: iso(0), updatedAt: iso(0) });
      await rejectsWithCode(store.createExecution({ ...(await store.getExecution('run1')) }), 'conflict_error', 409);
      const started = await store.setExecutionStatus('run1', 'started');
      assert.deepEqual([started.status, started.updatedAt], ['started', iso(60_000)]);
      now += 1000;
      const failed = await store.setExecutionStatus('run1', 'failed', 'Traceback');
      assert.deepEqual([failed.status, failed.error, failed.updatedAt], ['failed', 'Traceback', iso(61_000)]);
      await rejectsWithCode(store.setExecutionStatus('run1', 'started'), 'illegal_action_error');
      const stored = await s.executions.get('run1');
      assert.deepEqual([stored.startedAt, stored.endedAt, stored.isSystemWorkflow], [iso(60_000), iso(61_000), false]);
      await rejectsWithCode(store.getExecution('nope'), 'not_found_error', 404);
    });

    test('tasks: intent then outcome, listed in write order, filtered by state', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      const store = createExecutionStore(s, () => t0);
      await store.createExecution({ id: 'run1', workflowId: 'install', deploymentId: 'd1', blueprintId: 'bp', status: 'started', error: null, parameters: {}, createdAt: iso(0), updatedAt: iso(0) });
      const ids = ['zz', 'aa', 'mm', 'bb'];
      for (const [attempt, id] of ids.entries()) {
        await store.putTask({ id, executionId: 'run1', attempt, state: 'pending', nextAttemptAt: null, error: null, invocation: invocation(id) });
      }
      await store.finishTask('zz', { state: 'rescheduled', nextAttemptAt: t0 + 5000, error: 'retry me' });
      await store.finishTask('aa', { state: 'succeeded' });
      await rejectsWithCode(store.finishTask('nope', { state: 'failed' }), 'not_found_error', 404);
      const all = await store.listTasks('run1');
      assert.deepEqual(all.map((t) => t.id), ids);
      assert.deepEqual(all[0], { id: 'zz', executionId: 'run1', attempt: 0, state: 'rescheduled', nextAttemptAt: t0 + 5000, error: 'retry me', invocation: invocation('zz') });
      assert.deepEqual((await store.listTasks('run1', ['pending'])).map((t) => t.id), ['mm', 'bb']);
      assert.deepEqual((await s.tasks.list({ filter: { executionId: 'run1' } })).items.map((t) => t.position), [1, 2, 3, 4]);
    });
  });
}
