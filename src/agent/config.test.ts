import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/index.js';
import { loadAgentConfig } from './config.js';

test('flags override the config file; the password may come from the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
  try {
    const file = join(dir, 'agent.json');
    writeFileSync(file, JSON.stringify({ name: 'vm_1', broker: { host: '127.0.0.1', port: 1883 }, workDir: dir }));
    const config = loadAgentConfig({ config: file, brokerPort: '2000', localAddress: '127.0.20.1' }, { REKINDLE_AGENT_PASSWORD: 'pw' });
    assert.deepEqual(config, { name: 'vm_1', broker: { host: '127.0.0.1', port: 2000 }, workDir: dir, password: 'pw', localAddress: '127.0.20.1' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid config lists every problem', () => {
  assert.throws(
    () => loadAgentConfig({ name: 'a/b', brokerPort: 'x' }, {}),
    (e: unknown) => e instanceof UserError && e.code === 'agent_config_invalid' && (e.details.problems as string[]).length >= 4,
  );
  assert.throws(() => loadAgentConfig({ config: '/nonexistent/agent.json' }, {}), (e: unknown) => e instanceof UserError && e.code === 'agent_config_invalid');
});
