/**
 * exportAll / importAll: every restorable table in a neutral, dialect-independent form
 * (snake_case columns, JSON values, ISO times), versioned with the schema version.
 */
import { sql } from 'kysely';
import { bulkRows, insertParams } from './bulk-insert.js';
import type { DbContext } from './db.js';
import { dbErrorKind, invalidExport } from './errors.js';
import { adjustCount, setCount } from './events.js';
import { deferSecondaryIndexes } from './deferred-indexes.js';
import { keysetPages, ndjsonPages } from './export-pages.js';
import { decodeLine, type DecodedLine } from './ndjson-rows.js';
import { currentSchemaVersion } from './migrations/index.js';
import { readSchemaVersion } from './migrate.js';
import type { ExportItem, ExportOptions, ImportMode } from './port.js';
import { appendNeutralParams, neutralProblems, rowToNeutral, type Row } from './row-codec.js';
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
  /** Rows waiting for one multi-row INSERT, as flat parameters of `columns`. */
  const pending: { spec: TableSpec | null; columns: readonly ColumnSpec[]; params: unknown[]; rows: number } = { spec: null, columns: [], params: [], rows: 0 };
  let position = -1;
  let recreateIndexes: () => Promise<void> = () => Promise.resolve();

  const flush = async (): Promise<void> => {
    const { spec, columns, params } = pending;
    if (!spec || pending.rows === 0) return;
    pending.params = [];
    pending.rows = 0;
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

  const append = (spec: TableSpec, neutral: Row, rawTail: DecodedLine['rawTail']): Promise<void> | undefined => {
    appendNeutralParams(neutral, pending.columns, pending.params);
    if (rawTail !== undefined) pending.params[pending.params.length - 1] = rawTail.text; // the last column, stored as given
    pending.rows += 1;
    counts[spec.table] = (counts[spec.table] ?? 0) + 1;
    return pending.rows >= 5 * bulkRows ? flush() : undefined;
  };

  /** Stages one row; returns a promise only when it had to write (so most rows cost no await). */
  const add = (table: string, neutral: Row, rawTail?: DecodedLine['rawTail']): Promise<void> | undefined => {
    const spec = specs.get(table);
    if (!spec) throw invalidExport(`unknown or non-restorable table ${table}`, { table });
    const index = pending.spec === spec ? position : order.indexOf(table);
    if (index < position) throw invalidExport(`table ${table} appears after its dependants`, { table });
    const problems = neutralProblems(spec, neutral);
    if (problems.length > 0) throw invalidExport(problems.join('; '), { table, problems });
    if (pending.spec === spec) return append(spec, neutral, rawTail);
    return flush().then(() => {
      const merged = mode === 'merge' && spec.table === 'events'; // imported events get new seq values
      pending.spec = spec;
      pending.columns = spec.columns.filter((c) => !merged || c.column !== 'seq');
      position = index;
      return append(spec, neutral, rawTail);
    });
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
      continue;
    }
    if (item.kind === 'row') {
      await add(item.table, item.row);
    } else if (item.kind === 'lines') {
      const spec = specs.get(item.table);
      if (!spec) throw invalidExport(`unknown or non-restorable table ${item.table}`, { table: item.table });
      for (const line of item.ndjson.split('\n')) {
        if (line.length === 0) continue;
        const { row, rawTail } = decodeLine(spec, line);
        const written = add(item.table, row, rawTail);
        if (written !== undefined) await written;
      }
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
