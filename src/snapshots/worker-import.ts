/**
 * A large restore's storage stream, read in a worker thread: the worker (import-worker.ts)
 * inflates, hashes, splits and parses the archive's tables and sends `encoded` INSERT parameters,
 * while this thread only writes them. On two cores that takes about a quarter off a million-row
 * restore. The worker runs at most {@link WINDOW} items ahead (memory stays bounded), and is
 * stopped when the stream ends, fails or is abandoned.
 */
import type { Worker } from 'node:worker_threads';
import { errorFromData, startModuleWorker, UnexpectedError, type ErrorData } from '../core/index.js';
import type { ImportItem, ImportMode } from '../storage/index.js';
import type { ArchiveParts, SnapshotArchive } from './reader.js';

/** Items the worker may send ahead of the one being written. */
const WINDOW = 8;

/** What the worker is started with. */
export interface ImportWorkerData {
  parts: ArchiveParts;
  at: string;
  mode: ImportMode;
}

/** Worker -> this thread. */
export type ImportWorkerMessage = { item: ImportItem } | { done: true; interrupted: string[] } | { error: ErrorData };

/** This thread -> worker: it may send `credit` more items. */
export interface ImportWorkerCredit {
  credit: number;
}

type Inbox = (ImportWorkerMessage | { exited: number } | { crashed: Error })[];

const workerFailure = (message: string): Error => new UnexpectedError('snapshot_import_worker_error', message);

/**
 * A worker thread that will produce an archive's import stream (see archiveImportItems). It is
 * started early (its module loading, ~1 s through tsx, overlaps the verification) and reads
 * nothing until {@link items} is iterated. Call {@link stop} in any case.
 */
export class ArchiveReaderThread {
  readonly #worker: Worker;
  readonly #inbox: Inbox = [];
  #wake: (() => void) | undefined;

  constructor(archive: SnapshotArchive, options: { at: string; mode: ImportMode }) {
    const data: ImportWorkerData = { parts: archive.parts(), at: options.at, mode: options.mode };
    // A small young generation: the worker's garbage is collected often instead of growing the
    // process's peak memory (measured: ~20 MB less at a million rows, no slower).
    this.#worker = startModuleWorker(new URL('./import-worker.ts', import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    const deliver = (message: Inbox[number]): void => {
      this.#inbox.push(message);
      this.#wake?.();
    };
    this.#worker.on('message', (message: ImportWorkerMessage) => deliver(message));
    this.#worker.on('error', (error) => deliver({ crashed: error }));
    this.#worker.on('exit', (code) => deliver({ exited: code }));
  }

  /**
   * The import stream. Ids of the executions turned `failed` are pushed into `interrupted` when
   * it completes. Stops the worker when it ends, fails or is abandoned.
   */
  async *items(interrupted: string[]): AsyncGenerator<ImportItem> {
    const credit = (n: number): void => this.#worker.postMessage({ credit: n } satisfies ImportWorkerCredit);
    credit(WINDOW);
    try {
      for (;;) {
        while (this.#inbox.length === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
        const message = this.#inbox.shift()!;
        if ('item' in message) {
          yield message.item;
          credit(1);
        } else if ('done' in message) {
          interrupted.push(...message.interrupted);
          return;
        } else if ('error' in message) {
          throw errorFromData(message.error);
        } else if ('crashed' in message) {
          throw workerFailure(`The restore's reader thread failed: ${message.crashed.message}`);
        } else {
          throw workerFailure(`The restore's reader thread exited early (code ${message.exited})`);
        }
      }
    } finally {
      await this.stop();
    }
  }

  /** Terminates the worker (idempotent). */
  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}
