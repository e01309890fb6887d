/** A restore that must fail and leave the manager exactly as it was. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dump, tree, type TestSnapshotManager } from './harness.js';

let uploads = 0;

/**
 * Uploads `bytes` to `m` and restores them; returns the error (code + message) whether it came
 * back at once (4xx) or from the restore execution. Asserts the manager did not change.
 */
export async function failedRestore(
  m: TestSnapshotManager,
  bytes: Buffer,
  body: Record<string, unknown> = {},
): Promise<{ code: string | undefined; message: string }> {
  const rows = await dump(m.storage);
  const files = tree(join(m.dataDir, 'blueprints'));
  const id = `bad${++uploads}`;
  const upload = await m.call('PUT', `/api/v2/snapshots/${id}/archive`, { body: bytes });
  assert.equal(upload.statusCode, 201, upload.body);
  const response = await m.call('POST', `/api/v2/snapshots/${id}/restore`, {
    json: { recreate_deployments_envs: true, force: false, ...body },
  });
  let result: { code: string | undefined; message: string };
  if (response.statusCode === 200) {
    const executionId = response.json<{ id: string }>().id;
    await m.settle(executionId);
    const execution = await m.storage.executions.get(executionId);
    assert.equal(execution.status, 'failed');
    result = {
      code: /\((\w+_error)\)$/.exec(execution.error ?? '')?.[1],
      message: execution.error ?? '',
    };
    await m.storage.executions.delete(executionId);
  } else {
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, response.body);
    const body = response.json<{ error_code: string; message: string }>();
    result = { code: body.error_code, message: body.message };
  }
  const afterRows = await dump(m.storage);
  // The failed restore's own execution events are the only addition.
  const kept = (afterRows.events ?? []).filter((e) =>
    (rows.events ?? []).some((r) => r.seq === e.seq),
  );
  if (rows.events === undefined && kept.length === 0) delete afterRows.events;
  else afterRows.events = kept;
  assert.deepEqual(afterRows, rows, 'storage unchanged');
  assert.deepEqual(tree(join(m.dataDir, 'blueprints')), files, 'blueprint files unchanged');
  assert.deepEqual(
    Object.keys(tree(m.dataDir)).filter((f) => f.includes('.blueprints-')),
    [],
    'no staging left',
  );
  return result;
}

