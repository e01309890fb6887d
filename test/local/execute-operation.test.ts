import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfy, repoRoot } from './cli.js';

const helloPy = join(
  repoRoot,
  '..',
  'shared',
  'fixtures',
  'cloudify-3.3',
  'recovery-test',
  'scripts',
  'hello.py',
);

const blueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_types:
  greeting_host:
    derived_from: cloudify.nodes.Compute
    interfaces:
      cloudify.interfaces.greet:
        hello: scripts/hello.py
        fail: scripts/fail.sh
node_templates:
  host:
    type: greeting_host
    properties:
      ip: 127.0.0.1
      install_agent: false
`;

test(
  "execute_operation runs the recovery-test fixture's hello.py, which sets greet=hello",
  { skip: existsSync(helloPy) ? false : `fixture ${helloPy} is absent` },
  async (t) => {
    const cwd = mkdtempSync(join(tmpdir(), 'rk-eo-'));
    t.after(() => rmSync(cwd, { recursive: true, force: true }));
    mkdirSync(join(cwd, 'bp', 'scripts'), { recursive: true });
    writeFileSync(join(cwd, 'bp', 'blueprint.yaml'), blueprint);
    writeFileSync(join(cwd, 'bp', 'scripts', 'hello.py'), readFileSync(helloPy));
    writeFileSync(
      join(cwd, 'bp', 'scripts', 'fail.sh'),
      '#!/bin/bash\necho "cannot greet" >&2\nexit 4\n',
    );

    assert.equal((await cfy(cwd, ['local', 'init', '-p', 'bp/blueprint.yaml'])).code, 0);
    const run = await cfy(cwd, [
      'local',
      'execute',
      '-w',
      'execute_operation',
      '-p',
      'operation=cloudify.interfaces.greet.hello',
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /\[host_[0-9a-f]{5}\.hello\] Task succeeded 'script_runner.tasks.run'/,
    );
    const instances = JSON.parse((await cfy(cwd, ['local', 'instances'])).stdout) as {
      runtime_properties: Record<string, unknown>;
    }[];
    assert.deepEqual(
      instances.map((i) => i.runtime_properties),
      [{ greet: 'hello' }],
    );

    // A failing script fails the execution: exit status 1, its exit code and stderr in the events.
    const failed = await cfy(cwd, [
      'local',
      'execute',
      '-w',
      'execute_operation',
      '-p',
      'operation=cloudify.interfaces.greet.fail',
      '--task-retries',
      '1',
      '--task-retry-interval',
      '0',
    ]);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /LOG <local> \[host_[0-9a-f]{5}\.fail\] ERROR: cannot greet/);
    assert.match(
      failed.stdout,
      /Task failed 'script_runner.tasks.run' -> Script 'scripts\/fail.sh' failed with exit code 4; stderr \(last lines\): cannot greet \[attempt 1\/2\]$/m,
    );
    assert.match(
      failed.stdout,
      /Task failed 'script_runner.tasks.run' -> .*exit code 4.* \[attempt 2\/2\]$/m,
    );
    assert.match(failed.stdout, /'execute_operation' workflow execution failed/);
  },
);
