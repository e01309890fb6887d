import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ExportItem, StoragePort } from './port.js';
import { openSqliteStorage } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'rekindle-deferred-idx-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function indexes(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`select name || ': ' || sql from sqlite_master where type = 'index' and sql is not null order by name`).pluck().all() as string[];
  } finally {
    db.close();
  }
}

async function exportOf(storage: StoragePort): Promise<ExportItem[]> {
  const items: ExportItem[] = [];
  for await (const item of storage.exportAll()) items.push(item);
  return items;
}

test('a replace import drops secondary indexes during the load and has them all back after, or after a failure', async () => {
  const path = join(dir, 'a.db');
  const storage = await openSqliteStorage(path);
  try {
    const before = indexes(path);
    assert.ok(before.some((i) => i.startsWith('events_execution_idx')), before.join('\n'));
    await storage.events.append([{ type: 'cloudify_event', event_type: 'task_started', timestamp: '2026-01-01T00:00:00.000Z', message_code: null, message: { text: 'm', arguments: null }, context: { execution_id: 'e' } }]);
    const items = await exportOf(storage);
    await storage.importAll(items);
    assert.deepEqual(indexes(path), before);
    const truncated = items.filter((i) => i.kind !== 'end');
    await assert.rejects(storage.importAll(truncated), (e: { code?: string }) => e.code === 'storage_export_invalid');
    assert.deepEqual(indexes(path), before);
    assert.equal(await storage.events.count(), 1);
    assert.deepEqual((await storage.integrityCheck()).problems, []);
  } finally {
    await storage.close();
  }
});
