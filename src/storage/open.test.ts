import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { openStorage, parseStorageUrl } from './open.js';
import { isoTime } from './events.js';

test('storage URLs pick the adapter', () => {
  assert.deepEqual(parseStorageUrl('sqlite:///var/lib/rekindle/manager.db'), { dialect: 'sqlite', path: '/var/lib/rekindle/manager.db' });
  assert.deepEqual(parseStorageUrl('data/manager.db'), { dialect: 'sqlite', path: resolve('data/manager.db') });
  assert.deepEqual(parseStorageUrl(':memory:'), { dialect: 'sqlite', path: ':memory:' });
  assert.deepEqual(parseStorageUrl('postgres://u:p@127.0.0.1:5432/db'), { dialect: 'postgres', url: 'postgres://u:p@127.0.0.1:5432/db' });
  assert.deepEqual(parseStorageUrl('postgresql://127.0.0.1/db'), { dialect: 'postgres', url: 'postgresql://127.0.0.1/db' });
});

test('bad storage URLs are storage_url_invalid with the reason', () => {
  for (const url of ['mysql://127.0.0.1/db', 'sqlite://relative.db', '  ']) {
    assert.throws(() => parseStorageUrl(url), (error: { code?: string; message?: string }) => {
      assert.equal(error.code, 'storage_url_invalid');
      assert.match(error.message ?? '', /Invalid storage URL/);
      return true;
    });
  }
});

test('event times: ISO kept, Cloudify local timestamps converted to UTC, garbage falls back', () => {
  assert.equal(isoTime('2026-01-01T00:00:00.123Z', 0), '2026-01-01T00:00:00.123Z');
  assert.equal(isoTime('2026-01-01 02:00:00.500+0200', 0), '2026-01-01T00:00:00.500Z');
  assert.equal(isoTime('2026-01-01T00:00:00+00:00', 0), '2026-01-01T00:00:00.000Z');
  assert.equal(isoTime('not a time', Date.UTC(2026, 5, 1)), '2026-06-01T00:00:00.000Z');
  assert.equal(isoTime(undefined, Date.UTC(2026, 5, 1)), '2026-06-01T00:00:00.000Z');
});

test('an unreachable PostgreSQL server is storage_unavailable (operational, 503)', async () => {
  await assert.rejects(openStorage({ url: 'postgres://postgres@127.0.0.1:1/none' }), (error: { code?: string; httpStatus?: number }) => {
    assert.equal(error.code, 'storage_unavailable');
    assert.equal(error.httpStatus, 503);
    return true;
  });
});
