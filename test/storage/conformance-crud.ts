/** Conformance: create/read/update/delete, errors, cascades, value round trips. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConformanceContext } from './conformance.js';
import { blueprint, deployment, iso, node, nodeInstance, seedDeployment } from './records.js';

/** Asserts that `promise` rejects with a Rekindle error of `code` (and HTTP status). */
export async function rejectsWithCode(promise: Promise<unknown>, code: string, status?: number): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; httpStatus?: number }) => {
    assert.equal(error.code, code);
    if (status !== undefined) assert.equal(error.httpStatus, status);
    return true;
  });
}

export function crudSection(ctx: ConformanceContext): void {
  describe('records', () => {
    test('create, get, update, delete a blueprint; JSON, unicode, NUL and nulls survive', async () => {
      const s = await ctx.open();
      const bp = blueprint('bp1');
      assert.deepEqual(await s.blueprints.create(bp), bp);
      assert.deepEqual(await s.blueprints.get('bp1'), bp);
      const updated = await s.blueprints.update('bp1', { description: null, updatedAt: iso(9000) });
      assert.equal(updated.description, null);
      assert.equal(updated.updatedAt, iso(9000));
      assert.deepEqual(updated.plan, bp.plan);
      assert.deepEqual(await s.blueprints.delete('bp1'), updated);
      assert.equal(await s.blueprints.find('bp1'), null);
    });

    test('missing records are not_found_error (404) for get, update and delete', async () => {
      const s = await ctx.open();
      await rejectsWithCode(s.blueprints.get('nope'), 'not_found_error', 404);
      await rejectsWithCode(s.blueprints.update('nope', { description: 'x' }), 'not_found_error', 404);
      await rejectsWithCode(s.blueprints.delete('nope'), 'not_found_error', 404);
      await rejectsWithCode(s.nodes.get({ deploymentId: 'd', id: 'n' }), 'not_found_error', 404);
    });

    test('a duplicate id is conflict_error (409); a missing parent is storage_reference_error', async () => {
      const s = await ctx.open();
      await s.blueprints.create(blueprint('bp1'));
      await rejectsWithCode(s.blueprints.create(blueprint('bp1')), 'conflict_error', 409);
      await rejectsWithCode(s.deployments.create(deployment('d1', 'missing')), 'storage_reference_error', 404);
    });

    test('a blueprint with deployments cannot be deleted (dependent_exists_error)', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1', 'bp1');
      await rejectsWithCode(s.blueprints.delete('bp1'), 'dependent_exists_error', 400);
      assert.ok(await s.blueprints.find('bp1'));
    });

    test('deleting a deployment removes its nodes, instances, executions and tasks', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1', 'bp1');
      await seedDeployment(s, 'd2', 'bp1');
      await s.deployments.delete('d1');
      assert.equal((await s.nodes.list({ filter: { deploymentId: 'd1' } })).total, 0);
      assert.equal((await s.nodeInstances.list({ filter: { deploymentId: 'd1' } })).total, 0);
      assert.equal(await s.executions.find('ex_d1'), null);
      assert.equal(await s.tasks.find('task_d1'), null);
      assert.ok(await s.tasks.find('task_d2'));
      assert.ok(await s.nodes.find({ deploymentId: 'd2', id: 'vm' }));
    });

    test('nodes have a composite key (deployment, node id)', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      await seedDeployment(s, 'd2');
      await rejectsWithCode(s.nodes.create(node('d1', 'vm')), 'conflict_error', 409);
      const updated = await s.nodes.update({ deploymentId: 'd2', id: 'vm' }, { numberOfInstances: 3 });
      assert.equal(updated.numberOfInstances, 3);
      assert.equal((await s.nodes.get({ deploymentId: 'd1', id: 'vm' })).numberOfInstances, 1);
      assert.deepEqual((await s.nodes.get({ deploymentId: 'd1', id: 'vm' })).model, node('d1', 'vm').model);
    });

    test('every other repository stores and returns its records unchanged', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      const snapshot = { id: 's1', createdAt: iso(1), status: 'created' as const, error: null, size: 5_000_000_000, sha256: 'ab'.repeat(32), encrypted: true };
      assert.deepEqual(await s.snapshots.get((await s.snapshots.create(snapshot)).id), snapshot);
      const user = { username: 'admin', passwordHash: 'scrypt$x', role: 'admin', createdAt: iso(2) };
      await s.users.create(user);
      const token = { hash: 'h1', username: 'admin', createdAt: iso(3), expiresAt: iso(4) };
      await s.tokens.create(token);
      assert.deepEqual(await s.tokens.get('h1'), token);
      const agent = { name: 'vm_d1', deploymentId: 'd1', nodeInstanceId: 'vm_d1', credentialsHash: null, version: '3.3', lastSeen: iso(5), state: 'started', createdAt: iso(5) };
      await s.agents.create(agent);
      assert.deepEqual(await s.agents.get('vm_d1'), agent);
      const plugin = { id: 'p1', packageName: 'cloudify-openstack-plugin', packageVersion: '1.3', archiveName: 'p.wgn', supportedPlatform: 'any', distribution: null, distributionRelease: null, metadata: { wheels: ['a.whl'] }, uploadedAt: iso(6) };
      await s.plugins.create(plugin);
      assert.deepEqual(await s.plugins.get('p1'), plugin);
      const modification = { id: 'm1', deploymentId: 'd1', status: 'started' as const, modifiedNodes: { vm: { instances: 2 } }, nodeInstances: { added_and_related: [] }, context: {}, createdAt: iso(7), endedAt: null };
      await s.deploymentModifications.create(modification);
      assert.deepEqual(await s.deploymentModifications.get('m1'), modification);
      const task = await s.tasks.update('task_d1', { state: 'failed', attempt: 2, nextAttemptAt: iso(8), result: [1, 2], error: { message: 'boom' } });
      assert.deepEqual([task.state, task.attempt, task.nextAttemptAt, task.result, task.error], ['failed', 2, iso(8), [1, 2], { message: 'boom' }]);
      const ex = await s.executions.get('ex_d1');
      assert.equal(typeof ex.isSystemWorkflow, 'boolean');
      await s.users.delete('admin');
      assert.equal(await s.tokens.find('h1'), null, 'tokens go with their user');
    });

    test('createMany inserts in batches and fails as a whole on a duplicate', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      const many = Array.from({ length: 3000 }, (_, i) => nodeInstance(`ni_${i}`, 'd1', 'vm'));
      await s.nodeInstances.createMany(many);
      assert.equal((await s.nodeInstances.list({ filter: { deploymentId: 'd1' }, size: 1 })).total, 3001);
      await rejectsWithCode(s.transaction((tx) => tx.nodeInstances.createMany([nodeInstance('new', 'd1', 'vm'), nodeInstance('ni_1', 'd1', 'vm')])), 'conflict_error');
      assert.equal(await s.nodeInstances.find('new'), null);
    });

    test('deleteWhere deletes what the filter matches', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      await s.nodeInstances.createMany([nodeInstance('a', 'd1', 'vm'), nodeInstance('b', 'd1', 'db')]);
      assert.equal(await s.nodeInstances.deleteWhere({ nodeId: 'vm' }), 2);
      assert.deepEqual((await s.nodeInstances.list()).items.map((i) => i.id), ['b']);
      assert.equal(await s.nodes.deleteWhere({ deploymentId: 'd1' }), 1);
    });
  });
}
