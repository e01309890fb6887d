/**
 * Multi-row inserts with the SQL compiled by Kysely once per (dialect, table, columns, row
 * count) and reused with new parameters: building Kysely's query tree for thousands of values
 * costs more than running the statement. Used by event appends, createMany and import.
 */
import { CompiledQuery } from 'kysely';
import type { DbContext } from './db.js';
import type { Row } from './row-codec.js';

/** Rows per statement: well under SQLite's 32766 bound parameters for any table here. */
export const bulkRows = 250;

const cache = new Map<string, string>();

function insertSql(ctx: DbContext, table: string, columns: readonly string[], rows: number): string {
  const key = `${ctx.dialect}\u0000${table}\u0000${columns.join(',')}\u0000${rows}`;
  let text = cache.get(key);
  if (!text) {
    const placeholder = Object.fromEntries(columns.map((c) => [c, null]));
    text = ctx.db.insertInto(table).values(Array.from({ length: rows }, () => placeholder)).compile().sql;
    if (cache.size > 1000) cache.clear();
    cache.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (already encoded, all with the same `columns`) in statements of
 * {@link bulkRows}. Not a transaction by itself: callers wrap it when they need one.
 */
export async function insertRows(ctx: DbContext, table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += bulkRows) {
    const chunk = rows.slice(i, i + bulkRows);
    const params: unknown[] = [];
    for (const row of chunk) for (const c of columns) params.push(row[c] ?? null);
    await ctx.db.executeQuery(CompiledQuery.raw(insertSql(ctx, table, columns, chunk.length), params));
  }
}

/** Inserts pre-flattened parameters (`columns.length` per row) in statements of {@link bulkRows}. */
export async function insertParams(ctx: DbContext, table: string, columns: readonly string[], params: readonly unknown[]): Promise<void> {
  const width = columns.length;
  const total = params.length / width;
  for (let i = 0; i < total; i += bulkRows) {
    const n = Math.min(bulkRows, total - i);
    await ctx.db.executeQuery(CompiledQuery.raw(insertSql(ctx, table, columns, n), params.slice(i * width, (i + n) * width)));
  }
}
