import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createSnapshotArchive, openSnapshotArchive } from '../../src/snapshots/index.js';
import { baseMetadata, ndjson, sampleEntries, tempDir } from './helpers.js';

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A deterministic pseudo-random stream of `size` bytes (hard to compress). */
function noise(size: number, seed: number): Readable {
  let produced = 0;
  let state = seed;
  return new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const n = Math.min(64 * 1024, size - produced);
      const buf = Buffer.alloc(n);
      for (let i = 0; i < n; i++) {
        state = (state * 1103515245 + 12345) >>> 0;
        buf[i] = state >>> 24;
      }
      produced += n;
      this.push(buf);
    },
  });
}

test('round trip: every entry reads back byte-equal, metadata and counts are filled in', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'snap.zip');
  const bigSize = 3 * 1024 * 1024 + 17;
  const entries = [...sampleEntries(), { name: 'storage/big.bin', source: noise(bigSize, 7) }];
  const result = await createSnapshotArchive(path, { metadata: { ...baseMetadata, counts: { blueprints: 1 } }, entries });
  assert.equal((await stat(path)).size, result.size);
  assert.deepEqual(await readdir(dir), ['snap.zip'], 'no temp file is left beside the archive');

  const archive = await openSnapshotArchive(path);
  t.after(() => archive.close());
  const summary = archive.summary();
  assert.equal(summary.formatVersion, 1);
  assert.equal(summary.managerVersion, '0.1.0');
  assert.equal(summary.createdAt, '2026-01-02T03:04:05.000Z');
  assert.equal(summary.encrypted, false);
  assert.equal(summary.includesCredentials, false);
  assert.deepEqual(summary.counts, { blueprints: 1, deployments: 3, node_instances: 12, events: 5 });
  assert.deepEqual(archive.entries().map((e) => e.name), entries.map((e) => e.name));

  const verified = await archive.verify();
  assert.equal(verified.entries, entries.length + 1);

  assert.equal((await collect(await archive.readEntry('storage/deployments.ndjson'))).toString(), ndjson(3, 'dep'));
  assert.equal((await collect(await archive.readEntry('blueprints/bp1/scripts/start.sh'))).toString(), '#!/bin/sh\necho hi\n');
  const big = await collect(await archive.readEntry('storage/big.bin'));
  assert.equal(big.length, bigSize);
  assert.equal(createHash('sha256').update(big).digest('hex'), createHash('sha256').update(await collect(noise(bigSize, 7))).digest('hex'));
  const lines: unknown[] = [];
  for await (const line of archive.readLines('storage/events.ndjson')) lines.push(JSON.parse(line));
  assert.deepEqual(lines, [0, 1, 2, 3, 4].map((event) => ({ event })));
});

test('a file path source and zip64 records round trip', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const source = join(dir, 'source.yaml');
  await import('node:fs/promises').then((fs) => fs.writeFile(source, 'node_templates: {}\n'));
  const path = join(dir, 'snap64.zip');
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: [{ name: 'blueprints/b/app.yaml', source }], forceZip64: true });
  const archive = await openSnapshotArchive(path);
  t.after(() => archive.close());
  await archive.verify();
  assert.equal((await collect(await archive.readEntry('blueprints/b/app.yaml'))).toString(), await readFile(source, 'utf8'));
});

test('extractTo writes the files under a prefix and nothing else', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 'snap.zip');
  await createSnapshotArchive(path, { metadata: baseMetadata, entries: sampleEntries() });
  const archive = await openSnapshotArchive(path);
  t.after(() => archive.close());
  const out = join(dir, 'out');
  const written = await archive.extractTo('blueprints/bp1', out);
  assert.deepEqual(written.sort(), [join(out, 'blueprint.yaml'), join(out, 'scripts', 'start.sh')]);
  assert.equal(await readFile(join(out, 'scripts', 'start.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
});
