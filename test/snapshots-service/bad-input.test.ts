/**
 * Hostile or wrong restores: each fails with a clear error, and the manager is exactly as before
 * (every restorable row and every blueprint file compared).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { buildZip, editMetadata, readRawEntries, type RawEntry } from '../snapshots/raw-zip.js';
import { failedRestore } from './failed-restore.js';
import { seedManager, startSnapshotManager, type TestSnapshotManager } from './harness.js';

let source: TestSnapshotManager;
let clean: TestSnapshotManager;
let dirty: TestSnapshotManager;
let plain: Buffer;
let encrypted: Buffer;
let work: string;
let counter = 0;

/** A finished system-wide execution (an earlier snapshot's create). */
const systemExecution = (id: string) => ({
  id,
  deploymentId: null,
  blueprintId: null,
  workflowId: 'create_snapshot',
  status: 'terminated' as const,
  error: null,
  parameters: {},
  isSystemWorkflow: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  endedAt: null,
});

async function snapshotBytes(
  m: TestSnapshotManager,
  id: string,
  passphrase?: string,
): Promise<Buffer> {
  const created = await m.call('PUT', `/api/v2/snapshots/${id}`, {
    json: passphrase ? { passphrase } : {},
  });
  assert.equal(created.statusCode, 201, created.body);
  await m.settle(created.json<{ id: string }>().id);
  const download = await m.call('GET', `/api/v2/snapshots/${id}/archive`);
  assert.equal(download.statusCode, 200, download.body);
  return download.rawPayload;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'rekindle-snapbad-'));
  source = await startSnapshotManager();
  await seedManager(source, 50);
  plain = await snapshotBytes(source, 'plain');
  encrypted = await snapshotBytes(source, 'enc', 'the right one');
  clean = await startSnapshotManager();
  // Not dirty (no blueprints) but not empty: a replace would wipe these.
  await clean.storage.executions.create(systemExecution('old_snap'));
  dirty = await startSnapshotManager();
  await seedManager(dirty, 10);
  for (const id of ['ex_d2', 'snap_ex'])
    await dirty.storage.executions.update(id, { status: 'terminated' });
});

after(async () => {
  await source.close();
  await clean.close();
  await dirty.close();
  rmSync(work, { recursive: true, force: true });
});

async function rawEntries(bytes: Buffer): Promise<RawEntry[]> {
  const path = join(work, `raw-${++counter}.zip`);
  writeFileSync(path, bytes);
  return readRawEntries(path);
}

test('a truncated archive is refused', async () => {
  const error = await failedRestore(clean, plain.subarray(0, Math.floor(plain.length / 2)));
  assert.match(error.code ?? '', /^snapshot_(truncated|corrupt)_error$/, error.message);
});

test('a flipped byte is found by verification before anything is touched', async () => {
  const entries = await rawEntries(plain);
  const events = entries.find((e) => e.name === 'storage/events.ndjson')!;
  const at = Math.floor(events.data.length / 2);
  events.data[at] = events.data[at]! ^ 0x01;
  const error = await failedRestore(clean, buildZip(entries));
  assert.equal(error.code, 'snapshot_hash_mismatch_error', error.message);
  assert.match(error.message, /storage\/events\.ndjson/);
});

test('an archive without metadata.json is refused', async () => {
  const entries = (await rawEntries(plain)).filter((e) => e.name !== 'metadata.json');
  const error = await failedRestore(clean, buildZip(entries));
  assert.match(error.code ?? '', /^snapshot_(missing_entry|metadata)_error$/, error.message);
  assert.match(error.message, /metadata\.json/);
});

test('an entry named ../ is refused', async () => {
  const entries = [
    ...(await rawEntries(plain)),
    { name: '../evil.sh', data: Buffer.from('rm -rf /') },
  ];
  const error = await failedRestore(clean, buildZip(entries));
  assert.equal(error.code, 'snapshot_unsafe_path_error', error.message);
});

test('a zip bomb is refused from its headers', async () => {
  const piece = deflateRawSync(Buffer.alloc(1024 * 1024), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const zeros = Buffer.concat([...Array<Buffer>(200).fill(piece), deflateRawSync(Buffer.alloc(0))]);
  const entries = (await rawEntries(plain)).map((e) =>
    e.name === 'storage/events.ndjson'
      ? { name: e.name, data: zeros, declaredSize: 200 * 1024 * 1024, predeflated: true }
      : e,
  );
  const error = await failedRestore(clean, buildZip(entries));
  assert.equal(error.code, 'snapshot_limit_error', error.message);
});

test('a wrong passphrase is refused before any entry is read', async () => {
  const error = await failedRestore(clean, encrypted, { passphrase: 'the wrong one' });
  assert.equal(error.code, 'snapshot_decryption_error', error.message);
  const missing = await failedRestore(clean, encrypted);
  assert.equal(missing.code, 'snapshot_passphrase_required_error', missing.message);
});

test('a snapshot from a future format version is refused', async () => {
  const entries = editMetadata(await rawEntries(plain), (m) => (m.format_version = 99));
  const error = await failedRestore(clean, buildZip(entries));
  assert.equal(error.code, 'snapshot_version_error', error.message);
});

test('a snapshot from a newer storage schema is refused', async () => {
  const entries = editMetadata(await rawEntries(plain), (m) => (m.storage_schema_version = 999));
  const error = await failedRestore(clean, buildZip(entries));
  assert.equal(error.code, 'snapshot_schema_mismatch_error', error.message);
  assert.match(error.message, /^Cannot restore a newer manager's snapshot on this manager/);
});

test('a manager with blueprints is refused without force', async () => {
  const error = await failedRestore(dirty, plain);
  assert.equal(error.code, 'snapshot_dirty_manager_error');
  assert.equal(error.message, 'Snapshot restoration on a dirty manager is not permitted.');
});

test('with force, id conflicts are refused and named', async () => {
  const error = await failedRestore(dirty, plain, { force: true });
  assert.equal(error.code, 'snapshot_conflict_error', error.message);
  assert.match(error.message, /blueprints \[bp1\], deployments \[d1, d2, d3\]/);
});

test('with force, executions the manager already holds are refused up front and named', async () => {
  // A manager rolled back to its own snapshot shares its system executions with it.
  const rolled = await startSnapshotManager();
  try {
    await rolled.storage.blueprints.create({
      id: 'mine',
      mainFileName: 'b.yaml',
      description: null,
      plan: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    await rolled.storage.executions.create(systemExecution('snap_ex'));
    const error = await failedRestore(rolled, plain, { force: true });
    assert.equal(error.code, 'snapshot_conflict_error', error.message);
    assert.match(error.message, /blueprints \[\], deployments \[\], executions \[snap_ex\]/);
  } finally {
    await rolled.close();
  }
});
