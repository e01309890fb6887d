import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { DeploymentModel } from '../../src/plan/model.js';
import { LocalStateStore, interruptedMessage } from '../../src/plugins/index.js';

function model(): DeploymentModel {
  const node = (id: string) => ({
    id,
    type: 'cloudify.nodes.Root',
    typeHierarchy: ['cloudify.nodes.Root'],
    properties: { p: id },
    operations: {},
    relationships: [],
    hostId: null,
    plugins: [],
    deployInstances: 1,
  });
  return {
    inputs: { a: 1 },
    nodes: [node('a'), node('b')],
    nodeInstances: [
      { id: 'a_1', nodeId: 'a', hostId: null, relationships: [] },
      {
        id: 'b_1',
        nodeId: 'b',
        hostId: null,
        relationships: [
          { type: 'cloudify.relationships.depends_on', targetId: 'a_1', targetName: 'a' },
        ],
      },
    ],
    workflows: {},
    outputs: {},
    groups: {},
    policies: {},
    plugins: [],
    description: null,
  };
}

function workspace(t: { after(fn: () => void): void }): {
  dir: string;
  blueprint: string;
  root: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'rk-local-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'blueprint.yaml'), 'tosca_definitions_version: cloudify_dsl_1_2\n');
  writeFileSync(join(dir, 'scripts', 'x.sh'), '#!/bin/sh\n');
  mkdirSync(join(dir, '.git'));
  return {
    dir,
    blueprint: join(dir, 'blueprint.yaml'),
    root: join(dir, '.cloudify', 'local-storage', 'local'),
  };
}

test('create writes the plan, one file per instance and a copy of the blueprint folder; open reads them back', async (t) => {
  const { blueprint, root } = workspace(t);
  const store = LocalStateStore.create(root, {
    name: 'local',
    blueprintPath: blueprint,
    inputs: { a: 1 },
    plan: model(),
    payload: { k: 'v' },
  });
  assert.deepEqual(readdirSync(store.resourcesDir()).sort(), ['blueprint.yaml', 'scripts']);
  const reopened = LocalStateStore.open(root);
  assert.equal(reopened.data().blueprintFilename, 'blueprint.yaml');
  assert.deepEqual(
    reopened.model().nodeInstances.map((i) => i.id),
    ['a_1', 'b_1'],
  );
  assert.deepEqual(reopened.payload(), { k: 'v' });
  assert.equal(reopened.nodeLookup().node('b').properties.p, 'b');
  const b = reopened.instances.list().find((i) => i.id === 'b_1')!;
  assert.equal(b.state, 'uninitialized');
  assert.equal(b.relationships[0]!.targetId, 'a_1');

  await reopened.instances.setState('a_1', 'started');
  const updated = await reopened.instances.updateRuntimeProperties('a_1', { ip: '127.0.0.1' }, 1);
  assert.equal(updated.version, 2);
  await assert.rejects(
    reopened.instances.updateRuntimeProperties('a_1', { ip: 'x' }, 1),
    (e: unknown) => (e as { code?: string }).code === 'conflict_error',
  );
  await assert.rejects(reopened.instances.get('../data'), /not found/);
  const third = LocalStateStore.open(root);
  assert.deepEqual(await third.instances.get('a_1'), {
    id: 'a_1',
    nodeId: 'a',
    hostId: null,
    relationships: [],
    state: 'started',
    runtimeProperties: { ip: '127.0.0.1' },
    version: 2,
  });
});

test('init again replaces the state; nothing but the state folder is left behind', (t) => {
  const { dir, blueprint, root } = workspace(t);
  const first = LocalStateStore.create(root, {
    name: 'local',
    blueprintPath: blueprint,
    inputs: {},
    plan: model(),
  });
  void first.instances.updateRuntimeProperties('a_1', { old: true });
  const second = LocalStateStore.create(root, {
    name: 'local',
    blueprintPath: blueprint,
    inputs: {},
    plan: model(),
  });
  assert.deepEqual(second.instances.list().find((i) => i.id === 'a_1')!.runtimeProperties, {});
  assert.deepEqual(readdirSync(join(dir, '.cloudify', 'local-storage')), ['local']);
  assert.ok(
    !existsSync(join(second.resourcesDir(), '.cloudify')),
    'the state folder is not copied into itself',
  );
});

test('open explains how to create a missing state', (t) => {
  const { root } = workspace(t);
  assert.throws(
    () => LocalStateStore.open(root, 'run init'),
    (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'local_state_missing');
      assert.deepEqual((e as { hints?: string[] }).hints, ['run init']);
      return true;
    },
  );
});

test('executions and their task journal survive a torn last line; unfinished executions are failed on the next run', async (t) => {
  const { blueprint, root } = workspace(t);
  const store = LocalStateStore.create(root, {
    name: 'local',
    blueprintPath: blueprint,
    inputs: {},
    plan: model(),
  });
  const now = new Date().toISOString();
  const base = {
    workflowId: 'install',
    deploymentId: 'local',
    blueprintId: 'local',
    error: null,
    parameters: {},
    createdAt: now,
    updatedAt: now,
  };
  await store.executions.createExecution({ id: 'e1', status: 'pending', ...base });
  await store.executions.setExecutionStatus('e1', 'started');
  await assert.rejects(
    store.executions.createExecution({ id: 'e1', status: 'pending', ...base }),
    /already exists/,
  );
  const invocation = { taskId: 't1' } as never;
  await store.executions.putTask({
    id: 't1',
    executionId: 'e1',
    attempt: 0,
    state: 'pending',
    nextAttemptAt: null,
    error: null,
    invocation,
  });
  await store.executions.putTask({
    id: 't2',
    executionId: 'e1',
    attempt: 0,
    state: 'pending',
    nextAttemptAt: null,
    error: null,
    invocation,
  });
  await store.executions.finishTask('t1', { state: 'succeeded' });
  appendFileSync(join(root, 'executions', 'e1.tasks'), '{"finish":"t2","outc'); // the process died mid-write
  const reopened = LocalStateStore.open(root);
  assert.deepEqual(
    (await reopened.executions.listTasks('e1')).map((task) => [task.id, task.state]),
    [
      ['t1', 'succeeded'],
      ['t2', 'pending'],
    ],
  );
  assert.deepEqual(
    (await reopened.executions.listTasks('e1', ['pending'])).map((task) => task.id),
    ['t2'],
  );
  await reopened.executions.finishTask('t2', { state: 'failed', error: 'x' });
  assert.deepEqual(
    (await reopened.executions.listTasks('e1')).map((task) => task.state),
    ['succeeded', 'failed'],
  );

  const failed = await reopened.failInterruptedExecutions();
  assert.deepEqual(
    failed.map((e) => [e.id, e.status, e.error]),
    [['e1', 'failed', interruptedMessage]],
  );
  assert.deepEqual(await reopened.failInterruptedExecutions(), []);
});

test('the lock refuses a second live holder and takes over a stale one', (t) => {
  const { blueprint, root } = workspace(t);
  const store = LocalStateStore.create(root, {
    name: 'local',
    blueprintPath: blueprint,
    inputs: {},
    plan: model(),
  });
  const sleeper = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  writeFileSync(join(root, 'lock'), sleeper.stdout); // a pid that exited: stale
  const release = store.lock();
  writeFileSync(join(root, 'lock'), String(process.ppid)); // a live process that is not us
  assert.throws(
    () => store.lock(),
    (e: unknown) => (e as { code?: string }).code === 'local_state_locked',
  );
  release();
  assert.ok(!existsSync(join(root, 'lock')));
});
