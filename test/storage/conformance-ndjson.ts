/**
 * Conformance: the ndjson export encoding (`exportAll({ encoding: 'ndjson' })`) and execution
 * exclusion, importing `lines` items, and the secondary indexes a replace import drops and
 * re-creates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventDocument } from '../../src/core/index.js';
import { encodeLines, type ExportItem, type ExportOptions, type ImportItem, type StoragePort } from '../../src/storage/index.js';
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

    test('encoded items (lines parsed by encodeLines in another thread) import like the lines, in both modes', async () => {
      const source = await ctx.open();
      await populate(source, 600);
      const items = await collectWith(source, { encoding: 'ndjson' });
      const expected = rowsByTable(await collect(source));
      for (const mode of ['replace', 'merge'] as const) {
        const encoded: ImportItem[] = items.map((i) => (i.kind === 'lines' ? encodeLines(i.table, i.ndjson, mode) : i));
        const dest = await ctx.open();
        assert.deepEqual(await dest.importAll(encoded, { mode }), Object.fromEntries(Object.entries((items.at(-1) as { counts: Record<string, number> }).counts)));
        const rows = rowsByTable(await collect(dest));
        for (const table of Object.keys(expected)) {
          // A merge gives events new sequence numbers: compare them without seq.
          const strip = (r: unknown): unknown => (mode === 'merge' && table === 'events' ? { ...(r as object), seq: 0 } : r);
          assert.deepEqual(rows[table]?.map(strip), expected[table]!.map(strip), `${mode} ${table}`);
        }
      }
    });

    test('an encoded item whose shape does not match its table is refused and rolls back', async () => {
      const source = await ctx.open();
      await populate(source);
      const items = await collectWith(source, { encoding: 'ndjson' });
      const skewed: ImportItem[] = items.map((i) => {
        if (i.kind !== 'lines') return i;
        const rows = encodeLines(i.table, i.ndjson, 'replace');
        return i.table === 'events' ? { ...rows, params: rows.params.slice(1) } : rows;
      });
      const dest = await ctx.open();
      await dest.events.append([eventDoc(1, 'x', 'y')]);
      await rejectsWithCode(dest.importAll(skewed), 'storage_encoded_rows_error');
      assert.equal(await dest.events.count(), 1);
      assert.throws(() => encodeLines('events', '{"seq":1}\n', 'replace'), (e: { code?: string; message?: string }) => e.code === 'storage_export_invalid' && /missing value for events\.timestamp/.test(e.message ?? ''));
      assert.throws(() => encodeLines('no_such_table', '', 'replace'), (e: { code?: string }) => e.code === 'storage_export_invalid');
    });
  });
}
