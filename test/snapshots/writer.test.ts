/** The writer's guarantees: atomic target, nothing left behind on error or abort, bounded memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createSnapshotArchive, openSnapshotArchive } from '../../src/snapshots/index.js';
import { baseMetadata, expectCode, sampleEntries, tempDir } from './helpers.js';

function endless(onChunk: (n: number) => void): Readable {
  let n = 0;
  return new Readable({
    read() {
      onChunk(++n);
      this.push(Buffer.alloc(64 * 1024, n % 251));
    },
  });
}

test('aborting mid-write rejects with the reason and leaves no file, not even a temp one', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const controller = new AbortController();
  const reason = new Error('operator cancelled');
  const writing = createSnapshotArchive(join(dir, 'snap.zip'), {
    metadata: baseMetadata,
    entries: [...sampleEntries(), { name: 'storage/events.ndjson.more', source: endless((n) => n === 20 && controller.abort(reason)) }],
    signal: controller.signal,
  });
  await assert.rejects(writing, (error: unknown) => error === reason || (error as Error).name === 'AbortError');
  assert.deepEqual(await readdir(dir), []);
});

test('a failing source rejects and leaves no file; the entries iterator is closed', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  let closed = false;
  async function* entries() {
    try {
      yield await Promise.resolve({ name: 'storage/a.ndjson', source: Buffer.from('{}\n') });
      yield {
        name: 'storage/b.ndjson',
        source: (async function* () {
          yield await Promise.resolve('{"ok":1}\n');
          throw new Error('database went away');
        })(),
      };
      yield { name: 'storage/c.ndjson', source: Buffer.from('{}\n') };
    } finally {
      closed = true;
    }
  }
  await assert.rejects(createSnapshotArchive(join(dir, 'snap.zip'), { metadata: baseMetadata, entries: entries() }), /database went away/);
  assert.equal(closed, true, 'the iterator (e.g. a read transaction) is released');
  assert.deepEqual(await readdir(dir), []);
});

test('an existing archive is replaced atomically only when the new one is complete', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'snap.zip');
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: sampleEntries() });
  await assert.rejects(
    createSnapshotArchive(path, { metadata: baseMetadata, entries: [{ name: 'x', source: join(dir, 'does-not-exist') }] }),
    /ENOENT/,
  );
  const archive = await openSnapshotArchive(path);
  t.after(() => archive.close());
  await archive.verify();
  assert.equal(archive.entries().length, sampleEntries().length);
});

for (const [label, name] of [
  ['../', '../evil'],
  ['absolute', '/etc/passwd'],
  ['backslash', 'a\\b'],
  ['reserved', 'manifest.json'],
  ['empty segment', 'blueprints//x'],
] as const) {
  test(`the writer refuses the ${label} entry name with snapshot_entry_name_error`, async (t) => {
    const { dir, cleanup } = await tempDir();
    t.after(cleanup);
    const error = await expectCode(
      () => createSnapshotArchive(join(dir, 's.zip'), { metadata: baseMetadata, entries: [{ name, source: Buffer.from('x') }] }),
      'snapshot_entry_name_error',
    );
    assert.equal(error.details.entry, name);
    assert.deepEqual(await readdir(dir), []);
  });
}

test('the writer refuses a duplicate entry name', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const entries = [{ name: 'a', source: Buffer.from('1') }, { name: 'a', source: Buffer.from('2') }];
  await expectCode(() => createSnapshotArchive(join(dir, 's.zip'), { metadata: baseMetadata, entries }), 'snapshot_entry_name_error');
});

test('extractTo refuses to overwrite or to follow a symlinked folder', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: sampleEntries() });
  const archive = await openSnapshotArchive(path);
  t.after(() => archive.close());
  const out = join(dir, 'out');
  await archive.extractTo('blueprints/bp1/', out);
  await expectCode(() => archive.extractTo('blueprints/bp1/', out), 'snapshot_unsafe_path_error');
  const out2 = join(dir, 'out2');
  const { mkdir, symlink } = await import('node:fs/promises');
  await mkdir(out2);
  await mkdir(join(dir, 'elsewhere'));
  await symlink(join(dir, 'elsewhere'), join(out2, 'scripts'));
  await writeFile(join(dir, 'marker'), '');
  const error = await expectCode(() => archive.extractTo('blueprints/bp1/', out2), 'snapshot_unsafe_path_error');
  assert.match(error.message, /symbolic link/);
  assert.deepEqual(await readdir(join(dir, 'elsewhere')), []);
});
