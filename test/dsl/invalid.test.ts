/**
 * Invalid blueprints: each case names the diagnostic code it must produce and marks the line
 * it must point at with `#<`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAD, TYPES_URL, markedLine, parseText } from './helpers.js';

interface Case {
  name: string;
  yaml: string;
  code: string;
  files?: Record<string, string>;
  /** File the diagnostic is in. @default /bp/blueprint.yaml */
  file?: string;
  /** Text holding the `#<` marker. @default yaml */
  marked?: string;
}

const node = (body: string): string => `${HEAD}node_templates:\n${body}`;

const cases: Case[] = [
  {
    name: 'YAML syntax error',
    code: 'yaml_syntax',
    yaml: `${HEAD}node_templates:\n  a: b: c #<\n`,
  },
  {
    name: 'missing tosca_definitions_version',
    code: 'missing_tosca_version',
    yaml: `node_templates: {} #<\n`,
  },
  {
    name: 'unknown tosca_definitions_version',
    code: 'unknown_tosca_version',
    yaml: `tosca_definitions_version: cloudify_dsl_9_9 #<\n`,
  },
  { name: 'unknown top-level key', code: 'unknown_key', yaml: `${HEAD}node_templatez: {} #<\n` },
  {
    name: 'unknown key in a node template',
    code: 'unknown_key',
    yaml: node(`  vm:\n    type: cloudify.nodes.Compute\n    propertys: {} #<\n`),
  },
  {
    name: 'unknown node type',
    code: 'unknown_type',
    yaml: node(`  vm:\n    type: cloudify.nodes.Computer #<\n`),
  },
  {
    name: 'derived_from an unknown type',
    code: 'unknown_type',
    yaml: `${HEAD}node_types:\n  my.T:\n    derived_from: my.Missing #<\n`,
  },
  {
    name: 'derived_from cycle',
    code: 'derived_from_cycle',
    yaml: `${HEAD}node_types:\n  my.A:\n    derived_from: my.B\n  my.B:\n    derived_from: my.A #<\n`,
  },
  {
    name: 'missing required property',
    code: 'missing_required_property',
    yaml: `${HEAD}node_types:\n  my.T:\n    derived_from: cloudify.nodes.Root\n    properties:\n      size: { type: integer }\nnode_templates:\n  a:\n    type: my.T\n    properties: {} #<\n`,
  },
  {
    name: 'bad property type',
    code: 'bad_property_type',
    yaml: `${HEAD}node_types:\n  my.T:\n    derived_from: cloudify.nodes.Root\n    properties:\n      size: { type: integer, default: 1 }\nnode_templates:\n  a:\n    type: my.T\n    properties:\n      size: big #<\n`,
  },
  {
    name: 'unknown property',
    code: 'unknown_property',
    yaml: node(
      `  web:\n    type: cloudify.nodes.WebServer\n    properties:\n      colour: red #<\n`,
    ),
  },
  {
    name: 'more than one contained_in',
    code: 'multiple_contained_in',
    yaml: node(
      `  h1: { type: cloudify.nodes.Compute }\n  h2: { type: cloudify.nodes.Compute }\n  app:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - { type: cloudify.relationships.contained_in, target: h1 }\n      - { type: cloudify.relationships.contained_in, target: h2 } #<\n`,
    ),
  },
  {
    name: 'contained_in cycle',
    code: 'contained_in_cycle',
    yaml: node(
      `  a:\n    type: cloudify.nodes.SoftwareComponent\n    relationships: #<\n      - { type: cloudify.relationships.contained_in, target: b }\n  b:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - { type: cloudify.relationships.contained_in, target: a }\n`,
    ),
  },
  {
    name: 'relationship target missing',
    code: 'relationship_target_missing',
    yaml: node(
      `  app:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - type: cloudify.relationships.contained_in\n        target: nowhere #<\n`,
    ),
  },
  {
    name: 'unknown relationship type',
    code: 'unknown_type',
    yaml: node(
      `  h: { type: cloudify.nodes.Compute }\n  app:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - type: cloudify.relationships.hosted_on #<\n        target: h\n`,
    ),
  },
  {
    name: 'relationship without target',
    code: 'relationship_missing_field',
    yaml: node(
      `  app:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - type: cloudify.relationships.depends_on #<\n`,
    ),
  },
  {
    name: 'operation mapped to an undeclared plugin',
    code: 'undeclared_plugin',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create: nova_plugin.server.create #<\n`,
    ),
  },
  {
    name: 'script file missing',
    code: 'script_not_found',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create: scripts/missing.sh #<\n`,
    ),
  },
  {
    name: 'script mapping without the script plugin',
    code: 'script_plugin_missing',
    files: { '/bp/run.sh': 'echo' },
    yaml: `tosca_definitions_version: cloudify_dsl_1_3\nnode_types:\n  T:\n    interfaces:\n      i:\n        op: run.sh #<\nnode_templates:\n  a: { type: T }\n`,
  },
  {
    name: 'host_agent operation on a node without host',
    code: 'host_agent_without_host',
    files: { '/bp/run.sh': 'echo' },
    yaml: node(
      `  ip:\n    type: cloudify.nodes.VirtualIP\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create: run.sh #<\n`,
    ),
  },
  {
    name: 'bad executor',
    code: 'bad_executor',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create:\n          implementation: agent.x.y\n          executor: somewhere #<\n`,
    ),
  },
  {
    name: 'plugin with a bad executor',
    code: 'bad_executor',
    yaml: `${HEAD}plugins:\n  p:\n    executor: everywhere #<\n`,
  },
  {
    name: 'operation input without a value',
    code: 'operation_input_missing',
    yaml: `${HEAD}node_types:\n  T:\n    derived_from: cloudify.nodes.Root\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create:\n          implementation: agent.x.y\n          inputs:\n            needed: { description: no default }\nnode_templates:\n  a:\n    type: T\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create: #<\n          inputs: {}\n`,
  },
  {
    name: 'get_input with a list',
    code: 'bad_function',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    properties:\n      ip: { get_input: [a, b] } #<\n`,
    ),
  },
  {
    name: 'get_input of an undeclared input',
    code: 'unknown_input',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    properties:\n      ip: { get_input: nope } #<\n`,
    ),
  },
  {
    name: 'get_property of a missing node',
    code: 'bad_function',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    properties:\n      ip: { get_property: [ghost, ip] } #<\n`,
    ),
  },
  {
    name: 'get_property with too few arguments',
    code: 'bad_function',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    properties:\n      ip: { get_property: [SELF] } #<\n`,
    ),
  },
  {
    name: 'get_property of a missing property',
    code: 'property_path_missing',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    properties:\n      ip: { get_property: [SELF, os_family, deeper] } #<\n`,
    ),
  },
  {
    name: 'get_property cycle',
    code: 'function_cycle',
    yaml: node(
      `  a:\n    type: cloudify.nodes.WebServer\n    properties:\n      port: { get_property: [b, port] }\n  b:\n    type: cloudify.nodes.WebServer\n    properties:\n      port: { get_property: [a, port] } #<\n`,
    ),
  },
  {
    name: 'SELF in outputs',
    code: 'bad_function',
    yaml: `${HEAD}outputs:\n  o:\n    value: { get_property: [SELF, ip] } #<\n`,
  },
  {
    name: 'SELF in a relationship',
    code: 'bad_function',
    yaml: node(
      `  h: { type: cloudify.nodes.Compute }\n  app:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - type: cloudify.relationships.contained_in\n        target: h\n        source_interfaces:\n          cloudify.interfaces.relationship_lifecycle:\n            establish:\n              implementation: agent.x.y\n              inputs:\n                v: { get_property: [SELF, x] } #<\n`,
    ),
  },
  {
    name: 'concat of a non-list',
    code: 'bad_function',
    yaml: `${HEAD}outputs:\n  o:\n    value: { concat: abc } #<\n`,
  },
  {
    name: 'get_attribute of a missing node',
    code: 'bad_function',
    yaml: `${HEAD}outputs:\n  o:\n    value: { get_attribute: [ghost, ip] } #<\n`,
  },
  {
    name: 'bad connection_type',
    code: 'bad_connection_type',
    yaml: node(
      `  h: { type: cloudify.nodes.Compute }\n  app:\n    type: cloudify.nodes.SoftwareComponent\n    relationships:\n      - type: cloudify.relationships.connected_to\n        target: h\n        properties:\n          connection_type: one_to_many #<\n`,
    ),
  },
  {
    name: 'negative instances.deploy',
    code: 'bad_instances',
    yaml: node(`  vm:\n    type: cloudify.nodes.Compute\n    instances:\n      deploy: -1 #<\n`),
  },
  {
    name: 'non-integer instances.deploy',
    code: 'bad_instances',
    yaml: node(`  vm:\n    type: cloudify.nodes.Compute\n    instances:\n      deploy: two #<\n`),
  },
  {
    name: 'unknown key under instances',
    code: 'unknown_key',
    yaml: node(`  vm:\n    type: cloudify.nodes.Compute\n    instances:\n      scale: 2 #<\n`),
  },
  {
    name: 'group member missing',
    code: 'group_member_missing',
    yaml: `${HEAD}node_templates:\n  vm: { type: cloudify.nodes.Compute }\ngroups:\n  g:\n    members:\n      - vm\n      - ghost #<\n`,
  },
  {
    name: 'group policy of an unknown type',
    code: 'unknown_type',
    yaml: `${HEAD}node_templates:\n  vm: { type: cloudify.nodes.Compute }\ngroups:\n  g:\n    members: [vm]\n    policies:\n      p:\n        type: my.policy #<\n`,
  },
  {
    name: 'policy target is not a group',
    code: 'group_member_missing',
    yaml: `${HEAD}node_templates:\n  vm: { type: cloudify.nodes.Compute }\npolicies:\n  scale:\n    type: cloudify.policies.scaling\n    targets: [vm] #<\n`,
  },
  {
    name: 'workflow mapped to an undeclared plugin',
    code: 'undeclared_plugin',
    yaml: `${HEAD}workflows:\n  custom: my_plugin.workflows.run #<\n`,
  },
  {
    name: 'workflow mapping without a module',
    code: 'bad_value',
    yaml: `${HEAD}workflows:\n  custom:\n    mapping: justaname #<\n`,
  },
  {
    name: 'unresolvable import URL',
    code: 'unresolvable_import',
    yaml: `tosca_definitions_version: cloudify_dsl_1_3\nimports:\n  - http://example.com/plugin.yaml #<\n`,
  },
  {
    name: 'missing relative import',
    code: 'unresolvable_import',
    yaml: `tosca_definitions_version: cloudify_dsl_1_3\nimports:\n  - ${TYPES_URL}\n  - types/missing.yaml #<\n`,
  },
  {
    name: 'conflicting import definitions',
    code: 'import_conflict',
    file: '/bp/b.yaml',
    files: {
      '/bp/a.yaml': 'plugins:\n  p: { executor: host_agent }\n',
      '/bp/b.yaml': 'plugins:\n  p: { executor: central_deployment_agent } #<\n',
    },
    marked: 'plugins:\n  p: { executor: central_deployment_agent } #<\n',
    yaml: `tosca_definitions_version: cloudify_dsl_1_3\nimports:\n  - a.yaml\n  - b.yaml\n`,
  },
  {
    name: 'data_types before cloudify_dsl_1_2',
    code: 'feature_needs_newer_version',
    yaml: `tosca_definitions_version: cloudify_dsl_1_0\ndata_types: {} #<\n`,
  },
  {
    name: 'max_retries before cloudify_dsl_1_3',
    code: 'feature_needs_newer_version',
    yaml: `tosca_definitions_version: cloudify_dsl_1_2\nimports: [${TYPES_URL}]\nnode_templates:\n  vm:\n    type: cloudify.nodes.Compute\n    interfaces:\n      cloudify.interfaces.lifecycle:\n        create:\n          implementation: agent.x.y\n          max_retries: 3 #<\n`,
  },
  {
    name: 'property of an unknown type',
    code: 'unknown_type',
    yaml: `${HEAD}node_types:\n  T:\n    properties:\n      p:\n        type: my.datatype #<\n`,
  },
  {
    name: 'data type field of the wrong type',
    code: 'bad_property_type',
    yaml: node(
      `  vm:\n    type: cloudify.nodes.Compute\n    properties:\n      agent_config:\n        install_method: remote\n        port: twenty-two #<\n`,
    ),
  },
  {
    name: 'data type missing a required field',
    code: 'missing_required_property',
    yaml: `${HEAD}data_types:\n  my.Endpoint:\n    properties:\n      host: { type: string }\n      port: { type: integer, default: 80 }\nnode_types:\n  T:\n    derived_from: cloudify.nodes.Root\n    properties:\n      endpoint: { type: my.Endpoint }\nnode_templates:\n  a:\n    type: T\n    properties:\n      endpoint: #<\n        port: 8080\n`,
  },
  {
    name: 'input of an unknown type',
    code: 'unknown_type',
    yaml: `${HEAD}inputs:\n  i:\n    type: list #<\n`,
  },
  {
    name: 'output without a value',
    code: 'missing_required_property',
    yaml: `${HEAD}outputs:\n  o: #<\n    description: nothing\n`,
  },
  {
    name: 'node_templates is a list',
    code: 'not_a_mapping',
    yaml: `${HEAD}node_templates: #<\n  - vm\n`,
  },
  {
    name: 'relationships is not a list',
    code: 'bad_value',
    yaml: node(`  vm:\n    type: cloudify.nodes.Compute\n    relationships: {} #<\n`),
  },
];

for (const c of cases) {
  test(`invalid blueprint: ${c.name} -> ${c.code}`, () => {
    const { diagnostics } = parseText(c.yaml, c.files);
    const line = markedLine(c.marked ?? c.yaml);
    const file = c.file ?? '/bp/blueprint.yaml';
    const found = diagnostics.find((d) => d.code === c.code && d.file === file);
    assert.ok(
      found,
      `expected ${c.code} in ${file}; got:\n${diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`).join('\n')}`,
    );
    assert.equal(found.line, line, `line of ${c.code}: ${found.message}`);
    assert.equal(found.severity, 'error');
    assert.ok(found.message.length > 10);
  });
}

test('there are at least 40 invalid-blueprint cases', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

test('every problem is reported at once', () => {
  const { diagnostics } = parseText(
    node(
      `  a:\n    type: nope.A\n  b:\n    type: nope.B\n  c:\n    type: cloudify.nodes.Compute\n    properties: { ip: { get_input: missing } }\n`,
    ),
  );
  assert.deepEqual(diagnostics.map((d) => d.code).sort(), [
    'unknown_input',
    'unknown_type',
    'unknown_type',
  ]);
});
