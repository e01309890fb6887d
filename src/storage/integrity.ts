/**
 * integrityCheck: SQLite's own page-level and foreign-key checks, plus checks both dialects
 * share: schema version, node instances whose node is missing, the event row count.
 */
import { sql } from 'kysely';
import type { DbContext } from './db.js';
import { currentSchemaVersion } from './migrations/index.js';
import { readSchemaVersion } from './migrate.js';
import type { IntegrityReport } from './port.js';

/** Parent/child references checked on both dialects (node_instances -> nodes has no FK). */
const references: { table: string; key: string; columns: string[]; parent: string; parentColumns: string[] }[] = [
  { table: 'deployments', key: 'id', columns: ['blueprint_id'], parent: 'blueprints', parentColumns: ['id'] },
  { table: 'nodes', key: 'id', columns: ['deployment_id'], parent: 'deployments', parentColumns: ['id'] },
  { table: 'node_instances', key: 'id', columns: ['deployment_id'], parent: 'deployments', parentColumns: ['id'] },
  { table: 'node_instances', key: 'id', columns: ['deployment_id', 'node_id'], parent: 'nodes', parentColumns: ['deployment_id', 'id'] },
  { table: 'executions', key: 'id', columns: ['deployment_id'], parent: 'deployments', parentColumns: ['id'] },
  { table: 'tasks', key: 'id', columns: ['execution_id'], parent: 'executions', parentColumns: ['id'] },
  { table: 'deployment_modifications', key: 'id', columns: ['deployment_id'], parent: 'deployments', parentColumns: ['id'] },
  { table: 'agents', key: 'name', columns: ['deployment_id'], parent: 'deployments', parentColumns: ['id'] },
  { table: 'tokens', key: 'hash', columns: ['username'], parent: 'users', parentColumns: ['username'] },
];

/** Runs every check; never throws for a problem found, only for an unreachable database. */
export async function checkIntegrity(ctx: DbContext): Promise<IntegrityReport> {
  const problems: string[] = [];
  if (ctx.dialect === 'sqlite') {
    const pages = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(ctx.db);
    for (const row of pages.rows) if (row.integrity_check !== 'ok') problems.push(`sqlite integrity_check: ${row.integrity_check}`);
    const fks = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(ctx.db);
    for (const row of fks.rows) problems.push(`foreign key: ${row.table} row ${row.rowid} refers to a missing ${row.parent} row`);
  } else {
    const invalid = await sql<{ name: string }>`select indexrelid::regclass::text as name from pg_index where not indisvalid`.execute(ctx.db);
    for (const row of invalid.rows) problems.push(`postgres index ${row.name} is invalid (rebuild it with REINDEX)`);
  }
  const version = await readSchemaVersion(ctx);
  if (version !== currentSchemaVersion) problems.push(`schema version is ${version}, expected ${currentSchemaVersion}`);
  for (const ref of references) {
    const orphans = await ctx.db
      .selectFrom(`${ref.table} as c`)
      .leftJoin(`${ref.parent} as p`, (join) => {
        let on = join;
        ref.columns.forEach((column, i) => (on = on.onRef(`p.${ref.parentColumns[i]!}`, '=', `c.${column}`)));
        return on;
      })
      .where(`c.${ref.columns[ref.columns.length - 1]!}`, 'is not', null)
      .where(`p.${ref.parentColumns[0]!}`, 'is', null)
      .select([`c.${ref.key} as key`, `c.${ref.columns[ref.columns.length - 1]!} as missing`])
      .limit(100)
      .execute();
    for (const row of orphans) {
      problems.push(`${ref.table} ${String(row.key)} refers to a missing ${ref.parent} row ${String(row.missing)}`);
    }
  }
  const counted = await ctx.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const stats = await ctx.db.selectFrom('event_stats').select('total').where('id', '=', 1).executeTakeFirst();
  if (Number(counted?.n ?? 0) !== Number(stats?.total ?? -1)) {
    problems.push(`event_stats.total is ${String(stats?.total)} but events has ${String(counted?.n)} rows`);
  }
  return { ok: problems.length === 0, problems };
}
