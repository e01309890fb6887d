/**
 * Full integrity check of an opened archive: every entry's SHA-256 and size against the manifest,
 * every encrypted chunk's authentication (when the passphrase is known), NDJSON line counts
 * against the manifest and metadata counts, and the limits on expanded sizes.
 */
import type { Readable, Transform } from 'node:stream';
import { DigestStream } from './digest-stream.js';
import { METADATA_ENTRY } from './entry-names.js';
import { corruptEntry, snapshotError } from './errors.js';
import type { ManifestDocument, ManifestEntry, MetadataDocument } from './format.js';
import type { ByteBudget } from './limit-stream.js';

/** What verify needs from an opened archive. */
export interface VerifiableArchive {
  readonly metadata: MetadataDocument;
  readonly manifest: ManifestDocument;
  readonly hasKeys: boolean;
  /** Stored bytes of `entry`, limits enforced, hash checked at the end. */
  openChecked(entry: ManifestEntry, budget: ByteBudget): Promise<[Readable, ...Transform[]]>;
  plaintextStages(name: string, storedSize: number, budget: ByteBudget): Transform[];
  chain(streams: readonly [Readable, ...Transform[]]): Readable;
}

/** Outcome of a successful verification. */
export interface VerifyResult {
  /** Entries checked, metadata included. */
  entries: number;
  /** Stored bytes hashed. */
  storedBytes: number;
  /** Whether encrypted entries were decrypted and authenticated (needs the passphrase). */
  decrypted: boolean;
}

/** Checks every byte; throws the first problem found as a snapshot error naming the entry. */
export async function verifyArchive(archive: VerifiableArchive): Promise<VerifyResult> {
  const storedBudget: ByteBudget = { used: 0 };
  const plainBudget: ByteBudget = { used: 0 };
  let storedBytes = 0;
  for (const entry of archive.manifest.entries) {
    if (entry.name === METADATA_ENTRY) continue; // hashed and parsed at open
    const stages = await archive.openChecked(entry, storedBudget);
    const decrypt = entry.encrypted && archive.hasKeys;
    const lineCounter = new DigestStream({ hash: false });
    const streams: [Readable, ...Transform[]] = decrypt ? [...stages, ...archive.plaintextStages(entry.name, entry.size, plainBudget), lineCounter] : [...stages, lineCounter];
    for await (const _chunk of archive.chain(streams)) {
      // drain: the stages do the checking
    }
    storedBytes += entry.size;
    const countable = !entry.encrypted || decrypt;
    if (countable && entry.lines !== undefined && lineCounter.digest.lines !== entry.lines) {
      throw corruptEntry(entry.name, `it holds ${lineCounter.digest.lines} lines but the manifest says ${entry.lines}`);
    }
  }
  checkCounts(archive.metadata, archive.manifest);
  return { entries: archive.manifest.entries.length, storedBytes, decrypted: archive.hasKeys };
}

function checkCounts(metadata: MetadataDocument, manifest: ManifestDocument): void {
  for (const entry of manifest.entries) {
    const table = /^storage\/([^/]+)\.ndjson$/.exec(entry.name)?.[1];
    if (table === undefined || entry.lines === undefined) continue;
    if (metadata.counts[table] !== entry.lines) {
      throw snapshotError(
        'snapshot_metadata_error',
        `Snapshot metadata counts ${metadata.counts[table] ?? 'no'} rows for table '${table}' but '${entry.name}' holds ${entry.lines}`,
        { entry: entry.name, table },
      );
    }
  }
}
