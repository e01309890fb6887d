/**
 * Conformance: node-instance versions and the InstanceStorePort, transactions, migrations on
 * reopen, provider context and manager state, the integrity check.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createInstanceStore, currentSchemaVersion } from '../../src/storage/index.js';
import type { ConformanceContext } from './conformance.js';
import { rejectsWithCode } from './conformance-crud.js';
import { blueprint, nodeInstance, seedDeployment } from './records.js';

export function stateSection(ctx: ConformanceContext): void {
  describe('node instances', () => {
    test('every update increments version; a stale expectedVersion is conflict_error (409)', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      const first = await s.nodeInstances.update('vm_d1', { state: 'creating' });
      assert.equal(first.version, 2);
      const second = await s.nodeInstances.update('vm_d1', { runtimeProperties: { ip: '10.0.0.1' } }, 2);
      assert.deepEqual([second.version, second.state, second.runtimeProperties], [3, 'creating', { ip: '10.0.0.1' }]);
      await rejectsWithCode(s.nodeInstances.update('vm_d1', { runtimeProperties: {} }, 2), 'conflict_error', 409);
      assert.deepEqual((await s.nodeInstances.get('vm_d1')).runtimeProperties, { ip: '10.0.0.1' });
      await rejectsWithCode(s.nodeInstances.update('missing', { state: 'started' }, 1), 'not_found_error', 404);
    });

    test('InstanceStorePort adapter: scoped to one deployment, optimistic updates', async () => {
      const s = await ctx.open();
      await seedDeployment(s, 'd1');
      await seedDeployment(s, 'd2');
      const store = createInstanceStore(s, 'd1');
      await store.setState('vm_d1', 'started');
      const state = await store.get('vm_d1');
      assert.deepEqual(state, { id: 'vm_d1', nodeId: 'vm', state: 'started', runtimeProperties: {}, version: 2 });
      const next = await store.updateRuntimeProperties('vm_d1', { a: 1 }, 2);
      assert.equal(next.version, 3);
      await rejectsWithCode(store.updateRuntimeProperties('vm_d1', { a: 2 }, 2), 'conflict_error', 409);
      await rejectsWithCode(store.get('vm_d2'), 'not_found_error', 404);
    });
  });

  describe('transactions', () => {
    test('a throwing transaction rolls back every write; a resolving one commits', async () => {
      const s = await ctx.open();
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.blueprints.create(blueprint('a'));
          await tx.transaction((inner) => inner.blueprints.create(blueprint('b')));
          await tx.events.append([]);
          await tx.managerState.set('flag', true);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await s.blueprints.list()).total, 0);
      assert.equal(await s.managerState.get('flag'), undefined);
      const result = await s.transaction(async (tx) => {
        await tx.blueprints.create(blueprint('a'));
        return (await tx.blueprints.list()).total;
      });
      assert.equal(result, 1);
      assert.ok(await s.blueprints.find('a'));
    });

    test('a failing statement inside a transaction rolls back the earlier ones', async () => {
      const s = await ctx.open();
      await s.blueprints.create(blueprint('a'));
      await rejectsWithCode(
        s.transaction(async (tx) => {
          await tx.blueprints.create(blueprint('b'));
          await tx.blueprints.create(blueprint('a'));
        }),
        'conflict_error',
      );
      assert.equal(await s.blueprints.find('b'), null);
    });
  });

  describe('schema and manager state', () => {
    test('migrations are idempotent: reopening keeps the version and the data', async () => {
      const url = await ctx.newUrl();
      const first = await ctx.openUrl(url);
      assert.equal(await first.schemaVersion(), currentSchemaVersion);
      await seedDeployment(first, 'd1');
      await first.close();
      await first.close();
      const second = await ctx.openUrl(url);
      assert.equal(await second.schemaVersion(), currentSchemaVersion);
      assert.equal((await second.nodeInstances.get('vm_d1')).deploymentId, 'd1');
      assert.deepEqual((await second.integrityCheck()).problems, []);
    });

    test('a database with a newer schema is refused (storage_schema_too_new)', async () => {
      const url = await ctx.newUrl();
      const storage = await ctx.openUrl(url);
      await storage.close();
      await ctx.exec(url, `insert into schema_version (version, name, applied_at) values (999, 'future', '2030-01-01T00:00:00.000Z')`);
      await rejectsWithCode(ctx.openUrl(url), 'storage_schema_too_new');
    });

    test('provider context is a single row; manager state is key/value JSON', async () => {
      const s = await ctx.open();
      assert.equal(await s.providerContext.get(), null);
      await s.providerContext.set({ name: 'openstack', context: { cloudify: { resources_prefix: 'x' } } });
      await s.providerContext.set({ name: 'local', context: { a: [1] } });
      assert.deepEqual(await s.providerContext.get(), { name: 'local', context: { a: [1] } });
      await s.managerState.set('restore_in_progress', { snapshotId: 's1' });
      assert.deepEqual(await s.managerState.get('restore_in_progress'), { snapshotId: 's1' });
      await s.managerState.set('restore_in_progress', false);
      assert.equal(await s.managerState.get('restore_in_progress'), false);
      await s.managerState.delete('restore_in_progress');
      assert.equal(await s.managerState.get('restore_in_progress'), undefined);
    });

    test('integrity check: ok when sound; reports orphans and a wrong event count', async () => {
      const url = await ctx.newUrl();
      const s = await ctx.openUrl(url);
      await seedDeployment(s, 'd1');
      assert.deepEqual(await s.integrityCheck(), { ok: true, problems: [] });
      await s.nodeInstances.create(nodeInstance('ghost_1', 'd1', 'ghost'));
      await ctx.exec(url, 'update event_stats set total = 5');
      const report = await s.integrityCheck();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p.includes('node_instances ghost_1') && p.includes('missing nodes row ghost')), report.problems.join('\n'));
      assert.ok(report.problems.some((p) => p.includes('event_stats')), report.problems.join('\n'));
    });

    test('integrity check reports rows whose parent is gone (foreign keys bypassed)', async () => {
      const url = await ctx.newUrl();
      const s = await ctx.openUrl(url);
      await seedDeployment(s, 'd1');
      await s.close();
      const bypass = ctx.dialect === 'postgres' ? 'set session_replication_role = replica;' : 'pragma foreign_keys = off;';
      await ctx.exec(url, `${bypass} delete from nodes; delete from blueprints;`);
      const reopened = await ctx.openUrl(url);
      const report = await reopened.integrityCheck();
      assert.equal(report.ok, false);
      assert.ok(report.problems.some((p) => p === 'node_instances vm_d1 refers to a missing nodes row vm'), report.problems.join('\n'));
      assert.ok(report.problems.some((p) => p === 'deployments d1 refers to a missing blueprints row bp'), report.problems.join('\n'));
      if (ctx.dialect === 'sqlite') assert.ok(report.problems.some((p) => p.startsWith('foreign key: deployments')), report.problems.join('\n'));
    });
  });
}
