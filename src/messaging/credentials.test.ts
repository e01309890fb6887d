import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../core/index.js';
import { InMemoryAgentRegistry, issueAgentCredentials } from './agent-registry.js';
import { hashSecret, verifySecret } from './credentials.js';
import { mosquittoAclFile, mosquittoPasswordFile } from './mosquitto-config.js';

test('scrypt hashes verify the right secret only', async () => {
  const hash = await hashSecret('s3cret', { N: 1024 });
  assert.match(hash, /^scrypt\$1024\$8\$1\$/);
  assert.equal(await verifySecret('s3cret', hash), true);
  assert.equal(await verifySecret('s3cret!', hash), false);
  assert.equal(await verifySecret('s3cret', 'garbage'), false);
  assert.equal(await verifySecret('s3cret', 'scrypt$x$8$1$AA==$AA=='), false);
});

test('issued credentials are stored as hashes only; a second issue needs replace', async () => {
  const registry = new InMemoryAgentRegistry();
  const credentials = await issueAgentCredentials(registry, 'vm_1', { hostId: 'vm_1', scrypt: { N: 1024 } });
  assert.equal(credentials.username, 'vm_1');
  const record = (await registry.get('vm_1'))!;
  assert.ok(!JSON.stringify(record).includes(credentials.password));
  assert.equal(await verifySecret(credentials.password, record.credentialHash), true);
  assert.match(record.brokerPasswordHash!, /^\$7\$101\$/);
  await assert.rejects(issueAgentCredentials(registry, 'vm_1'), (e: unknown) => e instanceof UserError && e.code === 'conflict_error');
  const rotated = await issueAgentCredentials(registry, 'vm_1', { replace: true, scrypt: { N: 1024 } });
  assert.equal(await verifySecret(credentials.password, (await registry.get('vm_1'))!.credentialHash), false);
  assert.equal(await verifySecret(rotated.password, (await registry.get('vm_1'))!.credentialHash), true);
});

test('mosquitto files: one password line per agent plus the manager; ACL by user name pattern', async () => {
  const registry = new InMemoryAgentRegistry();
  await issueAgentCredentials(registry, 'vm_1', { scrypt: { N: 1024 } });
  await issueAgentCredentials(registry, 'vm_2', { scrypt: { N: 1024 } });
  const lines = (await mosquittoPasswordFile(registry, 'm')).trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(':')[0]), ['rekindle-manager', 'vm_1', 'vm_2']);
  const acl = mosquittoAclFile();
  assert.match(acl, /^pattern read rekindle\/agents\/%u\/tasks$/m);
  assert.doesNotMatch(acl, /pattern (read|readwrite) rekindle\/agents\/%u\/results/);
});
