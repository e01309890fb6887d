import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restartInterruptedError } from '../../src/manager/services/executions.js';
import { fakeDeps, fakeRunner, simpleBlueprint } from './fakes.js';
import { cleanup, startTestManager, type Body, type TestManager } from './harness.js';

async function deploy(m: TestManager, id: string): Promise<void> {
  if ((await m.call('GET', '/api/v2/blueprints/ebp')).statusCode === 404) {
    assert.equal((await m.call('PUT', '/api/v2/blueprints/ebp', { body: simpleBlueprint })).statusCode, 201);
  }
  assert.equal((await m.call('PUT', `/api/v2/deployments/${id}`, { json: { blueprint_id: 'ebp' } })).statusCode, 201);
}

async function start(m: TestManager, deployment: string, workflow: string, extra: Record<string, unknown> = {}) {
  return m.call('POST', '/api/v2/executions', { json: { deployment_id: deployment, workflow_id: workflow, ...extra } });
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

test('install runs to terminated; events stored and filterable; uninstall; outputs follow runtime state', async () => {
  const m = await startTestManager(fakeDeps);
  try {
    await deploy(m, 'd1');
    const res = await start(m, 'd1', 'install');
    assert.equal(res.statusCode, 201, res.body);
    const execution = res.json<Body>();
    assert.equal(execution.status, 'pending');
    assert.equal(execution.workflow_id, 'install');
    assert.equal(execution.is_system_workflow, false);
    await m.manager.services.executions.settled(execution.id);
    const done = (await m.call('GET', `/api/v2/executions/${execution.id}`)).json<Body>();
    assert.equal(done.status, 'terminated');
    assert.equal(done.error, '');
    const events = (await m.call('GET', `/api/v2/events?execution_id=${execution.id}&type=cloudify_event`)).json<Body>();
    assert.deepEqual(events.items.map((e: { event_type: string }) => e.event_type), ['workflow_started', 'workflow_succeeded']);
    assert.equal(events.metadata.pagination.total, 2);
    const desc = (await m.call('GET', `/api/v2/events?execution_id=${execution.id}&_sort=-@timestamp&_size=1`)).json<Body>();
    assert.equal(desc.items.length, 1);
    const none = (await m.call('GET', `/api/v2/events?execution_id=${execution.id}&type=cloudify_log`)).json<Body>();
    assert.equal(none.metadata.pagination.total, 0);
    const future = (await m.call('GET', `/api/v2/events?execution_id=${execution.id}&_range=@timestamp,2999-01-01,`)).json<Body>();
    assert.equal(future.metadata.pagination.total, 0);
    assert.equal((await m.call('GET', '/api/v2/events?_range=bogus')).statusCode, 400);
    assert.equal((await m.call('GET', '/api/v2/deployments/d1/outputs')).json<Body>().outputs.endpoint, 'http://127.0.0.9:8080');

    const un = (await start(m, 'd1', 'uninstall')).json<Body>();
    await m.manager.services.executions.settled(un.id);
    assert.equal((await m.call('GET', `/api/v2/executions/${un.id}`)).json<Body>().status, 'terminated');
    const list = (await m.call('GET', '/api/v2/executions?deployment_id=d1')).json<Body>();
    assert.deepEqual(list.items.map((e: { workflow_id: string }) => e.workflow_id), ['install', 'uninstall']);
    assert.equal((await m.call('GET', '/api/v2/executions?deployment_id=nope')).statusCode, 404);
    assert.equal((await m.call('DELETE', '/api/v2/deployments/d1')).statusCode, 200);
  } finally {
    await m.close();
  }
});

test('execution rules: one per deployment unless force, global limit, unknown workflow, bad parameters', async () => {
  const g = gate();
  const m = await startTestManager({ ...fakeDeps, runner: fakeRunner({ gate: g.promise }) }, { maxParallelExecutions: 2 });
  try {
    await deploy(m, 'a');
    await deploy(m, 'b');
    await deploy(m, 'c');
    const first = (await start(m, 'a', 'install')).json<Body>();
    const second = await start(m, 'a', 'install');
    assert.equal(second.statusCode, 400);
    assert.equal(second.json<Body>().error_code, 'existing_running_execution_error');
    assert.match(second.json<Body>().message, /currently running for this deployment/);
    const forced = await start(m, 'a', 'echo', { force: true });
    assert.equal(forced.statusCode, 201, forced.body);
    const limited = await start(m, 'b', 'install');
    assert.equal(limited.statusCode, 400);
    assert.equal(limited.json<Body>().error_code, 'global_parallel_running_executions_limit_reached_error');
    const unknown = await start(m, 'c', 'nope');
    assert.equal(unknown.json<Body>().error_code, 'nonexistent_workflow_error');
    const custom = await start(m, 'c', 'echo', { parameters: { extra: 1 } });
    assert.equal(custom.json<Body>().error_code, 'bad_parameters_error');
    const notDict = await start(m, 'c', 'echo', { parameters: [1] });
    assert.equal(notDict.statusCode, 400);
    assert.equal((await start(m, 'nope', 'install')).statusCode, 404);
    g.open();
    await m.manager.services.executions.settled(first.id);
    await m.manager.services.executions.settled(forced.json<Body>().id);
    const echo = (await m.call('GET', `/api/v2/executions/${forced.json<Body>().id}`)).json<Body>();
    assert.deepEqual(echo.parameters, { message: 'hi' });
    const allowed = await start(m, 'c', 'echo', { parameters: { extra: 1 }, allow_custom_parameters: true });
    assert.equal(allowed.statusCode, 201);
    assert.deepEqual(allowed.json<Body>().parameters, { message: 'hi', extra: 1 });
    await m.manager.services.executions.settled(allowed.json<Body>().id);
  } finally {
    await m.close();
  }
});

test('cancel and force-cancel through AbortController; illegal actions; PATCH status; failures keep the error', async () => {
  const g = gate();
  const m = await startTestManager({ ...fakeDeps, runner: fakeRunner({ gate: g.promise }) });
  try {
    await deploy(m, 'x');
    await deploy(m, 'y');
    const e1 = (await start(m, 'x', 'install')).json<Body>();
    const cancelling = await m.call('POST', `/api/v2/executions/${e1.id}`, { json: { action: 'cancel' } });
    assert.equal(cancelling.statusCode, 200);
    assert.equal(cancelling.json<Body>().status, 'cancelling');
    await m.manager.services.executions.settled(e1.id);
    assert.equal((await m.call('GET', `/api/v2/executions/${e1.id}`)).json<Body>().status, 'cancelled');
    const again = await m.call('POST', `/api/v2/executions/${e1.id}`, { json: { action: 'cancel' } });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json<Body>().error_code, 'illegal_action_error');
    assert.match(again.json<Body>().message, /Can't cancel execution .* because it's in status cancelled/);
    const badAction = await m.call('POST', `/api/v2/executions/${e1.id}`, { json: { action: 'pause' } });
    assert.equal(badAction.json<Body>().error_code, 'bad_parameters_error');

    const e2 = (await start(m, 'y', 'install')).json<Body>();
    const forced = await m.call('POST', `/api/v2/executions/${e2.id}`, { json: { action: 'force-cancel' } });
    assert.equal(forced.json<Body>().status, 'force_cancelling');
    await m.manager.services.executions.settled(e2.id);
    assert.equal((await m.call('GET', `/api/v2/executions/${e2.id}`)).json<Body>().status, 'cancelled');

    const patched = await m.call('PATCH', `/api/v2/executions/${e2.id}`, { json: { status: 'failed', error: 'by hand' } });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json<Body>().error, 'by hand');
    assert.equal((await m.call('PATCH', `/api/v2/executions/${e2.id}`, { json: { status: 'weird' } })).statusCode, 400);
  } finally {
    g.open();
    await m.close();
  }
  const failing = await startTestManager({ ...fakeDeps, runner: fakeRunner({ fail: 'boom: the script exited with 3' }) });
  try {
    await deploy(failing, 'f');
    const e = (await start(failing, 'f', 'install')).json<Body>();
    await failing.manager.services.executions.settled(e.id);
    const after = (await failing.call('GET', `/api/v2/executions/${e.id}`)).json<Body>();
    assert.equal(after.status, 'failed');
    assert.match(after.error, /boom: the script exited with 3/);
  } finally {
    await failing.close();
  }
});

