/**
 * The zip layer of the reader: opens the archive with yauzl, scans the central directory and
 * refuses unsafe entries (escaping names, symlinks, duplicates, oversized or bomb-like entries)
 * before any entry data is read; then streams entry bytes with limits enforced as they flow.
 */
import { open as openFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { isSpecialFileAttributes, isSymlinkAttributes, unsafeNameReason } from './entry-names.js';
import { corruptEntry, limitExceeded, snapshotError } from './errors.js';
import { createLimitStream, type ByteBudget } from './limit-stream.js';
import { RATIO_FLOOR_BYTES, type SnapshotLimits } from './limits.js';

/** One entry of the central directory. */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  /** yauzl's record, for opening the data. */
  raw: yauzl.Entry;
}

/** An opened, screened archive. */
export interface ScreenedZip {
  zip: yauzl.ZipFile;
  fileSize: number;
  entries: Map<string, ZipEntryInfo>;
}

/** Opens `path` and screens every central directory record. Closes the file on failure. */
export async function openScreenedZip(path: string, limits: SnapshotLimits): Promise<ScreenedZip> {
  let fileSize: number;
  try {
    fileSize = (await stat(path)).size;
  } catch (cause) {
    throw snapshotError('snapshot_not_found_error', `Snapshot archive '${path}' cannot be read`, { path }, { cause, hints: ['Check the path given with -p'] });
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false, strictFileNames: true });
  } catch (cause) {
    throw await unreadableArchive(path, cause);
  }
  try {
    return { zip, fileSize, entries: await screenEntries(zip, path, limits) };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function unreadableArchive(path: string, cause: unknown): Promise<Error> {
  const head = Buffer.alloc(4);
  const handle = await openFile(path, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.readUInt32LE(0) === 0x04034b50) {
    return snapshotError(
      'snapshot_truncated_error',
      `Snapshot archive '${path}' is truncated: it starts like a zip but its central directory is missing or cut off`,
      { path },
      { cause, hints: ['The copy or download was interrupted; fetch the archive again'] },
    );
  }
  return snapshotError('snapshot_corrupt_error', `'${path}' is not a snapshot archive (not a zip file)`, { path }, { cause });
}

async function screenEntries(zip: yauzl.ZipFile, path: string, limits: SnapshotLimits): Promise<Map<string, ZipEntryInfo>> {
  if (zip.entryCount > limits.maxEntries) throw limitExceeded('entry count', zip.entryCount, limits.maxEntries);
  const entries = new Map<string, ZipEntryInfo>();
  let total = 0;
  try {
    for await (const raw of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, raw.extraFields, true);
      const reason = unsafeNameReason(name);
      if (reason !== undefined) {
        throw snapshotError('snapshot_unsafe_path_error', `Snapshot archive holds an unsafe entry ${JSON.stringify(name)}: ${reason}`, { entry: name, reason }, {
          hints: ['The archive was not written by Rekindle or was tampered with; do not extract it'],
        });
      }
      if (isSymlinkAttributes(raw.externalFileAttributes)) {
        throw snapshotError('snapshot_symlink_error', `Snapshot archive holds a symbolic link entry '${name}'; snapshots contain regular files only`, { entry: name });
      }
      if (isSpecialFileAttributes(raw.externalFileAttributes)) {
        throw snapshotError('snapshot_unsafe_path_error', `Snapshot archive entry '${name}' is not a regular file`, { entry: name, reason: 'not a regular file' });
      }
      if (entries.has(name)) {
        throw snapshotError('snapshot_duplicate_entry_error', `Snapshot archive holds entry '${name}' more than once`, { entry: name });
      }
      if (raw.isEncrypted() || (raw.compressionMethod !== 0 && raw.compressionMethod !== 8)) {
        throw corruptEntry(name, `unsupported zip encryption or compression method ${raw.compressionMethod}`);
      }
      checkDeclaredSizes(name, raw, limits, (total += raw.uncompressedSize));
      entries.set(name, { name, compressedSize: raw.compressedSize, uncompressedSize: raw.uncompressedSize, crc32: raw.crc32, raw });
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('snapshot_')) throw error;
    throw snapshotError('snapshot_corrupt_error', `Snapshot archive '${path}' has a damaged central directory`, { path }, { cause: error });
  }
  return entries;
}

function checkDeclaredSizes(name: string, raw: yauzl.Entry, limits: SnapshotLimits, total: number): void {
  if (raw.uncompressedSize > limits.maxEntryBytes) throw limitExceeded('per-entry size', raw.uncompressedSize, limits.maxEntryBytes, name);
  if (total > limits.maxTotalBytes) throw limitExceeded('total size', total, limits.maxTotalBytes);
  const ratio = raw.uncompressedSize / Math.max(raw.compressedSize, 1);
  if (raw.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
    throw limitExceeded('compression ratio', Math.round(ratio), limits.maxCompressionRatio, name);
  }
}

/**
 * Output chunk of the inflater. zlib's default (16 KB) makes a 700 MB entry 45,000 chunks, each
 * paying every stream stage's per-chunk cost; 64 KB cuts a full verify by about a quarter
 * (256 KB gains little more and holds more memory).
 */
export const INFLATE_CHUNK_BYTES = 64 * 1024;

/** Deflate method id of a zip entry. */
const METHOD_DEFLATE = 8;

/**
 * The stored bytes of `entry` (inflated here, in {@link INFLATE_CHUNK_BYTES} chunks, not by
 * yauzl), checked against its declared size and the limits as they stream.
 */
export async function openEntryData(screened: ScreenedZip, entry: ZipEntryInfo, limits: SnapshotLimits, budget: ByteBudget): Promise<Readable> {
  let data: Readable;
  try {
    const deflated = entry.raw.compressionMethod === METHOD_DEFLATE;
    const raw = await screened.zip.openReadStreamPromise(entry.raw, deflated ? { decompress: false } : {});
    data = deflated ? raw.pipe(createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES })) : raw;
    if (deflated) {
      raw.on('error', (cause: unknown) => data.destroy(cause as Error));
      data.on('close', () => raw.destroy());
    }
  } catch (cause) {
    throw corruptEntry(entry.name, 'its local header cannot be read', cause);
  }
  const limited = createLimitStream({ entry: entry.name, limits, budget, exactBytes: entry.uncompressedSize, expandedFrom: entry.compressedSize });
  data.on('error', (cause: unknown) => limited.destroy(corruptEntry(entry.name, 'its compressed data is invalid', cause)));
  limited.on('close', () => data.destroy()); // stop inflating as soon as a limit trips
  return data.pipe(limited);
}

/** Reads a small entry into memory (metadata, manifest), refusing it beyond `maxBytes`. */
export async function readSmallEntry(screened: ScreenedZip, entry: ZipEntryInfo, limits: SnapshotLimits): Promise<Buffer> {
  if (entry.uncompressedSize > limits.maxDocumentBytes) throw limitExceeded('document size', entry.uncompressedSize, limits.maxDocumentBytes, entry.name);
  const chunks: Buffer[] = [];
  const stream = await openEntryData(screened, entry, limits, { used: 0 });
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
