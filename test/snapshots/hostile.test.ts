/** Damaged and hostile archives: each is refused with its own stable code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, truncate, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openSnapshotArchive } from '../../src/snapshots/index.js';
import { buildZip, editMetadata, readRawEntries, type RawEntry } from './raw-zip.js';
import { expectCode, fastScrypt, flipByteIn, tempDir, writeSample } from './helpers.js';

async function openAndVerify(path: string, passphrase?: string): Promise<void> {
  const archive = await openSnapshotArchive(path, passphrase === undefined ? {} : { passphrase });
  try {
    await archive.verify();
  } finally {
    archive.close();
  }
}

/** A valid sample archive rewritten by hand after `mutate`. */
async function rebuilt(dir: string, mutate: (entries: RawEntry[]) => RawEntry[]): Promise<string> {
  const source = join(dir, 'source.zip');
  await writeSample(source);
  const path = join(dir, 'rebuilt.zip');
  await writeFile(path, buildZip(mutate(await readRawEntries(source))));
  return path;
}

test('the hand-built copy of a valid archive is itself valid (control for the cases below)', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await openAndVerify(await rebuilt(dir, (entries) => entries));
});

test('a truncated archive is snapshot_truncated_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path);
  const { size } = await stat(path);
  for (const keep of [size - 10, Math.floor(size / 2), 100]) {
    await writeSample(path);
    await truncate(path, keep);
    await expectCode(() => openAndVerify(path), 'snapshot_truncated_error');
  }
});

test('a file that is not a zip is snapshot_corrupt_error; a missing file is snapshot_not_found_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'x.zip');
  await writeFile(path, 'hello, not a zip at all'.repeat(10));
  await expectCode(() => openAndVerify(path), 'snapshot_corrupt_error');
  await expectCode(() => openAndVerify(join(dir, 'nope.zip')), 'snapshot_not_found_error');
});

for (const name of ['storage/deployments.ndjson', 'storage/events.ndjson', 'blueprints/bp1/blueprint.yaml', 'agents/agents.ndjson', 'metadata.json', 'manifest.json']) {
  test(`a flipped byte in ${name} is snapshot_hash_mismatch_error naming it`, async (t) => {
    const { dir, cleanup } = await tempDir();
    t.after(cleanup);
    const path = join(dir, 's.zip');
    await writeSample(path);
    await flipByteIn(path, name);
    const error = await expectCode(() => openAndVerify(path), 'snapshot_hash_mismatch_error');
    assert.equal(error.details.entry, name);
    assert.match(error.message, new RegExp(name.replace('.', '\\.')));
  });
}

test('a flipped byte in an encrypted entry is snapshot_hash_mismatch_error, with or without the passphrase', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path, { encryption: { passphrase: 'pw', scrypt: fastScrypt } });
  await flipByteIn(path, 'storage/node_instances.ndjson');
  const a = await expectCode(() => openAndVerify(path), 'snapshot_hash_mismatch_error');
  assert.equal(a.details.entry, 'storage/node_instances.ndjson');
  const b = await expectCode(() => openAndVerify(path, 'pw'), 'snapshot_hash_mismatch_error');
  assert.equal(b.details.entry, 'storage/node_instances.ndjson');
});

test('missing metadata.json or manifest.json is snapshot_missing_entry_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  for (const gone of ['metadata.json', 'manifest.json']) {
    const path = await rebuilt(dir, (entries) => entries.filter((e) => e.name !== gone));
    const error = await expectCode(() => openAndVerify(path), 'snapshot_missing_entry_error');
    assert.equal(error.details.entry, gone);
  }
});

test('an entry listed in the manifest but absent is snapshot_missing_entry_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => entries.filter((e) => e.name !== 'storage/events.ndjson'));
  const error = await expectCode(() => openAndVerify(path), 'snapshot_missing_entry_error');
  assert.equal(error.details.entry, 'storage/events.ndjson');
});

test('an entry present but not in the manifest is snapshot_unlisted_entry_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => [...entries, { name: 'blueprints/bp1/extra.sh', data: Buffer.from('rm -rf /\n') }]);
  const error = await expectCode(() => openAndVerify(path), 'snapshot_unlisted_entry_error');
  assert.equal(error.details.entry, 'blueprints/bp1/extra.sh');
});