test('restart reconciliation: executions left active are failed with the interrupted error and an event', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-reconcile-'));
  const g = gate();
  const first = await startTestManager({ ...fakeDeps, runner: fakeRunner({ gate: g.promise }) }, { dataDir, keepDataDir: true });
  let id: string;
  try {
    await deploy(first, 'r');
    id = (await start(first, 'r', 'install')).json<Body>().id;
    await new Promise((r) => setImmediate(r));
    assert.equal((await first.call('GET', `/api/v2/executions/${id}`)).json<Body>().status, 'started');
    // Simulate a crash: the old process never finishes its bookkeeping. We drop it without close().
  } finally {
    // (nothing: the first manager "died")
  }
  // The first manager "died" (no close): the second opens the same SQLite file.
  const second = await startTestManager(fakeDeps, { dataDir });
  try {
    assert.deepEqual(second.manager.reconciled, [id]);
    const after = (await second.call('GET', `/api/v2/executions/${id}`)).json<Body>();
    assert.equal(after.status, 'failed');
    assert.equal(after.error, restartInterruptedError);
    const events = (await second.call('GET', `/api/v2/events?execution_id=${id}&type=cloudify_event`)).json<Body>();
    assert.ok(events.items.some((e: { event_type: string }) => e.event_type === 'workflow_failed'));
    const again = await start(second, 'r', 'install');
    assert.equal(again.statusCode, 201, 'the deployment is no longer blocked');
    await second.manager.services.executions.settled(again.json<Body>().id);
  } finally {
    await second.close();
    g.open();
    await first.manager.close();
    cleanup(dataDir);
  }
});

