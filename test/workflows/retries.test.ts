import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRecoverableError, OperationRetry, RecoverableError } from '../../src/core/index.js';
import { ExecutionCancelledError, TaskFailedError } from '../../src/engine/index.js';
import { runWorkflow } from '../../src/workflows/index.js';
import { lifecycle, model, node, op, ports, typeOf, withClock } from './support.js';

const single = model([node('vm', { ops: lifecycle('vm', ['create']) })]);
const taskTexts = (texts: string[]): string[] => texts.filter((t) => /task|Task/.test(t));

test('recoverable failures are retried with attempt counters in the event text', async () => {
  const t = ports();
  let calls = 0;
  const times: number[] = [];
  t.dispatcher.behaviours.set('vm.create', (_inv, clock) => {
    times.push(clock.now());
    if (++calls < 3) throw new Error('boom');
    return 'ok';
  });
  const run = runWorkflow({ model: single, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { taskRetries: 5, taskRetryInterval: 30 } });
  const { error, execution } = await withClock(t.clock, run);
  assert.equal(error, null);
  assert.deepEqual(taskTexts(t.sink.texts), [
    "Sending task 'vm.create'",
    "Task started 'vm.create'",
    "Task failed 'vm.create' -> boom [attempt 1/6]",
    "Sending task 'vm.create' [attempt 2/6]",
    "Task started 'vm.create' [attempt 2/6]",
    "Task failed 'vm.create' -> boom [attempt 2/6]",
    "Sending task 'vm.create' [attempt 3/6]",
    "Task started 'vm.create' [attempt 3/6]",
    "Task succeeded 'vm.create (ok)' [attempt 3/6]",
  ]);
  assert.deepEqual([times[1]! - times[0]!, times[2]! - times[1]!], [30_000, 30_000]);
  const attempts = t.dispatcher.calls.map((c) => [c.retryNumber, c.maxRetries]);
  assert.deepEqual(attempts, [[0, 5], [1, 5], [2, 5]]);
  assert.equal(new Set(t.dispatcher.calls.map((c) => c.taskId)).size, 3);
  const records = await t.executions.listTasks(execution.id);
  assert.deepEqual(records.map((r) => [r.attempt, r.state]), [[0, 'rescheduled'], [1, 'rescheduled'], [2, 'succeeded']]);
  assert.equal(records[0]!.nextAttemptAt, times[1]);
});

test('per-operation max_retries wins, retry_after sets the delay, infinite retries drop /M', async () => {
  const t = ports();
  const m = model([node('vm', { ops: { 'cloudify.interfaces.lifecycle.create': op('cloudify.interfaces.lifecycle.create', 'vm.create', { maxRetries: 1 }) } })]);
  const times: number[] = [];
  t.dispatcher.behaviours.set('vm.create', (_inv, clock) => {
    times.push(clock.now());
    throw new RecoverableError('not yet', { retryAfter: 10 });
  });
  const { error } = await withClock(t.clock, runWorkflow({ model: m, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { taskRetries: 5 } }));
  assert.ok(error instanceof TaskFailedError);
  assert.equal(error.message, "Workflow failed: Task failed 'vm.create' -> not yet [retry_after=10]");
  assert.equal(times[1]! - times[0]!, 10_000);
  assert.ok(t.sink.texts.includes("Task failed 'vm.create' -> not yet [retry_after=10] [attempt 2/2]"));

  const inf = ports();
  let n = 0;
  inf.dispatcher.behaviours.set('vm.create', () => {
    if (++n < 3) throw new Error('x');
    return null;
  });
  await withClock(inf.clock, runWorkflow({ model: single, workflow: 'install', deploymentId: 'd', ports: inf.ports, options: { taskRetries: -1, taskRetryInterval: 1 } }));
  assert.ok(inf.sink.texts.includes("Task failed 'vm.create' -> x [attempt 1]"));
  assert.ok(inf.sink.texts.includes("Task succeeded 'vm.create' [attempt 3]"));
});

test('NonRecoverableError fails at once and fails the workflow', async () => {
  const t = ports();
  t.dispatcher.behaviours.set('vm.create', () => {
    throw new NonRecoverableError('bad image');
  });
  const { error, execution } = await runWorkflow({ model: single, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { taskRetries: 5 } });
  assert.equal(t.dispatcher.calls.length, 1);
  assert.equal(execution.status, 'failed');
  assert.match(execution.error ?? '', /Task failed 'vm.create' -> bad image/);
  assert.ok(error instanceof TaskFailedError);
  assert.equal(t.sink.texts.at(-1), "'install' workflow execution failed: Workflow failed: Task failed 'vm.create' -> bad image");
  assert.equal(typeOf(t.sink.events.at(-1)!), 'workflow_failed');
});

