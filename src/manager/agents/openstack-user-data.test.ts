import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryAgentRegistry } from '../../messaging/index.js';
import { PluginRegistry } from '../../plugins/index.js';
import type { OperationContext } from '../../plugins/index.js';
import { BOOT_SCRIPT_PROPERTY } from './agent-plugin.js';
import { wrapOpenstackServerCreate } from './openstack-user-data.js';

const dir = mkdtempSync(join(tmpdir(), 'rekindle-os-userdata-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fakeCtx(properties: Record<string, unknown>): OperationContext {
  const logs: string[] = [];
  return {
    node: { id: 'vm', name: 'vm', type: 'cloudify.openstack.nodes.Server', typeHierarchy: [], properties },
    instance: { id: 'vm_abc12', runtimeProperties: {}, hostIp: null },
    logger: { info: (m: string) => logs.push(m) },
  } as unknown as OperationContext;
}

test('OpenStack server create gets the agent boot script in its user data (init_script only)', async () => {
  const seen: { userdata: unknown; args: unknown }[] = [];
  const registry = new PluginRegistry().register('openstack', 'nova_plugin.server.create', (ctx, inputs) => {
    seen.push({ userdata: (ctx.node.properties['server'] as Record<string, unknown>)['userdata'], args: inputs['args'] });
    return Promise.resolve(null);
  });
  const agents = new InMemoryAgentRegistry();
  wrapOpenstackServerCreate(registry, { registry: agents, tracker: () => null, broker: () => ({ host: '127.0.0.5', port: 5000 }), agentsDir: () => dir }, 'cfy-agent');
  const create = registry.resolve('openstack', 'nova_plugin.server.create');

  const ctx = fakeCtx({ agent_config: { install_method: 'init_script' }, server: { userdata: '#!/bin/bash\necho mine\n' } });
  await create(ctx, { args: { flavor: 'x' } }, new AbortController().signal);
  const script = String(seen[0]?.userdata);
  assert.match(script, /^#!\/bin\/sh/);
  assert.match(script, /nohup cfy-agent --config/);
  assert.match(script, /"host":"127\.0\.0\.5","port":5000/);
  assert.match(script, /echo mine\n$/);
  assert.deepEqual(seen[0]?.args, { flavor: 'x' });
  assert.equal(ctx.instance.runtimeProperties[BOOT_SCRIPT_PROPERTY], true);
  assert.equal((ctx.instance.runtimeProperties['cloudify_agent'] as Record<string, unknown>)['install_method'], 'init_script');
  assert.ok(!JSON.stringify(ctx.instance.runtimeProperties).includes('password'));
  assert.notEqual(await agents.get('vm_abc12'), null, 'credentials issued');

  const plain = fakeCtx({ agent_config: { install_method: 'none' }, server: { userdata: 'x' } });
  await create(plain, {}, new AbortController().signal);
  assert.equal(seen[1]?.userdata, 'x');
  assert.equal(plain.instance.runtimeProperties[BOOT_SCRIPT_PROPERTY], undefined);
});
