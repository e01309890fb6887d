/**
 * exportAll / importAll: every restorable table in a neutral, dialect-independent form
 * (snake_case columns, JSON values, ISO times), versioned with the schema version.
 */
import { sql } from 'kysely';
import { bulkRows, insertRows } from './bulk-insert.js';
import type { DbContext } from './db.js';
import { dbErrorKind, invalidExport } from './errors.js';
import { adjustCount, setCount } from './events.js';
import { currentSchemaVersion } from './migrations/index.js';
import { readSchemaVersion } from './migrate.js';
import type { ExportItem, ImportMode } from './port.js';
import { neutralToRow, rowToNeutral, type Row } from './row-codec.js';
import { restorableTables, type TableSpec } from './tables.js';

/** Rows read per keyset page during export. */
const exportPage = 1000;

/** A read transaction holding one consistent snapshot of the database. */
export interface SnapshotReader {
  ctx: DbContext;
  /** Ends the read transaction and releases its connection. */
  finish(): Promise<void>;
}

function keyColumns(spec: TableSpec): string[] {
  return spec.key.map((f) => spec.columns.find((c) => c.field === f)!.column);
}

/** Streams the restorable tables from the reader's snapshot, then finishes the reader. */
export async function* exportTables(open: () => Promise<SnapshotReader>): AsyncGenerator<ExportItem> {
  const reader = await open();
  try {
    const { db } = reader.ctx;
    // The first read fixes the snapshot (SQLite WAL read mark / PostgreSQL REPEATABLE READ).
    const schemaVersion = await readSchemaVersion(reader.ctx);
    yield {
      kind: 'header',
      format: 'rekindle-storage',
      formatVersion: 1,
      schemaVersion,
      dialect: reader.ctx.dialect,
      exportedAt: new Date().toISOString(),
      tables: restorableTables.map((t) => t.table),
    };
    const counts: Record<string, number> = {};
    for (const spec of restorableTables) {
      const keys = keyColumns(spec);
      let last: unknown[] | null = null;
      let count = 0;
      for (;;) {
        let q = db.selectFrom(spec.table).selectAll();
        if (last) {
          const after = last;
          q = keys.length === 1 ? q.where(keys[0]!, '>', after[0]) : q.where((eb) => eb(eb.refTuple(keys[0]!, keys[1]!), '>', eb.tuple(after[0], after[1])));
        }
        for (const k of keys) q = q.orderBy(k, 'asc');
        const rows = await q.limit(exportPage).execute();
        for (const row of rows) yield { kind: 'row', table: spec.table, row: rowToNeutral(spec, row) };
        count += rows.length;
        const tail = rows[rows.length - 1];
        if (!tail || rows.length < exportPage) break;
        last = keys.map((k) => tail[k]);
      }
      counts[spec.table] = count;
    }
    yield { kind: 'end', counts };
  } finally {
    await reader.finish();
  }
}

/**
 * Writes the stream's rows into the restorable tables: `replace` empties them first, `merge`
 * adds to them (events get new sequence numbers, in stream order). `ctx` must be a
 * transaction: any failure (bad header, unknown table or column, database constraint such as
 * a duplicate id, missing or mismatching trailer) throws, and the caller's transaction rolls
 * everything back.
 */
export async function importTables(
  ctx: DbContext,
  items: AsyncIterable<ExportItem> | Iterable<ExportItem>,
  mode: ImportMode = 'replace',
): Promise<Record<string, number>> {
  const specs = new Map(restorableTables.map((t) => [t.table, t]));
  const order = restorableTables.map((t) => t.table);
  const counts: Record<string, number> = Object.fromEntries(order.map((t) => [t, 0]));
  let header = false;
  let trailer: Record<string, number> | null = null;
  const pending: { spec: TableSpec | null; rows: Row[] } = { spec: null, rows: [] };
  let position = -1;

  const flush = async (): Promise<void> => {
    const { spec, rows } = pending;
    if (!spec || rows.length === 0) return;
    pending.rows = [];
    try {
      const merged = mode === 'merge' && spec.table === 'events';
      await insertRows(ctx, spec.table, spec.columns.map((c) => c.column).filter((c) => !merged || c !== 'seq'), rows);
    } catch (error) {
      const kind = dbErrorKind(error);
      if (kind === 'duplicate' || kind === 'foreign_key') {
        throw Object.assign(invalidExport(`a ${spec.table} row was rejected by the database (${kind === 'duplicate' ? 'duplicate key' : 'missing parent row'})`, { table: spec.table }), { cause: error });
      }
      throw error;
    }
  };

  for await (const item of items) {
    if (trailer) throw invalidExport('items after the end marker');
    if (!header) {
      if (item.kind !== 'header' || item.format !== 'rekindle-storage') throw invalidExport('the stream does not start with a rekindle-storage header');
      if (item.formatVersion !== 1) throw invalidExport(`unsupported format version ${String(item.formatVersion)}`, { formatVersion: item.formatVersion });
      const mine = await readSchemaVersion(ctx);
      if (item.schemaVersion !== mine || mine !== currentSchemaVersion) {
        throw invalidExport(`schema version ${item.schemaVersion} differs from this database's ${mine}`, { found: item.schemaVersion, expected: mine });
      }
      header = true;
      if (mode === 'replace') for (const spec of [...restorableTables].reverse()) await ctx.db.deleteFrom(spec.table).execute();
      continue;
    }
    if (item.kind === 'end') {
      await flush();
      trailer = item.counts;
      continue;
    }
    if (item.kind !== 'row') throw invalidExport(`unexpected item kind ${String((item as { kind: unknown }).kind)}`);
    const spec = specs.get(item.table);
    if (!spec) throw invalidExport(`unknown or non-restorable table ${item.table}`, { table: item.table });
    const index = order.indexOf(item.table);
    if (index < position) throw invalidExport(`table ${item.table} appears after its dependants`, { table: item.table });
    const { row, problems } = neutralToRow(spec, item.row);
    if (problems.length > 0) throw invalidExport(problems.join('; '), { table: item.table, problems });
    if (pending.spec !== spec) {
      await flush();
      pending.spec = spec;
      position = index;
    }
    pending.rows.push(row);
    counts[spec.table] = (counts[spec.table] ?? 0) + 1;
    if (pending.rows.length >= 5 * bulkRows) await flush();
  }
  if (!header) throw invalidExport('the stream is empty');
  if (!trailer) throw invalidExport('the stream ended before its end marker (truncated)');
  for (const table of order) {
    if ((trailer[table] ?? 0) !== counts[table]) {
      throw invalidExport(`table ${table} has ${counts[table]} rows but the end marker says ${trailer[table] ?? 0}`, { table });
    }
  }
  if (mode === 'merge') {
    await adjustCount(ctx, counts.events ?? 0);
    return counts;
  }
  await setCount(ctx, counts.events ?? 0);
  if (ctx.dialect === 'postgres') {
    // Next seq after the imported ones (is_called = false: nextval returns exactly this value).
    await sql`select setval(pg_get_serial_sequence('events', 'seq'), coalesce((select max(seq) from events), 0) + 1, false)`.execute(ctx.db);
  }
  return counts;
}
