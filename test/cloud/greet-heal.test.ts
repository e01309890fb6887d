/**
 * The recovery-test fixture's shape on the local cloud through a real `cfy-manager`: a node type
 * derived from `cloudify.openstack.nodes.Server` with a custom `cloudify.interfaces.greet.hello`
 * operation (the fixture's own `hello.py`), its agent started by user data (init_script), here
 * on a Port and with a FloatingIP. greet runs on the server's agent; heal of the server keeps the
 * port's fixed IP and the floating IP, and a new agent comes back on which greet runs again.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { agentPids, call, runWorkflow } from '../agents-e2e/harness.js';
import { isAlive, repoRoot } from '../local/cli.js';
import { makeTarGz } from '../manager/harness.js';
import { MANAGEMENT_NETWORK, ManagedCloud } from './managed-cloud.js';

const helloPy = join(repoRoot, '../shared/fixtures/cloudify-3.3/recovery-test/scripts/hello.py');
const env = new ManagedCloud('127.111.0.0/24', '127.71.0.0/24');
after(() => env.stop());

const blueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
  - http://www.getcloudify.org/spec/openstack-plugin/1.3/plugin.yaml
inputs:
  image: {}
  flavor: {}
  openstack_config: {}
node_types:
  greeting_host:
    derived_from: cloudify.openstack.nodes.Server
    interfaces:
      cloudify.interfaces.greet:
        hello: scripts/hello.py
node_templates:
  network:
    type: cloudify.openstack.nodes.Network
    properties: { use_external_resource: true, resource_id: ${MANAGEMENT_NETWORK}, openstack_config: { get_input: openstack_config } }
  host_port:
    type: cloudify.openstack.nodes.Port
    properties: { openstack_config: { get_input: openstack_config } }
    relationships:
      - { type: cloudify.relationships.contained_in, target: network }
  host_ip:
    type: cloudify.openstack.nodes.FloatingIP
    properties: { floatingip: { floating_network_name: public }, openstack_config: { get_input: openstack_config } }
  host:
    type: greeting_host
    properties:
      server:
        image: { get_input: image }
        flavor: { get_input: flavor }
      agent_config: { install_method: init_script }
      openstack_config: { get_input: openstack_config }
    interfaces:
      cloudify.interfaces.lifecycle:
        start: { implementation: openstack.nova_plugin.server.start, inputs: { start_retry_interval: 1 } }
    relationships:
      - { type: cloudify.openstack.server_connected_to_port, target: host_port }
      - { type: cloudify.openstack.server_connected_to_floating_ip, target: host_ip }
`;

interface Instance {
  id: string;
  node_id: string;
  runtime_properties: Record<string, unknown>;
}

test(
  'recovery-test shape: greet runs on the server agent; heal keeps the fixed and floating IPs and the agent comes back',
  { timeout: 150_000, skip: existsSync(helloPy) ? false : `fixture ${helloPy} is absent` },
  async () => {
    const { cloud, api, openstackConfig } = await env.start();
    const archive = makeTarGz({
      'rt/blueprint.yaml': blueprint,
      'rt/scripts/hello.py': readFileSync(helloPy, 'utf8'),
    });
    await env.deploy(archive, 'recovery-test', 'rt', {
      image: 'rekindle-host',
      flavor: 'm1.tiny',
      openstack_config: openstackConfig,
    });
    const install = await runWorkflow(api, 'rt', 'install');
    assert.equal(install.status, 'terminated', `${install.error}\n${env.log()}`);

    const instance = async (node: string): Promise<Instance> => {
      const items = (await call(`${api}/node-instances?deployment_id=rt`)).body
        .items as unknown as Instance[];
      const found = items.find((i) => i.node_id === node);
      assert.ok(found, node);
      return found;
    };
    const host = await instance('host');
    const agentTasks = (): number =>
      readdirSync(join(env.managerDir, 'agents', host.id, 'tasks')).length;
    const greet = async (): Promise<void> => {
      const before = agentTasks();
      const run = await runWorkflow(api, 'rt', 'execute_operation', {
        operation: 'cloudify.interfaces.greet.hello',
        node_ids: ['host'],
      });
      assert.equal(run.status, 'terminated', `${run.error}\n${env.log()}`);
      assert.equal((await instance('host')).runtime_properties.greet, 'hello');
      assert.equal(
        agentTasks(),
        before + 1,
        'the greet task is in the agent task ledger: the agent ran it',
      );
    };
    const onlineAgent = async (): Promise<void> =>
      assert.deepEqual(await env.agents(), [[host.id, 'online']]);
    await onlineAgent();
    await greet();

    const [before] = cloud.cloud.status().servers;
    assert.ok(before?.pid);
    const fixedIp = (await instance('host_port')).runtime_properties.fixed_ip_address;
    const floatingIp = (await instance('host_ip')).runtime_properties.floating_ip_address;
    assert.deepEqual(before.fixed_ips, [fixedIp]);
    assert.deepEqual(before.floating_ips, [floatingIp]);
    const agentBefore = agentPids(env.managerDir).get(host.id);
    assert.ok(agentBefore && isAlive(agentBefore));

    const heal = await runWorkflow(api, 'rt', 'heal', { node_instance_id: host.id });
    assert.equal(heal.status, 'terminated', `${heal.error}\n${env.log()}`);
    const [after, ...others] = cloud.cloud.status().servers;
    assert.ok(after && others.length === 0);
    assert.notEqual(after.id, before.id, 'a new server');
    assert.equal(isAlive(-before.pid), false, 'the old server process group is gone');
    assert.deepEqual(after.fixed_ips, [fixedIp], "same fixed IP (the port's)");
    assert.deepEqual(after.floating_ips, [floatingIp], 'same floating IP, associated again');
    assert.equal(isAlive(agentBefore), false, 'the old agent is gone');
    const agentAfter = agentPids(env.managerDir).get(host.id);
    assert.ok(
      agentAfter && agentAfter !== agentBefore && isAlive(agentAfter),
      'a new agent process runs',
    );
    await onlineAgent();
    await greet();
    await env.stopManager();
  },
);
