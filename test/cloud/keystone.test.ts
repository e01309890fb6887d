import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Api, passwordAuth, startCloud, type Started, list, text } from './helpers.js';

let started: Started;
let api: Api;
let now = Date.parse('2026-01-01T00:00:00Z');

before(async () => {
  started = await startCloud('127.101.0.0/24', { tokenTtlSeconds: 60 }, { now: () => now });
  api = await Api.login(started.cloud);
});
after(() => started.stop());

test('GET / answers 300 with a v3 version document in versions.values', async () => {
  const reply = await api.call('GET', `${started.cloud.url}/`, undefined, {});
  assert.equal(reply.status, 300);
  const v3 = reply.body.versions.values[0];
  assert.equal(v3.status, 'stable');
  assert.equal(v3.links[0].href, `${started.cloud.urls.identity}/`);
});

test('password auth returns 201, the token only in X-Subject-Token, and a catalog with compute and network', async () => {
  const reply = await api.call(
    'POST',
    `${started.cloud.urls.identity}/auth/tokens`,
    passwordAuth('admin', 'admin'),
    {},
  );
  assert.equal(reply.status, 201);
  const token = reply.headers.get('x-subject-token');
  assert.ok(token && token.length > 20);
  assert.ok(!JSON.stringify(reply.body).includes(token));
  const body = reply.body.token;
  for (const key of [
    'methods',
    'user',
    'audit_ids',
    'issued_at',
    'expires_at',
    'project',
    'roles',
    'catalog',
    'is_domain',
  ])
    assert.ok(key in body, key);
  assert.match(text(body.expires_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const types = list(body.catalog)
    .map((c: { type: string }) => c.type)
    .sort();
  assert.deepEqual(types, ['compute', 'identity', 'network']);
  const compute = list(body.catalog).find((c: { type: string }) => c.type === 'compute');
  const publicEndpoint = list(compute.endpoints).find(
    (e: { interface: string }) => e.interface === 'public',
  );
  assert.equal(publicEndpoint.url, started.cloud.urls.compute);
  assert.equal(publicEndpoint.region, publicEndpoint.region_id);
  assert.ok(reply.headers.get('x-openstack-request-id')?.startsWith('req-'));
});

test('?nocatalog omits the catalog', async () => {
  const reply = await api.call(
    'POST',
    `${started.cloud.urls.identity}/auth/tokens?nocatalog`,
    passwordAuth('admin', 'admin'),
    {},
  );
  assert.equal(reply.status, 201);
  assert.equal(reply.body.token.catalog, undefined);
});

test('a wrong password is 401 with the Keystone error body and WWW-Authenticate', async () => {
  const reply = await api.call(
    'POST',
    `${started.cloud.urls.identity}/auth/tokens`,
    passwordAuth('admin', 'nope'),
    {},
  );
  assert.equal(reply.status, 401);
  assert.deepEqual(reply.body, {
    error: {
      code: 401,
      title: 'Unauthorized',
      message: 'The request you have made requires authentication.',
    },
  });
  assert.equal(
    reply.headers.get('www-authenticate'),
    `Keystone uri="${started.cloud.urls.identity}"`,
  );
});

test('a body without auth is 400', async () => {
  const reply = await api.call(
    'POST',
    `${started.cloud.urls.identity}/auth/tokens`,
    { nope: 1 },
    {},
  );
  assert.equal(reply.status, 400);
  assert.equal(reply.body.error.code, 400);
});

test('GET and HEAD validate a token; DELETE revokes it; then 404 Could not find token', async () => {
  const other = await Api.login(started.cloud);
  const headers = { 'x-auth-token': api.token, 'x-subject-token': other.token };
  const shown = await api.call(
    'GET',
    `${started.cloud.urls.identity}/auth/tokens`,
    undefined,
    headers,
  );
  assert.equal(shown.status, 200);
  assert.equal(shown.headers.get('x-subject-token'), other.token);
  assert.equal(shown.body.token.user.name, 'admin');
  const head = await api.call(
    'HEAD',
    `${started.cloud.urls.identity}/auth/tokens`,
    undefined,
    headers,
  );
  assert.equal(head.status, 200);
  assert.equal(
    (await api.call('DELETE', `${started.cloud.urls.identity}/auth/tokens`, undefined, headers))
      .status,
    204,
  );
  const gone = await api.call(
    'GET',
    `${started.cloud.urls.identity}/auth/tokens`,
    undefined,
    headers,
  );
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.message, `Could not find token: ${other.token}.`);
  const missing = await api.call('GET', `${started.cloud.urls.identity}/auth/tokens`, undefined, {
    'x-auth-token': api.token,
  });
  assert.equal(missing.body.error.message, 'No token in the request');
});

test('Nova and Neutron answer 401 in the Keystone shape for missing, unknown and expired tokens', async () => {
  const none = await api.call('GET', `${started.cloud.urls.compute}/servers`, undefined, {});
  assert.equal(none.status, 401);
  assert.equal(none.body.error.title, 'Unauthorized');
  assert.ok(none.headers.get('www-authenticate'));
  const unknown = await api.call('GET', `${started.cloud.urls.network}v2.0/networks`, undefined, {
    'x-auth-token': 'bogus',
  });
  assert.equal(unknown.status, 401);
  const fresh = await Api.login(started.cloud);
  assert.equal((await fresh.neutron('GET', '/networks')).status, 200);
  now += 61_000;
  const expired = await fresh.neutron('GET', '/networks');
  assert.equal(expired.status, 401);
  api = await Api.login(started.cloud);
});

test('version documents need no token', async () => {
  const compute = await api.call('GET', `${started.cloud.url}/compute/`, undefined, {});
  assert.equal(compute.status, 200);
  assert.equal(compute.body.versions[0].id, 'v2.1');
  assert.equal(compute.body.versions[0].min_version, '2.1');
  const network = await api.call('GET', `${started.cloud.url}/network/`, undefined, {});
  assert.equal(network.status, 200);
  assert.equal(network.body.versions[0].id, 'v2.0');
});
