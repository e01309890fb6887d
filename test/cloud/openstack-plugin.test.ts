/** Contract tests of the OpenStack plugin against the local cloud (real HTTP on 127.0.0.1). */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NonRecoverableError, OperationRetry } from '../../src/core/index.js';
import {
  OpenStackClient,
  clearTokenCache,
  openstackOperations,
  resolveOpenStackConfig,
  type OsContext,
  type OsRelationship,
} from '../../src/plugins/builtin/openstack/index.js';
import { Api, startCloud, type Started, list, text } from './helpers.js';

let started: Started;
let api: Api;
let openstackConfig: Record<string, unknown>;
const keyDir = mkdtempSync(join(tmpdir(), 'rekindle-keys-'));
const logs: string[] = [];

before(async () => {
  started = await startCloud('127.107.0.0/24');
  api = await Api.login(started.cloud);
  openstackConfig = {
    username: 'admin',
    password: 'admin',
    tenant_name: 'admin',
    auth_url: started.cloud.urls.identity,
    region: 'RegionOne',
    poll_interval: 0.05,
  };
});
after(async () => {
  clearTokenCache();
  await started.stop();
  rmSync(keyDir, { recursive: true, force: true });
});

interface Instance {
  node: { id: string; properties: Record<string, unknown> };
  instance: {
    id: string;
    runtimeProperties: Record<string, unknown>;
    relationships: OsRelationship[];
  };
}

function instance(
  id: string,
  properties: Record<string, unknown>,
  relationships: Instance[] = [],
): Instance {
  return {
    node: { id, properties: { openstack_config: openstackConfig, ...properties } },
    instance: {
      id: `${id}_1`,
      runtimeProperties: {},
      relationships: relationships.map((t) => ({
        type: 'cloudify.relationships.connected_to',
        target: t,
      })),
    },
  };
}

function ctxOf(self: Instance, rel?: { source: Instance; target: Instance }): OsContext {
  return {
    node: self.node,
    instance: self.instance,
    source: rel?.source ?? null,
    target: rel?.target ?? null,
    deploymentId: 'd1',
    operation: {
      retryNumber: 0,
      retry(message?: string, retryAfter?: number): never {
        throw new OperationRetry(message ?? 'retry', retryAfter);
      },
    },
    logger: {
      debug: (m) => logs.push(m),
      info: (m) => logs.push(m),
      warning: (m) => logs.push(m),
      error: (m) => logs.push(m),
    },
  };
}

async function run(
  task: string,
  self: Instance,
  inputs: Record<string, unknown> = {},
  rel?: { source: Instance; target: Instance },
): Promise<void> {
  const op = openstackOperations[task];
  assert.ok(op, task);
  await op(ctxOf(self, rel), inputs, {});
}

/** Runs until it stops asking for a retry (the engine's job, condensed). */
async function runRetrying(
  task: string,
  self: Instance,
  inputs: Record<string, unknown> = {},
  rel?: { source: Instance; target: Instance },
): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      await run(task, self, inputs, rel);
      return attempt;
    } catch (error) {
      if (!(error instanceof OperationRetry)) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error(`${task} kept retrying`);
}

