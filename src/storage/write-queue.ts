/**
 * Group commit for the SQLite adapter's engine paths: the statements queued in one turn of the
 * event loop run in order in one transaction, and each caller's promise settles once that
 * transaction has committed (or failed). The engine runs up to 64 operations concurrently; a
 * transaction per call cost a commit (a WAL write) each, and building each statement through
 * Kysely cost more than running it. docs/decisions/storage-engine-group-commit.md
 */
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { AnyDb } from './db.js';

interface Item {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Queued synchronous work on one better-sqlite3 connection, committed once per event-loop turn. */
export class WriteQueue {
  #items: Item[] = [];
  #scheduled = false;
  /** The drains in order: a batch starts after the previous one settled. */
  #tail: Promise<void> = Promise.resolve();
  readonly #statements = new Map<string, Database.Statement>();

  /**
   * @param database the connection Kysely uses (`kysely`): a batch runs while holding Kysely's
   *   connection, so it never lands inside a transaction Kysely has open.
   */
  constructor(
    readonly database: Database.Database,
    private readonly kysely: Kysely<AnyDb>,
  ) {}

  /** The prepared statement of `sql` (prepared once per queue). */
  statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) this.#statements.set(sql, (statement = this.database.prepare(sql)));
    return statement;
  }

  /**
   * Queues `run` (synchronous statements on {@link database}); resolves with its result after
   * the batch it ran in has committed. A throwing `run` rejects its own caller only (SQLite
   * undoes just the failing statement); a failed commit rejects every caller of the batch.
   */
  run<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#items.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        const batch = this.#items;
        this.#items = [];
        this.#tail = this.#tail.then(() => this.#drain(batch));
      });
    });
  }

  /** Resolves once everything queued before the call has committed. */
  async flush(): Promise<void> {
    if (this.#items.length > 0 || this.#scheduled) await this.run(() => undefined);
    await this.#tail;
  }

  async #drain(batch: Item[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.kysely.connection().execute(() => {
        this.database.transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: item.run() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })();
        return Promise.resolve();
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
