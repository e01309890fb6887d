/**
 * `createSnapshotArchive`: streams named entries into a zip beside the target, hashing as it goes,
 * then writes `metadata.json` and `manifest.json`, fsyncs and renames atomically. Memory stays
 * bounded whatever the entry sizes; on error or abort the temp file is removed.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';
import yazl from 'yazl';
import { fsyncDir } from '../core/index.js';
import { DEFAULT_CHUNK_SIZE, FLAG_DEFLATE, createEntryEncryptor } from './chunked-cipher.js';
import { DEFAULT_SCRYPT, deriveMasterKey, keyCheck, manifestMac, newSalt, type ArchiveKeys, type ScryptParams } from './crypto.js';
import { DigestStream } from './digest-stream.js';
import { METADATA_ENTRY, MANIFEST_ENTRY, RESERVED_ENTRIES, unsafeNameReason } from './entry-names.js';
import { snapshotError } from './errors.js';
import { useNativeZipCrc32 } from './zip-crc.js';
import {
  SNAPSHOT_FORMAT_NAME,
  SNAPSHOT_FORMAT_VERSION,
  manifestMacInput,
  type EncryptionDocument,
  type ManifestDocument,
  type ManifestEntry,
  type MetadataDocument,
  type SnapshotMetadataInput,
} from './format.js';

/** Where an entry's bytes come from: a stream, an async iterable, bytes, or a file path. */
export type SnapshotEntrySource = Readable | AsyncIterable<Buffer | string> | Uint8Array | string;

/** One named entry to write. */
export interface SnapshotEntryInput {
  /** Relative `/`-separated name, e.g. `storage/deployments.ndjson` or `blueprints/bp/app.yaml`. */
  name: string;
  /** The bytes; a `string` is a file path. */
  source: SnapshotEntrySource;
}

/** Optional encryption of every entry except metadata and manifest. */
export interface SnapshotEncryptionOptions {
  passphrase: string;
  /** scrypt cost. @default { n: 32768, r: 8, p: 1 } */
  scrypt?: Partial<ScryptParams>;
  /** Plaintext bytes per sealed chunk. @default 65536 */
  chunkSize?: number;
}

export interface CreateSnapshotOptions {
  metadata: SnapshotMetadataInput;
  entries: AsyncIterable<SnapshotEntryInput> | Iterable<SnapshotEntryInput>;
  encryption?: SnapshotEncryptionOptions;
  /** Aborting removes the temp file and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Deflate plain entries inside the zip. @default true */
  compress?: boolean;
  /** zlib level for plain entries and for encrypted payloads. @default 6 */
  compressionLevel?: number;
  /** Write zip64 records even when not needed (yazl switches to zip64 by itself beyond 4 GB). @default false */
  forceZip64?: boolean;
}

export interface CreateSnapshotResult {
  path: string;
  /** Archive size in bytes. */
  size: number;
  metadata: MetadataDocument;
  manifest: ManifestDocument;
}

