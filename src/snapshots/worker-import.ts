/**
 * A large restore's storage stream, read in a worker thread: the worker (import-worker.ts)
 * inflates, hashes, splits and parses the archive's tables and sends `encoded` INSERT parameters,
 * while this thread only writes them. On two cores that takes about a third off a million-row
 * restore. The worker runs at most {@link WINDOW} items ahead (memory stays bounded), and is
 * stopped when the stream ends, fails or is abandoned.
 */
import { errorFromData, startModuleWorker, type ErrorData } from '../core/index.js';
import type { ImportItem, ImportMode } from '../storage/index.js';
import type { ArchiveParts, SnapshotArchive } from './reader.js';

/** Items the worker may send ahead of the one being written. */
export const WINDOW = 8;

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

/**
 * The archive's import stream (see archiveImportItems), produced by a worker thread. Ids of the
 * executions turned `failed` are pushed into `interrupted` when the stream completes.
 */
export async function* importItemsInWorker(archive: SnapshotArchive, options: { at: string; mode: ImportMode; interrupted: string[] }): AsyncGenerator<ImportItem> {
  const data: ImportWorkerData = { parts: archive.parts(), at: options.at, mode: options.mode };
  // A small young generation: the worker's garbage is collected often instead of growing the
  // process's peak memory (measured: ~20 MB less at a million rows, no slower).
  const worker = startModuleWorker(new URL('./import-worker.ts', import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const inbox: (ImportWorkerMessage | { exited: number } | { crashed: Error })[] = [];
  let wake: (() => void) | undefined;
  const deliver = (message: (typeof inbox)[number]): void => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', (message: ImportWorkerMessage) => deliver(message));
  worker.on('error', (error) => deliver({ crashed: error }));
  worker.on('exit', (code) => deliver({ exited: code }));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if ('item' in message) {
        yield message.item;
        worker.postMessage({ credit: 1 } satisfies ImportWorkerCredit);
      } else if ('done' in message) {
        options.interrupted.push(...message.interrupted);
        return;
      } else if ('error' in message) {
        throw errorFromData(message.error);
      } else if ('crashed' in message) {
        throw errorFromData({ kind: 'unexpected', code: 'snapshot_import_worker_error', message: `The restore's reader thread failed: ${message.crashed.message}`, details: {}, hints: [], httpStatus: 500 });
      } else {
        throw errorFromData({ kind: 'unexpected', code: 'snapshot_import_worker_error', message: `The restore's reader thread exited early (code ${message.exited})`, details: {}, hints: [], httpStatus: 500 });
      }
    }
  } finally {
    await worker.terminate();
  }
}
