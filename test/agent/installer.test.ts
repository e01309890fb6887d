/** The agent plugin's installer operations, with a real agent process and an in-process manager. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NonRecoverableError } from '../../src/core/index.js';
import { configureAgent, createAgent, deleteAgent, parseInstallMethod, startAgent, stopAgent } from '../../src/agent/index.js';
import type { AgentInstallParams, CredentialsIssuerPort } from '../../src/agent/index.js';
import { InMemoryAgentRegistry, issueAgentCredentials, startManagerMessaging } from '../../src/messaging/index.js';
import type { ManagerMessaging } from '../../src/messaging/index.js';
import { tempDir, waitFor } from '../messaging/helpers.js';

const registry = new InMemoryAgentRegistry();
const issuer: CredentialsIssuerPort = {
  issue: (name, hostId) => issueAgentCredentials(registry, name, { hostId, replace: true, scrypt: { N: 1024 } }),
  revoke: (name) => registry.remove(name),
};
const tmp = tempDir('installer');
let messaging: ManagerMessaging;

before(async () => {
  messaging = await startManagerMessaging({ broker: { embedded: { host: '127.0.20.200' } }, registry, managerSecret: 'm', agentForHost: (h) => h });
});
after(async () => {
  await messaging.close();
  tmp.remove();
});

const waitOnline = async (name: string, timeoutMs: number): Promise<boolean> =>
  waitFor(`${name} online`, () => messaging.tracker.get(name)?.state === 'online', timeoutMs).then(() => true, () => false);

test('install methods: remote is refused with a message naming the supported ones', () => {
  assert.equal(parseInstallMethod(undefined), 'init_script');
  assert.equal(parseInstallMethod('provided'), 'provided');
  assert.throws(() => parseInstallMethod('remote'), (e: unknown) => e instanceof NonRecoverableError && /'remote' is not supported/.test(e.message) && /init_script/.test(e.message));
  assert.throws(() => parseInstallMethod('ssh'), NonRecoverableError);
});

test("install_method none does nothing and issues no credentials", async () => {
  const params: AgentInstallParams = { agentName: 'vm_none', hostId: 'vm_none', installMethod: 'none', broker: { host: '127.0.20.200', port: messaging.broker!.port }, workDir: join(tmp.dir, 'none') };
  assert.deepEqual(await createAgent(params, issuer), { runtimeProperties: null, config: null, initScript: null });
  assert.equal(await registry.get('vm_none'), null);
});

test('init_script: create, configure, start, stop and delete a real agent', async () => {
  const params: AgentInstallParams = { agentName: 'vm_inst1', hostId: 'vm_inst1', broker: { host: '127.0.20.200', port: messaging.broker!.port }, workDir: join(tmp.dir, 'vm_inst1'), localAddress: '127.0.20.11' };
  const created = await createAgent(params, issuer);
  assert.equal(created.runtimeProperties?.cloudify_agent.broker_ip, '127.0.20.200');
  assert.ok(!JSON.stringify(created.runtimeProperties).includes(created.config!.password), 'no secret in runtime properties');
  assert.match(created.initScript!, /cfy-agent --config/);
  assert.notEqual(await registry.get('vm_inst1'), null);
  const retried = await createAgent(params, issuer); // a retried create rotates the secret
  assert.notEqual(retried.config!.password, created.config!.password);

  const path = configureAgent(params, retried.config)!;
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).name, 'vm_inst1');

  const { pid } = await startAgent(params, { waitOnline, timeoutMs: 20_000 });
  assert.ok(pid !== null && pid > 0);
  assert.equal(messaging.broker!.agentAddresses().vm_inst1, '127.0.20.11');

  assert.deepEqual(await stopAgent(params), { stopped: true });
  await waitFor('offline after stop', () => messaging.tracker.get('vm_inst1')?.state === 'offline');
  assert.equal(messaging.tracker.get('vm_inst1')?.reason, 'stopped');

  await deleteAgent(params, issuer);
  assert.equal(await registry.get('vm_inst1'), null);
  assert.equal(existsSync(params.workDir), false);
});
