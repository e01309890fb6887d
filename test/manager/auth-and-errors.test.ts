import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeDeps } from './fakes.js';
import { basicAuth, cleanup, startTestManager, type Body, type TestManager } from './harness.js';

let m: TestManager;
before(async () => {
  m = await startTestManager(fakeDeps);
});
after(async () => {
  await m.close();
});

test('health check needs no credentials; everything else does (401 unauthorized_error)', async () => {
  const health = await m.manager.app.inject({ method: 'GET', url: '/api/v2/health' });
  assert.equal(health.statusCode, 200);
  assert.equal((await m.manager.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  for (const headers of [{}, { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` }, { authorization: 'Bearer x' }, { 'authentication-token': 'nope' }]) {
    const res = await m.manager.app.inject({ method: 'GET', url: '/api/v2/blueprints', headers });
    assert.equal(res.statusCode, 401, JSON.stringify(headers));
    const body = res.json<Body>();
    assert.equal(body.error_code, 'unauthorized_error');
    assert.equal(typeof body.message, 'string');
    assert.ok('server_traceback' in body);
  }
  const unknownUser = await m.manager.app.inject({
    method: 'GET', url: '/api/v2/status', headers: { authorization: `Basic ${Buffer.from('bob:test-admin-password').toString('base64')}` },
  });
  assert.equal(unknownUser.statusCode, 401);
});

test('a token from GET /tokens authenticates through Authentication-Token', async () => {
  const res = await m.call('GET', '/api/v2/tokens');
  assert.equal(res.statusCode, 200);
  const { value } = res.json<{ value: string }>();
  assert.ok(value.length >= 20);
  const status = await m.manager.app.inject({ method: 'GET', url: '/api/v2/status', headers: { 'authentication-token': value } });
  assert.equal(status.statusCode, 200);
  assert.equal(status.json<Body>().status, 'running');
  const names = status.json<Body>().services.map((s: { display_name: string }) => s.display_name);
  assert.deepEqual(names, ['REST service', 'Storage', 'Message broker', 'Workflow executor']);
});

test('version, provider context create/update/conflict, plugins list, openapi', async () => {
  const version = (await m.call('GET', '/api/v2/version')).json<{ version: string; build: string }>();
  assert.match(version.version, /^\d+\.\d+\.\d+/);
  assert.equal(typeof version.build, 'string');
  assert.equal((await m.call('GET', '/api/v2/provider/context')).statusCode, 404);
  const created = await m.call('POST', '/api/v2/provider/context', { json: { name: 'p', context: { a: 1 } } });
  assert.equal(created.statusCode, 201);
  assert.deepEqual(created.json<Body>(), { status: 'ok' });
  assert.equal((await m.call('POST', '/api/v2/provider/context', { json: { name: 'p', context: {} } })).json<Body>().error_code, 'conflict_error');
  const updated = await m.call('POST', '/api/v2/provider/context?update=true', { json: { name: 'p2', context: { b: 2 } } });
  assert.equal(updated.statusCode, 200);
  assert.deepEqual((await m.call('GET', '/api/v2/provider/context')).json<Body>(), { name: 'p2', context: { b: 2 } });
  const plugins = (await m.call('GET', '/api/v2/plugins')).json<Body>();
  assert.deepEqual(plugins, { items: [], metadata: { pagination: { total: 0, size: 1000, offset: 0 } } });
  const openapi = await m.call('GET', '/api/v2/openapi.json');
  assert.equal(openapi.statusCode, 200);
  assert.ok(openapi.json<Body>().paths['/api/v2/executions'], 'executions documented');
});

test('error codes: 404 unknown ids and routes, 415 wrong content type, 405, 400 bad body', async () => {
  for (const url of ['/api/v2/blueprints/nope', '/api/v2/deployments/nope', '/api/v2/executions/nope', '/api/v2/node-instances/nope', '/api/v2/nothing-here']) {
    const res = await m.call('GET', url);
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json<Body>().error_code, 'not_found_error', url);
  }
  const wrongType = await m.call('POST', '/api/v2/executions', {
    body: JSON.stringify({ deployment_id: 'd', workflow_id: 'install' }), headers: { 'content-type': 'text/plain' },
  });
  assert.equal(wrongType.statusCode, 415);
  assert.equal(wrongType.json<Body>().error_code, 'unsupported_content_type_error');
  const noType = await m.call('PUT', '/api/v2/deployments/d1', { body: Buffer.from('{}') });
  assert.equal(noType.statusCode, 415);
  const wrongMethod = await m.call('DELETE', '/api/v2/executions/some-id');
  assert.equal(wrongMethod.statusCode, 405);
  assert.equal(wrongMethod.json<Body>().error_code, 'method_not_allowed_error');
  assert.equal(wrongMethod.headers.allow, 'GET, POST, PATCH');
  const post = await m.call('POST', '/api/v2/events', { json: {} });
  assert.equal(post.statusCode, 405);
  assert.equal(post.json<Body>().error_code, 'method_not_allowed_error');
  const missing = await m.call('POST', '/api/v2/executions', { json: { workflow_id: 'install' } });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json<Body>().error_code, 'bad_parameters_error');
  const badJson = await m.call('POST', '/api/v2/executions', { body: '{nope', headers: { 'content-type': 'application/json' } });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json<Body>().error_code, 'bad_parameters_error');
  const badInclude = await m.call('GET', '/api/v2/blueprints?_include=id,bogus');
  assert.equal(badInclude.statusCode, 400);
  assert.equal(badInclude.json<Body>().error_code, 'no_such_include_field_error');
  const badSize = await m.call('GET', '/api/v2/blueprints?_size=-1');
  assert.equal(badSize.json<Body>().error_code, 'bad_parameters_error');
});

test('first start: generated admin password printed once and written with mode 0600', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-admin-'));
  const announced: string[] = [];
  try {
    const { createManager } = await import('../../src/manager/app.js');
    const { defaultManagerDeps } = await import('../../src/manager/wiring.js');
    const manager = await createManager(
      { dataDir, logToStderr: false },
      { ...fakeDeps, openStore: defaultManagerDeps().openStore, announce: (s) => announced.push(s) },
    );
    assert.equal(manager.admin.source, 'generated');
    const file = join(dataDir, 'admin-password');
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const password = readFileSync(file, 'utf8').trim();
    assert.equal(announced.length, 1);
    assert.ok(announced[0]!.includes(password));
    const ok = await manager.app.inject({
      method: 'GET', url: '/api/v2/status', headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
    });
    assert.equal(ok.statusCode, 200);
    const old = await manager.app.inject({ method: 'GET', url: '/api/v2/status', headers: { authorization: basicAuth } });
    assert.equal(old.statusCode, 401);
    assert.ok(existsSync(join(dataDir, 'logs', 'manager.log')));
    await manager.close();
  } finally {
    cleanup(dataDir);
  }
});
