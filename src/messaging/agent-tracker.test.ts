import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryAgentRegistry } from './agent-registry.js';
import { AgentTracker } from './agent-tracker.js';
import type { AgentTransition } from './agent-tracker.js';
import type { StatusMessage } from './protocol.js';

const status = (state: 'online' | 'offline', bootId: string, connection: number, reason?: string): StatusMessage => ({ state, bootId, connection, version: '0.1.0', hostId: 'vm_1', sentAt: 0, ...(reason ? { reason } : {}) });

test('online, heartbeat, reconnect, will: transitions and views', async () => {
  const registry = new InMemoryAgentRegistry();
  await registry.put({ name: 'a', hostId: 'vm_1', credentialHash: 'x', brokerPasswordHash: null, createdAt: '2026-01-01T00:00:00.000Z', lastSeen: null, version: null });
  const tracker = new AgentTracker({ registry, now: () => new Date('2026-01-02T00:00:00.000Z') });
  const seen: string[] = [];
  tracker.onTransition((t: AgentTransition) => seen.push(`${t.type}:${t.agent.bootId}`));
  tracker.apply('a', status('online', 'b1', 1));
  tracker.apply('a', status('online', 'b1', 1)); // heartbeat
  tracker.apply('a', status('online', 'b1', 2)); // reconnect
  tracker.apply('a', status('offline', 'b1', 1)); // stale will
  assert.equal(tracker.get('a')?.state, 'online');
  tracker.apply('a', status('offline', 'b1', 2, 'connection lost'));
  assert.deepEqual(seen, ['agent:online:b1', 'agent:online:b1', 'agent:offline:b1']);
  assert.deepEqual(tracker.list().map((a) => [a.name, a.state, a.reason, a.hostId]), [['a', 'offline', 'connection lost', 'vm_1']]);
  assert.equal((await registry.get('a'))?.lastSeen, '2026-01-02T00:00:00.000Z');
});

test('a retained will of an agent never seen online records it offline without a transition', () => {
  const tracker = new AgentTracker();
  const seen: AgentTransition[] = [];
  tracker.onTransition((t) => seen.push(t));
  assert.equal(tracker.apply('a', status('offline', 'b1', 3)), null);
  assert.equal(tracker.get('a')?.state, 'offline');
  assert.equal(seen.length, 0);
});

test('the agent list shows every registered agent, live or not', async () => {
  const { listAgents } = await import('./agent-list.js');
  const registry = new InMemoryAgentRegistry();
  for (const name of ['b', 'a']) await registry.put({ name, hostId: `vm_${name}`, credentialHash: 'x', brokerPasswordHash: null, createdAt: 'then', lastSeen: 'long ago', version: '0.0.9' });
  const tracker = new AgentTracker({ now: () => new Date('2026-01-02T00:00:00.000Z') });
  tracker.apply('a', status('online', 'b1', 1));
  assert.deepEqual(
    (await listAgents(registry, tracker)).map((a) => [a.name, a.state, a.lastSeen, a.version]),
    [
      ['a', 'online', '2026-01-02T00:00:00.000Z', '0.1.0'],
      ['b', 'unknown', 'long ago', '0.0.9'],
    ],
  );
});
