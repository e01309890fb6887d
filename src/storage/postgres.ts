/**
 * The PostgreSQL adapter: a `pg` pool from a connection URL. 64-bit integers are read as
 * numbers (pool-local type parser; safe below 2^53). Exports run in a REPEATABLE READ,
 * READ ONLY transaction, i.e. one consistent snapshot while writers continue.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Clock } from '../core/index.js';
import type { AnyDb, DbContext } from './db.js';
import { dbErrorKind, storageUnavailable } from './errors.js';
import { KyselyStorage } from './kysely-storage.js';
import { migrate } from './migrate.js';
import type { StoragePort } from './port.js';
import type { SnapshotReader } from './transfer.js';

export interface PostgresStorageOptions {
  /** Pool size. @default 10 */
  maxConnections?: number;
  clock?: Clock;
}

const int8 = 20;
const parseInt8 = (value: string): number => Number(value);
function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
  return oid === int8 ? parseInt8 : (pg.types.getTypeParser(oid, format) as unknown);
}
const types = { getTypeParser: getTypeParser as typeof pg.types.getTypeParser };

/** Connects to `url` (postgres://user:pass@host:port/db) and applies pending migrations. */
export async function openPostgresStorage(url: string, options: PostgresStorageOptions = {}): Promise<StoragePort> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle client losing its connection must not crash the process; the next query fails
  // with a proper error instead.
  pool.on('error', () => undefined);
  const db = new Kysely<AnyDb>({ dialect: new PostgresDialect({ pool }) });
  const ctx: DbContext = { db, dialect: 'postgres' };
  try {
    await migrate(ctx);
  } catch (error) {
    await db.destroy();
    throw dbErrorKind(error) === 'connection' ? storageUnavailable(error) : error;
  }
  const openSnapshot = async (): Promise<SnapshotReader> => {
    const trx = await db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute();
    return {
      ctx: { db: trx, dialect: 'postgres' },
      async finish() {
        await trx.rollback().execute();
      },
    };
  };
  return new KyselyStorage(ctx, { openSnapshot, close: () => db.destroy(), ...(options.clock ? { clock: options.clock } : {}) });
}
