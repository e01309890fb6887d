/** `cfy snapshots verify` through the CLI's one entry point, with a capturing Output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { PASSPHRASE_ENV } from '../../src/snapshots/index.js';
import { fastScrypt, flipByteIn, tempDir, writeSample } from './helpers.js';

function capture(): Output & { out: string[]; err: string[]; docs: unknown[] } {
  const out: string[] = [];
  const err: string[] = [];
  const docs: unknown[] = [];
  return {
    out,
    err,
    docs,
    info: (line) => out.push(line),
    warn: (line) => err.push(line),
    json: (value) => docs.push(value),
    table: (title, columns, rows) => out.push(title, columns.join(' | '), ...rows.map((r) => r.join(' | '))),
  };
}

const cfy = (args: string[], output: Output): Promise<number> => main(['node', 'cfy', ...args], output);

test('verify prints a summary of an intact archive and exits 0', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path);
  const output = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path], output), 0);
  const text = output.out.join('\n');
  assert.match(text, /is intact \(7 entries checked\)/);
  assert.match(text, /format version: 1/);
  assert.match(text, /manager version: 0\.1\.0/);
  assert.match(text, /created at: 2026-01-02T03:04:05\.000Z/);
  assert.match(text, /encrypted: no/);
  assert.match(text, /node_instances \| 12/);
  assert.deepEqual(output.err, []);
});

test('verify --json prints one document', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path);
  const output = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path, '--json'], output), 0);
  const [doc] = output.docs as Record<string, unknown>[];
  assert.equal(doc?.valid, true);
  assert.equal(doc?.formatVersion, 1);
  assert.deepEqual(doc?.counts, { deployments: 3, node_instances: 12, events: 5 });
});

test('verify of a damaged archive exits 1 naming the entry', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path);
  await flipByteIn(path, 'storage/events.ndjson');
  const output = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path], output), 1);
  assert.match(output.err.join('\n'), /Snapshot entry 'storage\/events\.ndjson' is damaged/);
});

test('verify of an encrypted archive: says encrypted without a passphrase, decrypts with a file or the variable, refuses a wrong one', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const path = join(dir, 's.zip');
  await writeSample(path, { encryption: { passphrase: 's3cret', scrypt: fastScrypt } });
  const saved = process.env[PASSPHRASE_ENV];
  delete process.env[PASSPHRASE_ENV];
  t.after(() => {
    if (saved === undefined) delete process.env[PASSPHRASE_ENV];
    else process.env[PASSPHRASE_ENV] = saved;
  });

  const locked = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path], locked), 0);
  assert.match(locked.out.join('\n'), /encrypted: yes/);
  assert.match(locked.err.join('\n'), /not decrypted/);

  const good = join(dir, 'pass');
  await writeFile(good, 's3cret\n');
  const withFile = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path, '--passphrase-file', good, '--json'], withFile), 0);
  assert.equal((withFile.docs[0] as { contentsAuthenticated: boolean }).contentsAuthenticated, true);

  process.env[PASSPHRASE_ENV] = 's3cret';
  const withEnv = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path], withEnv), 0);
  assert.deepEqual(withEnv.err, []);

  process.env[PASSPHRASE_ENV] = 'nope';
  const wrong = capture();
  assert.equal(await cfy(['snapshots', 'verify', '-p', path], wrong), 1);
  assert.match(wrong.err.join('\n'), /passphrase is wrong/);
});
