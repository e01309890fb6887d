import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueAgentCredentials, verifySecret } from '../../messaging/index.js';
import type { AgentRecord as StoredAgent, StoragePort } from '../../storage/index.js';
import { StorageAgentRegistry } from './storage-registry.js';

/** Just the parts of StoragePort the registry uses, over a Map (replaceable like a restore). */
function fakeStorage(): { storage: StoragePort; rows: Map<string, StoredAgent> } {
  const rows = new Map<string, StoredAgent>();
  const agents = {
    find: (name: string) => Promise.resolve(rows.has(name) ? { ...rows.get(name)! } : null),
    create: (row: StoredAgent) => Promise.resolve(void rows.set(row.name, { ...row })).then(() => row),
    update: (name: string, patch: Partial<StoredAgent>) => Promise.resolve(void rows.set(name, { ...rows.get(name)!, ...patch })).then(() => rows.get(name)!),
    delete: (name: string) => Promise.resolve(rows.get(name)!).finally(() => rows.delete(name)),
    list: () => Promise.resolve({ items: [...rows.values()].sort((a, b) => a.name.localeCompare(b.name)), total: rows.size }),
  };
  const storage = {
    agents,
    nodeInstances: { find: (id: string) => Promise.resolve({ id, deploymentId: 'd1' }) },
    transaction: <T>(fn: (tx: StoragePort) => Promise<T>) => fn(storage as unknown as StoragePort),
  };
  return { storage: storage as unknown as StoragePort, rows };
}

test('storage registry: credentials hashed in the agents row, deployment from the host, no cache', async () => {
  const { storage, rows } = fakeStorage();
  const registry = new StorageAgentRegistry(() => storage);
  const creds = await issueAgentCredentials(registry, 'vm_1', { hostId: 'vm_1', scrypt: { N: 1024 } });
  const row = rows.get('vm_1');
  assert.equal(row?.deploymentId, 'd1');
  assert.equal(row?.nodeInstanceId, 'vm_1');
  assert.ok(!row?.credentialsHash?.includes(creds.password));
  const record = await registry.get('vm_1');
  assert.ok(record && (await verifySecret(creds.password, record.credentialHash)));
  assert.match(record.brokerPasswordHash ?? '', /^\$7\$/);

  await registry.touch('vm_1', { at: '2026-01-01T00:00:00.000Z', version: '1.0' });
  assert.equal((await registry.get('vm_1'))?.lastSeen, '2026-01-01T00:00:00.000Z');

  // A restore replaces the table: the registry sees it at once.
  const restored = { ...row, name: 'vm_2', nodeInstanceId: 'vm_2' };
  rows.clear();
  rows.set('vm_2', restored);
  assert.equal(await registry.get('vm_1'), null);
  assert.deepEqual((await registry.list()).map((r) => r.name), ['vm_2']);
  await registry.remove('vm_2');
  assert.equal(rows.size, 0);
});
