/** exportAll -> archive -> importAll against real SQLite storage (the storage conformance data). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqliteStorage } from '../../src/storage/index.js';
import { createSnapshotArchive, openSnapshotArchive, storageExportEntries, storageImportItems } from '../../src/snapshots/index.js';
import { collect, populate, rowsByTable } from '../storage/transfer-helpers.js';
import { baseMetadata, fastScrypt, tempDir } from './helpers.js';

test('a SQLite database survives export -> encrypted archive -> verify -> import into another database', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const source = await openSqliteStorage(join(dir, 'source.db'));
  t.after(() => source.close());
  await populate(source);
  const path = join(dir, 'snap.zip');
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: storageExportEntries(source.exportAll()), encryption: { passphrase: 'pw', scrypt: fastScrypt } });

  const archive = await openSnapshotArchive(path, { passphrase: 'pw' });
  t.after(() => archive.close());
  await archive.verify();
  const dest = await openSqliteStorage(join(dir, 'dest.db'));
  t.after(() => dest.close());
  const counts = await dest.importAll(storageImportItems(archive));
  assert.equal(counts.events, archive.summary().counts.events);
  assert.deepEqual(rowsByTable(await collect(dest)), rowsByTable(await collect(source)));
});
