import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeInstanceId, seededRandom } from './ids.js';

test('node instance ids are <node>_<5 hex> and reproducible with a seed', () => {
  const a = nodeInstanceId('vm', seededRandom(42));
  const b = nodeInstanceId('vm', seededRandom(42));
  assert.match(a, /^vm_[0-9a-f]{5}$/);
  assert.equal(a, b);
  assert.notEqual(nodeInstanceId('vm', seededRandom(43)), a);
});
