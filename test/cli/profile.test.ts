import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './capture.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('cfy init creates .cloudify and refuses a second init without -r', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfy-init-'));
  const first = await runCli(['init'], dir);
  assert.equal(first.code, 0);
  assert.match(first.stdout, /Initialization completed successfully/);
  assert.match(readFileSync(join(dir, '.cloudify', 'context'), 'utf8'), /management_ip: null/);
  const second = await runCli(['init'], dir);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /Current directory is already initialized/);
  assert.equal((await runCli(['init', '-r'], dir)).code, 0);
});

test('commands that need a manager say how to pick one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfy-nomgr-'));
  const uninitialised = await runCli(['blueprints', 'list'], dir);
  assert.equal(uninitialised.code, 1);
  assert.match(uninitialised.stderr, /Not initialized: Cannot find \.cloudify in .*, or in any of its parent directories/);
  assert.match(uninitialised.stderr, /Run 'cfy init' in this directory/);
  await runCli(['init'], dir);
  const nested = join(dir, 'a', 'b');
  mkdirSync(nested, { recursive: true });
  const noManager = await runCli(['deployments', 'list'], nested);
  assert.equal(noManager.code, 1);
  assert.match(noManager.stderr, /Must either first run 'cfy use' command/);
});

test('cfy use fails clearly when no manager answers, and saves nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfy-use-'));
  const port = await closedPort();
  const result = await runCli(['use', '-t', '127.0.0.1', '--port', String(port)], dir);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Can't use management server 127\.0\.0\.1: No response\./);
  const bad = await runCli(['use', '-t', '127.0.0.1', '--port', 'eighty'], dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--port must be a TCP port number/);
});

test('a usage error in a subcommand returns exit code 2 instead of exiting the process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfy-usage-'));
  const result = await runCli(['snapshots', 'verify'], dir);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /required option '-p, --snapshot-path <path>' not specified/);
});
