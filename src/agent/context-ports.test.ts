import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NonRecoverableError } from '../core/index.js';
import type { AgentOperationContext } from '../messaging/index.js';
import type { NodeModel } from '../plan/index.js';
import { snapshotPorts } from './context-ports.js';

const context: AgentOperationContext = {
  nodes: [{ id: 'app', type: 'x', typeHierarchy: ['x'], properties: { port: 80 } } as unknown as NodeModel],
  instances: [{ id: 'app_1', nodeId: 'app', state: 'started', runtimeProperties: { a: 1 }, version: 4 }],
  resources: { 'scripts/run.sh': Buffer.from('echo hi').toString('base64') },
  omittedResources: ['big.bin'],
};

test('snapshot ports read the snapshot and report changed runtime properties with the version read', async () => {
  const ports = snapshotPorts(context, 'vm_1');
  assert.equal(ports.nodes.node('app').properties.port, 80);
  const state = await ports.store.get('app_1');
  assert.equal(state.version, 4);
  assert.deepEqual(ports.changes(), []);
  const saved = await ports.store.updateRuntimeProperties('app_1', { a: 2 }, 4);
  assert.equal(saved.version, 5);
  await assert.rejects(ports.store.updateRuntimeProperties('app_1', { a: 3 }, 4), /version 5, not 4/);
  assert.deepEqual(ports.changes(), [{ nodeInstanceId: 'app_1', runtimeProperties: { a: 2 }, expectedVersion: 4 }]);
  assert.deepEqual(context.instances[0]?.runtimeProperties, { a: 1 }, 'the snapshot itself is not changed');
});

test('snapshot ports: resources by path, clear errors for missing, omitted and unknown things', async () => {
  const ports = snapshotPorts(context, 'vm_1');
  assert.equal((await ports.resources.get('./scripts/run.sh')).toString(), 'echo hi');
  await assert.rejects(ports.resources.get('big.bin'), /per-task resource cap/);
  await assert.rejects(ports.resources.get('nope.sh'), (e: unknown) => e instanceof NonRecoverableError && /not available on agent vm_1/.test(e.message));
  await assert.rejects(ports.store.get('other_1'), /not in the context the manager sent to agent vm_1/);
  assert.throws(() => ports.nodes.node('db'), /Node db is not part/);
});