/** Writes a snapshot archive to `targetPath` atomically (temp file + fsync + rename). */
export async function createSnapshotArchive(targetPath: string, options: CreateSnapshotOptions): Promise<CreateSnapshotResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  useNativeZipCrc32();
  const createdAt = options.metadata.createdAt ?? new Date();
  const level = options.compressionLevel ?? 6;
  const crypto = options.encryption === undefined ? undefined : await prepareEncryption(options.encryption, level);
  const tmp = join(dirname(targetPath), `.${basename(targetPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  const file = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  const written = pipeline(output, file, signal === undefined ? {} : { signal });
  written.catch(() => undefined); // observed below; avoid an unhandled rejection meanwhile
  const zipOptions = { mtime: createdAt, mode: 0o100644, forceZip64Format: options.forceZip64 ?? false };
  const listed: ManifestEntry[] = [];
  const seen = new Set<string>();

  try {
    for await (const entry of options.entries) {
      try {
        signal?.throwIfAborted();
        checkEntryName(entry.name, seen);
      } catch (error) {
        if (entry.source instanceof Readable) entry.source.destroy(); // never opened: release it
        throw error;
      }
      const plain = crypto === undefined;
      const digest = new DigestStream();
      const lineCounter = plain ? undefined : new DigestStream({ hash: false });
      zip.addReadStream(digest, entry.name, { ...zipOptions, compress: plain && options.compress !== false, ...(plain && options.compress !== false ? { compressionLevel: level } : {}) });
      const stages: Transform[] = plain ? [digest] : [lineCounter!, ...crypto.stages(entry.name), digest];
      await Promise.all([
        pipeline([toReadable(entry.source), ...stages], signal === undefined ? {} : { signal }),
        once(digest, 'end', signal === undefined ? {} : { signal }),
      ]);
      const { sha256, size } = digest.digest;
      const lines = (lineCounter ?? digest).digest.lines;
      listed.push({ name: entry.name, size, sha256, encrypted: !plain, ...(entry.name.endsWith('.ndjson') ? { lines } : {}) });
    }
    signal?.throwIfAborted();
    const metadata = buildMetadata(options.metadata, createdAt, listed, crypto?.document ?? null);
    const metadataBytes = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
    // The two documents are stored uncompressed: small, and readable with any zip tool.
    zip.addBuffer(metadataBytes, METADATA_ENTRY, { ...zipOptions, compress: false });
    listed.push({ name: METADATA_ENTRY, size: metadataBytes.length, sha256: createHash('sha256').update(metadataBytes).digest('hex'), encrypted: false });
    const body = { format_version: SNAPSHOT_FORMAT_VERSION, entries: listed };
    const manifest: ManifestDocument = crypto === undefined ? body : { ...body, mac: manifestMac(crypto.keys, manifestMacInput(body)) };
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), MANIFEST_ENTRY, { ...zipOptions, compress: false });
    zip.end({ forceZip64Format: options.forceZip64 ?? false, comment: '' });
    await written;
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    signal?.throwIfAborted();
    await rename(tmp, targetPath);
    fsyncDir(dirname(targetPath));
    return { path: targetPath, size: (await stat(targetPath)).size, metadata, manifest };
  } catch (error) {
    output.destroy();
    file.destroy();
    await written.catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
}

function checkEntryName(name: string, seen: Set<string>): void {
  const reason = unsafeNameReason(name) ?? (RESERVED_ENTRIES.has(name) ? 'the name is reserved for the archive itself' : undefined);
  if (reason !== undefined) {
    throw snapshotError('snapshot_entry_name_error', `Cannot write snapshot entry '${name}': ${reason}`, { entry: name, reason });
  }
  if (seen.has(name)) {
    throw snapshotError('snapshot_entry_name_error', `Cannot write snapshot entry '${name}' twice`, { entry: name, reason: 'duplicate' });
  }
  seen.add(name);
}

function toReadable(source: SnapshotEntrySource): Readable {
  if (typeof source === 'string') return createReadStream(source);
  if (source instanceof Readable) return source;
  if (source instanceof Uint8Array) return Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)]);
  // Byte mode: at most ~64 KiB (or one chunk) read ahead, not 16 chunks of any size.
  return Readable.from(source, { objectMode: false, highWaterMark: 64 * 1024 });
}

interface PreparedEncryption {
  keys: ArchiveKeys;
  document: EncryptionDocument;
  stages(name: string): Transform[];
}

async function prepareEncryption(options: SnapshotEncryptionOptions, level: number): Promise<PreparedEncryption> {
  if (options.passphrase.length === 0) {
    throw snapshotError('snapshot_passphrase_required_error', 'The snapshot passphrase is empty', {}, { hints: ['Put a non-empty passphrase in the file or variable'] });
  }
  const params: ScryptParams = { ...DEFAULT_SCRYPT, ...options.scrypt };
  const salt = newSalt();
  const keys = await deriveMasterKey(options.passphrase, salt, params);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const document: EncryptionDocument = {
    algorithm: 'aes-256-gcm',
    chunk_size: chunkSize,
    compression: 'deflate-raw',
    kdf: { name: 'scrypt', salt: salt.toString('base64'), ...params },
    key_check: keyCheck(keys),
  };
  return {
    keys,
    document,
    stages: (name) => [createDeflateRaw({ level }), createEntryEncryptor(keys, name, FLAG_DEFLATE, chunkSize)],
  };
}

function buildMetadata(
  input: SnapshotMetadataInput,
  createdAt: Date,
  listed: readonly ManifestEntry[],
  encryption: EncryptionDocument | null,
): MetadataDocument {
  const counts: Record<string, number> = { ...input.counts };
  for (const entry of listed) {
    const table = /^storage\/([^/]+)\.ndjson$/.exec(entry.name)?.[1];
    if (table !== undefined && entry.lines !== undefined) counts[table] = entry.lines;
  }
  return {
    format: SNAPSHOT_FORMAT_NAME,
    format_version: SNAPSHOT_FORMAT_VERSION,
    manager_version: input.managerVersion,
    storage_schema_version: input.storageSchemaVersion,
    created_at: createdAt.toISOString(),
    counts,
    includes_credentials: input.includesCredentials,
    encryption,
    extra: { ...input.extra },
  };
}
