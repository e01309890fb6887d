/** Heal driven by the real 3.3 OpenStack manager blueprint fixture (parsed and planned by src/dsl + src/plan). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { seededRandom } from '../../src/core/index.js';
import { formatDiagnostic, parseBlueprintFile } from '../../src/dsl/index.js';
import type { OperationInvocation } from '../../src/engine/index.js';
import { planDeployment, type DeploymentModel } from '../../src/plan/index.js';
import { healSubgraph, indexModel, runWorkflow } from '../../src/workflows/index.js';
import { ports, withClock } from './support.js';

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'fixtures', 'cloudify-3.3');
const skip = existsSync(fixturesDir) ? false : `fixtures not found at ${fixturesDir}`;

function plannedManager(): DeploymentModel {
  const dir = join(fixturesDir, 'manager-blueprint');
  const { blueprint, diagnostics } = parseBlueprintFile(join(dir, 'openstack-manager-blueprint.yaml'));
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), []);
  const inputs = parseYaml(readFileSync(join(dir, 'openstack-manager-blueprint-inputs.yaml'), 'utf8')) as Record<string, unknown>;
  // The inputs file leaves the two keypair names commented out.
  return planDeployment(blueprint!, { ...inputs, manager_public_key_name: 'manager-kp', agent_public_key_name: 'agent-kp' }, { random: seededRandom(3) });
}

/** `node.op` or `source->target|op:side`, with node names instead of instance ids. */
function nodeLabel(c: OperationInvocation): string {
  const op = c.operation.name.split('.').pop()!;
  const r = c.relationship;
  return r === null ? `${c.nodeId}.${op}` : `${r.sourceNodeId}->${r.targetNodeId}|${op}:${r.side}`;
}

const contained = [
  'manager_configuration', 'python_runtime', 'java_runtime', 'rabbitmq', 'elasticsearch', 'logstash', 'influxdb', 'nginx',
  'riemann', 'rest_service', 'mgmt_worker', 'amqp_influx', 'webui',
];

test('heal on the real OpenStack manager blueprint reinstalls manager_host and its services', { skip }, async () => {
  const model = plannedManager();
  const instanceOf = (nodeId: string): string => model.nodeInstances.find((i) => i.nodeId === nodeId)!.id;
  const failing = instanceOf('manager_configuration');
  const affected = healSubgraph(indexModel(model), failing).map((i) => i.nodeId);
  assert.deepEqual([...affected].sort(), ['manager_host', ...contained].sort());

  const t = ports();
  const stateWrites = new Set<string>();
  const setState = t.instances.setState.bind(t.instances);
  t.ports.instances.setState = (id, state) => (stateWrites.add(id), setState(id, state));
  const run = runWorkflow({ model, workflow: 'heal', parameters: { node_instance_id: failing }, deploymentId: 'manager', ports: t.ports, options: { taskRetries: 5 } });
  const { error } = await withClock(t.clock, run);
  assert.equal(error, null);
  const labels = t.dispatcher.calls.map(nodeLabel);
  const at = (label: string): number => {
    const i = labels.indexOf(label);
    assert.notEqual(i, -1, `missing ${label}`);
    return i;
  };
  const lastAt = (label: string): number => labels.lastIndexOf(label);

  // The host's own sequence, uninstall then install, with the relationships to the intact
  // floating IP and port unlinked (floating IP first: declaration order) and re-established.
  assert.deepEqual(
    labels.filter((l) => l.startsWith('manager_host')),
    [
      'manager_host.stop',
      'manager_host->manager_server_ip|unlink:source',
      'manager_host->manager_port|unlink:source',
      'manager_host.delete',
      'manager_host.create',
      'manager_host->manager_server_ip|postconfigure:source',
      'manager_host.start',
      // no get_state: the OpenStack Server type leaves cloudify.interfaces.host.get_state empty (a NOP)
      'manager_host->manager_server_ip|establish:source',
    ],
  );
  assert.equal(t.dispatcher.calls.find((c) => nodeLabel(c) === 'manager_host->manager_port|unlink:source')?.operation.operation, 'neutron_plugin.port.detach');
  assert.equal(t.dispatcher.calls.find((c) => nodeLabel(c) === 'manager_host->manager_server_ip|unlink:source')?.operation.operation, 'nova_plugin.server.disconnect_floatingip');

  // Every service is stopped before the host stops and created after the host is up.
  for (const service of contained) {
    const stops = labels.filter((l) => l.startsWith(`${service}.`) && l.endsWith('.stop'));
    if (stops.length > 0) assert.ok(at(`${service}.stop`) < at('manager_host.stop'), `${service} stops before the host`);
    const firstInstallOp = labels.findIndex((l, i) => i > at('manager_host.create') && (l.startsWith(`${service}.`) || l.startsWith(`${service}->`)));
    assert.ok(firstInstallOp > lastAt('manager_host->manager_server_ip|establish:source'), `${service} installs after the host`);
  }
  // Targets before sources on install, reversed on uninstall (rest_service -> rabbitmq).
  const install = at('manager_host.create');
  const installIndex = (prefix: string): number => labels.findIndex((l, i) => i > install && l.startsWith(prefix));
  assert.ok(installIndex('rabbitmq.') < installIndex('rest_service.'));
  assert.ok(installIndex('elasticsearch.') < installIndex('logstash'));
  if (labels.includes('rest_service.stop') && labels.includes('rabbitmq.stop')) assert.ok(at('rest_service.stop') < at('rabbitmq.stop'));

  // Intact instances run nothing of their own and keep their state.
  const healed = new Set(['manager_host', ...contained]);
  assert.deepEqual(t.dispatcher.calls.filter((c) => !healed.has(c.nodeId)).map(nodeLabel), []);
  assert.deepEqual([...stateWrites].map((id) => model.nodeInstances.find((i) => i.id === id)!.nodeId).sort(), [...healed].sort());
  assert.equal(t.instances.peek(instanceOf('manager_host'))?.state, 'started');
  assert.equal(t.instances.peek(instanceOf('webui'))?.state, 'started');
});
