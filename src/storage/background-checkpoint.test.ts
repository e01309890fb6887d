import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BulkCommit } from './background-checkpoint.js';
import { openSqliteStorage } from './sqlite.js';

test('a bulk transaction commits with an fsynced log and no checkpoint; the checkpoint runs afterwards in a worker', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bulk-'));
  const path = join(dir, 'db.sqlite');
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('create table t (id integer primary key, text text not null)');
    const bulk = new BulkCommit(db, path);
    bulk.begin();
    assert.equal(db.pragma('synchronous', { simple: true }), 2, 'FULL: the commit fsyncs the log');
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
    const insert = db.prepare('insert into t (text) values (?)');
    db.transaction(() => {
      for (let i = 0; i < 5000; i += 1) insert.run('x'.repeat(500));
    })();
    bulk.end();
    assert.equal(db.pragma('synchronous', { simple: true }), 1, 'back to NORMAL');
    assert.ok(statSync(`${path}-wal`).size > 2_000_000, 'the rows are in the log, not yet in the database file');
    const result = await bulk.settled();
    assert.ok(result !== undefined && result.log > 0 && result.checkpointed === result.log, JSON.stringify(result));
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000, 'auto-checkpoint back once the worker finished');
    assert.ok(statSync(path).size > 2_000_000, 'the database file holds the rows');
    assert.equal((db.prepare('select count(*) as n from t').get() as { n: number }).n, 5000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closing the storage right after a bulk transaction waits for the checkpoint, and the data is whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bulk-'));
  const path = join(dir, 'manager.db');
  try {
    const storage = await openSqliteStorage(path);
    await storage.transaction(async (tx) => {
      for (let i = 0; i < 200; i += 1) await tx.managerState.set(`k${i}`, { blob: 'y'.repeat(2000) });
    }, { bulk: true });
    await storage.close();
    const again = await openSqliteStorage(path);
    assert.deepEqual((await again.integrityCheck()).problems, []);
    assert.deepEqual(await again.managerState.get('k199'), { blob: 'y'.repeat(2000) });
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
