/** Reader limits that keep a hostile archive (zip bomb, huge entry count) from exhausting the host. */

export interface SnapshotLimits {
  /** Most entries an archive may hold. @default 200000 */
  maxEntries: number;
  /** Most bytes one entry may expand to (stored bytes and decrypted plaintext). @default 16 GiB */
  maxEntryBytes: number;
  /** Most bytes all entries together may expand to. @default 64 GiB */
  maxTotalBytes: number;
  /** Highest expanded/compressed ratio of an entry larger than 1 MiB. @default 500 */
  maxCompressionRatio: number;
  /** Largest `metadata.json` / `manifest.json`. @default 64 MiB */
  maxDocumentBytes: number;
  /** Longest NDJSON line read by `readLines`. @default 64 MiB */
  maxLineBytes: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Entries smaller than this are not ratio-checked (tiny, very regular files compress absurdly well). */
export const RATIO_FLOOR_BYTES = MiB;

export const DEFAULT_LIMITS: Readonly<SnapshotLimits> = Object.freeze({
  maxEntries: 200_000,
  maxEntryBytes: 16 * GiB,
  maxTotalBytes: 64 * GiB,
  maxCompressionRatio: 500,
  maxDocumentBytes: 64 * MiB,
  maxLineBytes: 64 * MiB,
});

/** Fills in defaults. */
export function compileLimits(limits: Partial<SnapshotLimits> = {}): SnapshotLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
