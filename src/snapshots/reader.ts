/**
 * `SnapshotArchive`: an opened archive (see open-archive.ts) with streaming access to entries.
 * `verify()` (verify.ts) checks every byte; `extractTo()` (extract.ts) writes files out.
 */
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { createEntryDecryptor, FLAG_DEFLATE } from './chunked-cipher.js';
import type { ArchiveKeys } from './crypto.js';
import { DigestStream } from './digest-stream.js';
import { METADATA_ENTRY } from './entry-names.js';
import { corruptEntry, hashMismatch, snapshotError } from './errors.js';
import { extractEntries } from './extract.js';
import type { ManifestDocument, ManifestEntry, MetadataDocument } from './format.js';
import { createLimitStream, type ByteBudget } from './limit-stream.js';
import type { SnapshotLimits } from './limits.js';
import { splitLineRuns, splitLines } from './lines.js';
import { verifyArchive, type VerifyResult } from './verify.js';
import { INFLATE_CHUNK_BYTES, openEntryData, openScreenedZip, type ScreenedZip } from './zip-reader.js';

/** What is inside, readable without the passphrase. */
export interface SnapshotSummary {
  formatVersion: number;
  /** The version the archive was written with (older ones are migrated on open). */
  sourceFormatVersion: number;
  managerVersion: string;
  storageSchemaVersion: number;
  createdAt: string;
  counts: Readonly<Record<string, number>>;
  encrypted: boolean;
  includesCredentials: boolean;
  /** Archive size in bytes. */
  size: number;
  /** Number of entries besides metadata and manifest. */
  entries: number;
}

/** A listed entry. */
export interface SnapshotEntryInfo {
  name: string;
  /** Stored bytes (the encrypted envelope for encrypted entries). */
  size: number;
  encrypted: boolean;
  lines?: number;
}

/**
 * What another thread needs to open an archive that was opened and checked here: plain data
 * (the master key as bytes), for `SnapshotArchive.reopen`.
 */
export interface ArchiveParts {
  path: string;
  metadata: MetadataDocument;
  manifest: ManifestDocument;
  sourceFormatVersion: number;
  limits: SnapshotLimits;
  masterKey?: Uint8Array;
}

/** An opened snapshot archive. Call {@link SnapshotArchive.close} when done. */
export class SnapshotArchive {
  readonly #manifestByName: Map<string, ManifestEntry>;

  constructor(
    readonly path: string,
    readonly metadata: MetadataDocument,
    readonly manifest: ManifestDocument,
    readonly sourceFormatVersion: number,
    readonly limits: SnapshotLimits,
    private readonly screened: ScreenedZip,
    private readonly keys: ArchiveKeys | undefined,
  ) {
    this.#manifestByName = new Map(manifest.entries.map((e) => [e.name, e]));
  }

  /**
   * Opens the archive of `parts` again (in another thread): the zip structure is screened again;
   * the documents and passphrase, already checked by `openSnapshotArchive`, are taken as given.
   * Entry reads still check every hash against the manifest.
   */
  static async reopen(parts: ArchiveParts): Promise<SnapshotArchive> {
    const screened = await openScreenedZip(parts.path, parts.limits);
    const keys = parts.masterKey === undefined ? undefined : { master: Buffer.from(parts.masterKey) };
    return new SnapshotArchive(parts.path, parts.metadata, parts.manifest, parts.sourceFormatVersion, parts.limits, screened, keys);
  }

  /** This archive as {@link ArchiveParts}. */
  parts(): ArchiveParts {
    const { path, metadata, manifest, sourceFormatVersion, limits } = this;
    return { path, metadata, manifest, sourceFormatVersion, limits, ...(this.keys ? { masterKey: new Uint8Array(this.keys.master) } : {}) };
  }

  /** True when entries are encrypted. */
  get encrypted(): boolean {
    return this.metadata.encryption !== null;
  }

  /** True when encrypted entries can be read (a right passphrase was given, or none is needed). */
  get readable(): boolean {
    return !this.encrypted || this.keys !== undefined;
  }

  summary(): SnapshotSummary {
    const m = this.metadata;
    return {
      formatVersion: m.format_version,
      sourceFormatVersion: this.sourceFormatVersion,
      managerVersion: m.manager_version,
      storageSchemaVersion: m.storage_schema_version,
      createdAt: m.created_at,
      counts: m.counts,
      encrypted: this.encrypted,
      includesCredentials: m.includes_credentials,
      size: this.screened.fileSize,
      entries: this.manifest.entries.length - 1,
    };
  }

  /** Every content entry (not metadata or manifest), in archive order. */
  entries(): SnapshotEntryInfo[] {
    return this.manifest.entries
      .filter((e) => e.name !== METADATA_ENTRY)
      .map((e) => ({ name: e.name, size: e.size, encrypted: e.encrypted, ...(e.lines === undefined ? {} : { lines: e.lines }) }));
  }

