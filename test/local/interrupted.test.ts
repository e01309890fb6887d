import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfy, isAlive, repoRoot } from './cli.js';

test('a cfy local execute killed mid-operation leaves a usable state; the next run fails the old execution and goes on', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'rk-int-'));
  const pidFile = join(cwd, 'script.pid');
  const marker = join(cwd, 'second-run');
  let scriptPid = 0;
  t.after(() => {
    if (scriptPid > 0 && isAlive(scriptPid)) process.kill(-scriptPid, 'SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });
  mkdirSync(join(cwd, 'bp', 'scripts'), { recursive: true });
  writeFileSync(
    join(cwd, 'bp', 'blueprint.yaml'),
    `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_templates:
  n:
    type: cloudify.nodes.Compute
    properties: { ip: 127.0.0.1, install_agent: false }
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/slow.sh
`,
  );
  writeFileSync(
    join(cwd, 'bp', 'scripts', 'slow.sh'),
    `#!/bin/bash\nset -e\nif [ -f ${marker} ]; then ctx instance runtime-properties done @true; exit 0; fi\necho $$ > ${pidFile}\nctx logger info "sleeping"\nsleep 60\n`,
  );
  assert.equal((await cfy(cwd, ['local', 'init', '-p', 'bp/blueprint.yaml'])).code, 0);

  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'cfy.js'), 'local', 'execute', '-w', 'install'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise((resolve) => child.once('close', resolve));
  while (!stdout.includes('INFO: sleeping')) {
    if (child.exitCode !== null) assert.fail(`cfy exited early: ${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  scriptPid = Number(readFileSync(pidFile, 'utf8').trim());
  child.kill('SIGKILL');
  await exited;
  process.kill(-scriptPid, 'SIGKILL'); // the script ran in its own process group

  writeFileSync(marker, '');
  const again = await cfy(cwd, ['local', 'execute', '-w', 'install']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(
    again.stderr,
    /Execution [0-9a-f-]+ of 'install' was interrupted earlier; marked failed/,
  );
  const [instance] = JSON.parse((await cfy(cwd, ['local', 'instances'])).stdout) as {
    state: string;
    runtime_properties: unknown;
  }[];
  assert.equal(instance?.state, 'started');
  assert.deepEqual(instance.runtime_properties, { done: true });
});

test('Ctrl-C cancels cfy local execute; a second Ctrl-C force-cancels and kills the running script', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'rk-sigint-'));
  const pidFile = join(cwd, 'script.pid');
  let scriptPid = 0;
  t.after(() => {
    if (scriptPid > 0 && isAlive(scriptPid)) process.kill(-scriptPid, 'SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });
  mkdirSync(join(cwd, 'bp', 'scripts'), { recursive: true });
  writeFileSync(
    join(cwd, 'bp', 'blueprint.yaml'),
    `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_templates:
  n:
    type: cloudify.nodes.Compute
    properties: { ip: 127.0.0.1, install_agent: false }
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/slow.sh
`,
  );
  writeFileSync(
    join(cwd, 'bp', 'scripts', 'slow.sh'),
    `#!/bin/bash\necho $$ > ${pidFile}\nctx logger info "sleeping"\nsleep 60\n`,
  );
  assert.equal((await cfy(cwd, ['local', 'init', '-p', 'bp/blueprint.yaml'])).code, 0);

  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'cfy.js'), 'local', 'execute', '-w', 'install'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const waitFor = async (check: () => boolean): Promise<void> => {
    while (!check()) {
      if (child.exitCode !== null) assert.fail(`cfy exited early: ${stdout}${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await waitFor(() => stdout.includes('INFO: sleeping'));
  scriptPid = Number(readFileSync(pidFile, 'utf8').trim());
  child.kill('SIGINT');
  await waitFor(() => stderr.includes('Cancelling the execution'));
  child.kill('SIGINT');
  assert.equal(await exited, 1);
  assert.match(stdout, /CFY <local> 'install' workflow execution cancelled$/m);
  assert.equal(isAlive(scriptPid), false, 'the script was killed');
});
