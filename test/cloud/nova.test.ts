import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  Api,
  b64,
  groupAlive,
  startCloud,
  type Started,
  list,
  text,
  type Loose,
} from './helpers.js';

let started: Started;
let api: Api;
let hostImage: string;
let net: { networkId: string; subnetId: string };

before(async () => {
  started = await startCloud('127.103.0.0/24');
  api = await Api.login(started.cloud);
  hostImage = await api.imageId('rekindle-host');
  net = await api.network('private', '127.60.0.0/24');
});
after(() => started.stop());

const boot = (
  name: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, Loose>; headers: Headers }> =>
  api.nova('POST', '/servers', {
    server: {
      name,
      imageRef: hostImage,
      flavorRef: '1',
      networks: [{ uuid: net.networkId }],
      ...extra,
    },
  });

test('every compute response carries microversion and request-id headers; bad versions are 400 / 406', async () => {
  const plain = await api.nova('GET', '/flavors');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers.get('openstack-api-version'), 'compute 2.1');
  assert.equal(plain.headers.get('x-openstack-nova-api-version'), '2.1');
  assert.match(text(plain.headers.get('vary') ?? ''), /OpenStack-API-Version/);
  assert.equal(
    plain.headers.get('x-compute-request-id'),
    plain.headers.get('x-openstack-request-id'),
  );
  const v22 = await api.nova('GET', '/flavors', undefined, {
    'openstack-api-version': 'compute 2.2',
  });
  assert.equal(v22.headers.get('openstack-api-version'), 'compute 2.2');
  const latest = await api.nova('GET', '/flavors', undefined, {
    'x-openstack-nova-api-version': 'latest',
  });
  assert.equal(latest.headers.get('x-openstack-nova-api-version'), '2.2');
  const tooHigh = await api.nova('GET', '/flavors', undefined, {
    'openstack-api-version': 'compute 2.90',
  });
  assert.equal(tooHigh.status, 406);
  assert.match(
    text(tooHigh.body.notAcceptable.message),
    /Version 2\.90 is not supported by the API\. Minimum is 2\.1 and maximum is 2\.2\./,
  );
  const malformed = await api.nova('GET', '/flavors', undefined, {
    'openstack-api-version': 'compute two',
  });
  assert.equal(malformed.status, 400);
  assert.match(text(malformed.body.badRequest.message), /is of invalid format/);
});

test('flavors and images list and show; unknown ids are 404 itemNotFound', async () => {
  const flavor = await api.nova('GET', '/flavors/1');
  assert.equal(flavor.body.flavor.name, 'm1.tiny');
  assert.equal(flavor.body.flavor.links[0].rel, 'self');
  const missing = await api.nova('GET', '/flavors/nope');
  assert.deepEqual(missing.body, {
    itemNotFound: { code: 404, message: 'Flavor nope could not be found.' },
  });
  const images = await api.nova('GET', '/images/detail');
  assert.deepEqual(
    list(images.body.images)
      .map((i: { name: string }) => i.name)
      .sort(),
    ['rekindle-host', 'rekindle-manager'],
  );
  assert.equal((await api.nova('GET', `/servers/${crypto.randomUUID()}`)).status, 404);
});

