/** recover's restore phase: leftover replaced, failure is an error with the restore's message, success deletes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagerRequestError, type Execution } from '../../src/client/index.js';
import { uploadAndRestore, restoredSnapshotId, type RestorePhaseClient } from '../../src/cli/bootstrap/index.js';
import type { Output } from '../../src/cli/output.js';

function fakeClient(options: { leftover: boolean; outcome: Execution['status']; error?: string }): { client: RestorePhaseClient; calls: string[] } {
  const calls: string[] = [];
  const execution = (status: Execution['status']): Execution => ({
    id: 'ex1', status, deployment_id: null, workflow_id: 'restore_snapshot', blueprint_id: null, created_at: '', error: options.error ?? '', parameters: {}, is_system_workflow: true,
  });
  let polls = 0;
  let exists = options.leftover;
  const client = {
    snapshots: {
      get: (id: string) => {
        calls.push(`get ${id}`);
        if (!exists) return Promise.reject(new ManagerRequestError(404, 'not_found_error', 'no such snapshot'));
        return Promise.resolve({ id } as never);
      },
      delete: (id: string) => {
        calls.push(`delete ${id}`);
        exists = false;
        return Promise.resolve({ id } as never);
      },
      upload: (id: string, path: string) => {
        calls.push(`upload ${id} ${path}`);
        exists = true;
        return Promise.resolve({ id } as never);
      },
      restore: (id: string, body: { recreateDeploymentsEnvs?: boolean; force?: boolean }) => {
        calls.push(`restore ${id} recreate=${String(body.recreateDeploymentsEnvs)} force=${String(body.force)}`);
        return Promise.resolve(execution('pending'));
      },
    },
    executions: {
      get: () => Promise.resolve(execution(++polls < 3 ? 'started' : options.outcome)),
    },
  } as unknown as RestorePhaseClient;
  return { client, calls };
}

function capture(): { output: Output; lines: string[] } {
  const lines: string[] = [];
  return { lines, output: { info: (l) => void lines.push(l), warn: (l) => void lines.push(l), json: () => undefined, table: () => undefined } };
}

test('a leftover restored-snapshot is replaced; success restores with deployment envs, waits and deletes', async () => {
  const { client, calls } = fakeClient({ leftover: true, outcome: 'terminated' });
  const { output, lines } = capture();
  let uploaded = false;
  await uploadAndRestore(client, output, { snapshotPath: '/tmp/s.zip', managerIp: '127.1.0.2', pollMs: 1, onUploaded: () => (uploaded = true) });
  assert.ok(uploaded);
  assert.deepEqual(calls, [
    `get ${restoredSnapshotId}`,
    `delete ${restoredSnapshotId}`,
    `upload ${restoredSnapshotId} /tmp/s.zip`,
    `restore ${restoredSnapshotId} recreate=true force=false`,
    `delete ${restoredSnapshotId}`,
  ]);
  assert.ok(lines.includes("Uploading snapshot '/tmp/s.zip' to management server 127.1.0.2 as restored-snapshot"));
  assert.ok(lines.includes("Restoring snapshot 'restored-snapshot'..."));
  assert.ok(lines.includes('Successfully restored snapshot restored-snapshot'));
});

test('a failed restore is an error with the restore error, and the snapshot is kept', async () => {
  const { client, calls } = fakeClient({ leftover: false, outcome: 'failed', error: 'storage schema 9 is newer than 3' });
  const { output, lines } = capture();
  await assert.rejects(uploadAndRestore(client, output, { snapshotPath: '/tmp/s.zip', managerIp: '127.1.0.2', pollMs: 1 }), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal((error as { code?: string }).code, 'restore_failed');
    assert.equal(error.message, 'Failed to restore snapshot restored-snapshot: storage schema 9 is newer than 3');
    return true;
  });
  assert.equal(calls.filter((c) => c.startsWith('delete')).length, 0, 'restored-snapshot stays for inspection');
  assert.ok(!lines.some((l) => l.includes('Successfully')));
});

test('a cancelled restore reports the unexpected status', async () => {
  const { client } = fakeClient({ leftover: false, outcome: 'cancelled', error: 'cancelled by user' });
  await assert.rejects(uploadAndRestore(client, capture().output, { snapshotPath: '/tmp/s.zip', managerIp: '127.1.0.2', pollMs: 1 }), /Unexpected snapshot status: cancelled/);
});