test('infinite retries are ended by cancel; nothing runs after it', async () => {
  const t = ports();
  const controller = new AbortController();
  t.dispatcher.behaviours.set('vm.create', () => {
    if (t.dispatcher.calls.length === 4) controller.abort();
    throw new Error('still booting');
  });
  const run = runWorkflow({ model: single, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { taskRetries: -1, taskRetryInterval: 1, signal: controller.signal } });
  const { error, execution } = await withClock(t.clock, run);
  assert.ok(error instanceof ExecutionCancelledError);
  assert.equal(execution.status, 'cancelled');
  assert.equal(t.dispatcher.calls.length, 4);
  assert.equal(t.sink.texts.at(-1), "'install' workflow execution cancelled");
  assert.equal(t.clock.pending, 0);
});

test('force-cancel aborts the running operation through its signal', async () => {
  const t = ports();
  const force = new AbortController();
  const cancel = new AbortController();
  t.ports.dispatcher = {
    run: (_inv, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('killed')), { once: true });
        setImmediate(() => {
          cancel.abort();
          force.abort();
        });
      }),
  };
  const { error, execution } = await runWorkflow({
    model: single,
    workflow: 'install',
    deploymentId: 'd',
    ports: t.ports,
    options: { signal: cancel.signal, forceSignal: force.signal },
  });
  assert.ok(error instanceof ExecutionCancelledError && error.force);
  assert.equal(execution.status, 'cancelled');
  const records = await t.executions.listTasks(execution.id);
  assert.deepEqual(records.map((r) => r.state), ['cancelled']);
});

test('a force-cancel signal alone also cancels the execution', async () => {
  const t = ports();
  const force = new AbortController();
  const m = model([node('a', { ops: lifecycle('a', ['create']) }), node('b', { ops: lifecycle('b', ['create']), rels: [] })]);
  t.ports.dispatcher = {
    run: (_inv, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('killed')), { once: true });
        setImmediate(() => force.abort());
      }),
  };
  const { error, execution } = await runWorkflow({ model: m, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { forceSignal: force.signal } });
  assert.ok(error instanceof ExecutionCancelledError && error.force);
  assert.equal(execution.status, 'cancelled');
});

test('uninstall ignores failures but not an exhausted OperationRetry', async () => {
  const t = ports();
  const m = model([node('vm', { ops: lifecycle('vm', ['stop', 'delete']) })]);
  t.dispatcher.behaviours.set('vm.stop', () => {
    throw new RecoverableError('server unreachable');
  });
  const ok = await runWorkflow({ model: m, workflow: 'uninstall', deploymentId: 'd', ports: t.ports, options: { taskRetries: 5 } });
  assert.equal(ok.error, null);
  assert.deepEqual(t.dispatcher.labels, ['vm_1.stop', 'vm_1.delete']);
  assert.ok(t.sink.texts.includes('Ignoring task vm.stop failure'));
  assert.deepEqual((await t.executions.listTasks(ok.execution.id)).map((r) => r.state), ['ignored', 'succeeded']);

  const r = ports();
  r.dispatcher.behaviours.set('vm.stop', () => {
    throw new OperationRetry('waiting for detach', 10);
  });
  const run = runWorkflow({ model: m, workflow: 'uninstall', deploymentId: 'd', ports: r.ports, options: { taskRetries: 2 } });
  const failed = await withClock(r.clock, run);
  assert.ok(failed.error instanceof TaskFailedError);
  assert.equal(failed.execution.status, 'failed');
  assert.equal(r.dispatcher.calls.length, 3);
  assert.deepEqual(
    r.sink.texts.filter((x) => x.startsWith('Task rescheduled')),
    [1, 2, 3].map((n) => `Task rescheduled 'vm.stop' -> waiting for detach [attempt ${n}/3]`),
  );
  assert.equal(r.sink.texts.some((x) => x.startsWith('Ignoring')), false);
  assert.deepEqual(r.dispatcher.labels, ['vm_1.stop', 'vm_1.stop', 'vm_1.stop']);
});
