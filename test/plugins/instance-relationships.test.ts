import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OperationSpec } from '../../src/plan/model.js';
import type { OperationContext } from '../../src/plugins/index.js';
import { blueprintFolder, harness, invocation, node } from './helpers.js';

const never = new AbortController().signal;
const create: OperationSpec = {
  name: 'cloudify.interfaces.lifecycle.create',
  operation: 'rel.check',
  plugin: 'demo',
  executor: 'central_deployment_agent',
  inputs: {},
  maxRetries: null,
  retryInterval: null,
};

test('ctx.instance.relationships exposes each target node and instance; target changes are saved', async (t) => {
  const bp = blueprintFolder({});
  t.after(() => bp.cleanup());
  const server = node('server');
  server.relationships.push({
    type: 'cloudify.openstack.server_connected_to_port',
    typeHierarchy: ['cloudify.openstack.server_connected_to_port', 'cloudify.relationships.connected_to', 'cloudify.relationships.depends_on'],
    targetId: 'port',
    properties: {},
    sourceOperations: {},
    targetOperations: {},
    connectionType: 'all_to_all',
  });
  const h = harness(bp.dir, [server, node('port', { fixed_ip: '' })]);
  h.store.add('server_1', 'server');
  h.store.add('port_1', 'port', { external_id: 'p-1' });
  let seen: OperationContext | undefined;
  h.registry.register('demo', 'rel.check', (ctx) => {
    seen = ctx;
    const port = ctx.instance.relationships?.[0]?.target;
    if (port) port.instance.runtimeProperties.attached_to = ctx.instance.id;
    return Promise.resolve();
  });
  await h.dispatcher.run(
    invocation(create, 'server', 'server_1', {
      instanceRelationships: [{ type: 'cloudify.openstack.server_connected_to_port', targetId: 'port_1', targetName: 'port' }],
    }),
    never,
  );
  const rel = seen?.instance.relationships?.[0];
  assert.equal(rel?.type, 'cloudify.openstack.server_connected_to_port');
  assert.ok(rel?.typeHierarchy.includes('cloudify.relationships.connected_to'));
  assert.equal(rel?.target.node.id, 'port');
  assert.equal(rel?.target.instance.id, 'port_1');
  assert.deepEqual(h.store.instances.get('port_1')!.runtimeProperties, { external_id: 'p-1', attached_to: 'server_1' });
});

test('without relationships in the invocation, ctx.instance.relationships is absent', async (t) => {
  const bp = blueprintFolder({});
  t.after(() => bp.cleanup());
  const h = harness(bp.dir, [node('vm')]);
  h.store.add('vm_1', 'vm');
  let seen: OperationContext | undefined;
  h.registry.register('demo', 'rel.check', (ctx) => {
    seen = ctx;
    return Promise.resolve();
  });
  await h.dispatcher.run(invocation(create, 'vm', 'vm_1'), never);
  assert.equal(seen?.instance.relationships, undefined);
});