  /** True when the archive holds `name`. */
  has(name: string): boolean {
    return name !== METADATA_ENTRY && this.#manifestByName.has(name);
  }

  /**
   * The plaintext of `name` as a stream. Its SHA-256 is checked at the end (the stream errors with
   * `snapshot_hash_mismatch_error`), encrypted chunks as they come: run `verify()` before acting
   * on the content.
   */
  async readEntry(name: string, budget: ByteBudget = { used: 0 }): Promise<Readable> {
    const listed = this.#manifestByName.get(name);
    const zipEntry = this.screened.entries.get(name);
    if (listed === undefined || zipEntry === undefined || name === METADATA_ENTRY) {
      throw snapshotError('snapshot_missing_entry_error', `Snapshot archive has no entry '${name}'`, { entry: name });
    }
    if (listed.encrypted && this.keys === undefined) {
      throw snapshotError('snapshot_passphrase_required_error', `Snapshot entry '${name}' is encrypted; a passphrase is needed to read it`, { entry: name }, {
        hints: ['Give --passphrase-file FILE or set REKINDLE_SNAPSHOT_PASSPHRASE'],
      });
    }
    const checked = await this.openChecked(listed, { used: 0 });
    return chain([...checked, ...(listed.encrypted ? this.plaintextStages(name, listed.size, budget) : [])]);
  }

  /** Checks every byte of the archive (see verify.ts); throws the first problem found. */
  async verify(): Promise<VerifyResult> {
    return verifyArchive(this);
  }

  /** Extracts the entries under `prefix` into `dir`, refusing unsafe paths. */
  async extractTo(prefix: string, dir: string): Promise<string[]> {
    return extractEntries(this, prefix, dir);
  }

  /** @internal Stored bytes of a listed entry, with limits and the manifest hash checked. */
  async openChecked(listed: ManifestEntry, budget: ByteBudget): Promise<[Readable, Transform]> {
    const zipEntry = this.screened.entries.get(listed.name);
    if (zipEntry === undefined) throw snapshotError('snapshot_missing_entry_error', `Snapshot archive has no entry '${listed.name}'`, { entry: listed.name });
    return [await openEntryData(this.screened, zipEntry, this.limits, budget), new ExpectedDigestStream(listed)];
  }

  /** @internal */
  chain(streams: readonly [Readable, ...Transform[]]): Readable {
    return chain(streams);
  }

  /** @internal Decrypt, inflate and limit stages for an encrypted entry. */
  plaintextStages(name: string, storedSize: number, budget: ByteBudget): Transform[] {
    const deflated = this.metadata.encryption?.compression === 'deflate-raw';
    const decrypt = createEntryDecryptor(this.keys!, name, (header) => {
      if (((header.flags & FLAG_DEFLATE) !== 0) !== deflated) decrypt.destroy(corruptEntry(name, 'its envelope compression flag disagrees with the metadata'));
    });
    const limit = createLimitStream({ entry: name, limits: this.limits, budget, expandedFrom: storedSize });
    return deflated ? [decrypt, createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES }), limit] : [decrypt, limit];
  }

  /** Runs of whole `\n`-terminated lines of an NDJSON entry, streamed (see `splitLineRuns`). */
  async *readLineRuns(name: string): AsyncGenerator<string> {
    yield* splitLineRuns((await this.readEntry(name)) as AsyncIterable<Buffer>, name, this.limits.maxLineBytes);
  }

  /** The lines of an NDJSON entry, streamed. */
  async *readLines(name: string): AsyncGenerator<string> {
    yield* splitLines((await this.readEntry(name)) as AsyncIterable<Buffer>, name, this.limits.maxLineBytes);
  }

  /** @internal Whether keys are present. */
  get hasKeys(): boolean {
    return this.keys !== undefined;
  }

  close(): void {
    this.screened.zip.close();
  }
}

/** Pipes `streams` into each other; the returned last stream carries any stage's error. */
export function chain(streams: readonly [Readable, ...Transform[]]): Readable {
  if (streams.length === 1) return streams[0];
  return pipeline(streams as unknown as [Readable, Transform], () => undefined) as unknown as Readable;
}

/** A DigestStream that fails at the end when the bytes differ from the manifest. */
export class ExpectedDigestStream extends DigestStream {
  constructor(private readonly expected: ManifestEntry) {
    super();
  }

  override _flush(callback: (error?: Error | null) => void): void {
    super._flush((error) => {
      if (error) return callback(error);
      const { sha256, size } = this.digest;
      if (sha256 !== this.expected.sha256 || size !== this.expected.size) {
        callback(hashMismatch(this.expected.name, this.expected.sha256, sha256));
        return;
      }
      callback();
    });
  }
}
