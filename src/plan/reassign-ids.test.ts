import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/index.js';
import type { DeploymentModel } from './model.js';
import { reassignInstanceIds } from './reassign-ids.js';

const model = {
  inputs: {},
  nodes: [],
  workflows: {},
  outputs: {},
  groups: {},
  policies: {},
  plugins: [],
  description: null,
  nodeInstances: [
    { id: 'vm_aaaaa', nodeId: 'vm', hostId: 'vm_aaaaa', relationships: [] },
    { id: 'app_bbbbb', nodeId: 'app', hostId: 'vm_aaaaa', relationships: [{ type: 'cloudify.relationships.contained_in', targetId: 'vm_aaaaa', targetName: 'vm' }] },
    { id: 'db_ccccc', nodeId: 'db', hostId: null, relationships: [] },
  ],
} satisfies DeploymentModel;

test('instances whose ids are taken get new ids, and every reference follows', () => {
  const out = reassignInstanceIds(model, new Set(['vm_aaaaa', 'other_11111']), seededRandom(7));
  const [vm, app, db] = out.nodeInstances;
  assert.notEqual(vm!.id, 'vm_aaaaa');
  assert.match(vm!.id, /^vm_[0-9a-f]{5}$/);
  assert.equal(vm!.hostId, vm!.id);
  assert.equal(app!.id, 'app_bbbbb');
  assert.equal(app!.hostId, vm!.id);
  assert.equal(app!.relationships[0]!.targetId, vm!.id);
  assert.equal(db!.id, 'db_ccccc');
  assert.equal(model.nodeInstances[0]!.id, 'vm_aaaaa', 'the input model is not changed');
});

test('nothing taken: the same model comes back', () => {
  assert.equal(reassignInstanceIds(model, new Set(['x_00000'])), model);
});
