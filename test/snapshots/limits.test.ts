/** Zip bombs and size limits, enforced from headers and again while streaming. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, deflateRawSync } from 'node:zlib';
import { createSnapshotArchive, openSnapshotArchive } from '../../src/snapshots/index.js';
import { buildZip, readRawEntries, type RawEntry } from './raw-zip.js';
import { baseMetadata, expectCode, fastScrypt, tempDir, writeSample } from './helpers.js';

/**
 * Deflate-raw bytes of `megabytes` MiB of zeros, made in milliseconds: 1 MiB deflated up to a
 * full flush (independent blocks, no back-references) repeated, then an empty final block.
 */
function deflatedZeros(megabytes: number): Buffer {
  const piece = deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(megabytes).fill(piece), deflateRawSync(Buffer.alloc(0))]);
}

/** A raw entry whose data is already deflated (buildZip would deflate again). */
function bombEntry(name: string, deflated: Buffer, declaredSize: number): RawEntry & { predeflated: true } {
  return { name, data: deflated, declaredSize, predeflated: true };
}

async function bombZip(dir: string, name: string, deflated: Buffer, declaredSize: number): Promise<string> {
  const source = join(dir, 'source.zip');
  await writeSample(source);
  const path = join(dir, 'bomb.zip');
  await writeFile(path, buildZip([...(await readRawEntries(source)), bombEntry(name, deflated, declaredSize)]));
  return path;
}

test('a 200 MiB entry of zeros declared honestly is refused at open from its headers (ratio and size)', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const deflated = deflatedZeros(200);
  assert.ok(deflated.length < 1024 * 1024, 'the bomb is small on disk');
  const path = await bombZip(dir, 'storage/bomb.ndjson', deflated, 200 * 1024 * 1024);
  const ratio = await expectCode(() => openSnapshotArchive(path), 'snapshot_limit_error');
  assert.equal(ratio.details.limit, 'compression ratio');
  const size = await expectCode(() => openSnapshotArchive(path, { limits: { maxEntryBytes: 10 * 1024 * 1024 } }), 'snapshot_limit_error');
  assert.equal(size.details.limit, 'per-entry size');
});

test('a bomb whose header lies about its size is stopped while streaming, past the declared size', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const deflated = deflatedZeros(200);
  // metadata.json itself is the bomb: read at open, declared as 300 bytes.
  const source = join(dir, 'source.zip');
  await writeSample(source);
  const entries = (await readRawEntries(source)).filter((e) => e.name !== 'metadata.json');
  const path = join(dir, 'liar.zip');
  await writeFile(path, buildZip([bombEntry('metadata.json', deflated, 300), ...entries]));
  const rssBefore = process.memoryUsage().rss;
  const error = await expectCode(() => openSnapshotArchive(path), 'snapshot_corrupt_error');
  assert.match(error.message, /more than the 300 bytes its header declares/);
  assert.ok(process.memoryUsage().rss - rssBefore < 150 * 1024 * 1024, 'the 200 MiB were not inflated into memory');
});

test('too many entries is snapshot_limit_error before any is read', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path);
  const error = await expectCode(() => openSnapshotArchive(path, { limits: { maxEntries: 3 } }), 'snapshot_limit_error');
  assert.equal(error.details.limit, 'entry count');
});

test('total size is limited across entries', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path);
  const error = await expectCode(() => openSnapshotArchive(path, { limits: { maxTotalBytes: 600 } }), 'snapshot_limit_error');
  assert.equal(error.details.limit, 'total size');
});

test('an encrypted entry expanding past the per-entry limit is stopped while decrypting', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'enc.zip');
  const mib = Buffer.alloc(1024 * 1024, 0x61);
  await createSnapshotArchive(path, {
    metadata: baseMetadata,
    entries: [{ name: 'storage/blob.bin', source: Readable.from((function* () { for (let i = 0; i < 8; i++) yield mib; })()) }],
    encryption: { passphrase: 'pw', scrypt: fastScrypt },
  });
  const archive = await openSnapshotArchive(path, { passphrase: 'pw', limits: { maxEntryBytes: 2 * 1024 * 1024 } });
  t.after(() => archive.close());
  const error = await expectCode(() => archive.verify(), 'snapshot_limit_error');
  assert.equal(error.details.entry, 'storage/blob.bin');
});
