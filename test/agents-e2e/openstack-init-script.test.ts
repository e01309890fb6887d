/**
 * install_method init_script on an OpenStack server of the local cloud: the manager puts the
 * agent's boot script in the server's user data, the `rekindle-host` image runs it at boot, the
 * agent comes online and a script operation of a node on that server runs on it. Real processes,
 * loopback only; the cloud kills its server process groups, the manager is stopped by pid.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCloud } from '../../src/cloud/index.js';
import { cleanup, makeTarGz } from '../manager/harness.js';
import { agentPids, call, killGroup, startManager, waitExecution } from './harness.js';
import type { StartedManager } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-agents-os-'));
const cloudDir = mkdtempSync(join(tmpdir(), 'rekindle-agents-cloud-'));
let cloud: LocalCloud | null = null;
let manager: StartedManager | null = null;

after(async () => {
  if (manager) killGroup(manager.child.pid, 'SIGKILL');
  await cloud?.close({ killServers: true });
  for (const pid of agentPids(dataDir).values()) killGroup(pid, 'SIGKILL');
  cleanup(dataDir);
  rmSync(cloudDir, { recursive: true, force: true });
});

test('init_script on an OpenStack server: the user data starts the agent, operations run on it', { timeout: 180_000 }, async () => {
  cloud = await LocalCloud.start({ dataDir: cloudDir, port: 0, buildDelayMs: 30, stopGraceMs: 300, monitorIntervalMs: 100, floatingPool: { networkName: 'public', cidr: '127.109.0.0/24' }, forwardedPorts: [] });
  manager = await startManager(dataDir);
  const api = `${manager.url}/api/v2`;
  const blueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
  - http://www.getcloudify.org/spec/openstack-plugin/1.3/plugin.yaml
node_templates:
  vm:
    type: cloudify.openstack.nodes.Server
    properties:
      image: rekindle-host
      flavor: m1.tiny
      agent_config: { install_method: init_script }
      openstack_config: { username: admin, password: admin, tenant_name: admin, auth_url: '${cloud.urls.identity}', region: RegionOne }
  app:
    type: cloudify.nodes.Root
    relationships:
      - { type: cloudify.relationships.contained_in, target: vm }
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/where.sh
`;
  const archive = makeTarGz({ 'bp/blueprint.yaml': blueprint, 'bp/scripts/where.sh': '#!/bin/bash\nctx instance runtime-properties ran_on "$REKINDLE_AGENT_NAME"\n' });
  const uploaded = await call(`${api}/blueprints/os`, 'PUT', { raw: archive });
  assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  assert.equal((await call(`${api}/deployments/os1`, 'PUT', { json: { blueprint_id: 'os' } })).status, 201);
  const install = await call(`${api}/executions`, 'POST', { json: { deployment_id: 'os1', workflow_id: 'install' } });
  const done = await waitExecution(api, install.body.id, 120_000);
  assert.equal(done.status, 'terminated', `${done.error}\n${manager.stderr()}`);
  const instances = (await call(`${api}/node-instances?deployment_id=os1`)).body.items as unknown as { id: string; node_id: string; runtime_properties: Record<string, unknown> }[];
  const vm = instances.find((i) => i.node_id === 'vm');
  const app = instances.find((i) => i.node_id === 'app');
  assert.ok(vm && app);
  assert.equal(vm.runtime_properties.rekindle_agent_boot_script, true);
  assert.equal(app.runtime_properties.ran_on, vm.id);
  const agents = (await call(`${api}/agents`)).body.items as unknown as { name: string; state: string }[];
  assert.deepEqual(agents.map((a) => [a.name, a.state]), [[vm.id, 'online']]);

  const uninstall = await call(`${api}/executions`, 'POST', { json: { deployment_id: 'os1', workflow_id: 'uninstall' } });
  assert.equal((await waitExecution(api, uninstall.body.id, 120_000)).status, 'terminated');
  assert.equal(((await call(`${api}/agents`)).body.items as unknown[]).length, 0);
  killGroup(manager.child.pid, 'SIGTERM');
  assert.equal(await manager.exited, 0);
  manager = null;
});
