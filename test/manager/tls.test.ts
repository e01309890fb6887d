/** HTTPS with a self-signed certificate made by openssl (skipped, with a message, without openssl). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { fakeDeps } from './fakes.js';
import { basicAuth, cleanup, startTestManager } from './harness.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

test('serves HTTPS with --tls-cert/--tls-key; credentials still required', { skip: hasOpenssl ? false : 'openssl is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const m = await startTestManager(fakeDeps, { tlsCert: cert, tlsKey: key, port: 0 });
  const agent = new Agent({ connect: { ca: readFileSync(cert) } });
  try {
    const url = await m.manager.listen();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/api/v2/health`, { dispatcher: agent });
    assert.equal(health.status, 200);
    assert.equal((await fetch(`${url}/api/v2/status`, { dispatcher: agent })).status, 401);
    const status = await fetch(`${url}/api/v2/status`, { dispatcher: agent, headers: { authorization: basicAuth } });
    assert.equal(status.status, 200);
    await assert.rejects(fetch(`${url}/api/v2/health`), 'an unknown CA is refused by default');
  } finally {
    await agent.close();
    await m.close();
    cleanup(dir);
  }
});
