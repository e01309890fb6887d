/** Cloudify 3.3 fixture blueprints parse and plan; summaries are golden (no fixture text stored). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { seededRandom, type UserError } from '../../src/core/index.js';
import { parseBlueprintFile, formatDiagnostic, type Diagnostic } from '../../src/dsl/index.js';
import { planDeployment } from '../../src/plan/index.js';
import { fixturesDir, skipFixtures } from './helpers.js';
import { assertGolden, summarize } from './golden.js';

/** The openstack inputs file leaves these two (required) inputs commented out. */
const keypairs = { manager_public_key_name: 'manager-kp', agent_public_key_name: 'agent-kp' };

function inputsFile(file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(parseYaml(readFileSync(join(fixturesDir, file), 'utf8')) as Record<string, unknown>),
    ...extra,
  };
}

const fixtures: {
  name: string;
  file: string;
  inputs: Record<string, unknown> | (() => Record<string, unknown>);
}[] = [
  {
    name: 'hello-world-openstack',
    file: 'hello-world/blueprint.yaml',
    inputs: { agent_user: 'centos', image: 'img', flavor: 'm1.small' },
  },
  {
    name: 'hello-world-singlehost',
    file: 'hello-world/singlehost-blueprint.yaml',
    inputs: { server_ip: '10.0.0.5', agent_user: 'centos', agent_private_key_path: '/k.pem' },
  },
  {
    name: 'recovery-test',
    file: 'recovery-test/blueprint.yaml',
    inputs: { image: 'img', flavor: 'm1.small' },
  },
  {
    name: 'openstack-manager',
    file: 'manager-blueprint/openstack-manager-blueprint.yaml',
    inputs: () => inputsFile('manager-blueprint/openstack-manager-blueprint-inputs.yaml', keypairs),
  },
  {
    name: 'simple-manager',
    file: 'manager-blueprint/simple-manager-blueprint.yaml',
    inputs: () => inputsFile('manager-blueprint/simple-manager-blueprint-inputs.yaml'),
  },
];

for (const f of fixtures) {
  test(`fixture ${f.file} parses and plans`, { skip: skipFixtures }, () => {
    const { blueprint, diagnostics } = parseBlueprintFile(join(fixturesDir, f.file));
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
    assert.ok(blueprint);
    const inputs = typeof f.inputs === 'function' ? f.inputs() : f.inputs;
    const model = planDeployment(blueprint, inputs, { random: seededRandom(7) });
    assert.equal(model.nodes.length, blueprint.nodeTemplates.length);
    assertGolden(`fixture-${f.name}`, summarize(model));
  });
}

test(
  'openstack manager blueprint: hosts, contained subgraph and the manager relationships',
  { skip: skipFixtures },
  () => {
    const { blueprint } = parseBlueprintFile(
      join(fixturesDir, 'manager-blueprint/openstack-manager-blueprint.yaml'),
    );
    assert.ok(blueprint);
    const inputs = inputsFile(
      'manager-blueprint/openstack-manager-blueprint-inputs.yaml',
      keypairs,
    );
    const model = planDeployment(blueprint, inputs, { random: seededRandom(1) });
    const node = (id: string) => model.nodes.find((n) => n.id === id)!;
    assert.equal(node('manager_host').hostId, 'manager_host');
    assert.equal(node('rest_service').hostId, 'manager_host');
    for (const id of [
      'manager_port',
      'manager_server_ip',
      'management_network',
      'management_keypair',
    ])
      assert.equal(node(id).hostId, null, id);
    const port = node('manager_host').relationships.find(
      (r) => r.type === 'cloudify.openstack.server_connected_to_port',
    )!;
    assert.equal(
      port.sourceOperations['cloudify.interfaces.relationship_lifecycle.unlink']!.operation,
      'neutron_plugin.port.detach',
    );
    assert.equal(
      port.sourceOperations['cloudify.interfaces.relationship_lifecycle.unlink']!.plugin,
      'openstack',
    );
    assert.equal(
      port.sourceOperations['cloudify.interfaces.relationship_lifecycle.unlink']!.executor,
      'central_deployment_agent',
    );
    const create = node('manager_host').operations['cloudify.interfaces.lifecycle.create']!;
    assert.equal(create.operation, 'nova_plugin.server.create');
    // Node template properties: get_property across nodes and the dsl_definitions anchor.
    const sg = node('agents_security_group').properties.rules as { remote_ip_prefix: string }[];
    assert.equal(sg[0]!.remote_ip_prefix, '10.67.79.0/24');
    assert.equal(
      node('manager_host').properties.management_network_name,
      'cloudify-management-network',
    );
    // A script mapping in an imported relationship type, resolved against the blueprint folder.
    const nginx = node('mgmt_worker').relationships.find((r) => r.type === 'mgmtworker_to_nginx')!;
    const post =
      nginx.targetOperations['cloudify.interfaces.relationship_lifecycle.postconfigure']!;
    assert.deepEqual(
      [post.plugin, post.operation, post.inputs.script_path],
      ['script', 'script_runner.tasks.run', 'components/manager/scripts/set_manager_private_ip.py'],
    );
    // The output keeps get_attribute for runtime.
    assert.deepEqual(model.outputs.manager_ip!.value, {
      get_attribute: ['manager_server_ip', 'floating_ip_address'],
    });
    const configuration = node('manager_configuration').properties.cloudify as {
      cloudify_agent: { env: Record<string, string> };
    };
    assert.equal(
      configuration.cloudify_agent.env.OPENSTACK_CONFIG_PATH,
      '/etc/cloudify/openstack_plugin/openstack_config.json',
    );
  },
);

test(
  'openstack manager blueprint without the keypair inputs: every missing input at once',
  { skip: skipFixtures },
  () => {
    const { blueprint } = parseBlueprintFile(
      join(fixturesDir, 'manager-blueprint/openstack-manager-blueprint.yaml'),
    );
    assert.ok(blueprint);
    assert.throws(
      () =>
        planDeployment(
          blueprint,
          inputsFile('manager-blueprint/openstack-manager-blueprint-inputs.yaml'),
        ),
      (e: UserError) => {
        assert.equal(e.code, 'missing_required_deployment_input_error');
        const diagnostics = e.details.diagnostics as Diagnostic[];
        assert.deepEqual(diagnostics.map((d) => d.path).sort(), [
          'inputs.agent_public_key_name',
          'inputs.manager_public_key_name',
        ]);
        return true;
      },
    );
  },
);

test(
  'aws-ec2 manager blueprint fails with a clear unresolvable-import error',
  { skip: skipFixtures },
  () => {
    const { diagnostics } = parseBlueprintFile(
      join(fixturesDir, 'manager-blueprint/aws-ec2-manager-blueprint.yaml'),
    );
    const imp = diagnostics.find((d) => d.code === 'unresolvable_import');
    assert.ok(imp, diagnostics.map(formatDiagnostic).join('\n'));
    assert.match(
      imp.message,
      /http:\/\/www\.getcloudify\.org\/spec\/aws-plugin\/1\.3\/plugin\.yaml/,
    );
    assert.match(imp.message, /--import-mapping/);
    assert.equal(imp.line, 5);
  },
);
