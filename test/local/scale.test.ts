import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cfy, oneScriptBlueprint } from './cli.js';

test('cfy local execute -w scale adds and removes instances, installing and uninstalling them', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'rk-scale-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  oneScriptBlueprint(
    cwd,
    'create.sh',
    '#!/bin/sh\nctx instance runtime-properties created @true\n',
  );
  const ids = async (): Promise<[string, string, unknown][]> =>
    (
      JSON.parse((await cfy(cwd, ['local', 'instances'])).stdout) as {
        id: string;
        state: string;
        runtime_properties: { created?: unknown };
      }[]
    ).map((i) => [i.id, i.state, i.runtime_properties.created]);

  assert.equal((await cfy(cwd, ['local', 'init', '-p', 'blueprint.yaml'])).code, 0);
  assert.equal((await cfy(cwd, ['local', 'execute', '-w', 'install'])).code, 0);
  const out = await cfy(cwd, ['local', 'execute', '-w', 'scale', '-p', 'node_id=n;delta=2']);
  assert.equal(out.code, 0, out.stdout + out.stderr);
  const scaled = await ids();
  assert.equal(scaled.length, 3);
  assert.ok(
    scaled.every(([, state, created]) => state === 'started' && created === true),
    JSON.stringify(scaled),
  );

  const inward = await cfy(cwd, ['local', 'execute', '-w', 'scale', '-p', 'node_id=n;delta=-2']);
  assert.equal(inward.code, 0, inward.stdout + inward.stderr);
  const left = await ids();
  assert.equal(left.length, 1);
  assert.deepEqual(
    readdirSync(join(cwd, '.cloudify', 'local-storage', 'local', 'node-instances')),
    [left[0]![0]],
  );
});
