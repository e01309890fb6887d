/**
 * The SQLite adapter (embedded default): one database file, WAL journal, foreign keys on.
 * Exports read from a second, read-only connection, so writers keep going during a snapshot.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Clock } from '../core/index.js';
import { BulkCommit } from './background-checkpoint.js';
import type { AnyDb, DbContext } from './db.js';
import { KyselyStorage } from './kysely-storage.js';
import { migrate } from './migrate.js';
import type { StoragePort } from './port.js';
import { withStatementCache } from './statement-cache.js';
import type { SnapshotReader } from './transfer.js';
import { WriteQueue } from './write-queue.js';

export interface SqliteStorageOptions {
  /** Milliseconds a statement waits for another connection's write lock. @default 5000 */
  busyTimeoutMs?: number;
  clock?: Clock;
}

function connect(path: string, readonly: boolean, busyTimeoutMs: number): Database.Database {
  const database = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (!readonly) {
    database.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a process crash loses nothing committed; only an OS crash may lose
    // the last transactions (never corrupts). See docs/storage.md.
    database.pragma('synchronous = NORMAL');
  }
  database.pragma('foreign_keys = ON');
  return database;
}

/** Opens (creating if needed) the SQLite database at `path` and applies pending migrations. */
export async function openSqliteStorage(path: string, options: SqliteStorageOptions = {}): Promise<StoragePort> {
  const busy = options.busyTimeoutMs ?? 5000;
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const database = connect(path, false, busy);
  const db = new Kysely<AnyDb>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const writeQueue = new WriteQueue(database, db);
  const ctx: DbContext = { db, dialect: 'sqlite' };
  try {
    await migrate(ctx);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const openSnapshot = async (): Promise<SnapshotReader> => {
    // An in-memory database has no second connection: the export holds the only one, so
    // writers wait until it finishes.
    const readerDb = memory ? db : new Kysely<AnyDb>({ dialect: new SqliteDialect({ database: withStatementCache(connect(path, true, busy)) }) });
    const trx = await readerDb.startTransaction().execute();
    return {
      ctx: { db: trx, dialect: 'sqlite' },
      async finish() {
        try {
          await trx.rollback().execute();
        } finally {
          if (!memory) await readerDb.destroy();
        }
      },
    };
  };
  // An in-memory database has no log to checkpoint.
  const bulkCommit = memory ? undefined : new BulkCommit(database, path);
  const close = async (): Promise<void> => {
    await writeQueue.flush();
    await bulkCommit?.settled();
    await db.destroy();
  };
  return new KyselyStorage(ctx, { openSnapshot, close, writeQueue, ...(bulkCommit ? { bulkCommit } : {}), ...(options.clock ? { clock: options.clock } : {}) });
}
