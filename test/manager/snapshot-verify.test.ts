/**
 * `POST /api/v2/snapshots/{id}/verify` (Rekindle extension): the offline verification of the
 * stored archive over HTTP; a good archive is ok with its summary, a damaged one names the entry.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { flipByteIn } from '../snapshots/helpers.js';
import { fakeDeps, simpleBlueprint } from './fakes.js';
import { startTestManager, type TestManager } from './harness.js';
import { firstStorageEntry } from '../snapshots/raw-zip.js';

interface VerifyBody {
  id: string;
  ok: boolean;
  checked_entries: number;
  counts: Record<string, number>;
  encrypted: boolean;
  contents_authenticated: boolean;
  error_code: string;
  message: string;
  entry: string | null;
}

let m: TestManager;

async function createSnapshot(id: string): Promise<void> {
  const res = await m.call('PUT', `/api/v2/snapshots/${id}`, { json: {} });
  assert.equal(res.statusCode, 201, res.body);
  await m.manager.app.snapshots.settled(res.json<{ id: string }>().id);
  assert.equal((await m.call('GET', `/api/v2/snapshots/${id}`)).json<{ status: string }>().status, 'created');
}


before(async () => {
  m = await startTestManager(fakeDeps);
  assert.equal((await m.call('PUT', '/api/v2/blueprints/vbp', { body: simpleBlueprint })).statusCode, 201);
  await createSnapshot('good');
  await createSnapshot('bad');
});

after(() => m.close());

test('a good stored archive verifies: ok, entries checked, counts', async () => {
  const res = await m.call('POST', '/api/v2/snapshots/good/verify');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<VerifyBody>();
  assert.equal(body.ok, true, res.body);
  assert.equal(body.id, 'good');
  assert.ok(body.checked_entries > 2);
  assert.equal(body.counts.blueprints, 1);
  assert.equal(body.encrypted, false);
  assert.equal(body.contents_authenticated, true);
});

test('a corrupted stored archive answers ok false with the code and the damaged entry', async () => {
  const path = m.manager.app.snapshots.files.archivePath('bad');
  const entry = await firstStorageEntry(path);
  await flipByteIn(path, entry);
  const res = await m.call('POST', '/api/v2/snapshots/bad/verify', { json: {} });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<VerifyBody>();
  assert.equal(body.ok, false);
  assert.match(body.error_code, /^snapshot_(hash_mismatch|corrupt)_error$/);
  assert.equal(body.entry, entry);
  assert.match(body.message, new RegExp(entry.replace(/[.]/g, '\\.')));
});

test('an unknown snapshot is 404; an empty passphrase is 400', async () => {
  assert.equal((await m.call('POST', '/api/v2/snapshots/nope/verify')).statusCode, 404);
  assert.equal((await m.call('POST', '/api/v2/snapshots/good/verify', { json: { passphrase: '' } })).statusCode, 400);
});
