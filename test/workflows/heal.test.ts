import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperationRetry, UserError } from '../../src/core/index.js';
import { healSubgraph, indexModel, runWorkflow } from '../../src/workflows/index.js';
import { healedIds, managerModel } from './manager-model.js';
import { connectedTo, containedIn, node, ports, typeOf, withClock } from './support.js';

const containedInHost = () => containedIn('manager_host');

test('heal reinstalls the host subgraph: stop/unlink/delete, then create..establish', async () => {
  const m = managerModel();
  assert.deepEqual(healSubgraph(indexModel(m), 'manager_configuration_1').map((i) => i.id).sort(), [...healedIds].sort());
  const t = ports();
  let polls = 0;
  t.dispatcher.behaviours.set('nova_plugin.server.get_state', () => ++polls > 1);
  const run = runWorkflow({
    model: m,
    workflow: 'heal',
    parameters: { node_instance_id: 'manager_configuration_1' },
    deploymentId: 'manager',
    ports: t.ports,
    options: { taskRetries: 5, taskRetryInterval: 30 },
  });
  const { error, execution } = await withClock(t.clock, run);
  assert.equal(error, null);
  assert.equal(execution.status, 'terminated');
  assert.deepEqual(t.dispatcher.labels, [
    // uninstall: dependents first, the host last
    'rest_service_1.stop',
    'python_runtime_1.stop',
    'manager_configuration_1.stop',
    'rabbitmq_1.stop',
    'manager_host_1.stop',
    'manager_host_1->manager_server_ip_1|unlink:source',
    'manager_host_1->manager_port_1|unlink:source',
    'manager_host_1.delete',
    // install: the host first, relationships to the intact floating IP / port re-established
    'manager_host_1.create',
    'manager_host_1->manager_server_ip_1|postconfigure:source',
    'manager_host_1.start',
    'manager_host_1.get_state',
    'manager_host_1.get_state',
    'manager_host_1->manager_server_ip_1|establish:source',
    // independent siblings interleave (FIFO ready queue, one thread); rest_service waits for its targets
    ...['create', 'configure', 'start'].flatMap((o) => ['manager_configuration_1', 'python_runtime_1', 'rabbitmq_1'].map((id) => `${id}.${o}`)),
    'rest_service_1.create',
    'rest_service_1.configure',
    'rest_service_1.start',
  ]);
  // intact instances: no operation of their own, no state change
  const touched = new Set(t.dispatcher.calls.map((c) => c.nodeInstanceId));
  assert.deepEqual([...touched].sort(), [...healedIds].sort());
  for (const id of ['manager_port_1', 'manager_server_ip_1', 'management_keypair_1', 'management_network_1']) assert.equal(t.instances.peek(id), undefined);
  assert.equal(t.instances.peek('manager_host_1')?.state, 'started');
  // events: the first log and the node events of the host
  const log = t.sink.events.find((e) => e.type === 'cloudify_log');
  assert.equal(log?.message.text, "Starting 'heal' workflow on manager_configuration_1, Diagnosis: Not provided");
  const hostEvents = t.sink.events.filter((e) => typeOf(e) === 'workflow_node_event' && e.context.node_id === 'manager_host_1').map((e) => e.message.text);
  assert.deepEqual(hostEvents, ['Stopping node', 'Deleting node', 'Creating node', 'Configuring node', 'Starting node']);
  assert.equal(t.sink.texts.at(-1), "'heal' workflow execution succeeded");
});

test('heal: port.detach retries while the floating IP is attached (3.3 fork-join, 2 threads)', async () => {
  const t = ports();
  let floatingAttached = true;
  t.dispatcher.behaviours.set('nova_plugin.server.disconnect_floatingip', (_inv, clock) =>
    clock.sleep(5000).then(() => {
      floatingAttached = false;
    }),
  );
  t.dispatcher.behaviours.set('neutron_plugin.port.detach', () => {
    if (floatingAttached) throw new OperationRetry('Waiting for the floating ip 10.0.0.5 to detach from server abc..', 10);
    return null;
  });
  t.dispatcher.behaviours.set('nova_plugin.server.get_state', () => true);
  const run = runWorkflow({
    model: managerModel(),
    workflow: 'heal',
    parameters: { node_instance_id: 'rabbitmq_1', diagnose_value: 'manager VM died' },
    deploymentId: 'manager',
    ports: t.ports,
    options: { taskRetries: 5, threadPoolSize: 2 },
  });
  const { error } = await withClock(t.clock, run);
  assert.equal(error, null);
  const detachLines = t.sink.lines.filter((l) => l.includes('neutron_plugin.port.detach')).map((l) => l.slice(20));
  assert.deepEqual(detachLines, [
    "CFY <manager> [manager_host_1->manager_port_1|unlink] Sending task 'neutron_plugin.port.detach'",
    "CFY <manager> [manager_host_1->manager_port_1|unlink] Task started 'neutron_plugin.port.detach'",
    "CFY <manager> [manager_host_1->manager_port_1|unlink] Task rescheduled 'neutron_plugin.port.detach' -> Waiting for the floating ip 10.0.0.5 to detach from server abc.. [attempt 1/6]",
    "CFY <manager> [manager_host_1->manager_port_1|unlink] Sending task 'neutron_plugin.port.detach' [attempt 2/6]",
    "CFY <manager> [manager_host_1->manager_port_1|unlink] Task started 'neutron_plugin.port.detach' [attempt 2/6]",
    "CFY <manager> [manager_host_1->manager_port_1|unlink] Task succeeded 'neutron_plugin.port.detach' [attempt 2/6]",
  ]);
  assert.ok(t.sink.lines.some((l) => l.endsWith("LOG <manager> INFO: Starting 'heal' workflow on rabbitmq_1, Diagnosis: manager VM died")));
});

