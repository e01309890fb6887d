/** parseBlueprint semantics: imports, merging, types, operations, scripts, groups. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createImportResolver,
  parseImportMapping,
  wellKnownImport,
  defaultResourcesDir,
  type Blueprint,
} from '../../src/dsl/index.js';
import { HEAD, TYPES_URL, memoryFiles, parseText } from './helpers.js';

function ok(text: string, files: Record<string, string> = {}): Blueprint {
  const { blueprint, diagnostics } = parseText(text, files);
  assert.deepEqual(
    diagnostics.map((d) => `${d.code} ${d.line} ${d.message}`),
    [],
  );
  assert.ok(blueprint);
  return blueprint;
}

test('well-known URLs map to the shipped files, for any 3.x / 1.x version', () => {
  assert.equal(
    wellKnownImport('http://www.getcloudify.org/spec/cloudify/3.3/types.yaml'),
    'cloudify/3.3/types.yaml',
  );
  assert.equal(
    wellKnownImport('http://www.getcloudify.org/spec/cloudify/3.2.1/types.yaml'),
    'cloudify/3.3/types.yaml',
  );
  assert.equal(
    wellKnownImport('https://getcloudify.org/spec/openstack-plugin/1.4/plugin.yaml'),
    'openstack-plugin/1.3/plugin.yaml',
  );
  assert.equal(
    wellKnownImport('http://www.getcloudify.org/spec/fabric-plugin/1.3/plugin.yaml'),
    'fabric-plugin/1.3/plugin.yaml',
  );
  assert.equal(
    wellKnownImport('http://www.getcloudify.org/spec/diamond-plugin/1.3/plugin.yaml'),
    'diamond-plugin/1.3/plugin.yaml',
  );
  assert.equal(wellKnownImport('http://www.getcloudify.org/spec/aws-plugin/1.3/plugin.yaml'), null);
  assert.equal(wellKnownImport('http://www.getcloudify.org/spec/cloudify/4.0/types.yaml'), null);
});

test('import mapping: exact URLs and prefixes, relative to the mapping file', () => {
  const mapping = parseImportMapping(
    'http://x.org/a.yaml: local/a.yaml\n"http://x.org/spec/": /abs/spec\n',
    '/maps/m.yaml',
  );
  assert.deepEqual(mapping, {
    'http://x.org/a.yaml': '/maps/local/a.yaml',
    'http://x.org/spec/': '/abs/spec',
  });
  const resolver = createImportResolver({
    files: memoryFiles({ '/maps/local/a.yaml': 'a', '/abs/spec/p/plugin.yaml': 'p' }),
    resourcesDir: defaultResourcesDir(),
    mapping,
  });
  assert.deepEqual(resolver.resolve('http://x.org/a.yaml', '/bp/blueprint.yaml'), {
    file: '/maps/local/a.yaml',
    text: 'a',
  });
  assert.deepEqual(resolver.resolve('http://x.org/spec/p/plugin.yaml', '/bp/blueprint.yaml'), {
    file: '/abs/spec/p/plugin.yaml',
    text: 'p',
  });
  assert.throws(() => parseImportMapping('- a\n', '/m.yaml'), /mapping/);
});

test('imports: relative to the importing file, identical redefinitions allowed, each file once', () => {
  const bp = ok(
    `${HEAD}  - types/a.yaml\n  - types/b.yaml\nnode_templates:\n  x: { type: my.A }\n  y: { type: my.B }\n`,
    {
      '/bp/types/a.yaml':
        'imports: [common.yaml]\nnode_types:\n  my.A: { derived_from: cloudify.nodes.Root }\nplugins:\n  p: { executor: host_agent }\n',
      '/bp/types/b.yaml':
        'imports: [common.yaml]\nnode_types:\n  my.B: { derived_from: my.C }\nplugins:\n  p: { executor: host_agent }\n',
      '/bp/types/common.yaml': 'node_types:\n  my.C: { derived_from: cloudify.nodes.Root }\n',
    },
  );
  assert.deepEqual(bp.nodeTemplates.find((t) => t.id === 'y')!.typeHierarchy, [
    'cloudify.nodes.Root',
    'my.C',
    'my.B',
  ]);
  assert.equal(bp.plugins.p!.executor, 'host_agent');
});

test('derived types merge properties and interfaces; templates override operations Cloudify-style', () => {
  const bp = ok(
    `${HEAD}plugins:\n  p: { executor: central_deployment_agent }\nnode_types:
  base:
    derived_from: cloudify.nodes.Root
    properties:
      a: { default: 1 }
      b: { default: x }
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: p.tasks.create
          inputs:
            size: { default: 10 }
            mode: { default: fast }
        start: p.tasks.start
  child:
    derived_from: base
    properties:
      b: { default: y }
node_templates:
  n:
    type: child
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          inputs: { size: 20 }
        start:
          implementation: p.tasks.other
          inputs: { only: here }
          executor: host_agent
        configure: p.tasks.configure
      custom.interface:
        go: p.tasks.go
    relationships:
      - { type: cloudify.relationships.contained_in, target: h }
  h: { type: cloudify.nodes.Compute }
`,
  );
  const n = bp.nodeTemplates[0]!;
  assert.deepEqual(n.properties, { a: 1, b: 'y' });
  assert.deepEqual(n.operations['cloudify.interfaces.lifecycle.create']!.inputs, {
    size: 20,
    mode: 'fast',
  });
  assert.equal(n.operations['cloudify.interfaces.lifecycle.create']!.operation, 'tasks.create');
  assert.deepEqual(n.operations['cloudify.interfaces.lifecycle.start']!.inputs, { only: 'here' });
  assert.equal(n.operations['cloudify.interfaces.lifecycle.start']!.executor, 'host_agent');
  assert.equal(n.operations['cloudify.interfaces.lifecycle.configure']!.plugin, 'p');
  assert.equal(n.operations['custom.interface.go']!.operation, 'tasks.go');
  assert.deepEqual(n.operations['cloudify.interfaces.lifecycle.stop'], {
    name: 'cloudify.interfaces.lifecycle.stop',
    operation: '',
    plugin: null,
    executor: null,
    inputs: {},
    maxRetries: null,
    retryInterval: null,
  });
});

test('script mappings become script_runner.tasks.run with script_path; Compute agent operations map to the agent plugin', () => {
  const bp = ok(
    `${HEAD}node_templates:\n  vm:\n    type: cloudify.nodes.Compute\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create:\n          implementation: scripts/create.py\n          inputs: { x: 1 }\n`,
    {
      '/bp/scripts/create.py': 'print()',
    },
  );
  const vm = bp.nodeTemplates[0]!;
  assert.deepEqual(vm.operations['cloudify.interfaces.lifecycle.create'], {
    name: 'cloudify.interfaces.lifecycle.create',
    operation: 'script_runner.tasks.run',
    plugin: 'script',
    executor: 'host_agent',
    inputs: { x: 1, script_path: 'scripts/create.py' },
    maxRetries: null,
    retryInterval: null,
  });
  const agentCreate = vm.operations['cloudify.interfaces.cloudify_agent.create']!;
  assert.deepEqual(
    [agentCreate.plugin, agentCreate.operation, agentCreate.executor],
    ['agent', 'cloudify_agent.installer.operations.create', 'central_deployment_agent'],
  );
  assert.deepEqual(vm.plugins.sort(), ['agent', 'script']);
  assert.equal(vm.hostId, 'vm');
  assert.deepEqual(Object.keys(bp.workflows), [
    'install',
    'uninstall',
    'execute_operation',
    'heal',
    'scale',
    'install_new_agents',
  ]);
  assert.deepEqual(bp.workflows.heal!.parameters.diagnose_value, {
    description: 'Diagnosed reason of failure',
    default: 'Not provided',
  });
  assert.deepEqual(bp.workflows.scale!.parameters.delta!.default, 1);
  assert.equal(bp.workflows.scale!.parameters.scale_compute!.default, true);
  assert.equal(bp.workflows.install!.plugin, 'default_workflows');
});

test('data types: nested defaults merged; YAML anchors and merge keys in dsl_definitions; groups with policies', () => {
  const bp = ok(`${HEAD}dsl_definitions:
  common: &common { region: eu, zone: a }
data_types:
  my.Inner:
    properties:
      level: { type: integer, default: 3 }
  my.Config:
    properties:
      name: { type: string }
      inner: { type: my.Inner }
      tags: { default: [] }
node_types:
  T:
    derived_from: cloudify.nodes.Root
    properties:
      config: { type: my.Config, default: { name: dflt } }
      place: { default: {} }
node_templates:
  n:
    type: T
    properties:
      config: { inner: {} }
      place:
        <<: *common
        zone: b
groups:
  g:
    members: [n]
    policies:
      p:
        type: cloudify.policies.types.host_failure
        triggers:
          t: { type: cloudify.policies.triggers.execute_workflow, parameters: { workflow: heal } }
`);
  const n = bp.nodeTemplates[0]!;
  assert.deepEqual(n.properties.config, { name: 'dflt', inner: { level: 3 }, tags: [] });
  assert.deepEqual(n.properties.place, { region: 'eu', zone: 'b' });
  const policy = bp.groups.g!.policies.p!;
  assert.equal(policy.properties.interval_between_workflows, 300);
  assert.equal(policy.triggers.t!.parameters.workflow, 'heal');
  assert.equal(policy.triggers.t!.parameters.force, false);
});

test('a 1_0 blueprint can import the shipped (1_2) types; warnings-free', () => {
  ok(
    `tosca_definitions_version: cloudify_dsl_1_0\nimports: [${TYPES_URL}]\nnode_templates:\n  vm: { type: cloudify.nodes.Compute }\n`,
  );
});
