import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../core/index.js';
import { canPublish, canSubscribe } from './broker-auth.js';
import { agentTopic, assertAgentName, isValidAgentName, parseAgentTopic } from './topics.js';

test('agent names are safe topic levels and never the manager', () => {
  for (const ok of ['vm_1a2b3', 'host.example-1', '_x']) assert.equal(isValidAgentName(ok), true, ok);
  for (const bad of ['', 'a/b', 'a+b', '#', '-x', '.x', 'rekindle-manager', 'x'.repeat(129)]) assert.equal(isValidAgentName(bad), false, bad);
  assert.throws(() => assertAgentName('a/b'), (e: unknown) => e instanceof UserError && e.code === 'invalid_agent_name');
});

test('agent topics round-trip and foreign topics are rejected', () => {
  assert.deepEqual(parseAgentTopic(agentTopic('vm_1', 'results')), { name: 'vm_1', kind: 'results' });
  assert.equal(parseAgentTopic('rekindle/agents/vm_1/other'), null);
  assert.equal(parseAgentTopic('rekindle/agents/+/results'), null);
  assert.equal(parseAgentTopic('other/agents/vm_1/results'), null);
  assert.equal(parseAgentTopic('rekindle/agents/vm_1/results/x'), null);
});

test('an agent publishes only to its own reply topics and subscribes only to its own tasks', () => {
  const agent = { role: 'agent', name: 'vm_1' } as const;
  for (const kind of ['results', 'logs', 'events', 'status'] as const) assert.equal(canPublish(agent, agentTopic('vm_1', kind)), true);
  assert.equal(canPublish(agent, agentTopic('vm_1', 'tasks')), false);
  assert.equal(canPublish(agent, agentTopic('vm_2', 'results')), false);
  assert.equal(canSubscribe(agent, agentTopic('vm_1', 'tasks')), true);
  for (const topic of [agentTopic('vm_2', 'tasks'), 'rekindle/agents/+/tasks', 'rekindle/#', '#', agentTopic('vm_1', 'results')]) assert.equal(canSubscribe(agent, topic), false, topic);
  const manager = { role: 'manager' } as const;
  assert.equal(canSubscribe(manager, 'rekindle/agents/+/results'), true);
  assert.equal(canPublish(manager, agentTopic('vm_2', 'tasks')), true);
  assert.equal(canSubscribe(manager, '#'), false);
});
