/** Conformance: exportAll / importAll (round trip, exclusions, all-or-nothing, consistency). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { currentSchemaVersion, type ExportHeader, type ExportItem, type StoragePort } from '../../src/storage/index.js';
import type { ConformanceContext } from './conformance.js';
import { rejectsWithCode } from './conformance-crud.js';
import { blueprint, eventDoc, seedDeployment } from './records.js';
import { collect, failingAfter, populate, rowsByTable, withDuplicate } from './transfer-helpers.js';

const restorable = ['blueprints', 'deployments', 'nodes', 'node_instances', 'executions', 'tasks', 'deployment_modifications', 'agents', 'plugins', 'events'];

async function target(ctx: ConformanceContext): Promise<StoragePort> {
  const s = await ctx.open();
  await seedDeployment(s, 'old', 'old_bp');
  await s.events.append([eventDoc(1, 'ex_old', 'old')]);
  await s.users.create({ username: 'keeper', passwordHash: 'y', role: 'user', createdAt: '2026-02-02T00:00:00.000Z' });
  await s.providerContext.set({ name: 'target', context: { keep: true } });
  return s;
}

export function transferSection(ctx: ConformanceContext): void {
  describe('export and import', () => {
    test('export: header with schema version, restorable tables only, counts in the trailer', async () => {
      const s = await ctx.open();
      await populate(s);
      const items = await collect(s);
      const header = items[0] as ExportHeader;
      assert.deepEqual([header.kind, header.format, header.formatVersion, header.schemaVersion, header.dialect], ['header', 'rekindle-storage', 1, currentSchemaVersion, ctx.dialect]);
      assert.deepEqual(header.tables, restorable);
      const rows = rowsByTable(items);
      assert.deepEqual(Object.keys(rows), restorable);
      const end = items[items.length - 1]!;
      assert.deepEqual(end, { kind: 'end', counts: Object.fromEntries(restorable.map((t) => [t, rows[t]!.length])) });
      assert.equal(rows.events!.length, 1500);
      const vm = rows.node_instances!.find((r) => (r as { id: string }).id === 'vm_d1') as Record<string, unknown>;
      assert.deepEqual(vm.runtime_properties, { ip: '10.0.0.5', cloudify_agent: { name: 'vm_d1', broker_ip: '10.0.0.1' }, flag: true, n: 1.5 });
      assert.equal((rows.executions!.find((r) => (r as { id: string }).id === 'snap_ex') as Record<string, unknown>).is_system_workflow, true);
    });

    test('import replaces the restorable tables and keeps users, provider context, snapshots', async () => {
      const source = await ctx.open();
      await populate(source);
      const items = await collect(source);
      const dest = await target(ctx);
      const counts = await dest.importAll(items);
      assert.equal(counts.events, 1500);
      assert.deepEqual(rowsByTable(await collect(dest)), rowsByTable(items));
      assert.equal(await dest.blueprints.find('old_bp'), null);
      assert.ok(await dest.users.find('keeper'));
      assert.equal(await dest.users.find('admin'), null);
      assert.deepEqual(await dest.providerContext.get(), { name: 'target', context: { keep: true } });
      assert.equal(await dest.events.count(), 1500);
      await dest.events.append([eventDoc(9999, 'ex_d1', 'd1')]);
      const last = (await dest.events.list({ sort: ['-seq'], size: 1 })).items[0]!;
      const maxImported = Math.max(...rowsByTable(items).events!.map((r) => (r as { seq: number }).seq));
      assert.ok(last.seq > maxImported, `new seq ${last.seq} must follow imported ${maxImported}`);
      assert.deepEqual((await dest.integrityCheck()).problems, []);
    });

    test('an import failing midway leaves the old data intact', async () => {
      const source = await ctx.open();
      await populate(source, 50);
      const items = await collect(source);
      const dest = await target(ctx);
      const before = rowsByTable(await collect(dest));
      await rejectsWithCode(dest.importAll(withDuplicate(items, 'executions')), 'storage_export_invalid');
      await assert.rejects(dest.importAll(failingAfter(items, 40)), /stream broke/);
      await rejectsWithCode(dest.importAll(items.slice(0, -1)), 'storage_export_invalid');
      const badCount = items.map((i) => (i.kind === 'end' ? { ...i, counts: { ...i.counts, events: 1 } } : i));
      await rejectsWithCode(dest.importAll(badCount), 'storage_export_invalid');
      const unknownTable: ExportItem[] = [items[0]!, { kind: 'row', table: 'users', row: {} }, items[items.length - 1]!];
      await rejectsWithCode(dest.importAll(unknownTable), 'storage_export_invalid');
      const badColumn = items.map((i) => (i.kind === 'row' && i.table === 'plugins' ? { ...i, row: { ...i.row, extra: 1 } } : i));
      await rejectsWithCode(dest.importAll(badColumn), 'storage_export_invalid');
      const newer = items.map((i) => (i.kind === 'header' ? { ...i, schemaVersion: currentSchemaVersion + 1 } : i));
      await rejectsWithCode(dest.importAll(newer), 'storage_export_invalid');
      await rejectsWithCode(dest.importAll([]), 'storage_export_invalid');
      assert.deepEqual(rowsByTable(await collect(dest)), before);
      assert.equal(await dest.events.count(), 1);
      assert.deepEqual((await dest.integrityCheck()).problems, []);
    });

    test('merge import adds to existing rows, renumbers events, and fails whole on a duplicate id', async () => {
      const source = await ctx.open();
      await populate(source, 30);
      const items = await collect(source);
      const dest = await target(ctx);
      const counts = await dest.importAll(items, { mode: 'merge' });
      assert.equal(counts.events, 30);
      assert.ok(await dest.blueprints.find('old_bp'));
      assert.ok(await dest.blueprints.find('bp1'));
      assert.equal(await dest.events.count(), 31);
      const events = (await dest.events.list({ size: 100 })).items;
      assert.deepEqual(events.map((e) => e.message), ['log 1 100%_done', ...rowsByTable(items).events!.map((r) => (r as { message: string }).message)]);
      assert.equal(new Set(events.map((e) => e.seq)).size, 31);
      const before = rowsByTable(await collect(dest));
      await rejectsWithCode(dest.importAll(items, { mode: 'merge' }), 'storage_export_invalid');
      assert.deepEqual(rowsByTable(await collect(dest)), before);
      assert.deepEqual((await dest.integrityCheck()).problems, []);
    });

    test('export reads one consistent snapshot while writers keep going', async () => {
      const s = await ctx.open();
      await populate(s, 1200);
      const iterator = s.exportAll()[Symbol.asyncIterator]();
      const items: ExportItem[] = [];
      for (let i = 0; i < 3; i += 1) items.push((await iterator.next()).value as ExportItem);
      await s.blueprints.create(blueprint('late'));
      await s.events.append([eventDoc(5000, 'ex_d1', 'd1')]);
      await s.deployments.delete('d3');
      await s.nodeInstances.update('vm_d1', { state: 'deleted' });
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) items.push(r.value);
      const rows = rowsByTable(items);
      assert.deepEqual(rows.blueprints!.map((b) => (b as { id: string }).id), ['bp1']);
      assert.equal(rows.events!.length, 1200);
      assert.ok(rows.deployments!.some((d) => (d as { id: string }).id === 'd3'));
      assert.equal((rows.node_instances!.find((n) => (n as { id: string }).id === 'vm_d1') as { state: string }).state, 'started');
      assert.equal((await s.blueprints.list()).total, 2);
    });

    test('an abandoned export releases its snapshot', async () => {
      const s = await ctx.open();
      await populate(s, 10);
      for await (const item of s.exportAll()) if (item.kind === 'row') break;
      await s.blueprints.create(blueprint('after'));
      assert.equal((await collect(s)).filter((i) => i.kind === 'row' && i.table === 'blueprints').length, 2);
    });
  });
}
