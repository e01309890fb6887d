import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { detectArchiveKind, readTarGz, safeEntryPath } from './archive-entries.js';

test('safeEntryPath normalises and refuses paths that leave the folder', () => {
  assert.equal(safeEntryPath('./a/b.yaml'), 'a/b.yaml');
  assert.equal(safeEntryPath('a//b/'), 'a/b');
  assert.equal(safeEntryPath('./'), null);
  for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\b', 'a\0b']) {
    assert.throws(() => safeEntryPath(bad), { code: 'invalid_blueprint_error' } as object, bad);
  }
});

test('detectArchiveKind by magic bytes', () => {
  assert.equal(detectArchiveKind(gzipSync(Buffer.from('x'))), 'tar.gz');
  assert.equal(detectArchiveKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0])), 'zip');
  assert.equal(detectArchiveKind(Buffer.from('node_templates: {}')), 'yaml');
});

test('a gzip bomb is refused by the byte limit, not inflated', () => {
  const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024));
  assert.throws(() => readTarGz(bomb, { maxBytes: 1024 * 1024, maxEntries: 10 }), { code: 'payload_too_large_error' } as object);
});
