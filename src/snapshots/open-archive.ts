/**
 * `openSnapshotArchive`: screens the zip structure, checks `manifest.json` and `metadata.json`
 * (hashes, format version, listing, passphrase) and returns a {@link SnapshotArchive}.
 * Content is not read here: call `verify()` before acting on an archive.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { deriveMasterKey, keyCheck, manifestMac, sameSecret, type ArchiveKeys } from './crypto.js';
import { MANIFEST_ENTRY, METADATA_ENTRY } from './entry-names.js';
import { hashMismatch, snapshotError } from './errors.js';
import { manifestMacInput, manifestSchema, metadataSchema, parseJson, validateDocument, type ManifestDocument, type MetadataDocument } from './format.js';
import { compileLimits, type SnapshotLimits } from './limits.js';
import { refuseNewer, upgradeMetadata, type MetadataMigration } from './migrations.js';
import { SnapshotArchive } from './reader.js';
import { openScreenedZip, readSmallEntry, type ScreenedZip } from './zip-reader.js';

export interface OpenSnapshotOptions {
  /** Needed to read encrypted entries; checked at open (wrong -> `snapshot_decryption_error`). */
  passphrase?: string;
  /** Zip-bomb guards. @default DEFAULT_LIMITS */
  limits?: Partial<SnapshotLimits>;
  /** Upgrades for older format versions, keyed by the version they upgrade from. @default BUILTIN_MIGRATIONS */
  migrations?: ReadonlyMap<number, MetadataMigration>;
}

/** Opens and checks an archive's structure and documents (not every byte: see `verify()`). */
export async function openSnapshotArchive(path: string, options: OpenSnapshotOptions = {}): Promise<SnapshotArchive> {
  const limits = compileLimits(options.limits);
  const screened = await openScreenedZip(path, limits);
  try {
    const manifestZip = screened.entries.get(MANIFEST_ENTRY);
    const metadataZip = screened.entries.get(METADATA_ENTRY);
    for (const [name, entry] of [[MANIFEST_ENTRY, manifestZip], [METADATA_ENTRY, metadataZip]] as const) {
      if (entry === undefined) {
        throw snapshotError('snapshot_missing_entry_error', `Snapshot archive has no '${name}'; it is not a Rekindle snapshot or it is incomplete`, { entry: name });
      }
    }
    const manifestBytes = await readSmallEntry(screened, manifestZip!, limits);
    if (crc32(manifestBytes) !== manifestZip!.crc32) throw hashMismatch(MANIFEST_ENTRY, `crc32:${manifestZip!.crc32}`, `crc32:${crc32(manifestBytes)}`);
    const manifestRaw = parseJson(MANIFEST_ENTRY, manifestBytes.toString('utf8'));
    refuseNewer((manifestRaw as { format_version?: unknown } | null)?.format_version); // before a newer layout fails validation
    const manifest = validateDocument(MANIFEST_ENTRY, manifestRaw, manifestSchema);
    const metadataListed = manifest.entries.find((e) => e.name === METADATA_ENTRY);
    if (metadataListed === undefined) throw snapshotError('snapshot_missing_entry_error', "The manifest does not list 'metadata.json'", { entry: METADATA_ENTRY });
    const metadataBytes = await readSmallEntry(screened, metadataZip!, limits);
    const metadataHash = createHash('sha256').update(metadataBytes).digest('hex');
    if (metadataHash !== metadataListed.sha256) throw hashMismatch(METADATA_ENTRY, metadataListed.sha256, metadataHash);
    const raw = parseJson(METADATA_ENTRY, metadataBytes.toString('utf8'));
    if ((raw as { format?: unknown } | null)?.format !== 'rekindle-snapshot') {
      throw snapshotError('snapshot_metadata_error', "Snapshot entry 'metadata.json' does not describe a Rekindle snapshot (format field)", { entry: METADATA_ENTRY });
    }
    const upgraded = upgradeMetadata(raw, options.migrations);
    const metadata = validateDocument(METADATA_ENTRY, upgraded.metadata, metadataSchema);
    if (manifest.format_version !== upgraded.sourceVersion) {
      throw snapshotError('snapshot_metadata_error', `Manifest format version ${manifest.format_version} differs from metadata format version ${upgraded.sourceVersion}`, {});
    }
    checkListing(manifest, screened, metadata);
    const keys = await unlock(metadata, manifest, options.passphrase);
    return new SnapshotArchive(path, metadata, manifest, upgraded.sourceVersion, limits, screened, keys);
  } catch (error) {
    screened.zip.close();
    throw error;
  }
}

function checkListing(manifest: ManifestDocument, screened: ScreenedZip, metadata: MetadataDocument): void {
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    if (listed.has(entry.name)) throw snapshotError('snapshot_duplicate_entry_error', `The manifest lists '${entry.name}' more than once`, { entry: entry.name });
    listed.add(entry.name);
    const inZip = screened.entries.get(entry.name);
    if (inZip === undefined || entry.name === MANIFEST_ENTRY) {
      throw snapshotError('snapshot_missing_entry_error', `Snapshot entry '${entry.name}' is listed in the manifest but missing from the archive`, { entry: entry.name });
    }
    if (inZip.uncompressedSize !== entry.size) {
      throw snapshotError('snapshot_corrupt_error', `Snapshot entry '${entry.name}' has ${inZip.uncompressedSize} bytes but the manifest says ${entry.size}`, { entry: entry.name });
    }
    if (entry.encrypted && metadata.encryption === null) {
      throw snapshotError('snapshot_metadata_error', `Snapshot entry '${entry.name}' is marked encrypted but the metadata has no encryption parameters`, { entry: entry.name });
    }
  }
  for (const name of screened.entries.keys()) {
    if (name !== MANIFEST_ENTRY && !listed.has(name)) {
      throw snapshotError('snapshot_unlisted_entry_error', `Snapshot entry '${name}' is in the archive but not in the manifest`, { entry: name }, {
        hints: ['The archive was modified after it was written; use an untouched copy'],
      });
    }
  }
}

async function unlock(metadata: MetadataDocument, manifest: ManifestDocument, passphrase: string | undefined): Promise<ArchiveKeys | undefined> {
  const enc = metadata.encryption;
  if (enc === null || passphrase === undefined) return undefined;
  const keys = await deriveMasterKey(passphrase, Buffer.from(enc.kdf.salt, 'base64'), enc.kdf);
  if (!sameSecret(keyCheck(keys), enc.key_check)) {
    throw snapshotError('snapshot_decryption_error', 'Cannot decrypt the snapshot: the passphrase is wrong', {}, {
      hints: ['Check the passphrase file or REKINDLE_SNAPSHOT_PASSPHRASE; nothing was restored'],
    });
  }
  if (manifest.mac === undefined || !sameSecret(manifestMac(keys, manifestMacInput(manifest)), manifest.mac)) {
    throw hashMismatch(MANIFEST_ENTRY, 'a valid manifest MAC', manifest.mac ?? 'none');
  }
  return keys;
}
