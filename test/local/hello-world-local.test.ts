import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfy, freePort, isAlive, repoRoot } from './cli.js';

const blueprint = join(repoRoot, 'examples', 'hello-world-local', 'blueprint.yaml');

test('hello-world-local: cfy local init/execute install serves the page; uninstall leaves no process behind', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'rk-hw-'));
  let pid = 0;
  t.after(() => {
    if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });
  const port = await freePort();

  const missing = await cfy(cwd, ['local', 'outputs']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No local deployment state .*\n.*cfy local init -p BLUEPRINT_FILE/);

  const init = await cfy(cwd, [
    'local',
    'init',
    '-p',
    blueprint,
    '-i',
    `webserver_port=${port}`,
    '--install-plugins',
  ]);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /^Initiated /);
  assert.match(init.stderr, /--install-plugins is ignored/);

  const install = await cfy(cwd, ['local', 'execute', '-w', 'install']);
  assert.equal(install.code, 0, install.stdout + install.stderr);
  assert.match(
    install.stdout,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CFY <local> Starting 'install' workflow execution$/m,
  );
  assert.match(
    install.stdout,
    /LOG <local> \[http_web_server_[0-9a-f]{5}\.start\] INFO: Server is up \(pid \d+\)\./,
  );
  assert.match(install.stdout, /CFY <local> 'install' workflow execution succeeded$/m);

  const instances = await cfy(cwd, ['local', 'instances', '--node-id', 'http_web_server']);
  assert.equal(instances.code, 0, instances.stderr);
  const [web] = JSON.parse(instances.stdout) as {
    id: string;
    state: string;
    runtime_properties: { pid: number; root: string };
  }[];
  assert.equal(web?.state, 'started');
  pid = web.runtime_properties.pid;
  assert.equal(typeof pid, 'number');
  assert.ok(isAlive(pid));

  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  assert.match(page, /<h1>Hello, World!<\/h1>/);
  assert.match(
    page,
    new RegExp(`Served by node instance ${web.id} of deployment local on port ${port}\\.`),
  );

  const outputs = await cfy(cwd, ['local', 'outputs']);
  assert.deepEqual(JSON.parse(outputs.stdout), {
    http_endpoint: `http://127.0.0.1:${port}`,
    server_pid: pid,
  });

  const uninstall = await cfy(cwd, ['local', 'execute', '-w', 'uninstall']);
  assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
  assert.match(uninstall.stdout, /INFO: Shutting down the web server \(pid \d+\)/);
  assert.equal(isAlive(pid), false, `web server pid ${pid} is still running after uninstall`);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
});
