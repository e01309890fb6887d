import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NonRecoverableError,
  OperationRetry,
  RecoverableError,
  UserError,
  OperationalError,
} from '../../src/core/index.js';
import type { OperationSpec } from '../../src/plan/model.js';
import type { OperationContext } from '../../src/plugins/index.js';
import { blueprintFolder, harness, invocation, node, scriptOperation } from './helpers.js';

const never = new AbortController().signal;

function tsOperation(task: string, plugin = 'demo'): OperationSpec {
  return {
    name: 'cloudify.interfaces.lifecycle.create',
    operation: task,
    plugin,
    executor: 'central_deployment_agent',
    inputs: {},
    maxRetries: null,
    retryInterval: null,
  };
}

test('a TypeScript plugin gets ctx; runtime property changes are saved with a version check, even on failure', async (t) => {
  const bp = blueprintFolder({ 'r.txt': 'resource' });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [
    node('vm', { ip: '10.0.0.9' }, 'cloudify.nodes.Compute'),
    node('app'),
  ]);
  h.store.add('vm_1', 'vm');
  h.store.add('app_1', 'app', { a: 1 });
  let seen: OperationContext | undefined;
  h.registry.register('demo', 'ok', async (ctx, inputs) => {
    seen = ctx;
    ctx.instance.runtimeProperties.b = inputs.value;
    ctx.logger.info(`host ip ${ctx.instance.hostIp}`);
    return (await ctx.getResource('r.txt')).toString();
  });
  h.registry.register('demo', 'fails', (ctx) => {
    ctx.instance.runtimeProperties.partial = true;
    return Promise.reject(new Error('broken'));
  });
  const inv = {
    ...invocation(tsOperation('ok'), 'app', 'app_1', {
      hostId: 'vm_1',
      retryNumber: 2,
      maxRetries: 5,
    }),
    inputs: { value: 'v' },
  };
  assert.equal(await h.dispatcher.run(inv, never), 'resource');
  assert.equal(seen?.operation.retryNumber, 2);
  assert.equal(seen?.operation.maxRetries, 5);
  assert.equal(seen?.node.properties.ip, undefined);
  assert.deepEqual(h.store.instances.get('app_1')!.runtimeProperties, { a: 1, b: 'v' });
  assert.deepEqual(h.sink.logs('info'), ['host ip 10.0.0.9']);
  const log = h.sink.events[0]!;
  assert.equal(log.context.node_id, 'app_1');
  assert.equal(log.context.node_name, 'app');
  assert.equal(log.context.task_name, 'ok');
  assert.equal(log.context.operation, 'cloudify.interfaces.lifecycle.create');

  await assert.rejects(
    h.dispatcher.run(invocation(tsOperation('fails'), 'app', 'app_1'), never),
    /broken/,
  );
  assert.equal(h.store.instances.get('app_1')!.runtimeProperties.partial, true);

  // An instance changed by someone else meanwhile: the save is refused and the operation is retried.
  h.registry.register('demo', 'racy', async (ctx) => {
    await h.store.updateRuntimeProperties('app_1', { other: 'writer' });
    ctx.instance.runtimeProperties.mine = 1;
  });
  await assert.rejects(
    h.dispatcher.run(invocation(tsOperation('racy'), 'app', 'app_1'), never),
    (e: unknown) => e instanceof RecoverableError && /changed by someone else/.test(e.message),
  );
  assert.deepEqual(h.store.instances.get('app_1')!.runtimeProperties, { other: 'writer' });
});

