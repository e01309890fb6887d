/** A snapshot taken on SQLite restores into a manager on PostgreSQL (throw-away cluster). */
import { test } from 'node:test';
import { onPgCluster } from '../storage/pg-cluster.js';
import { seedManager, startSnapshotManager } from './harness.js';
import { assertSameManager, transfer } from './transfer.js';

onPgCluster((cluster) => {
  test('a SQLite manager snapshot restores into a PostgreSQL manager, field by field', async () => {
    const source = await startSnapshotManager();
    const target = await startSnapshotManager({ storageUrl: await cluster().newDatabase() });
    try {
      await seedManager(source, 200);
      const ids = await transfer(source, target, 'to-pg');
      await assertSameManager(source, target, ids);
    } finally {
      await source.close();
      await target.close();
    }
  });
});
