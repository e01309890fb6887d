/**
 * Serving the UI: `/` and client-side routes answer index.html without credentials, hashed
 * assets get a long cache, `/api/...` keeps its authentication and its JSON 404, and an unbuilt
 * UI answers a message saying how to build it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastify from 'fastify';
import { startTestManager, type TestManager } from '../manager/harness.js';
import { fakeParser, fakePlanner, fakeRunner } from '../manager/fakes.js';
import { defaultWebRoot, isWebUiRequest, notBuiltMessage, serveWebUi } from '../../src/web/index.js';
import { requireBuiltUi } from './harness.js';

let m: TestManager;

before(async () => {
  requireBuiltUi();
  m = await startTestManager({ parser: fakeParser, planner: fakePlanner, runner: fakeRunner() });
});

after(async () => {
  await m?.close();
});

test('the page, client-side routes and assets are public; the API is not', async () => {
  const { app } = m.manager;
  for (const url of ['/', '/deployments/web-1', '/snapshots?x=1']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /^text\/html/, url);
    assert.match(res.body, /<div id="root"><\/div>/, url);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
  }
  const asset = readdirSync(join(defaultWebRoot, 'assets')).find((f) => f.endsWith('.js'));
  assert.ok(asset, 'a built script');
  const js = await app.inject({ method: 'GET', url: `/assets/${asset}` });
  assert.equal(js.statusCode, 200);
  assert.match(js.headers['content-type'] as string, /javascript/);
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  const status = await app.inject({ method: 'GET', url: '/api/v2/status' });
  assert.equal(status.statusCode, 401);
  assert.equal(status.json<{ error_code: string }>().error_code, 'unauthorized_error');
  assert.equal((await app.inject({ method: 'GET', url: '/api/v2/nothing-here' })).statusCode, 401, 'unknown API paths still need credentials');
  const missing = await m.call('GET', '/api/v2/nothing-here');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json<{ error_code: string }>().error_code, 'not_found_error');
  const traversal = await app.inject({ method: 'GET', url: '/assets/..%2f..%2fpackage.json' });
  assert.doesNotMatch(traversal.body, /"name": "rekindle"/);
});

test('only GET/HEAD outside /api/ is public', () => {
  assert.equal(isWebUiRequest('GET', '/'), true);
  assert.equal(isWebUiRequest('HEAD', '/assets/x.js'), true);
  assert.equal(isWebUiRequest('POST', '/'), false);
  assert.equal(isWebUiRequest('GET', '/api/v2/blueprints'), false);
  assert.equal(isWebUiRequest('GET', '/api'), false);
});

test('an unbuilt UI says how to build it; /api paths still 404', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rekindle-noweb-'));
  const app = fastify();
  try {
    await app.register(serveWebUi, { root });
    app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error_code: 'not_found_error' }));
    for (const url of ['/', '/blueprints']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 503, url);
      assert.equal(res.body.trim(), notBuiltMessage);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/v2/x' })).statusCode, 404);
  } finally {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a built root serves its files; a missing file falls back to the page', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rekindle-web-root-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<html>page</html>');
  writeFileSync(join(root, 'assets', 'a-123.css'), 'body{}');
  writeFileSync(join(root, 'favicon.txt'), 'icon');
  const app = fastify();
  try {
    await app.register(serveWebUi, { root });
    const css = await app.inject({ method: 'GET', url: '/assets/a-123.css' });
    assert.equal(css.body, 'body{}');
    assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
    const plain = await app.inject({ method: 'GET', url: '/favicon.txt' });
    assert.equal(plain.body, 'icon');
    assert.equal(plain.headers['cache-control'], 'no-cache');
    assert.equal((await app.inject({ method: 'GET', url: '/assets/missing.js' })).body, '<html>page</html>');
  } finally {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  }
});
