import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Agent } from './agent.js';
import { InMemoryTaskLedger } from './task-ledger.js';

test('an agent keeps reconnecting to a broker that drops it, and stops cleanly without one', async () => {
  let attempts = 0;
  const server = createServer((socket) => {
    attempts += 1;
    socket.destroy(); // a "broker" that hangs up at once
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const agent = new Agent({
    name: 'vm_lonely',
    brokerUrl: `mqtt://127.0.0.1:${port}`,
    password: 'x',
    workDir: '/nonexistent',
    ledger: new InMemoryTaskLedger(),
    createExecutor: () => ({ run: () => Promise.resolve(null) }),
    backoff: { initialMs: 10, maxMs: 40 },
  });
  await agent.start({ waitConnected: false });
  while (attempts < 4) await new Promise((r) => setTimeout(r, 10));
  await agent.stop(); // must not wait for acknowledgements from a broker that is not there
  const after = attempts;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(attempts, after, 'no reconnection after stop');
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
