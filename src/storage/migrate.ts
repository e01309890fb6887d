/**
 * The migration runner: applies pending migrations in order, each in its own transaction
 * together with its `schema_version` row, so a crash leaves the schema at a whole version.
 * Refuses a database whose schema is newer than this code.
 */
import { sql } from 'kysely';
import { UserError } from '../core/index.js';
import type { DbContext } from './db.js';
import { migrations as defaultMigrations, type Migration } from './migrations/index.js';

/** Reads the applied schema version (0 for an empty database). */
export async function readSchemaVersion(ctx: DbContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('schema_version')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  const version = row?.version;
  return version === null || version === undefined ? 0 : Number(version);
}

/** Applies every pending migration. Returns the versions applied (empty when up to date). */
export async function migrate(ctx: DbContext, migrations: readonly Migration[] = defaultMigrations): Promise<number[]> {
  await ctx.db.schema
    .createTable('schema_version')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const tx: DbContext = { db: trx, dialect: ctx.dialect };
      await lockForMigration(tx);
      const current = await readSchemaVersion(tx);
      if (current > known) throw schemaTooNew(current, known);
      if (current >= migration.version) return false;
      await migration.up(tx);
      await trx
        .insertInto('schema_version')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (done) applied.push(migration.version);
  }
  const final = await readSchemaVersion(ctx);
  if (final > known) throw schemaTooNew(final, known);
  return applied;
}

/** Serialises concurrent migrators: an advisory lock in PostgreSQL, the write lock in SQLite. */
async function lockForMigration(ctx: DbContext): Promise<void> {
  if (ctx.dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(7317001)`.execute(ctx.db);
  } else {
    // A write statement takes SQLite's write lock now (waiting up to busy_timeout), before
    // the version is read, so two processes cannot both apply the same migration.
    await sql`delete from schema_version where 1 = 0`.execute(ctx.db);
  }
}

function schemaTooNew(found: number, known: number): UserError {
  return new UserError(
    'storage_schema_too_new',
    `The database has schema version ${found} but this Rekindle knows versions up to ${known}`,
    {
      details: { found, known },
      hints: ['Run the Rekindle version that last wrote this database (or a newer one); downgrades are not supported.'],
    },
  );
}
