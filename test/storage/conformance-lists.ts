/** Conformance: REST list semantics (filters, sort, offset/size, totals). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoragePort } from '../../src/storage/index.js';
import type { ConformanceContext } from './conformance.js';
import { rejectsWithCode } from './conformance-crud.js';
import { blueprint, execution, seedDeployment } from './records.js';

async function withExecutions(s: StoragePort): Promise<void> {
  await seedDeployment(s, 'd1');
  await seedDeployment(s, 'd2');
  await s.executions.createMany(Array.from({ length: 25 }, (_, i) => execution(`e${String(i).padStart(2, '0')}`, i % 5 === 0 ? null : i % 2 === 0 ? 'd1' : 'd2', i)));
}

export function listSection(ctx: ConformanceContext): void {
  describe('lists', () => {
    test('offset and size page through a stable order; total counts all matches', async () => {
      const s = await ctx.open();
      await s.blueprints.createMany(Array.from({ length: 12 }, (_, i) => blueprint(`bp${String(i).padStart(2, '0')}`, i)));
      const pages = [];
      for (let offset = 0; offset < 12; offset += 5) pages.push(await s.blueprints.list({ offset, size: 5, sort: ['id'] }));
      assert.deepEqual(pages.map((p) => p.items.length), [5, 5, 2]);
      assert.deepEqual(pages.flatMap((p) => p.items.map((b) => b.id)), Array.from({ length: 12 }, (_, i) => `bp${String(i).padStart(2, '0')}`));
      assert.ok(pages.every((p) => p.total === 12));
      const beyond = await s.blueprints.list({ offset: 50, size: 5 });
      assert.deepEqual([beyond.items.length, beyond.total, beyond.offset, beyond.size], [0, 12, 50, 5]);
    });

    test('sort by allowed fields, - for descending, ties broken by the key', async () => {
      const s = await ctx.open();
      await withExecutions(s);
      const desc = await s.executions.list({ sort: ['-createdAt'] });
      const expectedDesc = [...desc.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
      assert.deepEqual(desc.items.map((e) => e.id), expectedDesc.map((e) => e.id));
      assert.equal(desc.items.length, 27);
      assert.equal(desc.items[0]!.id, 'e24');
      assert.deepEqual(desc.items.slice(-3).map((e) => e.id), ['e00', 'ex_d1', 'ex_d2']);
      const byWorkflow = await s.executions.list({ sort: ['workflowId', '-id'], size: 100 });
      const expected = [...byWorkflow.items].sort((a, b) => a.workflowId.localeCompare(b.workflowId) || b.id.localeCompare(a.id));
      assert.deepEqual(byWorkflow.items.map((e) => e.id), expected.map((e) => e.id));
      assert.equal(byWorkflow.items[0]!.workflowId, 'install');
    });

    test('filters: equality, any-of, null, boolean; combined with paging', async () => {
      const s = await ctx.open();
      await withExecutions(s);
      const d1 = await s.executions.list({ filter: { deploymentId: 'd1' }, size: 3 });
      assert.equal(d1.items.length, 3);
      assert.ok(d1.items.every((e) => e.deploymentId === 'd1'));
      const all = (await s.executions.list({ size: 100 })).items;
      assert.equal(d1.total, all.filter((e) => e.deploymentId === 'd1').length);
      const system = await s.executions.list({ filter: { deploymentId: null } });
      assert.equal(system.total, 5);
      assert.ok(system.items.every((e) => e.isSystemWorkflow));
      assert.equal((await s.executions.list({ filter: { isSystemWorkflow: true } })).total, 5);
      const anyOf = await s.executions.list({ filter: { status: ['failed'], deploymentId: ['d1', 'd2'] }, size: 100 });
      assert.equal(anyOf.total, all.filter((e) => e.status === 'failed' && e.deploymentId !== null).length);
      assert.equal((await s.executions.list({ filter: { id: [] } })).total, 0);
    });

    test('unknown sort or filter fields and bad offsets are bad_parameters_error', async () => {
      const s = await ctx.open();
      await rejectsWithCode(s.executions.list({ sort: ['-parameters'] }), 'bad_parameters_error', 400);
      await rejectsWithCode(s.executions.list({ sort: ['nope'] }), 'bad_parameters_error', 400);
      await rejectsWithCode(s.executions.list({ filter: { parameters: 'x' } }), 'bad_parameters_error', 400);
      await rejectsWithCode(s.executions.list({ offset: -1 }), 'bad_parameters_error', 400);
      await rejectsWithCode(s.executions.list({ size: 1.5 }), 'bad_parameters_error', 400);
    });

    test('size is capped at 10000', async () => {
      const s = await ctx.open();
      assert.equal((await s.blueprints.list({ size: 1_000_000 })).size, 10_000);
    });
  });
}
