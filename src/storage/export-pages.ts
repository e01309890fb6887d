/**
 * Export pages: stored rows in key order (keyset pagination), and for
 * `exportAll({ encoding: 'ndjson' })` each page of a table as NDJSON text (one neutral row
 * per `\n`-terminated line). On SQLite the database builds the page itself, one string per page
 * (string concatenation in SQL, JSON columns copied as stored): no JavaScript value per row or
 * per column, which was most of an export's CPU (docs/decisions/snapshots-fast-export.md).
 * PostgreSQL (and composite keys) read rows and encode them with `neutralJsonEncoder`.
 */
import { CompiledQuery } from 'kysely';
import type { DbContext } from './db.js';
import { neutralJsonEncoder, type Row } from './row-codec.js';
import type { ColumnSpec, TableSpec } from './tables.js';

/** One page: its NDJSON text and its number of rows. */
export interface NdjsonPage {
  ndjson: string;
  count: number;
}

/** Leaves out the rows whose `column` equals `value`. */
export interface RowExclusion {
  column: string;
  value: string;
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * SQL text of one column's JSON value: what `JSON.stringify(decodeValue(kind, value))` gives.
 * JSON columns hold JSON text written by `encodeValue` (`JSON.stringify`, never a raw newline);
 * a newline can only be whitespace in valid JSON, so blanking it keeps the line framing safe.
 */
function columnJson(c: ColumnSpec): string {
  const col = ident(c.column);
  switch (c.kind) {
    case 'json':
      return `coalesce(replace(${col}, char(10), ' '), 'null')`;
    case 'bool':
      return `(case when ${col} is null then 'null' when ${col} in (1, '1') then 'true' else 'false' end)`;
    case 'int':
    case 'real':
      return `(case typeof(${col}) when 'null' then 'null' when 'integer' then ${col} else json_quote(${col}) end)`;
    default:
      return `json_quote(${col})`;
  }
}

/**
 * The SQLite expression of a row's neutral JSON line (same key order as `rowToNeutral`).
 * `concat()` (SQLite 3.44+; better-sqlite3 bundles its own) builds it in one allocation, ~10%
 * cheaper than chained `||`.
 */
function sqliteLine(spec: TableSpec): string {
  const parts = spec.columns.map((c, i) => `'${i === 0 ? '{' : ','}${JSON.stringify(c.column)}:', ${columnJson(c)}`);
  return `concat(${parts.join(', ')}, '}')`;
}

/** Pages of `spec`'s rows in key order, `size` rows at most each, as NDJSON. */
export async function* ndjsonPages(ctx: DbContext, spec: TableSpec, size: number, exclusion?: RowExclusion): AsyncGenerator<NdjsonPage> {
  const keys = keyColumns(spec);
  if (ctx.dialect === 'sqlite' && keys.length === 1) {
    yield* sqlitePages(ctx, spec, keys[0]!, size, exclusion);
    return;
  }
  const encode = neutralJsonEncoder(spec);
  for await (const rows of keysetPages(ctx, spec, size)) {
    let ndjson = '';
    let count = 0;
    for (const row of rows) {
      if (exclusion !== undefined && row[exclusion.column] === exclusion.value) continue;
      ndjson += `${encode(row)}\n`;
      count += 1;
    }
    if (count > 0) yield { ndjson, count };
  }
}

/** The key columns of `spec`. */
function keyColumns(spec: TableSpec): string[] {
  return spec.key.map((f) => spec.columns.find((c) => c.field === f)!.column);
}

/** Pages of `spec`'s stored rows in key order (keyset pagination), `size` rows at most each. */
export async function* keysetPages(ctx: DbContext, spec: TableSpec, size: number): AsyncGenerator<Row[]> {
  const keys = keyColumns(spec);
  let last: unknown[] | null = null;
  for (;;) {
    let q = ctx.db.selectFrom(spec.table).selectAll();
    if (last) {
      const after = last;
      q = keys.length === 1 ? q.where(keys[0]!, '>', after[0]) : q.where((eb) => eb(eb.refTuple(keys[0]!, keys[1]!), '>', eb.tuple(after[0], after[1])));
    }
    for (const k of keys) q = q.orderBy(k, 'asc');
    const rows: Row[] = await q.limit(size).execute();
    if (rows.length > 0) yield rows;
    const tail = rows[rows.length - 1];
    if (!tail || rows.length < size) return;
    last = keys.map((k) => tail[k]);
  }
}

async function* sqlitePages(ctx: DbContext, spec: TableSpec, key: string, size: number, exclusion?: RowExclusion): AsyncGenerator<NdjsonPage> {
  const excluded = exclusion === undefined ? '' : ` and (${ident(exclusion.column)} is null or ${ident(exclusion.column)} <> ?)`;
  const page = (first: boolean): string =>
    `select count(*) as n, group_concat(line, char(10) order by k) as ndjson, max(k) as last from (` +
    `select ${sqliteLine(spec)} as line, ${ident(key)} as k from ${ident(spec.table)}` +
    ` where ${first ? '1 = 1' : `${ident(key)} > ?`}${excluded} order by ${ident(key)} limit ${size})`;
  const [firstSql, nextSql] = [page(true), page(false)];
  const extra = exclusion === undefined ? [] : [exclusion.value];
  let last: unknown;
  for (let first = true; ; first = false) {
    const result = await ctx.db.executeQuery<{ n: number; ndjson: string | null; last: unknown }>(
      CompiledQuery.raw(first ? firstSql : nextSql, first ? extra : [last, ...extra]),
    );
    const row = result.rows[0];
    if (row === undefined || row.n === 0 || row.ndjson === null) return;
    yield { ndjson: `${row.ndjson}\n`, count: row.n };
    if (row.n < size) return;
    last = row.last;
  }
}