for (const [label, name] of [
  ['a ../ entry', 'blueprints/../../etc/cron.d/evil'],
  ['a leading ../ entry', '../evil.sh'],
  ['an absolute entry', '/etc/passwd'],
  ['a backslash entry', 'blueprints\\..\\evil'],
  ['a drive-letter entry', 'C:/Windows/evil.dll'],
] as const) {
  test(`${label} is snapshot_unsafe_path_error`, async (t) => {
    const { dir, cleanup } = await tempDir();
    t.after(cleanup);
    const path = await rebuilt(dir, (entries) => [...entries, { name, data: Buffer.from('x') }]);
    const error = await expectCode(() => openAndVerify(path), 'snapshot_unsafe_path_error');
    assert.equal(error.details.entry, name);
  });
}

test('a symlink entry is snapshot_symlink_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => [...entries, { name: 'blueprints/bp1/link', data: Buffer.from('/etc/shadow'), mode: 0o120777 }]);
  const error = await expectCode(() => openAndVerify(path), 'snapshot_symlink_error');
  assert.equal(error.details.entry, 'blueprints/bp1/link');
});

test('a duplicate entry is snapshot_duplicate_entry_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => [...entries, { ...entries.find((e) => e.name === 'storage/deployments.ndjson')! }]);
  const error = await expectCode(() => openAndVerify(path), 'snapshot_duplicate_entry_error');
  assert.equal(error.details.entry, 'storage/deployments.ndjson');
});

test('a future format version is snapshot_version_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => editMetadata(entries, (m) => (m.format_version = 2)));
  const error = await expectCode(() => openAndVerify(path), 'snapshot_version_error');
  assert.match(error.message, /format version 2/);
});

test('a future manifest layout is snapshot_version_error, not a validation error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => {
    entries.find((e) => e.name === 'manifest.json')!.data = Buffer.from(JSON.stringify({ format_version: 7, files: {} }));
    return entries;
  });
  await expectCode(() => openAndVerify(path), 'snapshot_version_error');
});

test('an older format version is refused without a migration and accepted through one', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => {
    const edited = editMetadata(entries, (m) => {
      m.format_version = 0;
      m.snapshot_version = m.manager_version; // pretend v0 named the field differently
      delete m.manager_version;
    });
    const manifest = edited.find((e) => e.name === 'manifest.json')!;
    manifest.data = Buffer.from(manifest.data.toString().replace('"format_version":1', '"format_version":0'));
    return edited;
  });
  await expectCode(() => openAndVerify(path), 'snapshot_version_error');
  const migrations = new Map([[0, (m: Record<string, unknown>) => ({ ...m, manager_version: m.snapshot_version })]]);
  const archive = await openSnapshotArchive(path, { migrations });
  t.after(() => archive.close());
  assert.equal(archive.summary().sourceFormatVersion, 0);
  assert.equal(archive.summary().formatVersion, 1);
  assert.equal(archive.summary().managerVersion, '0.1.0');
  await archive.verify();
});

test('metadata counts that disagree with the manifest are snapshot_metadata_error', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = await rebuilt(dir, (entries) => editMetadata(entries, (m) => ((m.counts as Record<string, number>).deployments = 99)));
  const error = await expectCode(() => openAndVerify(path), 'snapshot_metadata_error');
  assert.match(error.message, /deployments/);
});

test('a tampered manifest in an encrypted archive fails its MAC (snapshot_hash_mismatch_error)', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const source = join(dir, 'enc.zip');
  await writeSample(source, { encryption: { passphrase: 'pw', scrypt: fastScrypt } });
  const entries = editMetadata(await readRawEntries(source), (m) => (m.includes_credentials = true));
  const path = join(dir, 'tampered.zip');
  await writeFile(path, buildZip(entries));
  await openAndVerify(path); // without the passphrase only integrity can be checked
  const error = await expectCode(() => openAndVerify(path, 'pw'), 'snapshot_hash_mismatch_error');
  assert.equal(error.details.entry, 'manifest.json');
  assert.ok((await readFile(path)).length > 0);
});