test('ctx.operation.retry throws OperationRetry; user and operational errors are mapped', async (t) => {
  const bp = blueprintFolder({});
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  h.registry.registerPlugin('demo', {
    retry: (ctx) => Promise.resolve(ctx.operation.retry('wait', 3)),
    user: () => Promise.reject(new UserError('bad_input', 'bad input')),
    infra: () => Promise.reject(new OperationalError('cloud_down', 'cloud down')),
  });
  await assert.rejects(
    h.dispatcher.run(invocation(tsOperation('retry'), 'n', 'n_1'), never),
    (e: unknown) => e instanceof OperationRetry && e.retryAfter === 3,
  );
  await assert.rejects(
    h.dispatcher.run(invocation(tsOperation('user'), 'n', 'n_1'), never),
    (e: unknown) => e instanceof NonRecoverableError && e.message === 'bad input',
  );
  await assert.rejects(
    h.dispatcher.run(invocation(tsOperation('infra'), 'n', 'n_1'), never),
    (e: unknown) => e instanceof RecoverableError && e.message === 'cloud down',
  );
});

test('unknown plugins and tasks fail without retry, naming plugin, task and the fix; empty operations are no-ops', async (t) => {
  const bp = blueprintFolder({});
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('n')]);
  h.store.add('n_1', 'n');
  await assert.rejects(
    h.dispatcher.run(
      invocation(tsOperation('nova_plugin.server.create', 'nova'), 'n', 'n_1'),
      never,
    ),
    (e: unknown) => {
      assert.ok(e instanceof NonRecoverableError);
      assert.match(
        e.message,
        /Plugin 'nova' is not available \(operation task 'nova_plugin.server.create'\)/,
      );
      assert.match(e.message, /src\/plugins\/builtin\/nova/);
      return true;
    },
  );
  await assert.rejects(
    h.dispatcher.run(
      invocation(tsOperation('script_runner.tasks.nope', 'script'), 'n', 'n_1'),
      never,
    ),
    /Plugin 'script' has no task 'script_runner.tasks.nope'.*script_runner.tasks.run/,
  );
  const empty: OperationSpec = {
    name: 'cloudify.interfaces.lifecycle.stop',
    operation: '',
    plugin: null,
    executor: null,
    inputs: {},
    maxRetries: null,
    retryInterval: null,
  };
  assert.equal(await h.dispatcher.run(invocation(empty, 'n', 'n_1'), never), undefined);
  const diamond = { ...tsOperation('diamond_agent.tasks.add_collectors', 'diamond') };
  assert.equal(await h.dispatcher.run(invocation(diamond, 'n', 'n_1'), never), undefined);
});

test('relationship operations see source and target; both sides are saved', async (t) => {
  const bp = blueprintFolder({
    'link.sh': [
      '#!/bin/bash',
      'set -e',
      'ip=$(ctx target instance runtime-properties ip)',
      'ctx source instance runtime-properties db_ip "$ip"',
      'ctx target instance runtime-properties clients @1',
      'ctx logger info "$(ctx source node id)->$(ctx target node id) port $(ctx target node properties port)"',
      'ctx node id 2> err || ctx logger info "$(cat err)"',
    ].join('\n'),
  });
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('app'), node('db', { port: 5432 })]);
  h.store.add('app_1', 'app');
  h.store.add('db_1', 'db', { ip: '127.0.0.5' });
  const op = scriptOperation('link.sh', {}, 'cloudify.interfaces.relationship_lifecycle.establish');
  const inv = invocation(op, 'app', 'app_1', {
    relationship: {
      side: 'source',
      type: 'cloudify.relationships.connected_to',
      sourceNodeId: 'app',
      sourceNodeInstanceId: 'app_1',
      targetNodeId: 'db',
      targetNodeInstanceId: 'db_1',
    },
  });
  await h.dispatcher.run(inv, never);
  assert.deepEqual(h.store.instances.get('app_1')!.runtimeProperties, { db_ip: '127.0.0.5' });
  assert.deepEqual(h.store.instances.get('db_1')!.runtimeProperties, {
    ip: '127.0.0.5',
    clients: 1,
  });
  assert.deepEqual(h.sink.logs('info'), [
    'app->db port 5432',
    "ctx: RuntimeError: 'ctx node' is not available in relationship operations; use 'ctx source node' or 'ctx target node'",
  ]);
  assert.equal(h.sink.events[0]!.context.source_id, 'app_1');
  assert.equal(h.sink.events[0]!.context.target_id, 'db_1');
});
