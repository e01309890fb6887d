/** Shared helpers for the snapshot tests: temp folders, sample entries, byte surgery on zips. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { createSnapshotArchive, type CreateSnapshotOptions, type SnapshotEntryInput } from '../../src/snapshots/index.js';

/** A temp folder removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rekindle-snap-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const baseMetadata = { managerVersion: '0.1.0', storageSchemaVersion: 3, includesCredentials: false, createdAt: new Date('2026-01-02T03:04:05Z') };

/** Cheap scrypt cost for tests (the default costs ~100 ms per derivation). */
export const fastScrypt = { n: 1024, r: 8, p: 1 };

/** NDJSON rows `{ id, n }`. */
export function ndjson(rows: number, prefix = 'row'): string {
  let out = '';
  for (let i = 0; i < rows; i++) out += `${JSON.stringify({ id: `${prefix}-${i}`, n: i })}\n`;
  return out;
}

/** The entries of a small but complete snapshot. */
export function sampleEntries(): SnapshotEntryInput[] {
  return [
    { name: 'storage/deployments.ndjson', source: Buffer.from(ndjson(3, 'dep')) },
    { name: 'storage/node_instances.ndjson', source: Buffer.from(ndjson(12, 'ni')) },
    { name: 'storage/events.ndjson', source: (async function* () { for (let i = 0; i < 5; i++) yield await Promise.resolve(`${JSON.stringify({ event: i })}\n`); })() },
    { name: 'blueprints/bp1/blueprint.yaml', source: Buffer.from('tosca_definitions_version: cloudify_dsl_1_2\n') },
    { name: 'blueprints/bp1/scripts/start.sh', source: Buffer.from('#!/bin/sh\necho hi\n') },
    { name: 'agents/agents.ndjson', source: Buffer.from(ndjson(2, 'agent')) },
  ];
}

/** Writes a sample archive. */
export async function writeSample(path: string, extra: Partial<CreateSnapshotOptions> = {}): Promise<void> {
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: sampleEntries(), compress: false, ...extra });
}

/** Offset and stored length of an entry's data inside the zip file. */
export async function entryDataRange(path: string, name: string): Promise<{ start: number; length: number }> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === name) {
        const header = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        return { start: header.fileDataStart, length: entry.compressedSize };
      }
    }
  } finally {
    zip.close();
  }
  throw new Error(`no entry ${name}`);
}

/** Flips one bit in the middle of an entry's stored data. */
export async function flipByteIn(path: string, name: string): Promise<void> {
  const { start, length } = await entryDataRange(path, name);
  const bytes = await readFile(path);
  const at = start + Math.floor(length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  await writeFile(path, bytes);
}

/** Runs `fn`, expecting a snapshot error with `code`; returns it. */
export async function expectCode(fn: () => Promise<unknown>, code: string): Promise<Error & { code: string; details: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    const e = error as Error & { code?: string; details: Record<string, unknown> };
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code ?? 'no code'}: ${e.message}`, { cause: error });
    return e as Error & { code: string; details: Record<string, unknown> };
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}