test('heal: an intact instance connected to the host is unlinked before and re-established after', async () => {
  const m = managerModel([node('monitor', { rels: [connectedTo('manager_host', ['establish', 'unlink'])] })]);
  const t = ports();
  t.dispatcher.behaviours.set('nova_plugin.server.get_state', () => true);
  const { error } = await withClock(t.clock, runWorkflow({ model: m, workflow: 'heal', parameters: { node_instance_id: 'manager_host_1' }, deploymentId: 'manager', ports: t.ports }));
  assert.equal(error, null);
  const labels = t.dispatcher.labels;
  const at = (label: string): number => labels.indexOf(label);
  const unlinks = ['monitor_1->manager_host_1|unlink:source', 'monitor_1->manager_host_1|unlink:target'];
  const establishes = ['monitor_1->manager_host_1|establish:source', 'monitor_1->manager_host_1|establish:target'];
  for (const l of [...unlinks, ...establishes]) assert.notEqual(at(l), -1, l);
  assert.ok(at(unlinks[1]!) < at('manager_host_1.stop'));
  assert.ok(at(establishes[0]!) > at('manager_host_1->manager_server_ip_1|establish:source'));
  assert.equal(labels.filter((l) => l.startsWith('monitor_1.')).length, 0);
});

test('heal of an instance without a host fails with a clear UserError', async () => {
  const t = ports();
  const { error, execution } = await runWorkflow({ model: managerModel(), workflow: 'heal', parameters: { node_instance_id: 'manager_port_1' }, deploymentId: 'manager', ports: t.ports });
  assert.ok(error instanceof UserError);
  assert.equal(error.code, 'heal_without_host_error');
  assert.match(error.message, /manager_port_1 cannot be healed: it is not contained in a host/);
  assert.equal(execution.status, 'failed');
  assert.equal(t.dispatcher.calls.length, 0);
  await assert.rejects(
    runWorkflow({ model: managerModel(), workflow: 'heal', deploymentId: 'manager', ports: t.ports }),
    (e: unknown) => e instanceof UserError && e.code === 'bad_parameters_error' && /node_instance_id/.test(e.message),
  );
});

test('heal keeps ordering through an intact instance between two healed ones', async () => {
  // x and y are both in the host; x -> gw -> lb -> y with gw and lb intact. x is listed first,
  // so only the stubs of gw and lb keep it after y. Install: y, lb's establish, then x.
  const m = managerModel([
    node('x', { rels: [containedInHost(), connectedTo('gw', [])] }),
    node('gw', { rels: [connectedTo('lb', [])] }),
    node('lb', { rels: [connectedTo('y', ['establish', 'unlink'])] }),
    node('y', { rels: [containedInHost()] }),
  ]);
  const t = ports();
  t.dispatcher.behaviours.set('nova_plugin.server.get_state', () => true);
  const { error } = await withClock(t.clock, runWorkflow({ model: m, workflow: 'heal', parameters: { node_instance_id: 'x_1' }, deploymentId: 'manager', ports: t.ports }));
  assert.equal(error, null);
  const labels = t.dispatcher.labels;
  const install = labels.indexOf('manager_host_1.create');
  const after = (l: string): number => labels.indexOf(l, install);
  assert.ok(after('y_1.start') < after('lb_1->y_1|establish:source'));
  assert.ok(after('lb_1->y_1|establish:target') < after('x_1.create'));
  const before = (l: string): number => labels.indexOf(l);
  assert.ok(before('x_1.stop') < before('lb_1->y_1|unlink:source'));
  assert.ok(before('lb_1->y_1|unlink:target') < before('y_1.stop'));
  assert.equal(labels.filter((l) => l.startsWith('lb_1.') || l.startsWith('gw_1')).length, 0);
});
