/**
 * Conformance: the ndjson export encoding (`exportAll({ encoding: 'ndjson' })`) and execution
 * exclusion, importing `lines` items, and the secondary indexes a replace import drops and
 * re-creates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventDocument } from '../../src/core/index.js';
import type { ExportItem, ExportOptions, StoragePort } from '../../src/storage/index.js';
import type { ConformanceContext } from './conformance.js';
import { rejectsWithCode } from './conformance-crud.js';
import { eventDoc } from './records.js';
import { collect, populate, rowsByTable } from './transfer-helpers.js';

async function collectWith(s: StoragePort, options: ExportOptions): Promise<ExportItem[]> {
  const items: ExportItem[] = [];
  for await (const item of s.exportAll(options)) items.push(item);
  return items;
}

/** The rows of `lines` items parsed, grouped by table; checks each item's count. */
function linesByTable(items: readonly ExportItem[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const item of items) {
    assert.notEqual(item.kind, 'row', 'an ndjson export has no row items');
    if (item.kind !== 'lines') continue;
    assert.ok(item.ndjson.endsWith('\n'));
    const lines = item.ndjson.slice(0, -1).split('\n');
    assert.equal(lines.length, item.count);
    (out[item.table] ??= []).push(...lines.map((line) => JSON.parse(line) as unknown));
  }
  return out;
}

export function ndjsonSection(ctx: ConformanceContext): void {
  describe('ndjson export encoding', () => {
    test('holds the same rows, in the same order and key order, as the objects encoding', async () => {
      const s = await ctx.open();
      await populate(s, 2500); // events span several pages
      await s.events.append([{ ...eventDoc(9000, 'ex_d1', 'd1'), message: { text: 'line\nbreak "quoted" \u00e9 \u0001', arguments: null } } as EventDocument]);
      const objects = await collect(s);
      const lines = await collectWith(s, { encoding: 'ndjson' });
      assert.deepEqual(lines[0], { ...objects[0], exportedAt: (lines[0] as { exportedAt: string }).exportedAt });
      const fromLines = linesByTable(lines);
      const fromObjects = rowsByTable(objects);
      for (const table of Object.keys(fromObjects)) {
        assert.deepEqual(fromLines[table], fromObjects[table], table);
        assert.deepEqual(fromLines[table]!.map((r) => JSON.stringify(r)), fromObjects[table]!.map((r) => JSON.stringify(r)), `${table} key order`);
      }
      assert.deepEqual(lines[lines.length - 1], objects[objects.length - 1]);
    });

    test('excludeExecutionId leaves out the execution, its tasks and its events in both encodings', async () => {
      const s = await ctx.open();
      await populate(s);
      await s.tasks.create({ id: 't_snap', executionId: 'snap_ex', position: 1, name: 'x', state: 'pending', attempt: 0, nextAttemptAt: null, invocation: {}, result: null, error: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
      await s.events.append([eventDoc(7000, 'snap_ex', 'd1'), eventDoc(7001, 'snap_ex', 'd1')]);
      const all = rowsByTable(await collect(s));
      for (const encoding of ['objects', 'ndjson'] as const) {
        const items = await collectWith(s, { encoding, excludeExecutionId: 'snap_ex' });
        const rows = encoding === 'ndjson' ? linesByTable(items) : rowsByTable(items);
        const ids = (table: string, column: string): unknown[] => (rows[table] ?? []).map((r) => (r as Record<string, unknown>)[column]);
        assert.ok(!ids('executions', 'id').includes('snap_ex'), encoding);
        assert.ok(!ids('tasks', 'execution_id').includes('snap_ex'), encoding);
        assert.ok(!ids('events', 'execution_id').includes('snap_ex'), encoding);
        assert.equal(rows.events!.length, all.events!.length - 2, encoding);
        const end = items[items.length - 1]!;
        assert.ok(end.kind === 'end');
        assert.equal(end.counts.events, all.events!.length - 2);
        assert.equal(end.counts.executions, all.executions!.length - 1);
      }
    });

    test('importAll takes lines items: the round trip equals the source', async () => {
      const source = await ctx.open();
      await populate(source);
      const dest = await ctx.open();
      const counts = await dest.importAll(await collectWith(source, { encoding: 'ndjson' }));
      assert.equal(counts.events, 1500);
      assert.deepEqual(rowsByTable(await collect(dest)), rowsByTable(await collect(source)));
      assert.deepEqual((await dest.integrityCheck()).problems, []);
      const page = await dest.events.list({ executionId: 'ex_d1', size: 5 });
      assert.equal(page.total, 750);
    });

    test('a lines item with a bad line fails the import and leaves the old data', async () => {
      const source = await ctx.open();
      await populate(source);
      const items = await collectWith(source, { encoding: 'ndjson' });
      const broken = items.map((i) => (i.kind === 'lines' && i.table === 'events' ? { ...i, ndjson: `${i.ndjson}{not json\n`, count: i.count + 1 } : i));
      const dest = await ctx.open();
      await dest.events.append([eventDoc(1, 'x', 'y')]);
      await rejectsWithCode(dest.importAll(broken), 'storage_export_invalid');
      assert.equal(await dest.events.count(), 1);
      assert.equal((await dest.events.list({ executionId: 'x' })).total, 1);
      assert.deepEqual((await dest.integrityCheck()).problems, []);
    });
  });
}
