/** planDeployment: instances, hosts, relationships, inputs; runtime functions; scale; graph. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, type UserError } from '../../src/core/index.js';
import type { Blueprint, Diagnostic } from '../../src/dsl/index.js';
import {
  DeploymentGraph,
  evaluateOutputs,
  evaluateRuntimeFunctions,
  findOperation,
  planDeployment,
  planScale,
} from '../../src/plan/index.js';
import { HEAD, parseText } from './helpers.js';

function blueprintOf(text: string): Blueprint {
  const { blueprint, diagnostics } = parseText(text);
  assert.deepEqual(diagnostics, []);
  assert.ok(blueprint);
  return blueprint;
}

const TIERS = `${HEAD}inputs:
  name: { type: string }
  count: { type: integer, default: 2 }
node_templates:
  host:
    type: cloudify.nodes.Compute
    instances: { deploy: 2 }
  app:
    type: cloudify.nodes.ApplicationServer
    instances: { deploy: 3 }
    properties: {}
    relationships:
      - { type: cloudify.relationships.contained_in, target: host }
      - { type: cloudify.relationships.connected_to, target: db, properties: { connection_type: all_to_one } }
  module:
    type: cloudify.nodes.ApplicationModule
    relationships:
      - { type: cloudify.relationships.contained_in, target: app }
  db:
    type: cloudify.nodes.DBMS
    instances: { deploy: 2 }
  lb:
    type: cloudify.nodes.LoadBalancer
    relationships:
      - { type: cloudify.relationships.connected_to, target: app }
outputs:
  db_ip: { value: { get_attribute: [db, ip] } }
  url: { value: { concat: ['http://', { get_input: name }, ':', { get_attribute: [lb, port] }] } }
`;

test('instances multiply through contained_in (N x M) and get their host', () => {
  const model = planDeployment(blueprintOf(TIERS), { name: 'shop' }, { random: seededRandom(5) });
  const of = (node: string) => model.nodeInstances.filter((i) => i.nodeId === node);
  assert.equal(of('host').length, 2);
  assert.equal(of('app').length, 6);
  assert.equal(of('module').length, 6);
  assert.equal(of('db').length, 2);
  const hosts = new Set(of('host').map((i) => i.id));
  for (const i of [...of('app'), ...of('module')])
    assert.ok(hosts.has(i.hostId!), `${i.id} host ${i.hostId}`);
  for (const h of of('host')) {
    assert.equal(h.hostId, h.id);
    assert.equal(of('app').filter((a) => a.relationships[0]!.targetId === h.id).length, 3);
  }
  for (const i of [...of('db'), ...of('lb')]) assert.equal(i.hostId, null);
  for (const i of model.nodeInstances) assert.match(i.id, new RegExp(`^${i.nodeId}_[0-9a-f]{5}$`));
  assert.equal(new Set(model.nodeInstances.map((i) => i.id)).size, model.nodeInstances.length);
});

test('all_to_all connects to every target instance, all_to_one to a single one', () => {
  const model = planDeployment(blueprintOf(TIERS), { name: 'shop' }, { random: seededRandom(5) });
  const lb = model.nodeInstances.find((i) => i.nodeId === 'lb')!;
  assert.equal(lb.relationships.length, 6);
  assert.ok(
    lb.relationships.every(
      (r) => r.targetName === 'app' && r.type === 'cloudify.relationships.connected_to',
    ),
  );
  const dbTargets = new Set(
    model.nodeInstances.filter((i) => i.nodeId === 'app').map((i) => i.relationships[1]!.targetId),
  );
  assert.equal(dbTargets.size, 1);
});

test('same seed, same plan; other seed, other ids', () => {
  const bp = blueprintOf(TIERS);
  const a = planDeployment(bp, { name: 'x' }, { random: seededRandom(9) });
  const b = planDeployment(bp, { name: 'x' }, { random: seededRandom(9) });
  const c = planDeployment(bp, { name: 'x' }, { random: seededRandom(10) });
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.nodeInstances.map((i) => i.id),
    c.nodeInstances.map((i) => i.id),
  );
});

test('input problems are reported together: missing, unknown, wrong type', () => {
  assert.throws(
    () => planDeployment(blueprintOf(TIERS), { count: 'two', extra: 1 }),
    (e: UserError) => {
      assert.equal(e.code, 'missing_required_deployment_input_error');
      const codes = (e.details.diagnostics as Diagnostic[]).map((d) => d.code).sort();
      assert.deepEqual(codes, [
        'bad_input_type',
        'missing_required_input',
        'undeclared_input_value',
      ]);
      return true;
    },
  );
  assert.throws(() => planDeployment(blueprintOf(TIERS), { name: 'a', other: 1 }), {
    code: 'unknown_deployment_input_error',
  });
  assert.throws(() => planDeployment(blueprintOf(TIERS), { name: 5 }), {
    code: 'deployment_input_type_error',
  });
});

test('get_property chains across nodes, nested paths and list indices; concat joins', () => {
  const model = planDeployment(
    blueprintOf(`${HEAD}inputs:
  port: { default: 8080 }
node_types:
  T:
    derived_from: cloudify.nodes.Root
    properties:
      settings: { default: { ports: [22, 80] } }
      copy: { default: '' }
      label: { default: '' }
node_templates:
  a:
    type: T
    properties:
      settings: { ports: [{ get_input: port }, 443], nested: { deep: yes } }
  b:
    type: T
    properties:
      copy: { get_property: [a, settings, ports, 0] }
      label: { concat: [{ get_property: [SELF, copy] }, '/', { get_property: [a, settings, nested, deep] }, '/', 1.5] }
  c:
    type: T
    properties:
      copy: { get_property: [b, label] }
`),
    {},
    { random: seededRandom(1) },
  );
  const props = (id: string) => model.nodes.find((n) => n.id === id)!.properties;
  assert.equal(props('b').copy, 8080);
  assert.equal(props('b').label, '8080/True/1.5');
  assert.equal(props('c').copy, '8080/True/1.5');
  assert.deepEqual(props('a').settings, { ports: [8080, 443], nested: { deep: true } });
});

test('runtime functions: get_attribute reads runtime properties, then node properties', () => {
  const model = planDeployment(blueprintOf(TIERS), { name: 'shop' }, { random: seededRandom(5) });
  const db = model.nodeInstances.filter((i) => i.nodeId === 'db');
  const app = model.nodeInstances.find((i) => i.nodeId === 'app')!;
  const lb = model.nodeInstances.find((i) => i.nodeId === 'lb')!;
  const runtime: Record<string, Record<string, unknown>> = {
    [db[0]!.id]: { ip: '10.0.0.1' },
    [db[1]!.id]: { ip: '10.0.0.2' },
    [lb.id]: { port: 80 },
    [app.id]: { ports: [1, 2] },
  };
  const lookup = (id: string) => runtime[id];
  // SELF, nested path with a list index
  assert.equal(
    evaluateRuntimeFunctions(
      { get_attribute: ['SELF', 'ports', 1] },
      { model, lookup, self: app.id },
    ),
    2,
  );
  // Several db instances: the one the app instance is connected to.
  const chosen = app.relationships.find((r) => r.targetName === 'db')!.targetId;
  assert.equal(
    evaluateRuntimeFunctions({ get_attribute: ['db', 'ip'] }, { model, lookup, self: app.id }),
    runtime[chosen]!.ip,
  );
  // SOURCE / TARGET, falling back to node properties when no runtime property exists.
  const host = model.nodeInstances.find((i) => i.id === app.hostId)!;
  assert.equal(
    evaluateRuntimeFunctions(
      { get_attribute: ['TARGET', 'os_family'] },
      { model, lookup, source: app.id, target: host.id },
    ),
    'linux',
  );
  assert.equal(
    evaluateRuntimeFunctions(
      { get_attribute: ['SOURCE', 'missing'] },
      { model, lookup, source: app.id, target: host.id },
    ),
    null,
  );
  // Ambiguous without context.
  assert.throws(
    () => evaluateRuntimeFunctions({ get_attribute: ['db', 'ip'] }, { model, lookup }),
    { code: 'function_evaluation_error' },
  );
  assert.throws(
    () => evaluateRuntimeFunctions({ get_attribute: ['SELF', 'ip'] }, { model, lookup }),
    { code: 'function_evaluation_error' },
  );
  // Outputs: concat around get_attribute.
  assert.throws(() => evaluateOutputs(model, lookup), { code: 'function_evaluation_error' });
  const single = { ...model, outputs: { url: model.outputs.url! } };
  assert.deepEqual(evaluateOutputs(single, lookup), { url: 'http://shop:80' });
});

test('planScale adds contained instances and relationships, removes newest with contained ones', () => {
  const model = planDeployment(blueprintOf(TIERS), { name: 'shop' }, { random: seededRandom(5) });
  const out = planScale(model, model.nodeInstances, {
    nodeId: 'host',
    delta: 1,
    random: seededRandom(6),
  });
  assert.deepEqual(out.added.map((i) => i.nodeId).sort(), [
    'app',
    'app',
    'app',
    'host',
    'module',
    'module',
    'module',
  ]);
  const newHost = out.added.find((i) => i.nodeId === 'host')!;
  assert.ok(out.added.filter((i) => i.nodeId !== 'host').every((i) => i.hostId === newHost.id));
  // New apps connect to the db instance existing apps use (all_to_one).
  const existingDb = model.nodeInstances.find((i) => i.nodeId === 'app')!.relationships[1]!
    .targetId;
  assert.ok(
    out.added
      .filter((i) => i.nodeId === 'app')
      .every((i) => i.relationships[1]!.targetId === existingDb),
  );
  // The load balancer (all_to_all) gains the three new apps.
  assert.equal(out.extended.length, 1);
  assert.equal(out.extended[0]!.instance.nodeId, 'lb');
  assert.equal(out.extended[0]!.relationships.length, 3);
  assert.equal(out.instances.length, model.nodeInstances.length + 7);
  // Scale in from the new state: the newest host goes with its apps and modules.
  const back = planScale(model, out.instances, { nodeId: 'host', delta: -1 });
  assert.deepEqual(new Set(back.removed.map((i) => i.id)), new Set(out.added.map((i) => i.id)));
  assert.equal(back.removed.at(-1)!.nodeId, 'host', 'contained instances are removed first');
  assert.equal(back.reduced[0]!.instance.nodeId, 'lb');
  assert.equal(back.instances.find((i) => i.nodeId === 'lb')!.relationships.length, 6);
  assert.throws(() => planScale(model, model.nodeInstances, { nodeId: 'host', delta: -3 }), {
    code: 'bad_parameters_error',
  });
  assert.throws(() => planScale(model, model.nodeInstances, { nodeId: 'nope', delta: 1 }), {
    code: 'not_found_error',
  });
  // A contained node scales per container instance.
  const apps = planScale(model, model.nodeInstances, {
    nodeId: 'app',
    delta: 1,
    random: seededRandom(8),
  });
  assert.equal(apps.added.filter((i) => i.nodeId === 'app').length, 2);
});

test('DeploymentGraph: contained subgraph, incoming relationships; findOperation short names', () => {
  const model = planDeployment(blueprintOf(TIERS), { name: 'shop' }, { random: seededRandom(5) });
  const graph = new DeploymentGraph(model, model.nodeInstances);
  const host = graph.instancesOf('host')[0]!;
  const sub = graph.containedSubgraph(host.id);
  assert.equal(sub.length, 1 + 3 + 3);
  assert.ok(sub.every((i) => i.hostId === host.id));
  const app = graph.instancesOf('app')[0]!;
  assert.equal(graph.containerOf(app), host.id);
  assert.deepEqual(
    graph
      .relationshipsTo(app.id)
      .map((r) => r.source.nodeId)
      .sort(),
    ['lb', 'module'],
  );
  const ops = model.nodes.find((n) => n.id === 'host')!.operations;
  assert.equal(
    findOperation(ops, 'cloudify.interfaces.lifecycle.create')?.name,
    'cloudify.interfaces.lifecycle.create',
  );
  assert.equal(
    findOperation(ops, 'install_plugins')?.operation,
    'cloudify_agent.operations.install_plugins',
  );
  assert.equal(findOperation(ops, 'start'), undefined, 'ambiguous short name');
});
