/**
 * Prepared-statement reuse for the SQLite adapter. Kysely's SQLite driver calls
 * `database.prepare(sql)` for every query; preparing costs more than running a point lookup
 * (about 10-40 µs against 2-5 µs), so the adapter hands Kysely a database whose `prepare`
 * returns a cached statement for SQL text it has seen (Kysely binds every value as a
 * parameter, so the set of texts is small). Least recently used out first, bounded by count
 * and by total SQL length: a multi-row insert statement holds ~1 KiB per row (an insert of
 * 250 rows ~300 KiB), and batches of every size from 1 to 250 rows would otherwise keep ~40 MiB.
 * docs/decisions/storage-statement-cache.md
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Bounds of one connection's cache. */
export interface StatementCacheLimits {
  /** @default 256 */
  statements: number;
  /** Total characters of cached SQL text (~30 bytes of statement per character). @default 200_000 */
  sqlChars: number;
}

const defaults: StatementCacheLimits = { statements: 256, sqlChars: 200_000 };

/** `database` with a `prepare` that reuses statements; `close` closes the database. */
export function withStatementCache(database: Database.Database, limits: StatementCacheLimits = defaults): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  let chars = 0;
  return {
    close: () => database.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached !== undefined) {
        // A statement still being iterated (a stream) cannot run again: prepare another.
        if (cached.busy) return database.prepare(text);
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = database.prepare(text);
      if (text.length > limits.sqlChars) return statement;
      chars += text.length;
      cache.set(text, statement);
      for (const oldest of cache.keys()) {
        if (cache.size <= limits.statements && chars <= limits.sqlChars) break;
        cache.delete(oldest);
        chars -= oldest.length;
      }
      return statement;
    },
  };
}
