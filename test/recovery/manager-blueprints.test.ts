/** The shipped manager blueprints parse and plan, with the topology recovery relies on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlueprintFile } from '../../src/dsl/index.js';
import { planDeployment } from '../../src/plan/index.js';

const cases: [string, Record<string, unknown>][] = [
  ['resources/manager-blueprints/local-manager-blueprint.yaml', { admin_password: 'pw' }],
  ['resources/manager-blueprints/openstack-manager-blueprint.yaml', { admin_password: 'pw', keystone_url: 'http://127.0.0.1:5000/v3', image: 'img', flavor: 'm1.medium' }],
];

for (const [file, inputs] of cases) {
  test(`${file}: the manager server sits on a kept port and floating IP; manager_configuration is contained in it`, () => {
    const { blueprint, diagnostics } = parseBlueprintFile(file);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(blueprint);
    const model = planDeployment(blueprint, inputs);
    const node = (id: string) => {
      const found = model.nodes.find((n) => n.id === id);
      assert.ok(found, id);
      return found;
    };
    assert.ok(node('manager_port').typeHierarchy.includes('cloudify.openstack.nodes.Port'));
    assert.ok(node('manager_server_ip').typeHierarchy.includes('cloudify.openstack.nodes.FloatingIP'));
    const targets = node('manager_host').relationships.map((r) => r.targetId).sort();
    assert.deepEqual(targets, ['management_keypair', 'manager_port', 'manager_server_ip']);
    const configuration = node('manager_configuration');
    assert.ok(configuration.typeHierarchy.includes('cloudify.nodes.CloudifyManager'));
    assert.equal(configuration.hostId, 'manager_host');
    assert.equal(configuration.operations['cloudify.interfaces.lifecycle.start']?.operation, 'configuration.start');
    assert.ok(Object.keys(model.outputs).includes('manager_ip'));
  });
}
