/**
 * The two documents every archive carries, `metadata.json` and `manifest.json`: their on-disk
 * (snake_case) shape, validation and the TypeScript view of them. See docs/snapshots-format.md.
 */
import { z } from 'zod';
import { snapshotError } from './errors.js';

/** The format version this code writes. Readers accept it and older ones (through migrations). */
export const SNAPSHOT_FORMAT_VERSION = 1;
/** The value of metadata's `format` field. */
export const SNAPSHOT_FORMAT_NAME = 'rekindle-snapshot';

const encryptionSchema = z.object({
  algorithm: z.literal('aes-256-gcm'),
  chunk_size: z.number().int().positive(),
  compression: z.enum(['deflate-raw', 'none']),
  kdf: z.object({
    name: z.literal('scrypt'),
    salt: z.string().min(1),
    n: z.number().int().positive(),
    r: z.number().int().positive(),
    p: z.number().int().positive(),
  }),
  key_check: z.string().min(1),
});

/** Metadata as stored in `metadata.json` (current version). */
export const metadataSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT_NAME),
  format_version: z.number().int().nonnegative(),
  manager_version: z.string(),
  storage_schema_version: z.number().int().nonnegative(),
  created_at: z.string(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  includes_credentials: z.boolean(),
  encryption: encryptionSchema.nullable(),
  extra: z.record(z.string(), z.unknown()).default({}),
});
export type MetadataDocument = z.infer<typeof metadataSchema>;
export type EncryptionDocument = z.infer<typeof encryptionSchema>;

const manifestEntrySchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  encrypted: z.boolean(),
  /** Newline-terminated lines of the plaintext, for `.ndjson` entries. */
  lines: z.number().int().nonnegative().optional(),
});
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

/** `manifest.json`: every other entry (metadata included) with size and SHA-256 of its stored bytes. */
export const manifestSchema = z.object({
  format_version: z.number().int().nonnegative(),
  entries: z.array(manifestEntrySchema),
  /** HMAC-SHA256 over {@link manifestMacInput}, present in encrypted archives. */
  mac: z.string().optional(),
});
export type ManifestDocument = z.infer<typeof manifestSchema>;

/** What the caller says about the archive it writes; the writer adds the rest. */
export interface SnapshotMetadataInput {
  /** Version of the manager that created the snapshot, e.g. `0.1.0`. */
  managerVersion: string;
  /** Storage schema (migration) version of the dumped tables. */
  storageSchemaVersion: number;
  /** Whether agent keys / credentials are inside. */
  includesCredentials: boolean;
  /** @default now */
  createdAt?: Date;
  /** Extra counts (`storage/<table>.ndjson` line counts are added by the writer). */
  counts?: Readonly<Record<string, number>>;
  /** Free-form, JSON-serialisable facts (e.g. `include_metrics`). */
  extra?: Readonly<Record<string, unknown>>;
}

/** The canonical text the manifest MAC covers: one line per entry, fields NUL-separated. */
export function manifestMacInput(manifest: Pick<ManifestDocument, 'format_version' | 'entries'>): string {
  const lines = manifest.entries.map((e) => [e.name, e.size, e.sha256, e.encrypted ? 1 : 0, e.lines ?? ''].join('\0'));
  return [`v${manifest.format_version}`, ...lines].join('\n');
}

/** Parses the JSON text of a special entry, or throws `snapshot_metadata_error` naming it. */
export function parseJson(entry: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw snapshotError('snapshot_metadata_error', `Snapshot entry '${entry}' is not valid JSON`, { entry }, { cause });
  }
}


/** Validates a parsed document against `schema`, listing every problem. */
export function validateDocument<T>(entry: string, raw: unknown, schema: z.ZodType<T>): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw snapshotError('snapshot_metadata_error', `Snapshot entry '${entry}' is malformed: ${problems.join('; ')}`, { entry, problems });
  }
  return result.data;
}
