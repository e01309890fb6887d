import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LocalCloud } from '../../src/cloud/index.js';
import { Api, groupAlive, startCloud, type Started, text } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const options = (dataDir: string): Parameters<typeof LocalCloud.start>[0] => ({
  dataDir,
  port: 0,
  buildDelayMs: 30,
  stopGraceMs: 300,
  monitorIntervalMs: 100,
  floatingPool: { networkName: 'public', cidr: '127.105.0.0/24' },
  forwardedPorts: [],
});

test('state survives a cloud restart; a live server is re-adopted, a dead one comes back SHUTOFF', async () => {
  const first: Started = await startCloud('127.105.0.0/24');
  let cloud: LocalCloud = first.cloud;
  cleanups.push(async () => {
    await cloud.close({ killServers: true }).catch(() => undefined);
    rmSync(first.dataDir, { recursive: true, force: true });
  });
  let api = await Api.login(cloud);
  const image = await api.imageId('rekindle-host');
  const net = await api.network('private', '127.62.0.0/24');
  const boot = async (name: string): Promise<string> => {
    const id = (
      await api.nova('POST', '/servers', {
        server: { name, imageRef: image, flavorRef: '1', networks: [{ uuid: net.networkId }] },
      })
    ).body.server.id;
    await api.waitServer(id, (s) => s.status === 'ACTIVE');
    return text(id);
  };
  const survivor = await boot('survivor');
  const victim = await boot('victim');
  const pids = Object.fromEntries(cloud.status().servers.map((s) => [s.name, s.pid!]));
  const survivorIp = (await api.nova('GET', `/servers/${survivor}`)).body.server.addresses
    .private[0].addr;

  await cloud.close();
  assert.equal(existsSync(join(first.dataDir, 'endpoint.json')), false);
  const saved = JSON.parse(readFileSync(join(first.dataDir, 'state.json'), 'utf8'));
  assert.equal(saved.servers.length, 2);
  assert.ok(groupAlive(pids.survivor!), 'servers outlive the cloud daemon');
  process.kill(-pids.victim!, 'SIGKILL');
  for (let i = 0; i < 100 && groupAlive(pids.victim!); i++)
    await new Promise((r) => setTimeout(r, 20));

  cloud = await LocalCloud.start(options(first.dataDir));
  api = await Api.login(cloud);
  const back = (await api.nova('GET', `/servers/${survivor}`)).body.server;
  assert.equal(back.status, 'ACTIVE');
  assert.equal(back.addresses.private[0].addr, survivorIp);
  assert.equal(cloud.status().servers.find((s) => s.id === survivor)!.pid, pids.survivor);
  const dead = (await api.nova('GET', `/servers/${victim}`)).body.server;
  assert.equal(dead.status, 'SHUTOFF');
  assert.equal((await api.neutron('GET', `/networks/${net.networkId}`)).status, 200);
  assert.equal((await api.nova('DELETE', `/servers/${survivor}`)).status, 204);
  await api.waitServer(survivor, 'gone');
  assert.equal(groupAlive(pids.survivor!), false);
});

test('a second cloud on the same data folder is refused while the first runs', async () => {
  const first = await startCloud('127.106.0.0/24');
  cleanups.push(() => first.stop());
  await assert.rejects(
    () =>
      LocalCloud.start({
        ...options(first.dataDir),
        floatingPool: { networkName: 'public', cidr: '127.106.0.0/24' },
      }),
    /already serves/,
  );
});

test('deletePreexistingPortsWithServer reproduces the old Nova behaviour: the passed-in port goes too', async () => {
  const cloud = await startCloud('127.108.0.0/24', { deletePreexistingPortsWithServer: true });
  cleanups.push(() => cloud.stop());
  const api = await Api.login(cloud.cloud);
  const net = await api.network('old', '127.64.0.0/29');
  const port = (await api.neutron('POST', '/ports', { port: { network_id: net.networkId } })).body
    .port;
  const image = await api.imageId('rekindle-host');
  const id = (
    await api.nova('POST', '/servers', {
      server: { name: 'juno', imageRef: image, flavorRef: '1', networks: [{ port: port.id }] },
    })
  ).body.server.id;
  await api.waitServer(id, (s) => s.status === 'ACTIVE');
  await api.nova('DELETE', `/servers/${id}`);
  await api.waitServer(id, 'gone');
  assert.equal((await api.neutron('GET', `/ports/${port.id}`)).status, 404);
});

test('a server in BUILD has no addresses, refuses actions with 409, and can be deleted before it boots', async () => {
  const cloud = await startCloud('127.109.0.0/24', { buildDelayMs: 600_000 });
  cleanups.push(() => cloud.stop());
  const api = await Api.login(cloud.cloud);
  const net = await api.network('slow', '127.65.0.0/29');
  const image = await api.imageId('rekindle-host');
  const id = text(
    (
      await api.nova('POST', '/servers', {
        server: {
          name: 'slow',
          imageRef: image,
          flavorRef: '1',
          networks: [{ uuid: net.networkId }],
        },
      })
    ).body.server.id,
  );
  const server = (await api.nova('GET', `/servers/${id}`)).body.server;
  assert.equal(server.status, 'BUILD');
  assert.equal(server['OS-EXT-STS:vm_state'], 'building');
  assert.equal(server['OS-EXT-STS:task_state'], 'scheduling');
  assert.equal(server['OS-EXT-STS:power_state'], 0);
  assert.equal(server.hostId, '');
  assert.deepEqual(server.addresses, {});
  const stop = await api.nova('POST', `/servers/${id}/action`, { 'os-stop': null });
  assert.equal(stop.status, 409);
  assert.equal(
    stop.body.conflictingRequest.message,
    `Cannot 'stop' instance ${id} while it is in vm_state building`,
  );
  assert.equal((await api.nova('DELETE', `/servers/${id}`)).status, 204);
  await api.waitServer(id, 'gone');
  assert.equal(cloud.cloud.status().servers.length, 0);
  assert.equal((await api.neutron('GET', `/ports?device_id=${id}`)).body.ports.length, 0);
});
