/** `cfy recover`: the 3.3 validation order (force, then snapshot path) before anything else happens. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/capture.js';
import { forceRequiredMessage, snapshotPathRequiredMessage, validateRecoverFlags } from '../../src/cli/commands/recover.js';

const dir = mkdtempSync(join(tmpdir(), 'rekindle-recover-validation-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('without -f, recover asks for confirmation first, even without a snapshot path', async () => {
  const run = await runCli(['recover'], dir);
  assert.equal(run.code, 1);
  assert.equal(run.stderr.split('\n')[0], forceRequiredMessage);
});

test('with -f but no snapshot path, recover asks for the snapshot path', async () => {
  const run = await runCli(['recover', '-f'], dir);
  assert.equal(run.code, 1);
  assert.equal(run.stderr.split('\n')[0], snapshotPathRequiredMessage);
});

test('a snapshot path that is not a file is refused before the working directory is read', async () => {
  const run = await runCli(['recover', '-f', '-s', join(dir, 'missing.zip')], dir);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Snapshot file not found: .*missing\.zip/);
});

test('with -f and a file, recover needs an initialized directory (no manager deployment here)', async () => {
  const file = join(dir, 'snap.zip');
  writeFileSync(file, 'not a zip');
  const run = await runCli(['recover', '-f', '--snapshot-path', file], dir);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Not initialized: Cannot find \.cloudify/);
});

test('validateRecoverFlags keeps the reference order', () => {
  assert.throws(() => validateRecoverFlags({ force: false }), { message: forceRequiredMessage });
  assert.throws(() => validateRecoverFlags({ force: false, snapshotPath: 'x' }), { message: forceRequiredMessage });
  assert.throws(() => validateRecoverFlags({ force: true }), { message: snapshotPathRequiredMessage });
  assert.throws(() => validateRecoverFlags({ force: true, snapshotPath: '' }), { message: snapshotPathRequiredMessage });
});

test('teardown without -f asks for confirmation', async () => {
  const run = await runCli(['teardown'], dir);
  assert.equal(run.code, 1);
  assert.equal(run.stderr.split('\n')[0], forceRequiredMessage);
});
