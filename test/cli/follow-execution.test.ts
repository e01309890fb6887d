/**
 * `followExecution` (behind `cfy executions start` and `cfy events list --tail`) against a real
 * manager over HTTP: every event once, in order, across pages and while new ones arrive, read
 * after the `_after_seq` cursor.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RestClient, type Event } from '../../src/client/index.js';
import { cloudifyTimestamp, type EventDocument } from '../../src/core/events.js';
import { followExecution } from '../../src/cli/follow-execution.js';
import { fakeDeps } from '../manager/fakes.js';
import { adminPassword, startTestManager, type TestManager } from '../manager/harness.js';

let m: TestManager;
let client: RestClient;

function logs(execution: string, from: number, count: number): EventDocument[] {
  return Array.from({ length: count }, (_, k) => {
    const at = new Date(Date.parse('2026-11-26T10:00:00.000Z') + (from + k) * 10);
    return {
      type: 'cloudify_log',
      logger: 'test',
      level: 'info',
      timestamp: cloudifyTimestamp(at),
      '@timestamp': at.toISOString(),
      message: { text: `${execution} ${from + k}` },
      context: { deployment_id: 'd', execution_id: execution, workflow_id: 'install' },
    };
  });
}

before(async () => {
  m = await startTestManager(fakeDeps);
  await m.manager.app.listen({ host: '127.0.0.1', port: 0 });
  const address = m.manager.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  client = new RestClient({ host: '127.0.0.1', port, username: 'admin', password: adminPassword });
});

after(() => m.close());

test('follows an execution: all events once and in order, across pages and while it runs', async () => {
  const store = m.manager.services.ctx.store;
  await store.executions.insert({
    id: 'ex-f',
    status: 'started',
    deployment_id: null,
    workflow_id: 'install',
    blueprint_id: null,
    created_at: new Date().toISOString(),
    error: '',
    parameters: {},
    is_system_workflow: false,
  });
  // Another execution's events interleave: the cursor must skip them.
  await store.events.append([
    ...logs('ex-f', 0, 150),
    ...logs('other', 0, 50),
    ...logs('ex-f', 150, 100),
  ]);
  const seen: string[] = [];
  let reachedEnd: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => (reachedEnd = resolve));
  const following = followExecution(client, 'ex-f', {
    includeLogs: true,
    pollMs: 20,
    onEvent: (event: Event) => {
      seen.push(String((event.message).text));
      if (seen.length === 250) reachedEnd();
    },
  });
  await caughtUp;
  await store.events.append(logs('ex-f', 250, 30));
  await store.executions.update('ex-f', { status: 'terminated' });
  const result = await following;
  assert.equal(result.execution.status, 'terminated');
  assert.equal(result.events, 280);
  assert.deepEqual(
    seen,
    Array.from({ length: 280 }, (_, i) => `ex-f ${i}`),
  );
});
