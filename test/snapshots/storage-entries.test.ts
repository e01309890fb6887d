/** The bridge between storage's export stream and archive entries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ExportItem } from '../../src/storage/index.js';
import { createSnapshotArchive, openSnapshotArchive, storageExportEntries, storageImportItems } from '../../src/snapshots/index.js';
import { baseMetadata, fastScrypt, tempDir } from './helpers.js';

function exportStream(): ExportItem[] {
  const rows = (table: string, n: number): ExportItem[] =>
    Array.from({ length: n }, (_, i) => ({ kind: 'row' as const, table, row: { id: `${table}-${i}`, data: { nested: [i, 'x\ny'] }, at: '2026-01-01T00:00:00.000Z' } }));
  return [
    { kind: 'header', format: 'rekindle-storage', formatVersion: 1, schemaVersion: 4, dialect: 'sqlite', exportedAt: '2026-01-01T00:00:00.000Z', tables: ['blueprints', 'deployments', 'plugins', 'events'] },
    ...rows('blueprints', 2),
    ...rows('deployments', 3),
    ...rows('events', 5000),
    { kind: 'end', counts: { blueprints: 2, deployments: 3, plugins: 0, events: 5000 } },
  ];
}

async function* lazily(items: ExportItem[], onClose: () => void): AsyncGenerator<ExportItem> {
  try {
    for (const item of items) yield await Promise.resolve(item);
  } finally {
    onClose();
  }
}

for (const encrypted of [false, true]) {
  test(`an export stream survives the archive unchanged${encrypted ? ' (encrypted)' : ''}`, async (t) => {
    const { dir, cleanup } = await tempDir();
    t.after(cleanup);
    const path = join(dir, 's.zip');
    let closed = false;
    const encryption = encrypted ? { encryption: { passphrase: 'pw', scrypt: fastScrypt } } : {};
    await createSnapshotArchive(path, { metadata: baseMetadata, entries: storageExportEntries(lazily(exportStream(), () => (closed = true))), ...encryption });
    assert.equal(closed, true);
    const archive = await openSnapshotArchive(path, encrypted ? { passphrase: 'pw' } : {});
    t.after(() => archive.close());
    await archive.verify();
    assert.deepEqual(archive.summary().counts, { blueprints: 2, deployments: 3, plugins: 0, events: 5000 });
    assert.deepEqual(archive.entries().map((e) => e.name), ['storage/blueprints.ndjson', 'storage/deployments.ndjson', 'storage/plugins.ndjson', 'storage/events.ndjson', 'storage/export.json']);
    const back: ExportItem[] = [];
    for await (const item of storageImportItems(archive)) back.push(item);
    assert.deepEqual(back, exportStream());
  });
}

test('an export stream out of its header order fails the write and leaves no archive', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const items = exportStream();
  const [header, ...rest] = items;
  const swapped = [header!, ...rest.filter((i) => i.kind === 'row' && i.table === 'deployments'), ...rest.filter((i) => !(i.kind === 'row' && i.table === 'deployments'))];
  let closed = false;
  await assert.rejects(
    createSnapshotArchive(join(dir, 's.zip'), { metadata: baseMetadata, entries: storageExportEntries(lazily(swapped, () => (closed = true))) }),
    (error: Error & { code?: string }) => error.code === 'snapshot_export_stream_error',
  );
  assert.equal(closed, true, 'the export (its read transaction) is released');
});
