/**
 * Issue 7's hello world on the local cloud: the project's own blueprint
 * (`examples/openstack-hello-world`: floating IP + security group + server + a web server
 * installed by scripts through the server's init_script agent) installs through a real
 * `cfy-manager` process, the page answers through the floating IP, and uninstall leaves no
 * process, port, floating IP or folder behind. Real processes, loopback only; everything started
 * here is stopped by pid in `after()`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { agentPids, call, folderArchive, runWorkflow } from '../agents-e2e/harness.js';
import { freePort, isAlive, repoRoot } from '../local/cli.js';
import { list, refused } from './helpers.js';
import { ManagedCloud } from './managed-cloud.js';

const example = join(repoRoot, 'examples', 'openstack-hello-world');
const webPort = await freePort();
const env = new ManagedCloud('127.110.0.0/24', '127.70.0.0/24', { forwardedPorts: [webPort] });
let webPid = 0;

after(async () => {
  await env.stop();
  if (webPid > 0 && isAlive(webPid)) process.kill(webPid, 'SIGKILL');
});

test(
  'openstack-hello-world: install serves the page through the floating IP; uninstall leaves nothing behind',
  { timeout: 120_000 },
  async () => {
    const { cloud: started, neutron, api, openstackConfig } = await env.start();
    const { cloud, dataDir: cloudDir } = started;
    const portIds = async (): Promise<string[]> =>
      list((await neutron.neutron('GET', '/ports')).body.ports)
        .map((p: { id: string }) => p.id)
        .sort();
    const portsBefore = await portIds();
    await env.deploy(folderArchive(example, 'openstack-hello-world'), 'hello-world', 'hw', {
      webserver_port: webPort,
      openstack_config: openstackConfig,
    });

    const install = await runWorkflow(api, 'hw', 'install');
    assert.equal(install.status, 'terminated', `${install.error}\n${env.log()}`);

    const [server, ...more] = cloud.status().servers;
    assert.ok(server && more.length === 0, 'one server in the cloud');
    const serverPid = server.pid ?? 0;
    assert.ok(serverPid > 0 && isAlive(-serverPid), 'the server process group runs');
    const [fixedIp = ''] = server.fixed_ips;
    const [floatingIp = ''] = server.floating_ips;
    assert.match(fixedIp, /^127\.70\.0\.\d+$/);
    assert.match(floatingIp, /^127\.110\.0\.\d+$/, 'the floating IP is a 127/8 address');

    const outputs = (await call(`${api}/deployments/hw/outputs`)).body as unknown as {
      outputs: Record<string, unknown>;
    };
    const endpoint = `http://${floatingIp}:${webPort}`;
    assert.equal(outputs.outputs.http_endpoint, endpoint);

    const instances = (await call(`${api}/node-instances?deployment_id=hw`)).body
      .items as unknown as {
      id: string;
      node_id: string;
      runtime_properties: Record<string, unknown>;
    }[];
    const vm = instances.find((i) => i.node_id === 'vm');
    const web = instances.find((i) => i.node_id === 'http_web_server');
    assert.ok(vm && web);
    assert.equal(vm.runtime_properties.ip, fixedIp);
    assert.equal(
      web.runtime_properties.address,
      fixedIp,
      'http.server bound to the private address',
    );
    // The scripts ran in the server's environment (the agent its user data started): web root on its disk.
    assert.equal(web.runtime_properties.www, join(server.dir, 'disk', 'hello-world-www'));
    webPid = Number(web.runtime_properties.pid);
    assert.ok(isAlive(webPid), 'the web server runs');
    assert.deepEqual(await env.agents(), [[vm.id, 'online']]);
    const agentPid = agentPids(env.managerDir).get(vm.id) ?? 0;
    assert.ok(agentPid > 0 && isAlive(agentPid), 'the agent runs');

    const page = await fetch(`${endpoint}/`);
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /<h1>Hello, World!<\/h1>/);
    assert.match(
      body,
      new RegExp(
        `Served from server ${fixedIp.replaceAll('.', '\\.')} by node instance ${web.id} of\\s+deployment hw on port ${webPort}\\.`,
      ),
    );

    const uninstall = await runWorkflow(api, 'hw', 'uninstall');
    assert.equal(uninstall.status, 'terminated', `${uninstall.error}\n${env.log()}`);

    assert.deepEqual(cloud.status().servers, [], 'no server left in the cloud');
    assert.equal(
      isAlive(serverPid) || isAlive(-serverPid),
      false,
      `server process (group) ${serverPid} is gone`,
    );
    assert.equal(isAlive(agentPid), false, `agent pid ${agentPid} is gone`);
    assert.equal(isAlive(webPid), false, `web server pid ${webPid} is gone`);
    assert.deepEqual(await portIds(), portsBefore, 'only the management network ports are left');
    assert.deepEqual(
      (await neutron.neutron('GET', '/floatingips')).body.floatingips,
      [],
      'no floating IP left',
    );
    const groups = list((await neutron.neutron('GET', '/security-groups')).body.security_groups);
    assert.deepEqual(
      groups.map((g: { name: string }) => g.name),
      ['default'],
      'only the default security group is left',
    );
    assert.equal(existsSync(server.dir), false, `server folder ${server.dir} is gone`);
    assert.deepEqual(
      readdirSync(join(cloudDir, 'servers')),
      [],
      'no server folder in the cloud data dir',
    );
    assert.ok(
      await refused(`http://${fixedIp}:${webPort}/`),
      'the web port no longer answers on the private address',
    );
    assert.ok(await refused(`${endpoint}/`), 'nor through the floating IP');
    assert.deepEqual(await env.agents(), [], 'the agent is revoked');

    await env.stopManager();
  },
);