test('system-wide executions: exclusive both ways; hidden from lists unless include_system_workflows=true', async () => {
  const g = gate();
  const m = await startTestManager({ ...fakeDeps, runner: fakeRunner({ gate: g.promise }) });
  const executions = m.manager.services.executions;
  try {
    await deploy(m, 'sw');
    const user = (await start(m, 'sw', 'install')).json<Body>();
    await assert.rejects(
      executions.startSystemWorkflow({ workflowId: 'restore_snapshot', parameters: {}, run: () => Promise.resolve() }),
      (error: Error & { code?: string }) =>
        error.code === 'existing_running_execution_error' && /system-wide execution if there are other executions running/.test(error.message),
    );
    g.open();
    await executions.settled(user.id);
    const systemGate = gate();
    const system = await executions.startSystemWorkflow({
      workflowId: 'restore_snapshot',
      parameters: { snapshot_id: 's1' },
      run: async ({ signal }) => {
        assert.equal(signal.aborted, false);
        await systemGate.promise;
      },
    });
    assert.equal(system.is_system_workflow, true);
    assert.equal(system.deployment_id, null);
    const blocked = await start(m, 'sw', 'uninstall');
    assert.equal(blocked.statusCode, 400);
    assert.match(blocked.json<Body>().message, /running system-wide execution \(id: /);
    systemGate.open();
    await executions.settled(system.id);
    assert.equal((await m.call('GET', `/api/v2/executions/${system.id}`)).json<Body>().status, 'terminated');
    const hidden = (await m.call('GET', '/api/v2/executions')).json<Body>();
    assert.ok(!hidden.items.some((e) => e.id === system.id));
    const shown = (await m.call('GET', '/api/v2/executions?include_system_workflows=true')).json<Body>();
    assert.ok(shown.items.some((e) => e.id === system.id));
  } finally {
    g.open();
    await m.close();
  }
});
