import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteByPath, getByPath, setByPath } from './dict-path.js';

test('dotted paths read nested keys and list items, and refuse missing ones', () => {
  const data = { endpoint: { port: 80, urls: ['a', 'b', { x: 1 }] } };
  assert.equal(getByPath(data, 'endpoint.port'), 80);
  assert.equal(getByPath(data, 'endpoint.urls[1]'), 'b');
  assert.equal(getByPath(data, 'endpoint.urls[2].x'), 1);
  assert.throws(() => getByPath(data, 'endpoint.missing'), /illegal path: endpoint.missing/);
  assert.throws(() => getByPath(data, 'endpoint.urls[9]'), /illegal path/);
  assert.throws(() => getByPath(data, 'endpoint.port.deeper'), /illegal path/);
  assert.throws(() => getByPath(data, 'toString'), /illegal path/);
});

test('setting creates intermediate dicts; deleting ignores missing keys', () => {
  const data: Record<string, unknown> = { a: { keep: true } };
  setByPath(data, 'a.b.c', 1);
  setByPath(data, 'top', 'v');
  assert.deepEqual(data, { a: { keep: true, b: { c: 1 } }, top: 'v' });
  assert.throws(() => setByPath(data, 'top.x', 1), /illegal path/);
  deleteByPath(data, 'a.b');
  deleteByPath(data, 'nope');
  assert.deepEqual(data, { a: { keep: true }, top: 'v' });
});
