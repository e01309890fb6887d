import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileCloudConfig } from '../../src/cloud/index.js';
import { Api, startCloud, type Started, list, text } from './helpers.js';

let started: Started;
let api: Api;
let publicId: string;

before(async () => {
  started = await startCloud('127.102.0.0/24');
  api = await Api.login(started.cloud);
  const nets = await api.neutron('GET', '/networks?name=public');
  publicId = nets.body.networks[0].id;
});
after(() => started.stop());

test('the floating pool network is external and its subnet is the configured 127.x CIDR', async () => {
  const network = await api.neutron('GET', `/networks/${publicId}`);
  assert.equal(network.body.network['router:external'], true);
  const subnet = await api.neutron('GET', `/subnets/${network.body.network.subnets[0]}`);
  assert.equal(subnet.body.subnet.cidr, '127.102.0.0/24');
});

test('a network is created with 201 and the documented keys; .json suffix works; delete is 204 then 404', async () => {
  const created = await api.neutron('POST', '/networks', {
    network: { name: 'n1', admin_state_up: true },
  });
  assert.equal(created.status, 201);
  const n = created.body.network;
  for (const key of [
    'id',
    'name',
    'status',
    'admin_state_up',
    'subnets',
    'shared',
    'router:external',
    'mtu',
    'project_id',
    'tenant_id',
    'revision_number',
    'created_at',
    'updated_at',
  ])
    assert.ok(key in n, key);
  assert.equal(n.project_id, n.tenant_id);
  assert.match(text(n.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const viaJson = await api.call('GET', `${started.cloud.urls.network}v2.0/networks/${n.id}.json`);
  assert.equal(viaJson.status, 200);
  assert.equal((await api.neutron('DELETE', `/networks/${n.id}`)).status, 204);
  const gone = await api.neutron('DELETE', `/networks/${n.id}`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.body, {
    NeutronError: {
      type: 'NetworkNotFound',
      message: `Network ${n.id} could not be found.`,
      detail: '',
    },
  });
});

test('unknown attributes and missing required ones are 400', async () => {
  const unknown = await api.neutron('POST', '/networks', { network: { name: 'x', colour: 'red' } });
  assert.equal(unknown.status, 400);
  assert.match(text(unknown.body.NeutronError.message), /Unrecognized attribute\(s\) 'colour'/);
  const missing = await api.neutron('POST', '/subnets', { subnet: { cidr: '127.50.0.0/24' } });
  assert.equal(missing.status, 400);
  assert.match(
    text(missing.body.NeutronError.message),
    /Required attribute 'network_id' not specified/,
  );
});

test('subnets outside 127.0.0.0/8, overlapping ones and ones holding the cloud address are refused with 400', async () => {
  const network = await api.neutron('POST', '/networks', { network: { name: 'cidrs' } });
  const id = network.body.network.id;
  for (const cidr of ['10.0.0.0/24', '192.168.1.0/24', '0.0.0.0/0', '126.255.255.0/24']) {
    const reply = await api.neutron('POST', '/subnets', {
      subnet: { network_id: id, cidr, ip_version: 4 },
    });
    assert.equal(reply.status, 400, cidr);
    assert.match(text(reply.body.NeutronError.message), /outside 127\.0\.0\.0\/8/);
  }
  assert.equal(
    (await api.neutron('POST', '/subnets', { subnet: { network_id: id, cidr: '127.0.0.0/24' } }))
      .status,
    400,
  );
  const ok = await api.neutron('POST', '/subnets', {
    subnet: { network_id: id, cidr: '127.51.0.0/24', ip_version: 4 },
  });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.subnet.gateway_ip, '127.51.0.1');
  assert.deepEqual(ok.body.subnet.allocation_pools, [{ start: '127.51.0.2', end: '127.51.0.254' }]);
  const overlap = await api.neutron('POST', '/subnets', {
    subnet: { network_id: id, cidr: '127.51.0.128/25' },
  });
  assert.equal(overlap.status, 400);
  assert.match(text(overlap.body.NeutronError.message), /overlaps/);
});

test('the cloud configuration refuses a non-loopback floating pool or host', () => {
  assert.throws(
    () =>
      compileCloudConfig(
        { dataDir: '/tmp/x', floatingPool: { networkName: 'p', cidr: '172.24.4.0/24' } },
        {},
      ),
    /not inside 127\.0\.0\.0\/8/,
  );
  assert.throws(
    () => compileCloudConfig({ dataDir: '/tmp/x', host: '0.0.0.0' }, {}),
    /not in 127\.0\.0\.0\/8/,
  );
});

test('floating IPs with a non-loopback address are refused', async () => {
  const reply = await api.neutron('POST', '/floatingips', {
    floatingip: { floating_network_id: publicId, floating_ip_address: '172.24.4.10' },
  });
  assert.equal(reply.status, 400);
  assert.match(text(reply.body.NeutronError.message), /outside 127\.0\.0\.0\/8/);
});

test('ports get a free IP, a requested IP, and a 409 for an IP already allocated; delete releases the IP', async () => {
  const { networkId, subnetId } = await api.network('ports', '127.52.0.0/29');
  const first = await api.neutron('POST', '/ports', {
    port: { network_id: networkId, name: 'p1' },
  });
  assert.equal(first.status, 201);
  const p = first.body.port;
  for (const key of [
    'id',
    'name',
    'network_id',
    'mac_address',
    'fixed_ips',
    'device_id',
    'device_owner',
    'status',
    'security_groups',
    'admin_state_up',
  ])
    assert.ok(key in p, key);
  assert.equal(p.status, 'DOWN');
  assert.equal(p.device_id, '');
  assert.match(text(p.mac_address), /^fa:16:3e(:[0-9a-f]{2}){3}$/);
  assert.equal(p.fixed_ips[0].subnet_id, subnetId);
  assert.equal(p.security_groups.length, 1);
  const wanted = await api.neutron('POST', '/ports', {
    port: { network_id: networkId, fixed_ips: [{ ip_address: '127.52.0.5' }] },
  });
  assert.equal(wanted.status, 201);
  assert.equal(wanted.body.port.fixed_ips[0].ip_address, '127.52.0.5');
  const dup = await api.neutron('POST', '/ports', {
    port: { network_id: networkId, fixed_ips: [{ subnet_id: subnetId, ip_address: '127.52.0.5' }] },
  });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.NeutronError.type, 'IpAddressAlreadyAllocated');
  assert.equal((await api.neutron('DELETE', `/ports/${wanted.body.port.id}`)).status, 204);
  const again = await api.neutron('POST', '/ports', {
    port: { network_id: networkId, fixed_ips: [{ ip_address: '127.52.0.5' }] },
  });
  assert.equal(again.status, 201);
  const filtered = await api.neutron(
    'GET',
    `/ports?network_id=${networkId}&fields=id&fields=fixed_ips`,
  );
  assert.equal(filtered.body.ports.length, 2);
  assert.deepEqual(Object.keys(filtered.body.ports[0] as object).sort(), ['fixed_ips', 'id']);
  const inUse = await api.neutron('DELETE', `/networks/${networkId}`);
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.NeutronError.type, 'NetworkInUse');
});

