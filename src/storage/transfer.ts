/**
 * exportAll / importAll: every restorable table in a neutral, dialect-independent form
 * (snake_case columns, JSON values, ISO times), versioned with the schema version.
 */
import { sql } from 'kysely';
import { UnexpectedError } from '../core/index.js';
import { bulkRows, insertParams } from './bulk-insert.js';
import type { DbContext } from './db.js';
import { dbErrorKind, invalidExport } from './errors.js';
import { adjustCount, setCount } from './events.js';
import { deferSecondaryIndexes } from './deferred-indexes.js';
import { keysetPages, ndjsonPages } from './export-pages.js';
import { currentSchemaVersion } from './migrations/index.js';
import { readSchemaVersion } from './migrate.js';
import type { ExportItem, ExportOptions, ImportItem, ImportMode } from './port.js';
import { appendRow, encodeLines, importColumns, restorableSpec } from './row-batch.js';
import { rowToNeutral } from './row-codec.js';
import { restorableTables, type ColumnSpec, type TableSpec } from './tables.js';

/** Rows read per keyset page during export. */
const exportPage = 1000;
/** Rows per page of the ndjson export: one string per page (~330 KB of events); bigger pages cost memory, not time. */
const ndjsonPage = 500;

/** A read transaction holding one consistent snapshot of the database. */
export interface SnapshotReader {
  ctx: DbContext;
  /** Ends the read transaction and releases its connection. */
  finish(): Promise<void>;
}

/** The column naming a row's execution, per table, for `excludeExecutionId`. */
const executionColumn: Readonly<Record<string, string>> = { executions: 'id', tasks: 'execution_id', events: 'execution_id' };

/** Streams the restorable tables from the reader's snapshot, then finishes the reader. */
export async function* exportTables(open: () => Promise<SnapshotReader>, options: ExportOptions = {}): AsyncGenerator<ExportItem> {
  const reader = await open();
  try {
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
    const exclude = options.excludeExecutionId;
    for (const spec of restorableTables) {
      const excludeBy = exclude === undefined ? undefined : executionColumn[spec.table];
      if (options.encoding === 'ndjson') {
        let count = 0;
        for await (const page of ndjsonPages(reader.ctx, spec, ndjsonPage, excludeBy === undefined ? undefined : { column: excludeBy, value: exclude! })) {
          yield { kind: 'lines', table: spec.table, ndjson: page.ndjson, count: page.count };
          count += page.count;
        }
        counts[spec.table] = count;
        continue;
      }
      let count = 0;
      for await (const page of keysetPages(reader.ctx, spec, exportPage)) {
        for (const row of page) {
          if (excludeBy !== undefined && row[excludeBy] === exclude) continue;
          yield { kind: 'row', table: spec.table, row: rowToNeutral(spec, row) };
          count += 1;
        }
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
 * everything back. `lines` items are parsed here; `encoded` items were parsed by `encodeLines`
 * in another thread (a large restore) and only checked for shape.
 */
export async function importTables(
  ctx: DbContext,
  items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
  mode: ImportMode = 'replace',
): Promise<Record<string, number>> {
  const order = restorableTables.map((t) => t.table);
  const counts: Record<string, number> = Object.fromEntries(order.map((t) => [t, 0]));
  let header = false;
  let trailer: Record<string, number> | null = null;
  /** Rows waiting for one multi-row INSERT, as flat parameters of `columns`. */
  const pending: { spec: TableSpec | null; columns: readonly ColumnSpec[]; params: unknown[]; rows: number } = { spec: null, columns: [], params: [], rows: 0 };
  let position = -1;
  let recreateIndexes: () => Promise<void> = () => Promise.resolve();

  /** Writes the staged rows: all of them, or (`whole`) only full statements, keeping the rest staged. */
  const flush = async (whole = false): Promise<void> => {
    const { spec, columns } = pending;
    const rows = whole ? pending.rows - (pending.rows % bulkRows) : pending.rows;
    if (!spec || rows === 0) return;
    const width = columns.length;
    const params = rows === pending.rows ? pending.params : pending.params.slice(0, rows * width);
    pending.params = rows === pending.rows ? [] : pending.params.slice(rows * width);
    pending.rows -= rows;
    try {
      await insertParams(ctx, spec.table, columns.map((c) => c.column), params);
    } catch (error) {
      const kind = dbErrorKind(error);
      if (kind === 'duplicate' || kind === 'foreign_key') {
        throw Object.assign(invalidExport(`a ${spec.table} row was rejected by the database (${kind === 'duplicate' ? 'duplicate key' : 'missing parent row'})`, { table: spec.table }), { cause: error });
      }
      throw error;
    }
  };

  /** Makes `table` the one rows are staged for, checking the tables' order. */
  const switchTo = async (table: string): Promise<TableSpec> => {
    const spec = restorableSpec(table);
    if (pending.spec === spec) return spec;
    const index = order.indexOf(table);
    if (index < position) throw invalidExport(`table ${table} appears after its dependants`, { table });
    await flush();
    pending.spec = spec;
    pending.columns = importColumns(spec, mode);
    position = index;
    return spec;
  };

  /** Counts `rows` more staged rows of the current table, writing when enough are waiting. */
  const staged = async (rows: number): Promise<void> => {
    pending.rows += rows;
    counts[pending.spec!.table] = (counts[pending.spec!.table] ?? 0) + rows;
    if (pending.rows >= bulkRows) await flush(true); // staged rows are garbage soon: a large restore's peak memory
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
      if (mode === 'replace') {
        recreateIndexes = await deferSecondaryIndexes(ctx, order);
        for (const spec of [...restorableTables].reverse()) await ctx.db.deleteFrom(spec.table).execute();
      }
      continue;
    }
    if (item.kind === 'end') {
      await flush();
      trailer = item.counts;
    } else if (item.kind === 'row') {
      const spec = await switchTo(item.table);
      appendRow(spec, pending.columns, item.row, pending.params);
      await staged(1);
    } else if (item.kind === 'lines' || item.kind === 'encoded') {
      await switchTo(item.table);
      // `encoded` rows were parsed by encodeLines in another thread: only their shape is checked.
      const rows = item.kind === 'lines' ? encodeLines(item.table, item.ndjson, mode) : item;
      if (rows.columns.length !== pending.columns.length || rows.params.length !== rows.count * rows.columns.length) {
        throw new UnexpectedError('storage_encoded_rows_error', `Encoded ${rows.table} rows do not match the table's import columns`);
      }
      for (const value of rows.params) pending.params.push(value);
      await staged(rows.count);
    } else {
      throw invalidExport(`unexpected item kind ${String((item as { kind: unknown }).kind)}`);
    }
  }
  if (!header) throw invalidExport('the stream is empty');
  if (!trailer) throw invalidExport('the stream ended before its end marker (truncated)');
  for (const table of order) {
    if ((trailer[table] ?? 0) !== counts[table]) {
      throw invalidExport(`table ${table} has ${counts[table]} rows but the end marker says ${trailer[table] ?? 0}`, { table });
    }
  }
  await recreateIndexes();
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
