import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createSnapshotArchive, openSnapshotArchive } from '../../src/snapshots/index.js';
import { baseMetadata, expectCode, fastScrypt, ndjson, sampleEntries, tempDir } from './helpers.js';

async function text(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

test('encrypted round trip: entries are unreadable in the zip, metadata is not, content reads back equal', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'enc.zip');
  const rows = ndjson(20_000, 'event'); // several 64 KiB chunks
  await createSnapshotArchive(path, {
    metadata: { ...baseMetadata, includesCredentials: true },
    entries: [...sampleEntries(), { name: 'storage/big_events.ndjson', source: Readable.from([rows]) }],
    encryption: { passphrase: 'correct horse battery staple', scrypt: fastScrypt, chunkSize: 4096 },
  });
  const raw = await readFile(path);
  assert.ok(!raw.includes('event-19999'), 'row text must not appear in the archive');
  assert.ok(!raw.includes('cloudify_dsl_1_2'), 'blueprint text must not appear in the archive');

  const locked = await openSnapshotArchive(path);
  t.after(() => locked.close());
  const summary = locked.summary();
  assert.equal(summary.encrypted, true);
  assert.equal(summary.includesCredentials, true);
  assert.equal(summary.counts.big_events, 20_000);
  assert.equal(locked.readable, false);
  const verified = await locked.verify();
  assert.equal(verified.decrypted, false);
  await expectCode(() => locked.readEntry('storage/deployments.ndjson'), 'snapshot_passphrase_required_error');

  const open = await openSnapshotArchive(path, { passphrase: 'correct horse battery staple' });
  t.after(() => open.close());
  assert.equal((await open.verify()).decrypted, true);
  assert.equal(await text(await open.readEntry('storage/big_events.ndjson')), rows);
  assert.equal(await text(await open.readEntry('blueprints/bp1/blueprint.yaml')), 'tosca_definitions_version: cloudify_dsl_1_2\n');
  let count = 0;
  for await (const line of open.readLines('storage/node_instances.ndjson')) {
    assert.equal((JSON.parse(line) as { id: string }).id, `ni-${count}`);
    count++;
  }
  assert.equal(count, 12);
});

test('a wrong passphrase is snapshot_decryption_error at open, before any entry is read', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'enc.zip');
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: sampleEntries(), encryption: { passphrase: 'right', scrypt: fastScrypt } });
  const error = await expectCode(() => openSnapshotArchive(path, { passphrase: 'wrong' }), 'snapshot_decryption_error');
  assert.match(error.message, /passphrase is wrong/);
});

test('an empty passphrase is refused when writing', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await expectCode(
    () => createSnapshotArchive(join(dir, 'x.zip'), { metadata: baseMetadata, entries: [], encryption: { passphrase: '' } }),
    'snapshot_passphrase_required_error',
  );
});

test('absurd scrypt parameters in metadata are refused before spending them', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const { buildZip, editMetadata, readRawEntries } = await import('./raw-zip.js');
  const source = join(dir, 'enc.zip');
  await createSnapshotArchive(source, { metadata: baseMetadata, entries: sampleEntries(), encryption: { passphrase: 'pw', scrypt: fastScrypt } });
  const entries = editMetadata(await readRawEntries(source), (m) => ((m.encryption as { kdf: { n: number } }).kdf.n = 2 ** 30));
  const path = join(dir, 'costly.zip');
  await import('node:fs/promises').then((fs) => fs.writeFile(path, buildZip(entries)));
  await expectCode(() => openSnapshotArchive(path, { passphrase: 'pw' }), 'snapshot_metadata_error');
});
