import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflow } from '../../src/workflows/index.js';
import { connectedTo, containedIn, lifecycle, model, node, op, ports, typeOf, withClock } from './support.js';

const relOps = (src: string, tgt: string, o: string): string[] => [`${src}->${tgt}|${o}:source`, `${src}->${tgt}|${o}:target`];

// host <- contained_in - app, db;  app - connected_to -> db
const appModel = model([
  node('host', { compute: true }),
  node('db', { rels: [containedIn('host')] }),
  node('app', { rels: [containedIn('host'), connectedTo('db')] }),
]);

test('install: per-instance order create..establish, targets before sources', async () => {
  const t = ports();
  const { execution, error } = await runWorkflow({ model: appModel, workflow: 'install', deploymentId: 'd1', ports: t.ports });
  assert.equal(error, null);
  assert.equal(execution.status, 'terminated');
  assert.deepEqual(t.dispatcher.labels, [
    'host_1.create',
    'host_1.configure',
    'host_1.start',
    'db_1.create',
    'db_1.configure',
    'db_1.start',
    'app_1.create',
    ...relOps('app_1', 'db_1', 'preconfigure'),
    'app_1.configure',
    ...relOps('app_1', 'db_1', 'postconfigure'),
    'app_1.start',
    ...relOps('app_1', 'db_1', 'establish'),
  ]);
  for (const id of ['host_1', 'db_1', 'app_1']) assert.equal(t.instances.peek(id)?.state, 'started');
  const appEvents = t.sink.events.filter((e) => typeOf(e) === 'workflow_node_event' && e.context.node_id === 'app_1').map((e) => e.message.text);
  assert.deepEqual(appEvents, ['Creating node', 'Configuring node', 'Starting node']);
  assert.equal(t.sink.texts[0], "Starting 'install' workflow execution");
  assert.equal(t.sink.texts.at(-1), "'install' workflow execution succeeded");
});

test('uninstall: per-instance order stop, unlink, delete, sources before targets', async () => {
  const t = ports();
  const { error } = await runWorkflow({ model: appModel, workflow: 'uninstall', deploymentId: 'd1', ports: t.ports });
  assert.equal(error, null);
  assert.deepEqual(t.dispatcher.labels, [
    'app_1.stop',
    ...relOps('app_1', 'db_1', 'unlink'),
    'app_1.delete',
    'db_1.stop',
    'db_1.delete',
    'host_1.stop',
    'host_1.delete',
  ]);
  for (const id of ['host_1', 'db_1', 'app_1']) assert.equal(t.instances.peek(id)?.state, 'deleted');
  const hostEvents = t.sink.events.filter((e) => typeOf(e) === 'workflow_node_event' && e.context.node_id === 'host_1').map((e) => e.message.text);
  assert.deepEqual(hostEvents, ['Stopping node', 'Deleting node']);
});

test('host steps: get_state repeats until true, agent steps only when an agent is installed', async () => {
  const agentOps = {
    ...lifecycle('vm', ['create', 'start']),
    'cloudify.interfaces.host.get_state': op('cloudify.interfaces.host.get_state', 'vm.get_state'),
    'cloudify.interfaces.cloudify_agent.create': op('cloudify.interfaces.cloudify_agent.create', 'agent.create'),
    'cloudify.interfaces.cloudify_agent.configure': op('cloudify.interfaces.cloudify_agent.configure', 'agent.configure'),
    'cloudify.interfaces.cloudify_agent.start': op('cloudify.interfaces.cloudify_agent.start', 'agent.start'),
    'cloudify.interfaces.monitoring_agent.install': op('cloudify.interfaces.monitoring_agent.install', 'monitoring.install'),
  };
  for (const [properties, expected] of [
    [{}, ['vm_1.create', 'vm_1.start', 'vm_1.get_state', 'vm_1.get_state', 'vm_1.get_state', 'vm_1.create', 'vm_1.configure', 'vm_1.start', 'vm_1.install']],
    [{ install_agent: false }, ['vm_1.create', 'vm_1.start', 'vm_1.get_state', 'vm_1.get_state', 'vm_1.get_state', 'vm_1.install']],
    [{ agent_config: { install_method: 'none' } }, ['vm_1.create', 'vm_1.start', 'vm_1.get_state', 'vm_1.get_state', 'vm_1.get_state', 'vm_1.install']],
  ] as const) {
    const t = ports();
    let polls = 0;
    t.dispatcher.behaviours.set('vm.get_state', () => ++polls >= 3);
    const m = model([node('vm', { compute: true, ops: agentOps, properties })]);
    const run = runWorkflow({ model: m, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { taskRetries: 0, taskRetryInterval: 5 } });
    const { error } = await withClock(t.clock, run);
    assert.equal(error, null);
    assert.deepEqual(t.dispatcher.labels, expected);
    const agentEvents = t.sink.texts.filter((x) => x.endsWith('Agent'));
    assert.deepEqual(agentEvents, expected.length > 6 ? ['Creating Agent', 'Configuring Agent', 'Starting Agent'] : []);
    // get_state retries do not count against task_retries = 0
    assert.deepEqual(t.dispatcher.calls.filter((c) => c.operation.operation === 'vm.get_state').map((c) => c.retryNumber), [0, 1, 2]);
  }
});

test('a node without an operation skips it silently (NOP tasks emit nothing)', async () => {
  const t = ports();
  const m = model([node('bare', { ops: { 'cloudify.interfaces.lifecycle.create': op('cloudify.interfaces.lifecycle.create', '') } })]);
  const { error } = await runWorkflow({ model: m, workflow: 'install', deploymentId: 'd', ports: t.ports });
  assert.equal(error, null);
  assert.deepEqual(t.dispatcher.labels, []);
  assert.equal(t.sink.events.filter((e) => typeOf(e) === 'sending_task').length, 0);
  assert.equal(t.instances.peek('bare_1')?.state, 'started');
});
