/**
 * The storage import stream of a restore, read from an archive: header, each table's rows as
 * NDJSON `lines` items (or, with `encode`, as `encoded` INSERT parameters), end counts; with the
 * executions that were active in the snapshot turned `failed`. Runs on the main thread for small
 * archives and in import-worker.ts for large ones.
 */
import type { ExportItem, ImportItem, ImportMode } from '../storage/index.js';
import { encodeLines } from '../storage/index.js';
import type { SnapshotArchive } from './reader.js';
import { storageImportLines } from './storage-entries.js';

/** Error text of executions that were active in the snapshot. */
export const restoreInterruptedError = 'interrupted by snapshot restore';

const activeStatuses = new Set(['pending', 'started', 'cancelling', 'force_cancelling']);

export interface ImportItemsOptions {
  /** `ended_at` given to interrupted executions that have none (ISO time). */
  at: string;
  /** Receives the ids of the executions turned `failed`. */
  interrupted: string[];
  /** Parse and encode each `lines` item for this import mode (the worker's job). */
  encode?: ImportMode;
}

/** An execution row as restored: failed when it was active in the snapshot (its id collected). */
function interruptRow(row: Record<string, unknown>, at: string, interrupted: string[]): Record<string, unknown> {
  if (!activeStatuses.has(String(row.status))) return row;
  interrupted.push(String(row.id));
  return { ...row, status: 'failed', error: restoreInterruptedError, ended_at: row.ended_at ?? at };
}

/** Executions are few: parse, mark, serialize again. A bad line is left for the import to reject. */
function interruptLines(ndjson: string, at: string, interrupted: string[]): string {
  const lines = ndjson.split('\n').filter((line) => line.length > 0);
  const marked = lines.map((line) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return line;
    }
    return row !== null && typeof row === 'object' && !Array.isArray(row) ? JSON.stringify(interruptRow(row as Record<string, unknown>, at, interrupted)) : line;
  });
  return `${marked.join('\n')}\n`;
}

/** The archive's storage stream for importAll, executions interrupted, optionally encoded. */
export async function* archiveImportItems(archive: SnapshotArchive, options: ImportItemsOptions): AsyncGenerator<ImportItem> {
  const { at, interrupted, encode } = options;
  for await (const item of storageImportLines(archive) as AsyncIterable<ExportItem>) {
    if (item.kind !== 'lines') {
      yield item;
      continue;
    }
    const ndjson = item.table === 'executions' ? interruptLines(item.ndjson, at, interrupted) : item.ndjson;
    yield encode === undefined ? { ...item, ndjson } : encodeLines(item.table, ndjson, encode);
  }
}
