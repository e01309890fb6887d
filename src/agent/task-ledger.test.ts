import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTaskLedger } from './task-ledger.js';

test('the file ledger keeps records across instances and prunes old finished ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  try {
    const ledger = new FileTaskLedger(dir);
    ledger.put({ taskId: 'a/b', state: 'running', startedAt: 'now', bootId: 'x' });
    ledger.put({ taskId: 'done-1', state: 'done', finishedAt: 'now', result: { taskId: 'done-1', ok: true, value: 1 } });
    const again = new FileTaskLedger(dir);
    assert.equal(again.get('a/b')?.state, 'running');
    assert.deepEqual(again.get('done-1'), { taskId: 'done-1', state: 'done', finishedAt: 'now', result: { taskId: 'done-1', ok: true, value: 1 } });
    assert.equal(again.get('missing'), null);
    const old = (Date.now() - 10 * 86_400_000) / 1000;
    for (const name of readdirSync(join(dir, 'tasks'))) utimesSync(join(dir, 'tasks', name), old, old);
    assert.equal(again.prune(86_400_000), 1);
    assert.equal(again.get('done-1'), null);
    assert.equal(again.get('a/b')?.state, 'running', 'a running record is never pruned');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