test('keypairs: generate, import, list, show, duplicate 409, unknown 404, delete; 2.2 codes differ', async () => {
  const made = await api.nova('POST', '/os-keypairs', { keypair: { name: 'kp1' } });
  assert.equal(made.status, 200);
  assert.match(text(made.body.keypair.private_key), /BEGIN RSA PRIVATE KEY/);
  assert.match(text(made.body.keypair.public_key), /^ssh-rsa /);
  assert.match(text(made.body.keypair.fingerprint), /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  const imported = await api.nova(
    'POST',
    '/os-keypairs',
    { keypair: { name: 'kp2', public_key: made.body.keypair.public_key } },
    { 'openstack-api-version': 'compute 2.2' },
  );
  assert.equal(imported.status, 201);
  assert.equal(imported.body.keypair.private_key, undefined);
  assert.equal(imported.body.keypair.type, 'ssh');
  const dup = await api.nova('POST', '/os-keypairs', { keypair: { name: 'kp1' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.conflictingRequest.message, "Key pair 'kp1' already exists.");
  const bad = await api.nova('POST', '/os-keypairs', {
    keypair: { name: 'kp3', public_key: 'not a key' },
  });
  assert.equal(bad.status, 400);
  const keypairs = await api.nova('GET', '/os-keypairs');
  assert.deepEqual(
    list(keypairs.body.keypairs)
      .map((k: { keypair: { name: string } }) => k.keypair.name)
      .sort(),
    ['kp1', 'kp2'],
  );
  const shown = await api.nova('GET', '/os-keypairs/kp1');
  for (const key of ['name', 'public_key', 'fingerprint', 'user_id', 'id', 'created_at', 'deleted'])
    assert.ok(key in shown.body.keypair, key);
  assert.equal(
    (
      await api.nova('DELETE', '/os-keypairs/kp2', undefined, {
        'openstack-api-version': 'compute 2.2',
      })
    ).status,
    204,
  );
  assert.equal((await api.nova('DELETE', '/os-keypairs/kp1')).status, 202);
  const gone = await api.nova('GET', '/os-keypairs/kp1');
  assert.equal(gone.status, 404);
  assert.match(text(gone.body.itemNotFound.message), /^Keypair kp1 not found for user /);
});

test('server create validation: unknown image, flavor, key, network, extra keys, port in use', async () => {
  const image = await api.nova('POST', '/servers', {
    server: { name: 'x', imageRef: crypto.randomUUID(), flavorRef: '1' },
  });
  assert.deepEqual(image.body, {
    badRequest: { code: 400, message: 'Can not find requested image' },
  });
  assert.equal(
    (await boot('x', { flavorRef: '99' })).body.badRequest.message,
    'Flavor 99 could not be found.',
  );
  assert.equal(
    (await boot('x', { key_name: 'nokey' })).body.badRequest.message,
    'Invalid key_name provided.',
  );
  const extra = await boot('x', { colour: 'red' });
  assert.equal(extra.status, 400);
  assert.match(text(extra.body.badRequest.message), /^Invalid input for field\/attribute server\./);
  const badNet = await boot('x', { networks: [{ uuid: crypto.randomUUID() }] });
  assert.match(text(badNet.body.badRequest.message), /^Network .* could not be found\.$/);
  const port = (
    await api.neutron('POST', '/ports', {
      port: { network_id: net.networkId, device_id: 'someone' },
    })
  ).body.port;
  const inUse = await boot('x', { networks: [{ port: port.id }] });
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.conflictingRequest.message, `Port ${port.id} is still in use.`);
  const listed = await api.nova('GET', '/servers');
  assert.equal(listed.body.servers.length, 0);
});

test('a server boots as a process group: ACTIVE, user data runs with its IP, addresses per network', async () => {
  const script =
    'cat "$REKINDLE_METADATA_PATH" > meta.json\necho "ip=$REKINDLE_SERVER_IP name=$REKINDLE_SERVER_NAME boot=$REKINDLE_BOOT_COUNT" > booted.tmp\nmv booted.tmp booted.txt\n';
  const created = await boot('web-1', { user_data: b64(script), metadata: { role: 'web' } });
  assert.equal(created.status, 202);
  const id = created.body.server.id;
  assert.equal(created.headers.get('location'), created.body.server.links[0].href);
  assert.deepEqual(created.body.server.security_groups, [{ name: 'default' }]);
  const server = await api.waitServer(id, (s) => s.status === 'ACTIVE');
  for (const key of [
    'accessIPv4',
    'addresses',
    'created',
    'flavor',
    'hostId',
    'image',
    'key_name',
    'links',
    'metadata',
    'OS-EXT-STS:vm_state',
    'OS-EXT-STS:power_state',
    'OS-SRV-USG:launched_at',
    'os-extended-volumes:volumes_attached',
    'progress',
    'tenant_id',
    'user_id',
  ]) {
    assert.ok(key in server, key);
  }
  assert.equal(server['OS-EXT-STS:power_state'], 1);
  assert.equal(server['OS-EXT-STS:task_state'], null);
  assert.match(text(server['OS-SRV-USG:launched_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  const fixed = server.addresses.private[0];
  assert.equal(fixed['OS-EXT-IPS:type'], 'fixed');
  assert.match(text(fixed.addr), /^127\.60\.0\.\d+$/);
  const dir = started.cloud.status().servers.find((s) => s.id === id)!.dir;
  const booted = join(dir, 'booted.txt');
  for (let i = 0; i < 200 && !existsSync(booted); i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(readFileSync(booted, 'utf8').trim(), `ip=${fixed.addr} name=web-1 boot=1`);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')), { role: 'web' });
  const ports = await api.neutron('GET', `/ports?device_id=${id}`);
  assert.equal(ports.body.ports[0].device_owner, 'compute:nova');
  assert.equal(ports.body.ports[0].status, 'ACTIVE');
  const detail = await api.nova('GET', '/servers/detail?name=^web-');
  assert.equal(detail.body.servers.length, 1);
});

test('stop, start and reboot follow the state table; wrong-state actions are 409', async () => {
  const id = (await boot('cycler')).body.server.id;
  await api.waitServer(id, (s) => s.status === 'ACTIVE');
  const pid = started.cloud.status().servers.find((s) => s.id === id)!.pid!;
  assert.ok(groupAlive(pid));
  assert.equal((await api.nova('POST', `/servers/${id}/action`, { 'os-start': null })).status, 409);
  const stop = await api.nova('POST', `/servers/${id}/action`, { 'os-stop': null });
  assert.equal(stop.status, 202);
  assert.equal(stop.body, undefined);
  const stopped = await api.waitServer(id, (s) => s.status === 'SHUTOFF');
  assert.equal(stopped['OS-EXT-STS:power_state'], 4);
  assert.equal(groupAlive(pid), false);
  const again = await api.nova('POST', `/servers/${id}/action`, { 'os-stop': null });
  assert.equal(
    again.body.conflictingRequest.message,
    `Cannot 'stop' instance ${id} while it is in vm_state stopped`,
  );
  assert.equal((await api.nova('POST', `/servers/${id}/action`, { 'os-start': null })).status, 202);
  await api.waitServer(id, (s) => s.status === 'ACTIVE');
  const pid2 = started.cloud.status().servers.find((s) => s.id === id)!.pid!;
  assert.notEqual(pid2, pid);
  assert.equal(
    (await api.nova('POST', `/servers/${id}/action`, { reboot: { type: 'HARD' } })).status,
    202,
  );
  await api.waitServer(id, (s) => s.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null);
  assert.equal(groupAlive(pid2), false);
  assert.equal((await api.nova('POST', `/servers/${id}/action`, { resize: {} })).status, 400);
});

test('delete kills the process group, removes the folder, deletes Nova ports and keeps a pre-created port', async () => {
  const pre = (
    await api.neutron('POST', '/ports', { port: { network_id: net.networkId, name: 'keep-me' } })
  ).body.port;
  const script = 'sleep 300 &\nsleep 301\n';
  const id = (
    await api.nova('POST', '/servers', {
      server: {
        name: 'doomed',
        imageRef: hostImage,
        flavorRef: '1',
        networks: [{ port: pre.id }, { uuid: net.networkId }],
        user_data: b64(script),
      },
    })
  ).body.server.id;
  const server = await api.waitServer(id, (s) => s.status === 'ACTIVE');
  const ips = list(server.addresses.private).map((a: { addr: string }) => a.addr);
  assert.equal(ips[0], pre.fixed_ips[0].ip_address);
  const status = started.cloud.status().servers.find((s) => s.id === id)!;
  const nova = list((await api.neutron('GET', `/ports?device_id=${id}`)).body.ports).find(
    (p: { id: string }) => p.id !== pre.id,
  );
  assert.equal((await api.nova('DELETE', `/servers/${id}`)).status, 204);
  await api.waitServer(id, 'gone');
  assert.equal(groupAlive(status.pid!), false);
  assert.equal(existsSync(status.dir), false);
  assert.equal((await api.neutron('GET', `/ports/${nova.id}`)).status, 404);
  const kept = await api.neutron('GET', `/ports/${pre.id}`);
  assert.equal(kept.status, 200);
  assert.equal(kept.body.port.device_id, '');
  assert.equal(kept.body.port.status, 'DOWN');
  assert.equal(kept.body.port.fixed_ips[0].ip_address, pre.fixed_ips[0].ip_address);
  assert.equal((await api.nova('DELETE', `/servers/${id}`)).status, 404);
});

test('os-interface lists, attaches by network and by port, and detaches', async () => {
  const id = (await boot('nics')).body.server.id;
  await api.waitServer(id, (s) => s.status === 'ACTIVE');
  const listed = await api.nova('GET', `/servers/${id}/os-interface`);
  assert.equal(listed.body.interfaceAttachments.length, 1);
  assert.deepEqual(Object.keys(listed.body.interfaceAttachments[0] as object).sort(), [
    'fixed_ips',
    'mac_addr',
    'net_id',
    'port_id',
    'port_state',
  ]);
  const byNet = await api.nova('POST', `/servers/${id}/os-interface`, {
    interfaceAttachment: { net_id: net.networkId },
  });
  assert.equal(byNet.status, 200);
  const pre = (await api.neutron('POST', '/ports', { port: { network_id: net.networkId } })).body
    .port;
  const byPort = await api.nova('POST', `/servers/${id}/os-interface`, {
    interfaceAttachment: { port_id: pre.id },
  });
  assert.equal(byPort.body.interfaceAttachment.port_id, pre.id);
  const both = await api.nova('POST', `/servers/${id}/os-interface`, {
    interfaceAttachment: { port_id: pre.id, net_id: net.networkId },
  });
  assert.equal(both.body.badRequest.message, 'Must not input both network_id and port_id');
  assert.equal(
    (await api.nova('GET', `/servers/${id}/os-interface`)).body.interfaceAttachments.length,
    3,
  );
  assert.equal(
    (
      await api.nova(
        'DELETE',
        `/servers/${id}/os-interface/${byNet.body.interfaceAttachment.port_id}`,
      )
    ).status,
    202,
  );
  assert.equal(
    (await api.neutron('GET', `/ports/${byNet.body.interfaceAttachment.port_id}`)).status,
    404,
  );
  assert.equal((await api.nova('DELETE', `/servers/${id}/os-interface/${pre.id}`)).status, 202);
  assert.equal((await api.neutron('GET', `/ports/${pre.id}`)).body.port.device_id, '');
  assert.equal((await api.nova('GET', `/servers/${id}/os-interface/${pre.id}`)).status, 404);
});

test('the rekindle-manager image without a configured command ends in ERROR with a fault', async () => {
  const manager = await api.imageId('rekindle-manager');
  const id = (await boot('mgr', { imageRef: manager })).body.server.id;
  const server = await api.waitServer(id, (s) => s.status === 'ERROR');
  assert.equal(server.fault.code, 500);
  assert.match(text(server.fault.message), /REKINDLE_MANAGER_IMAGE_COMMAND/);
});

test('server metadata: show, merge, replace, one key, delete, 404 for a missing key', async () => {
  const id = (await boot('meta', { metadata: { a: '1' } })).body.server.id;
  await api.waitServer(id, (s) => s.status === 'ACTIVE');
  assert.deepEqual((await api.nova('GET', `/servers/${id}/metadata`)).body, {
    metadata: { a: '1' },
  });
  assert.deepEqual(
    (await api.nova('POST', `/servers/${id}/metadata`, { metadata: { b: '2' } })).body,
    { metadata: { a: '1', b: '2' } },
  );
  assert.deepEqual(
    (await api.nova('PUT', `/servers/${id}/metadata/c`, { meta: { c: '3' } })).body,
    { meta: { c: '3' } },
  );
  assert.deepEqual((await api.nova('GET', `/servers/${id}/metadata/b`)).body, { meta: { b: '2' } });
  assert.equal((await api.nova('DELETE', `/servers/${id}/metadata/b`)).status, 204);
  assert.equal((await api.nova('GET', `/servers/${id}/metadata/b`)).status, 404);
  assert.deepEqual(
    (await api.nova('PUT', `/servers/${id}/metadata`, { metadata: { z: '26' } })).body,
    { metadata: { z: '26' } },
  );
  assert.deepEqual((await api.nova('GET', `/servers/${id}`)).body.server.metadata, { z: '26' });
  assert.equal(
    (await api.nova('POST', `/servers/${id}/metadata`, { metadata: { n: 1 } })).status,
    400,
  );
});
