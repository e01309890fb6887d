import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Api, b64, groupAlive, refused, startCloud, type Started, list } from './helpers.js';

const APP_PORT = 38181;
let started: Started;
let api: Api;
let hostImage: string;
let publicId: string;
let net: { networkId: string; subnetId: string };

/** User data: a tiny HTTP server on the server's own fixed IP. */
const app = b64(
  `exec "${process.execPath}" -e "require('http').createServer((q, s) => s.end('hello from ' + process.env.REKINDLE_SERVER_NAME)).listen(${APP_PORT}, process.env.REKINDLE_SERVER_IP)"\n`,
);

before(async () => {
  started = await startCloud('127.104.0.0/24', { forwardedPorts: [APP_PORT] });
  api = await Api.login(started.cloud);
  hostImage = await api.imageId('rekindle-host');
  publicId = (await api.neutron('GET', '/networks?name=public')).body.networks[0].id;
  net = await api.routedNetwork('private', '127.61.0.0/24');
});
after(() => started.stop());

async function get(url: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} never answered`);
}

async function bootApp(name: string): Promise<{ id: string; ip: string; portId: string }> {
  const id = (
    await api.nova('POST', '/servers', {
      server: {
        name,
        imageRef: hostImage,
        flavorRef: '1',
        networks: [{ uuid: net.networkId }],
        user_data: app,
      },
    })
  ).body.server.id;
  const server = await api.waitServer(id, (s) => s.status === 'ACTIVE');
  const portId = (await api.neutron('GET', `/ports?device_id=${id}`)).body.ports[0].id;
  return { id, ip: server.addresses.private[0].addr, portId };
}

test('two servers run the same app port on their own addresses; a floating IP forwards to one; dissociation stops it', async () => {
  const a = await bootApp('alpha');
  const b = await bootApp('beta');
  assert.equal(await get(`http://${a.ip}:${APP_PORT}/`), 'hello from alpha');
  assert.equal(await get(`http://${b.ip}:${APP_PORT}/`), 'hello from beta');
  const fip = (
    await api.neutron('POST', '/floatingips', {
      floatingip: { floating_network_id: publicId, port_id: a.portId },
    })
  ).body.floatingip;
  assert.equal(fip['rekindle:forwarded_ports'][0], APP_PORT);
  const viaFloating = `http://${fip.floating_ip_address}:${APP_PORT}/`;
  assert.equal(await get(viaFloating), 'hello from alpha');
  const server = (await api.nova('GET', `/servers/${a.id}`)).body.server;
  assert.deepEqual(
    list(server.addresses.private).map((x: Record<string, string>) => x['OS-EXT-IPS:type']),
    ['fixed', 'floating'],
  );
  assert.equal(server.addresses.private[1].addr, fip.floating_ip_address);
  const status = await api.call('GET', `${started.cloud.url}/rekindle-admin/status`, undefined, {});
  assert.ok(
    list(status.body.forwarding).some(
      (f: { floatingIp: string; listening: boolean }) =>
        f.floatingIp === fip.floating_ip_address && f.listening,
    ),
  );
  await api.neutron('PUT', `/floatingips/${fip.id}`, { floatingip: { port_id: b.portId } });
  assert.equal(await get(viaFloating), 'hello from beta');
  await api.neutron('PUT', `/floatingips/${fip.id}`, { floatingip: { port_id: null } });
  assert.equal(await refused(viaFloating), true);
});

test('crash kills the processes without an API call: SHUTOFF, ports and floating IP stay; start brings the app back', async () => {
  const c = await bootApp('gamma');
  const fip = (
    await api.neutron('POST', '/floatingips', {
      floatingip: { floating_network_id: publicId, port_id: c.portId },
    })
  ).body.floatingip;
  const viaFloating = `http://${fip.floating_ip_address}:${APP_PORT}/`;
  assert.equal(await get(viaFloating), 'hello from gamma');
  const pid = started.cloud.status().servers.find((s) => s.id === c.id)!.pid!;
  const crashed = await api.call(
    'POST',
    `${started.cloud.url}/rekindle-admin/servers/gamma/crash`,
    undefined,
    {},
  );
  assert.equal(crashed.status, 200);
  assert.equal(crashed.body.server.status, 'SHUTOFF');
  assert.equal(groupAlive(pid), false);
  const server = (await api.nova('GET', `/servers/${c.id}`)).body.server;
  assert.equal(server.status, 'SHUTOFF');
  const port = (await api.neutron('GET', `/ports/${c.portId}`)).body.port;
  assert.equal(port.device_id, c.id);
  assert.equal(port.fixed_ips[0].ip_address, c.ip);
  assert.equal(
    (await api.neutron('GET', `/floatingips/${fip.id}`)).body.floatingip.port_id,
    c.portId,
  );
  assert.equal(await refused(viaFloating), true);
  await api.nova('POST', `/servers/${c.id}/action`, { 'os-start': null });
  await api.waitServer(c.id, (s) => s.status === 'ACTIVE');
  assert.equal(await get(viaFloating), 'hello from gamma');
});

test('a process group that dies on its own is noticed: the server turns SHUTOFF', async () => {
  const d = await bootApp('delta');
  const pid = started.cloud.status().servers.find((s) => s.id === d.id)!.pid!;
  process.kill(-pid, 'SIGKILL');
  const server = await api.waitServer(d.id, (s) => s.status === 'SHUTOFF');
  assert.equal(server['OS-EXT-STS:power_state'], 4);
});
