/**
 * Builds zip files byte by byte, for archives yazl refuses to write: escaping names, symlinks,
 * duplicates, lying size headers. Stored (method 0) or deflated (method 8) entries, no zip64.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';

export interface RawEntry {
  name: string;
  data: Buffer;
  /** Deflate the data. @default false */
  deflate?: boolean;
  /** Unix mode for the external attributes. @default 0o100644 */
  mode?: number;
  /** Override the uncompressed size written in the headers (to lie). */
  declaredSize?: number;
  /** `data` is already deflate-raw bytes: write it as method 8 as is. */
  predeflated?: boolean;
}

/** A complete zip archive holding `entries` in order. */
export function buildZip(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.predeflated ? 0 : crc32(entry.data);
    const method = entry.deflate || entry.predeflated ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, body);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x800, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(body.length, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += local.length + name.length + body.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

/** Every entry of a (well-formed) zip, data decompressed. */
export async function readRawEntries(path: string): Promise<RawEntry[]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const out: RawEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
    }
  } finally {
    zip.close();
  }
  return out;
}

/**
 * Replaces the content of entry `name` with `edit(content)`, then fixes its SHA-256, size and
 * line count in manifest.json, so only the edit itself is wrong with the archive.
 */
export function editEntry(entries: RawEntry[], name: string, edit: (data: Buffer) => Buffer): RawEntry[] {
  const entry = entries.find((e) => e.name === name)!;
  entry.data = edit(entry.data);
  const manifestEntry = entries.find((e) => e.name === 'manifest.json')!;
  const manifest = JSON.parse(manifestEntry.data.toString()) as { entries: { name: string; size: number; sha256: string; lines?: number }[] };
  const listed = manifest.entries.find((e) => e.name === name)!;
  listed.sha256 = createHash('sha256').update(entry.data).digest('hex');
  listed.size = entry.data.length;
  if (listed.lines !== undefined) listed.lines = entry.data.toString().split('\n').filter((l) => l.length > 0).length;
  manifestEntry.data = Buffer.from(JSON.stringify(manifest));
  return entries;
}

/** Edits metadata.json with `edit` (see {@link editEntry}). */
export function editMetadata(entries: RawEntry[], edit: (metadata: Record<string, unknown>) => void): RawEntry[] {
  return editEntry(entries, 'metadata.json', (data) => {
    const metadata = JSON.parse(data.toString()) as Record<string, unknown>;
    edit(metadata);
    return Buffer.from(JSON.stringify(metadata));
  });
}

/** The name of the first `storage/` entry of the zip at `path`. */
export async function firstStorageEntry(path: string): Promise<string> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) if (entry.fileName.startsWith('storage/')) return entry.fileName;
  } finally {
    zip.close();
  }
  throw new Error('no storage entry');
}
