/**
 * The real `cfy-manager` process over real sockets: start, health, auth, SIGKILL in the middle
 * of an execution, restart (reconciliation), then a graceful SIGTERM stop. Processes are
 * started detached and stopped by their process group id.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restartInterruptedError } from '../../src/manager/services/executions.js';
import { adminPassword, call, cleanup, makeTarGz, waitFor, type Body } from './harness.js';

const bin = new URL('../../bin/cfy-manager.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-proc-'));
const running = new Set<ChildProcess>();

const scriptPidFile = join(dataDir, 'slow-script.pid');

after(() => {
  for (const child of running) killGroup(child, 'SIGKILL');
  // The operation's script runs in its own process group: stop it by the pid it recorded.
  if (existsSync(scriptPidFile)) {
    try {
      process.kill(Number(readFileSync(scriptPidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  cleanup(dataDir);
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the manager and resolves once it prints its URL (rejects if it exits first). */
function startManager(): Promise<Started> {
  const child = spawn(process.execPath, [bin, 'start', '--data-dir', dataDir, '--port', '0'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, REKINDLE_ADMIN_PASSWORD: adminPassword },
  });
  running.add(child);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match?.[1]) resolve({ child, url: match[1], stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`cfy-manager exited with ${code} before listening:\n${stderr}`)));
  });
}

const slowBlueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_templates:
  slow:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: scripts/slow.sh
          executor: central_deployment_agent
`;

test('cfy-manager process: health, auth, SIGKILL mid-execution, restart reconciles, SIGTERM stops cleanly', async () => {
  const first = await startManager();
  const api = `${first.url}/api/v2`;
  assert.equal((await fetch(`${api}/health`)).status, 200);
  const anonymous = await fetch(`${api}/status`);
  assert.equal(anonymous.status, 401);
  assert.equal(((await anonymous.json()) as Body).error_code, 'unauthorized_error');
  assert.equal((await call(`${api}/status`)).body.status, 'running');

  const archive = makeTarGz({ 'slow/blueprint.yaml': slowBlueprint, 'slow/scripts/slow.sh': `#!/bin/bash\necho $$ > '${scriptPidFile}'\nctx logger info "sleeping"\nexec sleep 60\n` });
  assert.equal((await call(`${api}/blueprints/slow`, 'PUT', { raw: archive })).status, 201);
  assert.equal((await call(`${api}/deployments/s1`, 'PUT', { json: { blueprint_id: 'slow' } })).status, 201);
  const started = await call(`${api}/executions`, 'POST', { json: { deployment_id: 's1', workflow_id: 'install' } });
  assert.equal(started.status, 201);
  const id = started.body.id;
  await waitFor('the script to run', async () => {
    const logs = await call(`${api}/events?execution_id=${id}&type=cloudify_log`);
    return logs.body.items.some((e) => JSON.stringify(e).includes('sleeping')) ? true : undefined;
  });
  assert.equal((await call(`${api}/executions/${id}`)).body.status, 'started');

  killGroup(first.child, 'SIGKILL');
  assert.equal(await first.exited, null);

  const second = await startManager();
  const api2 = `${second.url}/api/v2`;
  const after = (await call(`${api2}/executions/${id}`)).body;
  assert.equal(after.status, 'failed');
  assert.equal(after.error, restartInterruptedError);
  const again = await call(`${api2}/executions`, 'POST', { json: { deployment_id: 's1', workflow_id: 'uninstall' } });
  assert.equal(again.status, 201, 'the deployment is usable again');

  killGroup(second.child, 'SIGTERM');
  assert.equal(await second.exited, 0);
  assert.match(second.stderr(), /Rekindle manager stopped/);
});
