import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfy, isAlive, oneScriptBlueprint, startCfy } from './cli.js';

/** A work folder removed after the test, with the script's process group killed if still alive. */
function workspace(
  t: { after(fn: () => void): void },
  prefix: string,
): { cwd: string; pidFile: string; scriptPid: () => number } {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  const pidFile = join(cwd, 'script.pid');
  let pid = 0;
  const scriptPid = (): number => (pid = Number(readFileSync(pidFile, 'utf8').trim()));
  t.after(() => {
    if (pid > 0 && isAlive(pid)) process.kill(-pid, 'SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  });
  return { cwd, pidFile, scriptPid };
}

test('a cfy local execute killed mid-operation leaves a usable state; the next run fails the old execution and goes on', async (t) => {
  const { cwd, pidFile, scriptPid } = workspace(t, 'rk-int-');
  const marker = join(cwd, 'second-run');
  oneScriptBlueprint(
    join(cwd, 'bp'),
    'slow.sh',
    `#!/bin/bash\nset -e\nif [ -f ${marker} ]; then ctx instance runtime-properties done @true; exit 0; fi\necho $$ > ${pidFile}\nctx logger info "sleeping"\nsleep 60\n`,
  );
  assert.equal((await cfy(cwd, ['local', 'init', '-p', 'bp/blueprint.yaml'])).code, 0);

  const run = startCfy(cwd, ['local', 'execute', '-w', 'install']);
  await run.until(() => run.stdout().includes('INFO: sleeping'));
  const pid = scriptPid();
  run.child.kill('SIGKILL');
  await run.exited;
  process.kill(-pid, 'SIGKILL'); // the script ran in its own process group

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
  const { cwd, pidFile, scriptPid } = workspace(t, 'rk-sigint-');
  oneScriptBlueprint(
    join(cwd, 'bp'),
    'slow.sh',
    `#!/bin/bash\necho $$ > ${pidFile}\nctx logger info "sleeping"\nsleep 60\n`,
  );
  assert.equal((await cfy(cwd, ['local', 'init', '-p', 'bp/blueprint.yaml'])).code, 0);

  const run = startCfy(cwd, ['local', 'execute', '-w', 'install']);
  await run.until(() => run.stdout().includes('INFO: sleeping'));
  const pid = scriptPid();
  run.child.kill('SIGINT');
  await run.until(() => run.stderr().includes('Cancelling the execution'));
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 1);
  assert.match(run.stdout(), /CFY <local> 'install' workflow execution cancelled$/m);
  assert.equal(isAlive(pid), false, 'the script was killed');
});
