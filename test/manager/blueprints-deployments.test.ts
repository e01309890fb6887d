import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fakeDeps, simpleBlueprint } from './fakes.js';
import { makeTar, makeTarGz, makeZip, startTestManager, type Body, type TestManager } from './harness.js';

let m: TestManager;
before(async () => {
  m = await startTestManager(fakeDeps);
});
after(async () => {
  await m.close();
});

test('upload tar.gz, zip and plain YAML; list with envelope, include, sort; download', async () => {
  const tgz = makeTarGz({ 'app/blueprint.yaml': simpleBlueprint, 'app/scripts/create.sh': 'echo hi' });
  const up = await m.call('PUT', '/api/v2/blueprints/bp-tgz', { body: tgz });
  assert.equal(up.statusCode, 201, up.body);
  assert.equal(up.json<Body>().id, 'bp-tgz');
  assert.equal(up.json<Body>().main_file_name, 'blueprint.yaml');
  assert.ok(existsSync(join(m.dataDir, 'blueprints', 'bp-tgz', 'scripts', 'create.sh')));

  const zip = await makeZip({ 'other.yaml': simpleBlueprint });
  const upZip = await m.call('PUT', '/api/v2/blueprints/bp-zip?application_file_name=other.yaml', { body: zip });
  assert.equal(upZip.statusCode, 201, upZip.body);
  const upYaml = await m.call('PUT', '/api/v2/blueprints/bp-yaml', { body: simpleBlueprint });
  assert.equal(upYaml.statusCode, 201, upYaml.body);

  const list = (await m.call('GET', '/api/v2/blueprints?_include=id&_sort=-id&_size=2&_offset=0')).json<Body>();
  assert.deepEqual(list.items, [{ id: 'bp-zip' }, { id: 'bp-yaml' }]);
  assert.deepEqual(list.metadata.pagination, { total: 3, size: 2, offset: 0 });

  const dup = await m.call('PUT', '/api/v2/blueprints/bp-tgz', { body: tgz });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json<Body>().error_code, 'conflict_error');

  const download = await m.call('GET', '/api/v2/blueprints/bp-tgz/archive');
  assert.equal(download.statusCode, 200);
  assert.deepEqual(download.rawPayload, tgz);
  const yamlDownload = await m.call('GET', '/api/v2/blueprints/bp-yaml/archive');
  assert.equal(yamlDownload.rawPayload.readUInt32LE(0), 0x04034b50, 'a single YAML downloads as a zip');
});

