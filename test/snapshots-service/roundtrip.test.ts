/** Create on one manager, download, upload to a fresh one, restore, compare field by field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedManager, startSnapshotManager } from './harness.js';
import { assertSameManager, transfer } from './transfer.js';

test('a snapshot restores into a fresh manager, row by row and file by file', async () => {
  const source = await startSnapshotManager();
  const target = await startSnapshotManager();
  try {
    await seedManager(source);
    const ids = await transfer(source, target, 'snap1');
    await assertSameManager(source, target, ids);
    const events = await target.storage.events.list({ executionId: ids.restoreId, size: 100 });
    const texts = events.items.map((e) => e.message);
    assert.ok(texts.includes('Starting restoring snapshot of manager 0.1.0'), texts.join('\n'));
    assert.ok(texts.includes('Successfully restored snapshot of manager 0.1.0'));
    const createEvents = (await source.storage.events.list({ executionId: ids.createId, size: 100 })).items.map((e) => e.message);
    assert.ok(createEvents.includes('Dumping storage data') && createEvents.includes('Creating snapshot archive'), createEvents.join('\n'));
  } finally {
    await source.close();
    await target.close();
  }
});

test('an encrypted snapshot round-trips with its passphrase', async () => {
  const source = await startSnapshotManager();
  const target = await startSnapshotManager();
  try {
    await seedManager(source, 20);
    const ids = await transfer(source, target, 'secret', 'correct horse battery staple');
    await assertSameManager(source, target, ids);
  } finally {
    await source.close();
    await target.close();
  }
});
