/**
 * Bulk-load helper for `importAll` in `replace` mode: the secondary (non-unique) indexes of the
 * restored tables are dropped before the rows go in and created again after, inside the same
 * transaction. Building an index once over sorted keys is several times cheaper than updating
 * it row by row (the events table has three); a failing import rolls the DROP back with
 * everything else, so the schema is never left without them. Unique indexes and primary keys
 * stay: they are what rejects duplicate rows during the load.
 */
import { sql } from 'kysely';
import type { DbContext } from './db.js';

interface IndexDefinition {
  name: string;
  sql: string;
}

async function secondaryIndexes(ctx: DbContext, tables: readonly string[]): Promise<IndexDefinition[]> {
  if (ctx.dialect === 'sqlite') {
    const { rows } = await sql<IndexDefinition>`select name, sql from sqlite_master
      where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)})`.execute(ctx.db);
    return rows.filter((r) => !/^\s*create\s+unique\s/i.test(r.sql));
  }
  const { rows } = await sql<{ name: string; sql: string }>`select i.indexname as name, i.indexdef as sql
    from pg_indexes i join pg_class c on c.relname = i.indexname and c.relnamespace = to_regnamespace(i.schemaname)
    join pg_index x on x.indexrelid = c.oid
    where i.schemaname = current_schema() and i.tablename in (${sql.join(tables)}) and not x.indisunique`.execute(ctx.db);
  return rows;
}

/**
 * Drops the secondary indexes of `tables` and returns the function that re-creates them. Call
 * it inside the transaction that loads the rows, and the returned function before committing.
 */
export async function deferSecondaryIndexes(ctx: DbContext, tables: readonly string[]): Promise<() => Promise<void>> {
  const indexes = await secondaryIndexes(ctx, tables);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(ctx.db);
  return async () => {
    for (const index of indexes) await sql.raw(index.sql).execute(ctx.db);
  };
}