test('security groups get egress rules, rules are validated, duplicates are 409, a group in use cannot go', async () => {
  const group = await api.neutron('POST', '/security-groups', {
    security_group: { name: 'web', description: 'w' },
  });
  assert.equal(group.status, 201);
  assert.deepEqual(
    list(group.body.security_group.security_group_rules)
      .map((r: { direction: string; ethertype: string }) => `${r.direction}/${r.ethertype}`)
      .sort(),
    ['egress/IPv4', 'egress/IPv6'],
  );
  const gid = group.body.security_group.id;
  const rule = {
    security_group_id: gid,
    direction: 'ingress',
    protocol: 'tcp',
    port_range_min: '80',
    port_range_max: 80,
    remote_ip_prefix: '0.0.0.0/0',
  };
  const created = await api.neutron('POST', '/security-group-rules', { security_group_rule: rule });
  assert.equal(created.status, 201);
  assert.equal(created.body.security_group_rule.port_range_min, 80);
  const dup = await api.neutron('POST', '/security-group-rules', { security_group_rule: rule });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.NeutronError.type, 'SecurityGroupRuleExists');
  const noProtocol = await api.neutron('POST', '/security-group-rules', {
    security_group_rule: { security_group_id: gid, direction: 'ingress', port_range_min: 22 },
  });
  assert.equal(noProtocol.status, 400);
  assert.equal(
    (await api.neutron('POST', '/security-groups', { security_group: { name: 'default' } })).status,
    409,
  );
  const { networkId } = await api.network('sg', '127.53.0.0/29');
  const port = await api.neutron('POST', '/ports', {
    port: { network_id: networkId, security_groups: [gid] },
  });
  const inUse = await api.neutron('DELETE', `/security-groups/${gid}`);
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.NeutronError.type, 'SecurityGroupInUse');
  assert.equal((await api.neutron('DELETE', `/ports/${port.body.port.id}`)).status, 204);
  assert.equal((await api.neutron('DELETE', `/security-groups/${gid}`)).status, 204);
});

