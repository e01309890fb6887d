import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../src/core/index.js';
import { WorkflowRegistry, runWorkflow, type WorkflowContext } from '../../src/workflows/index.js';
import { connectedTo, containedIn, lifecycle, model, node, op, ports } from './support.js';

const start = 'cloudify.interfaces.lifecycle.start';
const chain = model([
  node('a', { ops: lifecycle('a', ['start']), rels: [connectedTo('b', [])] }),
  node('b', { ops: lifecycle('b', ['start']), rels: [connectedTo('c', [])] }),
  node('c', { ops: lifecycle('c', ['start']) }),
]);

test('execute_operation filters instances and honours run_by_dependency_order', async () => {
  const t = ports();
  const ordered = await runWorkflow({
    model: chain,
    workflow: 'execute_operation',
    parameters: { operation: start, run_by_dependency_order: true },
    deploymentId: 'd',
    ports: t.ports,
  });
  assert.equal(ordered.error, null);
  assert.deepEqual(t.dispatcher.labels, ['c_1.start', 'b_1.start', 'a_1.start']);

  const f = ports();
  await runWorkflow({ model: chain, workflow: 'execute_operation', parameters: { operation: start, node_ids: ['a', 'c'], operation_kwargs: { x: 1 } }, deploymentId: 'd', ports: f.ports });
  assert.deepEqual(f.dispatcher.labels, ['a_1.start', 'c_1.start']);
  assert.deepEqual(f.dispatcher.calls[0]!.inputs, { x: 1 });
});

test('execute_operation rejects kwargs overriding inputs unless allowed, and unknown operations', async () => {
  const m = model([node('a', { ops: { [start]: op(start, 'a.start', { inputs: { port: 80 } }) } })]);
  const t = ports();
  const refused = await runWorkflow({ model: m, workflow: 'execute_operation', parameters: { operation: start, operation_kwargs: { port: 81 } }, deploymentId: 'd', ports: t.ports });
  assert.ok(refused.error instanceof UserError && refused.error.code === 'operation_kwargs_override_error');
  assert.equal(t.dispatcher.calls.length, 0);
  const allowed = await runWorkflow({
    model: m,
    workflow: 'execute_operation',
    parameters: { operation: start, operation_kwargs: { port: 81 }, allow_kwargs_override: true },
    deploymentId: 'd',
    ports: t.ports,
  });
  assert.equal(allowed.error, null);
  assert.deepEqual(t.dispatcher.calls[0]!.inputs, { port: 81 });
  const unknown = await runWorkflow({ model: m, workflow: 'execute_operation', parameters: { operation: 'x.y' }, deploymentId: 'd', ports: t.ports });
  assert.ok(unknown.error instanceof UserError && unknown.error.code === 'operation_not_found_error');
});

test('get_attribute in inputs is evaluated when the operation runs', async () => {
  const m = model([
    node('db', { ops: lifecycle('db', ['create']) }),
    node('app', {
      ops: { [start]: op(start, 'app.start', { inputs: { url: { concat: ['http://', { get_attribute: ['db', 'ip'] }, ':', { get_attribute: ['SELF', 'port'] }] } } }) },
      properties: { port: 8080 },
      rels: [connectedTo('db', [])],
    }),
  ]);
  const t = ports();
  t.dispatcher.behaviours.set('db.create', (inv) => t.instances.updateRuntimeProperties(inv.nodeInstanceId, { ip: '10.0.0.7' }));
  const { error } = await runWorkflow({ model: m, workflow: 'install', deploymentId: 'd', ports: t.ports });
  assert.equal(error, null);
  assert.deepEqual(t.dispatcher.calls.find((c) => c.nodeId === 'app')?.inputs, { url: 'http://10.0.0.7:8080' });
});

