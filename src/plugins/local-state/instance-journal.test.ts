import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit, JournalFile } from './group-commit.js';
import { LocalInstanceStoreAdapter, type StoredNodeInstance } from './instance-store.js';

function folder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rk-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node-instances'));
  return dir;
}

/** A store with instances a_1 and b_1 in a fresh folder. */
function twoInstances(t: { after(fn: () => void): void }): {
  dir: string;
  files: string;
  store: LocalInstanceStoreAdapter;
} {
  const dir = folder(t);
  const files = join(dir, 'node-instances');
  const store = new LocalInstanceStoreAdapter(files);
  store.put(instance('a_1'));
  store.put(instance('b_1'));
  return { dir, files, store };
}

const instance = (id: string): StoredNodeInstance => ({
  id,
  nodeId: id.split('_')[0]!,
  hostId: null,
  relationships: [],
  state: 'uninitialized',
  runtimeProperties: {},
  version: 1,
});

test('group commit: lines keep call order across callers, durable() resolves for all of them', async (t) => {
  const dir = folder(t);
  const group = new GroupCommit();
  const a = new JournalFile(join(dir, 'a'), group);
  const b = new JournalFile(join(dir, 'b'), group);
  const waits: Promise<void>[] = [];
  for (let i = 0; i < 50; i++) {
    a.append(`{"a":${i}}`);
    b.append(`{"b":${i}}`);
    waits.push(group.durable());
  }
  await Promise.all(waits);
  await group.durable(); // nothing dirty: resolves at once
  const lines = readFileSync(join(dir, 'a'), 'utf8').trim().split('\n');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { a: number }).a),
    [...Array(50).keys()],
  );
  appendFileSync(join(dir, 'b'), '{"torn'); // a crash mid-line, then a new process:
  new JournalFile(join(dir, 'b'), group).append('{"b":50}');
  group.flushSync();
  assert.equal(readFileSync(join(dir, 'b'), 'utf8').split('\n').at(-2), '{"b":50}');
});

test('group commit: a waiter resolves only after the fsync covering it; waiters arriving meanwhile share the next one', async (t) => {
  const dir = folder(t);
  const held: (() => void)[] = [];
  // fsyncs complete when the test releases them
  const group = new GroupCommit((_fd, callback) => held.push(() => callback(null)));
  const a = new JournalFile(join(dir, 'a'), group);
  const b = new JournalFile(join(dir, 'b'), group);
  const settled = (p: Promise<void>): (() => boolean) => {
    let done = false;
    void p.then(() => (done = true));
    return () => done;
  };
  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  a.append('{"n":1}');
  const first = settled(group.durable());
  await tick();
  assert.equal(held.length, 1, 'one fsync for the one dirty file');
  assert.equal(first(), false, 'not durable before its fsync completes');
  a.append('{"n":2}');
  b.append('{"n":3}');
  const second = [settled(group.durable()), settled(group.durable()), settled(group.durable())];
  await tick();
  assert.equal(held.length, 1, 'waiters arriving during an fsync wait for the next window');
  held.shift()!();
  await tick();
  await tick();
  assert.equal(first(), true);
  assert.equal(held.length, 2, 'the next window: one fsync per dirty file for all three waiters');
  assert.ok(second.every((s) => !s()));
  held.splice(0).forEach((release) => release());
  await tick();
  await tick();
  assert.ok(second.every((s) => s()));
});

test('instance changes go to the journal, win over the files when read, survive a torn line and compaction', async (t) => {
  const { dir, files, store } = twoInstances(t);
  await store.setState('a_1', 'started');
  await store.updateRuntimeProperties('a_1', { ip: '127.0.0.1' }, 1);
  await store.setState('b_1', 'creating');
  // The instance files keep what put() wrote; the journal holds the changes.
  assert.equal(
    (JSON.parse(readFileSync(join(files, 'a_1'), 'utf8')) as StoredNodeInstance).state,
    'uninitialized',
  );
  appendFileSync(join(dir, 'node-instances.journal'), '{"id":"b_1","sta'); // torn

  const reopened = new LocalInstanceStoreAdapter(files);
  assert.deepEqual(
    reopened.list().map((i) => [i.id, i.state, i.runtimeProperties, i.version]),
    [
      ['a_1', 'started', { ip: '127.0.0.1' }, 2],
      ['b_1', 'creating', {}, 1],
    ],
  );
  await reopened.setState('b_1', 'created'); // appended after the torn line, on a line of its own
  assert.equal(reopened.checkpoint(1 << 30), false, 'below the size: not compacted');
  assert.equal(reopened.checkpoint(), true);
  assert.equal(
    readFileSync(join(dir, 'node-instances.journal'), 'utf8').trim().split('\n').length,
    2,
  );
  await reopened.setState('a_1', 'stopped');

  const third = new LocalInstanceStoreAdapter(files);
  assert.deepEqual(
    third.list().map((i) => [i.id, i.state, i.version]),
    [
      ['a_1', 'stopped', 2],
      ['b_1', 'created', 1],
    ],
  );
});

test('put and remove supersede journaled changes', async (t) => {
  const { files, store } = twoInstances(t);
  await store.setState('a_1', 'started');
  await store.setState('b_1', 'started');
  store.put({ ...instance('a_1'), hostId: 'h_1' }); // scale: relationships / host updated, state reset
  store.remove('b_1');
  const reopened = new LocalInstanceStoreAdapter(files);
  assert.deepEqual(
    reopened.list().map((i) => [i.id, i.state, i.hostId]),
    [['a_1', 'uninitialized', 'h_1']],
  );
  await assert.rejects(reopened.get('b_1'), /not found/);
});