test('floating IPs: association needs a router path; PUT associates and disassociates; deleting the port keeps the floating IP', async () => {
  const { networkId, subnetId } = await api.network('fipnet', '127.54.0.0/29');
  const port = (await api.neutron('POST', '/ports', { port: { network_id: networkId } })).body.port;
  const fip = await api.neutron('POST', '/floatingips', {
    floatingip: { floating_network_id: publicId },
  });
  assert.equal(fip.status, 201);
  const f = fip.body.floatingip;
  assert.match(text(f.floating_ip_address), /^127\.102\.0\.\d+$/);
  assert.equal(f.port_id, null);
  assert.equal(f.status, 'DOWN');
  assert.equal(f.port_details, null);
  const noRoute = await api.neutron('PUT', `/floatingips/${f.id}`, {
    floatingip: { port_id: port.id },
  });
  assert.equal(noRoute.status, 404);
  assert.equal(noRoute.body.NeutronError.type, 'ExternalGatewayForFloatingIPNotFound');
  const router = await api.neutron('POST', '/routers', {
    router: { name: 'r', external_gateway_info: { network_id: publicId } },
  });
  assert.equal(router.status, 201);
  assert.equal(router.body.router.external_gateway_info.network_id, publicId);
  const rid = router.body.router.id;
  const iface = await api.neutron('PUT', `/routers/${rid}/add_router_interface`, {
    subnet_id: subnetId,
  });
  assert.equal(iface.status, 200);
  assert.deepEqual(Object.keys(iface.body).sort(), [
    'id',
    'network_id',
    'port_id',
    'project_id',
    'subnet_id',
    'subnet_ids',
    'tags',
    'tenant_id',
  ]);
  assert.equal(
    (await api.neutron('PUT', `/routers/${rid}/add_router_interface`, { subnet_id: subnetId }))
      .status,
    400,
  );
  const linked = await api.neutron('PUT', `/floatingips/${f.id}`, {
    floatingip: { port_id: port.id },
  });
  assert.equal(linked.status, 200);
  assert.equal(linked.body.floatingip.fixed_ip_address, port.fixed_ips[0].ip_address);
  assert.equal(linked.body.floatingip.router_id, rid);
  assert.equal(linked.body.floatingip.status, 'ACTIVE');
  const second = await api.neutron('POST', '/floatingips', {
    floatingip: { floating_network_id: publicId, port_id: port.id },
  });
  assert.equal(second.status, 409);
  assert.equal(second.body.NeutronError.type, 'FloatingIPPortAlreadyAssociated');
  const busy = await api.neutron('PUT', `/routers/${rid}/remove_router_interface`, {
    subnet_id: subnetId,
  });
  assert.equal(busy.status, 409);
  assert.equal((await api.neutron('DELETE', `/routers/${rid}`)).status, 409);
  const unlinked = await api.neutron('PUT', `/floatingips/${f.id}`, {
    floatingip: { port_id: null },
  });
  assert.equal(unlinked.body.floatingip.port_id, null);
  assert.equal(unlinked.body.floatingip.router_id, null);
  await api.neutron('PUT', `/floatingips/${f.id}`, { floatingip: { port_id: port.id } });
  assert.equal((await api.neutron('DELETE', `/ports/${port.id}`)).status, 204);
  const kept = await api.neutron('GET', `/floatingips/${f.id}`);
  assert.equal(kept.status, 200);
  assert.equal(kept.body.floatingip.port_id, null);
  assert.equal(
    (await api.neutron('PUT', `/routers/${rid}/remove_router_interface`, { subnet_id: subnetId }))
      .status,
    200,
  );
  assert.equal((await api.neutron('DELETE', `/floatingips/${f.id}`)).status, 204);
  assert.equal((await api.neutron('DELETE', `/routers/${rid}`)).status, 204);
});