test('the manager-blueprint topology installs, heals around a kept port, and uninstalls', async () => {
  const external = instance('external_network', {
    use_external_resource: true,
    resource_id: 'public',
  });
  const network = instance('management_network', { resource_id: 'cloudify-management-network' });
  const subnet = instance(
    'management_subnet',
    { subnet: { cidr: '127.63.0.0/24', ip_version: 4 } },
    [network],
  );
  const router = instance('router', { resource_id: 'management_router' }, [external]);
  const group = instance('management_security_group', {
    rules: [
      { port: 22, remote_ip_prefix: '0.0.0.0/0' },
      { port: 8101, remote_ip_prefix: '127.63.0.0/24' },
    ],
  });
  const port = instance('manager_port', { resource_id: 'cloudify-manager-port' }, [
    network,
    subnet,
  ]);
  const fip = instance('manager_server_ip', { floatingip: { floating_network_name: 'public' } });
  const keypair = instance('management_keypair', {
    resource_id: 'manager-kp',
    private_key_path: join(keyDir, 'manager.pem'),
  });

  await run('neutron_plugin.network.create', external);
  assert.equal(external.instance.runtimeProperties.external_resource, true);
  await run('neutron_plugin.network.create', network);
  await run('neutron_plugin.subnet.create', subnet);
  await run('neutron_plugin.router.create', router);
  await run('neutron_plugin.router.connect_subnet', router, {}, { source: subnet, target: router });
  await run('neutron_plugin.security_group.create', group);
  await run('neutron_plugin.port.create', port);
  await run(
    'neutron_plugin.port.connect_security_group',
    port,
    {},
    { source: port, target: group },
  );
  await run('neutron_plugin.floatingip.create', fip);
  await run('nova_plugin.keypair.create', keypair);

  assert.equal(network.instance.runtimeProperties.external_type, 'network');
  assert.equal(network.instance.runtimeProperties.external_name, 'cloudify-management-network');
  const fixedIp = port.instance.runtimeProperties.fixed_ip_address as string;
  assert.match(text(fixedIp), /^127\.63\.0\.\d+$/);
  const floatingAddress = fip.instance.runtimeProperties.floating_ip_address as string;
  assert.match(text(floatingAddress), /^127\.107\.0\.\d+$/);
  assert.equal(statSync(join(keyDir, 'manager.pem')).mode & 0o777, 0o600);
  const rules = (
    await api.neutron(
      'GET',
      `/security-group-rules?security_group_id=${group.instance.runtimeProperties.external_id as string}&direction=ingress`,
    )
  ).body.security_group_rules;
  assert.deepEqual(
    list(rules)
      .map((r: { port_range_min: number }) => r.port_range_min)
      .sort(),
    [22, 8101],
  );
  const portView = (
    await api.neutron('GET', `/ports/${port.instance.runtimeProperties.external_id as string}`)
  ).body.port;
  assert.deepEqual(portView.security_groups, [group.instance.runtimeProperties.external_id]);

  const makeServer = (): Instance =>
    instance(
      'manager_host',
      {
        resource_id: 'cloudify-manager-server',
        image: 'rekindle-host',
        flavor: 'm1.tiny',
        management_network_name: 'cloudify-management-network',
        server: { userdata: 'echo up > up.txt\n' },
      },
      [port, keypair, network],
    );
  const install = async (server: Instance): Promise<void> => {
    await run('nova_plugin.server.create', server);
    const retries = await runRetrying('nova_plugin.server.start', server, {
      start_retry_interval: 1,
    });
    assert.ok(retries >= 0);
    await runRetrying(
      'nova_plugin.server.connect_floatingip',
      server,
      {},
      { source: server, target: fip },
    );
  };

  const server = makeServer();
  await install(server);
  assert.equal(server.instance.runtimeProperties.external_type, 'server');
  assert.equal(
    server.instance.runtimeProperties.ip,
    fixedIp,
    "the server gets the pre-created port's fixed IP",
  );
  assert.deepEqual(server.instance.runtimeProperties.networks, {
    'cloudify-management-network': [fixedIp],
  });
  const novaServer = (
    await api.nova('GET', `/servers/${server.instance.runtimeProperties.external_id as string}`)
  ).body.server;
  assert.equal(novaServer.key_name, 'manager-kp');
  assert.equal(novaServer.metadata.cloudify_management_network_name, 'cloudify-management-network');
  assert.equal(
    (await api.nova('GET', `/servers/${novaServer.id}/os-interface`)).body.interfaceAttachments
      .length,
    1,
  );

  const extraGroup = instance('agents_security_group', { rules: [{ port: 5985 }] });
  await run('neutron_plugin.security_group.create', extraGroup);
  const extraId = extraGroup.instance.runtimeProperties.external_id as string;
  const portGroups = async (): Promise<string[]> =>
    (await api.neutron('GET', `/ports/${port.instance.runtimeProperties.external_id as string}`))
      .body.port.security_groups as string[];
  await run(
    'nova_plugin.server.connect_security_group',
    server,
    {},
    { source: server, target: extraGroup },
  );
  assert.ok((await portGroups()).includes(extraId));
  await run(
    'nova_plugin.server.disconnect_security_group',
    server,
    {},
    { source: server, target: extraGroup },
  );
  assert.ok(!(await portGroups()).includes(extraId));
  await run('neutron_plugin.security_group.delete', extraGroup);

  // Heal: uninstall the server side (the port stays), then install again.
  await assert.rejects(
    () => run('neutron_plugin.port.detach', server, {}, { source: server, target: port }),
    (error: unknown) => {
      assert.ok(error instanceof OperationRetry);
      assert.equal(error.retryAfter, 10);
      assert.match(
        text(error.message),
        new RegExp(
          `Waiting for the floating ip ${floatingAddress.replace(/\./g, '\\.')} to detach`,
        ),
      );
      return true;
    },
  );
  await run(
    'nova_plugin.server.disconnect_floatingip',
    server,
    {},
    { source: server, target: fip },
  );
  await run('neutron_plugin.port.detach', server, {}, { source: server, target: port });
  await run('nova_plugin.server.stop', server);
  await run('nova_plugin.server.delete', server);
  assert.equal(server.instance.runtimeProperties.external_id, undefined);
  assert.equal(server.instance.runtimeProperties.ip, undefined);
  const kept = (
    await api.neutron('GET', `/ports/${port.instance.runtimeProperties.external_id as string}`)
  ).body.port;
  assert.equal(kept.device_id, '');
  assert.equal(kept.fixed_ips[0].ip_address, fixedIp);

  const healed = makeServer();
  await install(healed);
  assert.equal(healed.instance.runtimeProperties.ip, fixedIp, 'same private IP after heal');
  const fipView = (
    await api.neutron('GET', `/floatingips/${fip.instance.runtimeProperties.external_id as string}`)
  ).body.floatingip;
  assert.equal(fipView.floating_ip_address, floatingAddress);
  assert.equal(fipView.fixed_ip_address, fixedIp);

  // Uninstall everything, in reverse.
  await run(
    'nova_plugin.server.disconnect_floatingip',
    healed,
    {},
    { source: healed, target: fip },
  );
  await run('neutron_plugin.port.detach', healed, {}, { source: healed, target: port });
  await run('nova_plugin.server.stop', healed);
  await run('nova_plugin.server.delete', healed);
  await assert.rejects(
    () => run('nova_plugin.server.stop', Object.assign(makeServer(), {})),
    NonRecoverableError,
  );
  await run('nova_plugin.keypair.delete', keypair);
  assert.equal(existsSync(join(keyDir, 'manager.pem')), false);
  await run('neutron_plugin.floatingip.delete', fip);
  await run('neutron_plugin.port.delete', port);
  await run('neutron_plugin.port.delete', port);
  await run('neutron_plugin.security_group.delete', group);
  await run(
    'neutron_plugin.router.disconnect_subnet',
    router,
    {},
    { source: subnet, target: router },
  );
  await run('neutron_plugin.router.delete', router);
  await run('neutron_plugin.subnet.delete', subnet);
  await run('neutron_plugin.network.delete', network);
  await run('neutron_plugin.network.delete', external);
  const networks = list((await api.neutron('GET', '/networks')).body.networks).map(
    (n: { name: string }) => n.name,
  );
  assert.deepEqual(networks, ['public']);
  assert.equal((await api.neutron('GET', '/ports')).body.ports.length, 0);
  assert.equal((await api.nova('GET', '/servers')).body.servers.length, 0);
  assert.ok(logs.includes('Using external resource network: public'));
});

