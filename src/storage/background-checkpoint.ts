/**
 * Bulk transactions on SQLite (a restore writes ~700 MB): the commit is made durable by itself
 * (`synchronous = FULL`: the log is fsynced at commit), and the copy of the log into the database
 * file (the WAL checkpoint, normally run inside the commit once the log passes 1,000 pages) runs
 * afterwards on a second connection in a worker thread. The data is committed, durable and
 * visible when the transaction returns; the checkpoint only moves it between files, and any
 * connection (or the next start) finishes it if the worker cannot.
 * docs/decisions/storage-bulk-commit.md
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's default auto-checkpoint threshold (pages), restored after a bulk transaction. */
const AUTO_CHECKPOINT_PAGES = 1000;

/** Checkpoint code run in the worker: plain JS, so it needs no TypeScript loader. */
const checkpointScript = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
} finally {
  db.close();
}`;

/** What a background checkpoint reports: pages in the log, pages copied (-1 when it failed). */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
  error?: string;
}

/** Runs bulk transactions on one SQLite connection and checkpoints after them in the background. */
export class BulkCommit {
  #active = 0;
  #checkpoint: Promise<CheckpointResult> | undefined;

  constructor(
    private readonly database: Database.Database,
    private readonly path: string,
  ) {}

  /** Before BEGIN: no auto-checkpoint inside the commit, and a commit that fsyncs the log. */
  begin(): void {
    this.#active += 1;
    this.database.pragma('wal_autocheckpoint = 0');
    this.database.pragma('synchronous = FULL');
  }

  /** After COMMIT or ROLLBACK: back to normal, and a background checkpoint of what was written. */
  end(): void {
    this.#active -= 1;
    if (this.#active > 0) return;
    this.database.pragma('synchronous = NORMAL');
    const previous = this.#checkpoint ?? Promise.resolve(undefined);
    this.#checkpoint = previous.then(() => this.#runCheckpoint());
  }

  /** The last background checkpoint (resolves when it ended; never rejects). */
  settled(): Promise<CheckpointResult | undefined> {
    return this.#checkpoint ?? Promise.resolve(undefined);
  }

  #runCheckpoint(): Promise<CheckpointResult> {
    return new Promise<CheckpointResult>((resolve) => {
      const worker = new Worker(checkpointScript, {
        eval: true,
        workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path: this.path },
      });
      let result: CheckpointResult = { log: -1, checkpointed: -1, error: 'the checkpoint worker exited without an answer' };
      worker.on('message', (answer: { log: number; checkpointed: number }) => (result = { log: answer.log, checkpointed: answer.checkpointed }));
      worker.on('error', (error) => (result = { log: -1, checkpointed: -1, error: error.message }));
      worker.on('exit', () => {
        // Until now a commit on this connection would have checkpointed the whole log itself.
        if (this.#active === 0 && this.database.open) this.database.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
        resolve(result);
      });
    });
  }
}
