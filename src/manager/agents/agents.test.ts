import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentInstallMethod } from './agent-plugin.js';
import { readBlueprintResources } from './context-dispatcher.js';
import { combineUserData } from './openstack-user-data.js';

const dir = mkdtempSync(join(tmpdir(), 'rekindle-agents-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('blueprint resources are sent up to the cap; the rest is listed as omitted', () => {
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'blueprint.yaml'), 'x'.repeat(10));
  writeFileSync(join(dir, 'scripts', 'a.sh'), 'echo a');
  writeFileSync(join(dir, 'scripts', 'b.bin'), Buffer.alloc(100));
  const { resources, omittedResources } = readBlueprintResources(dir, 50);
  assert.deepEqual(Object.keys(resources).sort(), ['blueprint.yaml', 'scripts/a.sh']);
  assert.equal(Buffer.from(resources['scripts/a.sh'] ?? '', 'base64').toString(), 'echo a');
  assert.deepEqual(omittedResources, ['scripts/b.bin']);
});

test('install method: agent_config, deprecated cloudify_agent, install_agent false, default remote', () => {
  assert.equal(agentInstallMethod({ agent_config: { install_method: 'init_script' } }), 'init_script');
  assert.equal(agentInstallMethod({ cloudify_agent: { install_method: 'provided' } }), 'provided');
  assert.equal(agentInstallMethod({ install_agent: false, agent_config: { install_method: 'init_script' } }), 'none');
  assert.equal(agentInstallMethod({}), 'remote');
  assert.equal(agentInstallMethod({ install_agent: true, agent_config: { install_method: 'init_script' } }), 'init_script');
});

test('user data: the agent script comes first; a user shell script follows without its #! line', () => {
  assert.equal(combineUserData('#!/bin/sh\nagent', undefined), '#!/bin/sh\nagent');
  assert.equal(combineUserData('#!/bin/sh\nagent', '#!/bin/bash\necho user\n'), '#!/bin/sh\nagent\n# user data of the blueprint\necho user\n');
});
