/** Moving a snapshot between two test managers over HTTP, and comparing them afterwards. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { restoreInterruptedError } from '../../src/snapshots/index.js';
import { dump, tree, type TestSnapshotManager } from './harness.js';

/** Snapshot `source` as `id` (optionally encrypted), move it to `target` over HTTP, restore it. */
export async function transfer(source: TestSnapshotManager, target: TestSnapshotManager, id: string, passphrase?: string): Promise<{ createId: string; restoreId: string }> {
  const created = await source.call('PUT', `/api/v2/snapshots/${id}`, { json: { include_metrics: false, include_credentials: true, ...(passphrase ? { passphrase } : {}) } });
  assert.equal(created.statusCode, 201, created.body);
  const execution = created.json<{ id: string; workflow_id: string; deployment_id: null; is_system_workflow: boolean; status: string }>();
  assert.equal(execution.workflow_id, 'create_snapshot');
  assert.equal(execution.deployment_id, null);
  assert.equal(execution.is_system_workflow, true);
  await source.settle(execution.id);
  const snapshot = (await source.call('GET', `/api/v2/snapshots/${id}`)).json<{ status: string; error: string; size: number; encrypted: boolean }>();
  assert.equal(snapshot.status, 'created', snapshot.error);
  assert.equal(snapshot.encrypted, passphrase !== undefined);
  assert.ok(snapshot.size > 0);
  const download = await source.call('GET', `/api/v2/snapshots/${id}/archive`);
  assert.equal(download.statusCode, 200);
  assert.equal(download.headers['content-disposition'], `attachment; filename=${id}.zip`);
  assert.equal(Number(download.headers['content-length']), snapshot.size);
  const upload = await target.call('PUT', `/api/v2/snapshots/${id}/archive`, { body: download.rawPayload });
  assert.equal(upload.statusCode, 201, upload.body);
  assert.equal(upload.json<{ status: string }>().status, 'uploaded');
  const restore = await target.call('POST', `/api/v2/snapshots/${id}/restore`, { json: { recreate_deployments_envs: true, force: false, ...(passphrase ? { passphrase } : {}) } });
  assert.equal(restore.statusCode, 200, restore.body);
  const restoreId = restore.json<{ id: string }>().id;
  await target.settle(restoreId);
  const done = (await target.call('GET', `/api/v2/snapshots/${id}`)).json<{ status: string }>();
  assert.equal(done.status, 'uploaded', 'restoring does not change the snapshot state');
  const status = await target.storage.executions.get(restoreId);
  assert.equal(status.status, 'terminated', status.error ?? '');
  return { createId: execution.id, restoreId };
}

/** Compares every restorable row and every blueprint file of two managers. */
export async function assertSameManager(source: TestSnapshotManager, target: TestSnapshotManager, ids: { createId: string; restoreId: string }): Promise<void> {
  const before = await dump(source.storage);
  const after = await dump(target.storage);
  const skip = new Set([ids.createId, ids.restoreId]);
  for (const table of Object.keys(before)) {
    let expected = before[table]!;
    let actual = after[table] ?? [];
    if (table === 'executions' || table === 'events') {
      const key = table === 'executions' ? 'id' : 'execution_id';
      expected = expected.filter((r) => !skip.has(r[key] as string));
      actual = actual.filter((r) => !skip.has(r[key] as string));
    }
    if (table === 'executions') {
      expected = expected.map((r) =>
        ['pending', 'started', 'cancelling', 'force_cancelling'].includes(r.status as string)
          ? { ...r, status: 'failed', error: restoreInterruptedError, ended_at: actual.find((a) => a.id === r.id)?.ended_at }
          : r,
      );
      assert.ok(actual.some((r) => r.id === 'ex_d2' && r.status === 'failed' && r.error === restoreInterruptedError));
      assert.ok(actual.some((r) => r.id === 'snap_ex' && r.status === 'failed'));
    }
    assert.deepEqual(actual, expected, `table ${table}`);
  }
  assert.deepEqual(tree(join(target.dataDir, 'blueprints')), tree(join(source.dataDir, 'blueprints')));
  // Not restorable: the target keeps its own snapshot records and provider context.
  assert.equal(await target.storage.providerContext.get(), null);
}
