/** Snapshot states, deletion, downloads of failed snapshots, the restore guard, forced merges, start-up reconciliation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_JOURNAL_KEY } from '../../src/snapshots/index.js';
import { interruptedCreateError } from '../../src/manager/services/snapshots.js';
import { dump, seedManager, startSnapshotManager, tree } from './harness.js';

test('create, list, get, download, delete; a failed snapshot cannot be downloaded or restored', async () => {
  const m = await startSnapshotManager();
  try {
    await seedManager(m, 10);
    const created = await m.call('PUT', '/api/v2/snapshots/snap-a', { json: { include_metrics: 'false', include_credentials: 'False' } });
    assert.equal(created.statusCode, 201);
    await m.settle(created.json<{ id: string }>().id);
    assert.equal((await m.call('PUT', '/api/v2/snapshots/snap-a', { json: {} })).statusCode, 409);
    assert.equal((await m.call('PUT', '/api/v2/snapshots/.hidden', { json: {} })).json<{ error_code: string }>().error_code, 'bad_parameters_error');
    const list = (await m.call('GET', '/api/v2/snapshots')).json<{ items: { id: string; status: string; error: string }[] }>();
    assert.deepEqual(list.items.map((s) => [s.id, s.status, s.error]), [['s1', 'creating', ''], ['snap-a', 'created', '']]);
    await m.storage.snapshots.create({ id: 'broken', createdAt: new Date().toISOString(), status: 'failed', error: 'boom', size: null, sha256: null, encrypted: false });
    const download = await m.call('GET', '/api/v2/snapshots/broken/archive');
    assert.equal(download.statusCode, 400);
    assert.equal(download.json<{ message: string }>().message, 'Failed snapshot cannot be downloaded');
    const restore = await m.call('POST', '/api/v2/snapshots/broken/restore', { json: { recreate_deployments_envs: true, force: true } });
    assert.equal(restore.json<{ message: string }>().message, 'Failed snapshot cannot be restored');
    assert.equal((await m.call('GET', '/api/v2/snapshots/nope')).statusCode, 404);
    const deleted = await m.call('DELETE', '/api/v2/snapshots/snap-a');
    assert.equal(deleted.statusCode, 200);
    assert.equal(existsSync(join(m.dataDir, 'snapshots', 'snap-a')), false);
    assert.equal((await m.call('GET', '/api/v2/snapshots/snap-a')).statusCode, 404);
  } finally {
    await m.close();
  }
});

test('excluding credentials blanks agent credential hashes', async () => {
  const source = await startSnapshotManager();
  const target = await startSnapshotManager();
  try {
    await seedManager(source, 5);
    const created = await source.call('PUT', '/api/v2/snapshots/nocreds', { json: { include_credentials: false } });
    await source.settle(created.json<{ id: string }>().id);
    const bytes = (await source.call('GET', '/api/v2/snapshots/nocreds/archive')).rawPayload;
    await target.call('PUT', '/api/v2/snapshots/nocreds/archive', { body: bytes });
    const restore = await target.call('POST', '/api/v2/snapshots/nocreds/restore', { json: { recreate_deployments_envs: false, force: false } });
    await target.settle(restore.json<{ id: string }>().id);
    assert.equal((await target.storage.agents.get('vm_d1')).credentialsHash, null);
  } finally {
    await source.close();
    await target.close();
  }
});

test('while a restore runs, mutating requests get 503 restore_in_progress_error and reads go on', async () => {
  const source = await startSnapshotManager();
  const target = await startSnapshotManager();
  try {
    await seedManager(source, 3000);
    const created = await source.call('PUT', '/api/v2/snapshots/big', { json: {} });
    await source.settle(created.json<{ id: string }>().id);
    await target.call('PUT', '/api/v2/snapshots/big/archive', { body: (await source.call('GET', '/api/v2/snapshots/big/archive')).rawPayload });
    const restore = await target.call('POST', '/api/v2/snapshots/big/restore', { json: { recreate_deployments_envs: true, force: false } });
    const [blocked, read] = await Promise.all([target.call('PUT', '/api/v2/snapshots/other', { json: {} }), target.call('GET', '/api/v2/snapshots')]);
    assert.equal(blocked.statusCode, 503);
    assert.equal(blocked.json<{ error_code: string }>().error_code, 'restore_in_progress_error');
    assert.equal(read.statusCode, 200);
    await target.settle(restore.json<{ id: string }>().id);
    assert.ok((await target.storage.events.count()) >= 3000);
    assert.equal((await target.call('PUT', '/api/v2/snapshots/other', { json: {} })).statusCode, 201);
  } finally {
    await source.close();
    await target.close();
  }
});

test('a forced restore merges into a dirty manager, and a failing merge changes nothing', async () => {
  const source = await startSnapshotManager();
  const target = await startSnapshotManager();
  try {
    await seedManager(source, 10);
    for (const id of ['ex_d2', 'snap_ex']) await source.storage.executions.update(id, { status: 'terminated' });
    const created = await source.call('PUT', '/api/v2/snapshots/s', { json: {} });
    await source.settle(created.json<{ id: string }>().id);
    const bytes = (await source.call('GET', '/api/v2/snapshots/s/archive')).rawPayload;
    await target.call('PUT', '/api/v2/snapshots/s/archive', { body: bytes });
    // Dirty, no blueprint/deployment conflict, but the same plugin id: the merge must fail whole.
    await target.storage.blueprints.create({ id: 'mine', mainFileName: 'b.yaml', description: null, plan: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });
    mkdirSync(join(target.dataDir, 'blueprints', 'mine'), { recursive: true });
    writeFileSync(join(target.dataDir, 'blueprints', 'mine', 'b.yaml'), 'mine');
    await target.storage.plugins.create({ id: 'p1', packageName: 'x', packageVersion: '1', archiveName: 'x.wgn', supportedPlatform: 'any', distribution: null, distributionRelease: null, metadata: {}, uploadedAt: '2026-01-01T00:00:00.000Z' });
    const rows = await dump(target.storage);
    const files = tree(join(target.dataDir, 'blueprints'));
    const failing = await target.call('POST', '/api/v2/snapshots/s/restore', { json: { recreate_deployments_envs: true, force: true } });
    await target.settle(failing.json<{ id: string }>().id);
    const failed = await target.storage.executions.get(failing.json<{ id: string }>().id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /plugins/);
    const after = await dump(target.storage);
    assert.deepEqual(after.blueprints, rows.blueprints);
    assert.deepEqual(after.plugins, rows.plugins);
    assert.deepEqual(tree(join(target.dataDir, 'blueprints')), files);
    // Without the clash the forced restore adds the snapshot to what is there.
    await target.storage.plugins.delete('p1');
    const forced = await target.call('POST', '/api/v2/snapshots/s/restore', { json: { recreate_deployments_envs: true, force: true } });
    await target.settle(forced.json<{ id: string }>().id);
    assert.equal((await target.storage.executions.get(forced.json<{ id: string }>().id)).status, 'terminated');
    assert.deepEqual((await target.storage.blueprints.list({})).items.map((b) => b.id).sort(), ['bp1', 'mine']);
    assert.equal(readFileSync(join(target.dataDir, 'blueprints', 'mine', 'b.yaml'), 'utf8'), 'mine');
    assert.ok(existsSync(join(target.dataDir, 'blueprints', 'bp1', 'blueprint.yaml')));
    const logs = (await target.storage.events.list({ executionId: forced.json<{ id: string }>().id, size: 100 })).items.map((e) => e.message);
    assert.ok(logs.includes('Forcing snapshot restoration on a dirty manager.'), logs.join('\n'));
  } finally {
    await source.close();
    await target.close();
  }
});

test('at start, snapshots left creating fail, temp files go, and a committed file swap is finished', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-snaprec-'));
  try {
    const first = await startSnapshotManager({ dataDir, keep: true });
    await first.storage.snapshots.create({ id: 'stuck', createdAt: new Date().toISOString(), status: 'creating', error: null, size: null, sha256: null, encrypted: false });
    mkdirSync(join(dataDir, 'snapshots', 'stuck'), { recursive: true });
    writeFileSync(join(dataDir, 'snapshots', 'stuck', '.stuck.zip.1.abc.tmp'), 'half');
    const staging = join(dataDir, '.blueprints-restore-blueprints-0123');
    mkdirSync(join(staging, 'bp'), { recursive: true });
    writeFileSync(join(staging, 'bp', 'blueprint.yaml'), 'restored');
    mkdirSync(join(dataDir, 'blueprints', 'old'), { recursive: true });
    await first.storage.managerState.set(RESTORE_JOURNAL_KEY, { live: join(dataDir, 'blueprints'), staging, mode: 'replace' });
    mkdirSync(join(dataDir, '.blueprints-old-blueprints-9999'));
    await first.close();

    const second = await startSnapshotManager({ dataDir });
    const stuck = await second.storage.snapshots.get('stuck');
    assert.equal(stuck.status, 'failed');
    assert.equal(stuck.error, interruptedCreateError);
    assert.equal(existsSync(join(dataDir, 'snapshots', 'stuck', '.stuck.zip.1.abc.tmp')), false);
    assert.deepEqual(tree(join(dataDir, 'blueprints')), { 'bp/blueprint.yaml': 'restored' });
    assert.equal(existsSync(staging), false);
    assert.equal(existsSync(join(dataDir, '.blueprints-old-blueprints-9999')), false);
    assert.equal(await second.storage.managerState.get(RESTORE_JOURNAL_KEY), undefined);
    await second.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
