import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperationalError } from '../core/index.js';
import { InMemoryAgentRegistry } from './agent-registry.js';
import { startManagerMessaging } from './manager-messaging.js';

test('an unreachable external broker fails the start with broker_unavailable', async () => {
  await assert.rejects(
    startManagerMessaging({ broker: { url: 'mqtt://127.0.0.1:9' }, registry: new InMemoryAgentRegistry(), managerSecret: 's', agentForHost: (h) => h, connectTimeoutMs: 300 }),
    (e: unknown) => e instanceof OperationalError && e.code === 'broker_unavailable' && /127\.0\.0\.1:9/.test(e.message),
  );
});