test('the client reuses its token, re-authenticates once on 401, and maps errors', async () => {
  clearTokenCache();
  const calls: string[] = [];
  const counting: typeof fetch = (input, init) => {
    calls.push(
      `${init?.method ?? 'GET'} ${input instanceof Request ? input.url : input.toString()}`,
    );
    return fetch(input, init);
  };
  const config = resolveOpenStackConfig(openstackConfig, undefined, {});
  const client = new OpenStackClient(config, { fetch: counting });
  await client.get('network', '/networks');
  await new OpenStackClient(config, { fetch: counting }).get('compute', '/flavors');
  assert.equal(calls.filter((c) => c.includes('/auth/tokens')).length, 1);
  const token = await client.authenticate();
  await api.call('DELETE', `${started.cloud.urls.identity}/auth/tokens`, undefined, {
    'x-auth-token': api.token,
    'x-subject-token': token.id,
  });
  await client.get('network', '/networks');
  assert.equal(calls.filter((c) => c.includes('/auth/tokens')).length, 2);
  await assert.rejects(
    () => client.get('network', '/ports/nope'),
    (error: Error & { status?: number; type?: string }) => {
      assert.equal(error.status, 404);
      assert.equal(error.type, 'PortNotFound');
      return true;
    },
  );
  await assert.rejects(
    () => client.get('compute', '/servers/nope'),
    (error: Error & { type?: string }) => error.type === 'itemNotFound',
  );
});

test('the client refuses clouds outside 127.0.0.0/8 and reports bad credentials as non-recoverable', async () => {
  clearTokenCache();
  assert.throws(
    () =>
      new OpenStackClient(
        resolveOpenStackConfig(
          { ...openstackConfig, auth_url: 'http://10.1.2.3:5000/v3' },
          undefined,
          {},
        ),
      ),
    /not a loopback address/,
  );
  const wrong = new OpenStackClient(
    resolveOpenStackConfig({ ...openstackConfig, password: 'wrong' }, undefined, {}),
  );
  await assert.rejects(
    () => wrong.get('network', '/networks'),
    (error: unknown) =>
      error instanceof NonRecoverableError && /Authentication/.test(error.message),
  );
  assert.throws(
    () => resolveOpenStackConfig({}, undefined, {}),
    /openstack_config is missing 'username'/,
  );
});