test('malformed and hostile archives are refused as a whole, nothing left on disk', async () => {
  const cases: [string, Buffer, string][] = [
    ['traversal', makeTarGz({ 'app/blueprint.yaml': simpleBlueprint, 'app/../../evil.sh': 'x' }), 'invalid_blueprint_error'],
    ['absolute', makeTarGz({ '/etc/blueprint.yaml': simpleBlueprint }), 'invalid_blueprint_error'],
    ['symlink', makeTarGz({ 'blueprint.yaml': simpleBlueprint, 'link': '' }, { link: '2' }), 'invalid_blueprint_error'],
    ['truncated-gz', makeTarGz({ 'blueprint.yaml': simpleBlueprint }).subarray(0, 30), 'invalid_blueprint_error'],
    ['bad-tar', Buffer.concat([makeTar({ 'blueprint.yaml': simpleBlueprint }).subarray(0, 600), Buffer.alloc(10)]), 'invalid_blueprint_error'],
    ['no-main', makeTarGz({ 'app/other.yaml': simpleBlueprint }), 'invalid_blueprint_error'],
    ['zip-symlink', await makeZip({ 'blueprint.yaml': simpleBlueprint, 'l': '/etc/passwd' }, { l: 0o120777 }), 'invalid_blueprint_error'],
    ['bad-zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]), 'invalid_blueprint_error'],
  ];
  for (const [name, body, code] of cases) {
    const res = await m.call('PUT', `/api/v2/blueprints/bad-${name}`, { body });
    assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
    assert.equal(res.json<Body>().error_code, code, name);
    assert.equal((await m.call('GET', `/api/v2/blueprints/bad-${name}`)).statusCode, 404);
  }
  assert.deepEqual(
    readdirSync(join(m.dataDir, 'blueprints')).filter((f) => f.startsWith('bad-') || f.startsWith('.')),
    [],
  );
  const big = await m.call('PUT', '/api/v2/blueprints/bad-id!', { body: simpleBlueprint });
  assert.equal(big.json<Body>().error_code, 'bad_parameters_error');
});

test('invalid YAML: 400 invalid_blueprint_error with file:line:column diagnostics', async () => {
  const res = await m.call('PUT', '/api/v2/blueprints/broken', { body: 'node_templates:\n  vm: [unclosed\n' });
  assert.equal(res.statusCode, 400);
  const body = res.json<Body>();
  assert.equal(body.error_code, 'invalid_blueprint_error');
  assert.match(body.message, /blueprint\.yaml:\d+:\d+/);
  assert.ok(Array.isArray(body.details.diagnostics) && body.details.diagnostics.length > 0);
});

test('deployments: create, duplicate, bad inputs, outputs, list by blueprint, nodes, instances, delete rules', async () => {
  await m.call('PUT', '/api/v2/blueprints/dbp', { body: simpleBlueprint });
  const created = await m.call('PUT', '/api/v2/deployments/dep1', { json: { blueprint_id: 'dbp', inputs: { port: 9000 } } });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json<Body>().workflows.map((w: { name: string }) => w.name), ['install', 'uninstall', 'echo']);
  assert.equal((await m.call('PUT', '/api/v2/deployments/dep1', { json: { blueprint_id: 'dbp' } })).statusCode, 409);
  const missingBp = await m.call('PUT', '/api/v2/deployments/dep2', { json: { blueprint_id: 'nope' } });
  assert.equal(missingBp.statusCode, 404);
  const badInputs = await m.call('PUT', '/api/v2/deployments/dep3', { json: { blueprint_id: 'dbp', inputs: { nope: 1 } } });
  assert.equal(badInputs.statusCode, 400);
  assert.equal(badInputs.json<Body>().error_code, 'unknown_deployment_input_error');
  const notDict = await m.call('PUT', '/api/v2/deployments/dep3', { json: { blueprint_id: 'dbp', inputs: [1] } });
  assert.equal(notDict.statusCode, 400);

  const list = (await m.call('GET', '/api/v2/deployments?blueprint_id=dbp')).json<Body>();
  assert.deepEqual(list.items.map((d: { id: string }) => d.id), ['dep1']);
  const nodes = (await m.call('GET', '/api/v2/nodes?deployment_id=dep1')).json<Body>();
  assert.equal(nodes.items[0]!.id, 'vm');
  const instances = (await m.call('GET', '/api/v2/node-instances?deployment_id=dep1')).json<Body>();
  assert.equal(instances.items.length, 1);
  const ni = instances.items[0]!;
  assert.equal(ni.state, 'uninitialized');

  const patched = await m.call('PATCH', `/api/v2/node-instances/${ni.id}`, { json: { runtime_properties: { ip: '10.0.0.1' }, version: ni.version } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json<Body>().version, ni.version + 1);
  const stale = await m.call('PATCH', `/api/v2/node-instances/${ni.id}`, { json: { runtime_properties: {}, version: ni.version } });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json<Body>().error_code, 'conflict_error');
  const outputs = (await m.call('GET', '/api/v2/deployments/dep1/outputs')).json<Body>();
  assert.deepEqual(outputs, { deployment_id: 'dep1', outputs: { endpoint: 'http://10.0.0.1:8080' } });

  const bpDelete = await m.call('DELETE', '/api/v2/blueprints/dbp');
  assert.equal(bpDelete.statusCode, 400);
  assert.equal(bpDelete.json<Body>().error_code, 'dependent_exists_error');

  // A live node instance blocks deletion unless ignore_live_nodes=true.
  const { store } = m.manager.services.ctx;
  await store.nodeInstances.update(ni.id, { state: 'started' });
  const live = await m.call('DELETE', '/api/v2/deployments/dep1');
  assert.equal(live.statusCode, 400);
  assert.equal(live.json<Body>().error_code, 'dependent_exists_error');
  assert.equal((await m.call('DELETE', '/api/v2/deployments/dep1?ignore_live_nodes=true')).statusCode, 200);
  assert.equal((await m.call('GET', '/api/v2/deployments/dep1')).statusCode, 404);
  assert.equal((await m.call('GET', `/api/v2/node-instances/${ni.id}`)).statusCode, 404);
  assert.equal((await m.call('DELETE', '/api/v2/blueprints/dbp')).statusCode, 200);
  assert.equal(existsSync(join(m.dataDir, 'blueprints', 'dbp')), false);
});
