/**
 * The bridge between storage's export stream (`exportAll()` / `importAll()`) and archive entries:
 * one `storage/<table>.ndjson` entry per table, in the header's order (empty tables included),
 * then `storage/export.json` with the stream's header and end counts. The archive format itself
 * stays table-agnostic; only this file knows the export stream's shape.
 */
import { UnexpectedError } from '../core/index.js';
import type { ExportHeader, ExportItem } from '../storage/index.js';
import { corruptEntry, snapshotError } from './errors.js';
import type { SnapshotArchive } from './reader.js';
import type { SnapshotEntryInput } from './writer.js';

/** Header and end counts of the export stream. */
export const STORAGE_EXPORT_ENTRY = 'storage/export.json';
/** The entry holding one table's rows. */
export const storageTableEntry = (table: string): string => `storage/${table}.ndjson`;

const LINE_BATCH_BYTES = 64 * 1024;
/** Characters of NDJSON per `lines` item handed to importAll. */
const IMPORT_BATCH_CHARS = 64 * 1024;

interface StorageExportDocument {
  header: ExportHeader;
  counts: Record<string, number>;
}

const badStream = (message: string): UnexpectedError => new UnexpectedError('snapshot_export_stream_error', `Storage export stream: ${message}`);

/**
 * Archive entries from an export stream, pulled lazily: each table's rows are read while its
 * entry is written, so the consumer must drain an entry's source before asking for the next entry
 * (`createSnapshotArchive` does). The export iterator is closed when this generator ends or fails.
 */
export async function* storageExportEntries(items: AsyncIterable<ExportItem>): AsyncGenerator<SnapshotEntryInput> {
  const iterator = items[Symbol.asyncIterator]();
  let peeked: ExportItem | undefined;
  const next = async (): Promise<ExportItem> => {
    if (peeked !== undefined) {
      const item = peeked;
      peeked = undefined;
      return item;
    }
    const result = await iterator.next();
    if (result.done) throw badStream('ended before its end marker');
    return result.value;
  };
  try {
    const header = await next();
    if (header.kind !== 'header') throw badStream('does not start with a header');
    for (const table of header.tables) {
      yield {
        name: storageTableEntry(table),
        source: (async function* (): AsyncGenerator<string> {
          let batch = '';
          for (;;) {
            const item = await next();
            if ((item.kind !== 'row' && item.kind !== 'lines') || item.table !== table) {
              peeked = item;
              break;
            }
            if (item.kind === 'lines' && batch.length === 0 && item.ndjson.length >= LINE_BATCH_BYTES) {
              yield item.ndjson; // a whole page of rows: pass it on without copying
              continue;
            }
            batch += item.kind === 'row' ? `${JSON.stringify(item.row)}\n` : item.ndjson;
            if (batch.length >= LINE_BATCH_BYTES) {
              yield batch;
              batch = '';
            }
          }
          if (batch.length > 0) yield batch;
        })(),
      };
    }
    const end = await next();
    if (end.kind !== 'end') throw badStream(end.kind === 'row' || end.kind === 'lines' ? `row of table '${end.table}' out of the header's order` : `unexpected ${end.kind}`);
    const document: StorageExportDocument = { header, counts: end.counts };
    yield { name: STORAGE_EXPORT_ENTRY, source: Buffer.from(`${JSON.stringify(document, null, 2)}\n`) };
  } finally {
    await iterator.return?.();
  }
}

/**
 * The export stream stored in `archive`, for `importAll()`: header, every table's rows (one `row`
 * item each, parsed here: a line that is not JSON is `snapshot_corrupt_error`), end counts.
 */
export function storageImportItems(archive: SnapshotArchive): AsyncGenerator<ExportItem> {
  return importStream(archive, async function* (table, name) {
    let line = 0;
    for await (const text of archive.readLines(name)) {
      line += 1;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(text) as Record<string, unknown>;
      } catch (cause) {
        throw corruptEntry(name, `line ${line} is not valid JSON`, cause);
      }
      yield { kind: 'row', table, row };
    }
  });
}

/**
 * The same stream with each table's rows as `lines` items (~64 KB of NDJSON each, as read), the restore's
 * fast path: storage parses the lines (keeping large JSON columns as text) and builds no object
 * per row here. A line that is not a JSON row fails the import (`storage_export_invalid`).
 */
export function storageImportLines(archive: SnapshotArchive): AsyncGenerator<ExportItem> {
  return importStream(archive, async function* (table, name) {
    let batch = '';
    for await (const run of archive.readLineRuns(name)) {
      batch = batch.length === 0 ? run : batch + run;
      if (batch.length >= IMPORT_BATCH_CHARS) {
        yield { kind: 'lines', table, ndjson: batch, count: countLines(batch) };
        batch = '';
      }
    }
    if (batch.length > 0) yield { kind: 'lines', table, ndjson: batch, count: countLines(batch) };
  });
}

function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** Header, `tableItems` of every table's entry in the header's order, end counts. */
async function* importStream(archive: SnapshotArchive, tableItems: (table: string, entry: string) => AsyncIterable<ExportItem>): AsyncGenerator<ExportItem> {
  if (!archive.has(STORAGE_EXPORT_ENTRY)) {
    throw snapshotError('snapshot_missing_entry_error', `Snapshot archive has no '${STORAGE_EXPORT_ENTRY}': it holds no storage export`, { entry: STORAGE_EXPORT_ENTRY });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await archive.readEntry(STORAGE_EXPORT_ENTRY)) chunks.push(chunk as Buffer);
  let document: StorageExportDocument;
  try {
    document = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StorageExportDocument;
  } catch (cause) {
    throw corruptEntry(STORAGE_EXPORT_ENTRY, 'it is not valid JSON', cause);
  }
  if (document.header?.kind !== 'header' || !Array.isArray(document.header.tables) || typeof document.counts !== 'object') {
    throw corruptEntry(STORAGE_EXPORT_ENTRY, 'it lacks the export header or counts');
  }
  yield document.header;
  for (const table of document.header.tables) {
    const name = storageTableEntry(table);
    if (!archive.has(name)) throw snapshotError('snapshot_missing_entry_error', `Snapshot archive has no '${name}'`, { entry: name });
    yield* tableItems(table, name);
  }
  yield { kind: 'end', counts: document.counts };
}
