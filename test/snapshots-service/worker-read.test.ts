/**
 * Restores whose archive is read and parsed in a worker thread (large restores do this; here it is
 * forced with `restoreReadInWorkerFromRows: 0`): the same rows and files as the main-thread path,
 * encrypted archives too, and errors found in the worker come back with their codes, the manager
 * untouched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildZip, editEntry, readRawEntries } from '../snapshots/raw-zip.js';
import { failedRestore } from './failed-restore.js';
import { seedManager, startSnapshotManager, type TestSnapshotManager } from './harness.js';
import { assertSameManager, transfer } from './transfer.js';

let source: TestSnapshotManager;
let work: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'rekindle-snapworker-'));
  source = await startSnapshotManager();
  await seedManager(source, 30);
});

after(async () => {
  await source.close();
  rmSync(work, { recursive: true, force: true });
});

test('through the reader thread, a snapshot restores row by row and file by file; active executions come back failed', async () => {
  const target = await startSnapshotManager({ restoreReadInWorkerFromRows: 0 });
  try {
    const ids = await transfer(source, target, 'viaworker');
    await assertSameManager(source, target, ids);
  } finally {
    await target.close();
  }
});

test('through the reader thread, an encrypted snapshot round-trips (the key crosses to the worker)', async () => {
  const target = await startSnapshotManager({ restoreReadInWorkerFromRows: 0 });
  try {
    const ids = await transfer(source, target, 'viaworker-enc', 'correct horse battery staple');
    await assertSameManager(source, target, ids);
  } finally {
    await target.close();
  }
});

/** The source's plain archive, with `edit` applied to one entry (hashes fixed: verification passes). */
async function editedArchive(name: string, edit: (data: Buffer) => Buffer): Promise<Buffer> {
  const created = await source.call('PUT', '/api/v2/snapshots/forwork', { json: {} });
  if (created.statusCode === 201) await source.settle(created.json<{ id: string }>().id);
  const download = await source.call('GET', '/api/v2/snapshots/forwork/archive');
  assert.equal(download.statusCode, 200, download.body);
  const path = join(work, `${name.replaceAll('/', '_')}-${Date.now()}.zip`);
  writeFileSync(path, download.rawPayload);
  return buildZip(editEntry(await readRawEntries(path), name, edit));
}

test('a row the import refuses is reported from the reader thread with its code, and the manager is untouched', async () => {
  const bytes = await editedArchive('storage/events.ndjson', (data) => {
    const lines = data.toString().split('\n');
    lines[lines.length - 2] = '[1,2,3]'; // the last line (the text ends with a newline)
    return Buffer.from(lines.join('\n'));
  });
  const target = await startSnapshotManager({ restoreReadInWorkerFromRows: 0 });
  try {
    const error = await failedRestore(target, bytes);
    assert.match(error.message, /events line is not a JSON object \(storage_export_invalid\)$/);
  } finally {
    await target.close();
  }
});

test('an unknown column found in the reader thread names the column, and the manager is untouched', async () => {
  const bytes = await editedArchive('storage/deployments.ndjson', (data) => {
    const lines = data.toString().split('\n');
    lines[0] = lines[0]!.replace(/^\{/, '{"surprise":1,');
    return Buffer.from(lines.join('\n'));
  });
  const target = await startSnapshotManager({ restoreReadInWorkerFromRows: 0 });
  try {
    const error = await failedRestore(target, bytes);
    assert.match(error.message, /unknown column deployments\.surprise \(storage_export_invalid\)$/);
  } finally {
    await target.close();
  }
});

test('a flipped byte stops the restore at verification, before the started reader thread reads anything', async () => {
  const bytes = await editedArchive('storage/events.ndjson', (data) => data);
  const damaged = Buffer.from(bytes);
  const at = damaged.indexOf(Buffer.from('storage/events.ndjson')) + 200; // inside the entry's data, after its local header
  damaged[at] = damaged[at]! ^ 0x01;
  const target = await startSnapshotManager({ restoreReadInWorkerFromRows: 0 });
  try {
    const error = await failedRestore(target, damaged);
    assert.match(error.code ?? '', /^snapshot_(hash_mismatch|corrupt)_error$/, error.message);
  } finally {
    await target.close();
  }
});
