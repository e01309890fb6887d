/** The manager-deployment dump (§1.1): tar.gz base64 of `.cloudify/bootstrap/manager`, and its extraction rules. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dumpManagerDeployment, dumpOf, extractManagerDeploymentIfNeeded, packTar } from '../../src/cli/bootstrap/index.js';
import { readTarGz } from '../../src/manager/index.js';

const base = mkdtempSync(join(tmpdir(), 'rekindle-dump-'));
after(() => rmSync(base, { recursive: true, force: true }));

function managerFolder(root: string): string {
  const dir = join(root, 'manager');
  mkdirSync(join(dir, 'node-instances'), { recursive: true });
  mkdirSync(join(dir, 'resources', 'scripts', '.git'), { recursive: true });
  writeFileSync(join(dir, 'data'), '{"format":1}');
  writeFileSync(join(dir, 'payload'), '{"manager_node_instance_id":"manager_configuration_abc12"}');
  writeFileSync(join(dir, 'lock'), '123');
  writeFileSync(join(dir, 'node-instances', 'manager_port_x1'), JSON.stringify({ runtimeProperties: { fixed_ip_address: '127.60.0.2' } }));
  writeFileSync(join(dir, 'resources', 'scripts', '.git', 'HEAD'), 'ref');
  const long = 'a'.repeat(90);
  mkdirSync(join(dir, 'resources', long), { recursive: true });
  writeFileSync(join(dir, 'resources', long, `${'b'.repeat(60)}.sh`), '#!/bin/bash\n', { mode: 0o755 });
  return dir;
}

test('a dump round-trips the manager folder without .git paths and the lock file', () => {
  const from = join(base, 'from');
  const dir = managerFolder(from);
  const dump = dumpManagerDeployment(dir);
  const target = join(base, 'to');
  mkdirSync(target);
  assert.equal(extractManagerDeploymentIfNeeded(target, dump), true);
  assert.equal(readFileSync(join(target, 'manager', 'payload'), 'utf8'), readFileSync(join(dir, 'payload'), 'utf8'));
  assert.match(readFileSync(join(target, 'manager', 'node-instances', 'manager_port_x1'), 'utf8'), /127\.60\.0\.2/);
  assert.equal(existsSync(join(target, 'manager', 'lock')), false);
  assert.equal(existsSync(join(target, 'manager', 'resources', 'scripts', '.git')), false);
  const script = join(target, 'manager', 'resources', 'a'.repeat(90), `${'b'.repeat(60)}.sh`);
  assert.equal(statSync(script).mode & 0o777, 0o755, 'long paths (ustar prefix) and modes survive');
});

test('extraction does nothing for an empty dump or when the manager folder exists', () => {
  const target = join(base, 'exists');
  mkdirSync(join(target, 'manager'), { recursive: true });
  writeFileSync(join(target, 'manager', 'data'), 'mine');
  const dump = dumpManagerDeployment(managerFolder(join(base, 'other')));
  assert.equal(extractManagerDeploymentIfNeeded(target, dump), false);
  assert.equal(readFileSync(join(target, 'manager', 'data'), 'utf8'), 'mine');
  assert.equal(extractManagerDeploymentIfNeeded(join(base, 'empty'), ''), false);
  assert.equal(existsSync(join(base, 'empty')), false);
});

test('a dump with paths outside manager/ is refused', () => {
  const evil = gzipSync(packTar([{ name: 'manager/' }, { name: 'manager/../../escape', data: Buffer.from('x') }])).toString('base64');
  const target = join(base, 'evil');
  mkdirSync(target);
  assert.throws(() => extractManagerDeploymentIfNeeded(target, evil), { code: 'manager_dump_invalid' });
  assert.equal(existsSync(join(base, 'escape')), false);
  assert.throws(() => extractManagerDeploymentIfNeeded(join(base, 'garbage'), 'bm90IGEgdGFy'), { code: 'manager_dump_invalid' });
});

test('dumpOf reads provider_context.cloudify.manager_deployment', () => {
  assert.equal(dumpOf(null), '');
  assert.equal(dumpOf({ cloudify: {} }), '');
  assert.equal(dumpOf({ cloudify: { manager_deployment: 'abc' } }), 'abc');
});

test('tar entries keep names, folders and contents', () => {
  const tar = packTar([{ name: 'manager/' }, { name: 'manager/sub/' }, { name: 'manager/x', data: Buffer.from('hello') }, { name: 'manager/empty', data: Buffer.alloc(0) }]);
  const entries = readTarGz(gzipSync(tar), { maxEntries: 10, maxBytes: 1024 });
  // The validating reader returns files (folders are re-created from their paths) and counts folders against the limit.
  assert.deepEqual(entries.map((e) => [e.path, e.data.toString()]), [['manager/x', 'hello'], ['manager/empty', '']]);
  assert.throws(() => readTarGz(gzipSync(tar), { maxEntries: 3, maxBytes: 1024 }));
});