test('scale out installs the new instances with the rest intact; scale in uninstalls them', async () => {
  const m = model([node('vm', { compute: true }), node('app', { rels: [containedIn('vm')] }), node('lb', { rels: [connectedTo('app', ['establish', 'unlink'])] })]);
  const t = ports();
  const committed: string[][] = [];
  const out = await runWorkflow({
    model: m,
    workflow: 'scale',
    parameters: { node_id: 'app', delta: 1 },
    deploymentId: 'd',
    ports: t.ports,
    options: { commitScale: (mod) => void committed.push(mod.instances.map((i) => i.id)) },
  });
  assert.equal(out.error, null);
  const created = t.dispatcher.calls.filter((c) => c.operation.name === 'cloudify.interfaces.lifecycle.create').map((c) => c.nodeId);
  assert.deepEqual(created, ['vm', 'app'], 'scale_compute scales the host of app');
  assert.ok(t.dispatcher.calls.every((c) => !['vm_1', 'app_1'].includes(c.nodeInstanceId)), 'existing instances are intact');
  const establish = t.dispatcher.labels.filter((l) => l.includes('|establish'));
  assert.equal(establish.length, 2);
  assert.match(establish[0]!, /^lb_1->app_[0-9a-f]{5}\|establish:source$/);
  assert.equal(committed[0]!.length, 5);

  const s = ports();
  const scaled = { ...m, nodeInstances: m.nodeInstances };
  const inResult = await runWorkflow({ model: scaled, workflow: 'scale', parameters: { node_id: 'vm', delta: -1 }, deploymentId: 'd', ports: s.ports });
  assert.equal(inResult.error, null);
  assert.deepEqual(s.dispatcher.labels, ['lb_1->app_1|unlink:source', 'lb_1->app_1|unlink:target', 'app_1.stop', 'app_1.delete', 'vm_1.stop', 'vm_1.delete']);
});

test('custom workflows run from the registry with a workflow context', async () => {
  const registry = new WorkflowRegistry().register('my_plugin.workflows.restart', async (ctx: WorkflowContext) => {
    const b = ctx.newGraph();
    for (const instance of ctx.nodeInstances) b.sequence(b.operation(instance, 'cloudify.interfaces.lifecycle.stop'), b.operation(instance, start));
    ctx.logger.info(`restarting ${ctx.nodeInstances.length} instance(s), reason: ${String(ctx.parameters['reason'])}`);
    await ctx.runGraph(b);
  });
  const m = { ...model([node('a', { ops: lifecycle('a', ['start', 'stop']) })]) };
  m.workflows = { restart: { name: 'restart', operation: 'workflows.restart', plugin: 'my_plugin', parameters: { reason: { default: 'none given' } } } };
  const t = ports();
  const { error } = await runWorkflow({ model: m, workflow: 'restart', deploymentId: 'd', ports: t.ports, options: { registry } });
  assert.equal(error, null);
  assert.deepEqual(t.dispatcher.labels, ['a_1.stop', 'a_1.start']);
  assert.ok(t.sink.texts.includes('restarting 1 instance(s), reason: none given'));
  await assert.rejects(
    runWorkflow({ model: m, workflow: 'nope', deploymentId: 'd', ports: t.ports }),
    (e: unknown) => e instanceof UserError && e.code === 'nonexistent_workflow_error' && /restart/.test(e.hints.join()),
  );
  await assert.rejects(
    runWorkflow({ model: m, workflow: 'restart', deploymentId: 'd', ports: t.ports }),
    (e: unknown) => e instanceof UserError && e.code === 'nonexistent_workflow_error',
  );
  await assert.rejects(
    runWorkflow({ model: m, workflow: 'restart', parameters: { bogus: 1 }, deploymentId: 'd', ports: t.ports, options: { registry } }),
    (e: unknown) => e instanceof UserError && e.code === 'bad_parameters_error' && /unknown parameter\(s\) bogus/.test(e.message),
  );
});

test('an execution cancelled before it started ends cancelled without running anything', async () => {
  const t = ports();
  const now = new Date().toISOString();
  await t.executions.createExecution({ id: 'e1', workflowId: 'install', deploymentId: 'd', blueprintId: null, status: 'pending', error: null, parameters: {}, createdAt: now, updatedAt: now });
  await t.executions.setExecutionStatus('e1', 'cancelling');
  const { execution } = await runWorkflow({ model: chain, workflow: 'install', deploymentId: 'd', ports: t.ports, options: { executionId: 'e1' } });
  assert.equal(execution.status, 'cancelled');
  assert.equal(t.dispatcher.calls.length, 0);
});
