/** The project's example blueprints: validate, then plan snapshots (golden, seeded ids). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/index.js';
import { formatDiagnostic, parseBlueprintFile } from '../../src/dsl/index.js';
import { planDeployment } from '../../src/plan/index.js';
import { repoRoot } from './helpers.js';
import { assertGolden } from './golden.js';

for (const name of [
  'single-host-web-db',
  'scaling-web-tier',
  'hello-world-local',
  'openstack-hello-world',
]) {
  test(`example ${name}: plan snapshot`, () => {
    const { blueprint, diagnostics } = parseBlueprintFile(
      join(repoRoot, 'examples', name, 'blueprint.yaml'),
    );
    assert.deepEqual(diagnostics.map(formatDiagnostic), []);
    assert.ok(blueprint);
    const model = planDeployment(blueprint, {}, { random: seededRandom(42) });
    assertGolden(`example-${name}`, model);
  });
}

test('single-host-web-db: static functions evaluated, runtime ones kept, retries from dsl_definitions', () => {
  const { blueprint } = parseBlueprintFile(
    join(repoRoot, 'examples', 'single-host-web-db', 'blueprint.yaml'),
  );
  assert.ok(blueprint);
  const model = planDeployment(
    blueprint,
    { web_port: 9090, db_name: 'orders' },
    { random: seededRandom(1) },
  );
  const web = model.nodes.find((n) => n.id === 'web')!;
  assert.equal(web.operations['cloudify.interfaces.lifecycle.start']!.inputs.port, 9090);
  const link =
    web.relationships[1]!.sourceOperations[
      'cloudify.interfaces.relationship_lifecycle.preconfigure'
    ]!;
  assert.deepEqual(link.inputs.db_url, {
    concat: ['postgres://', 'orders', '@', { get_attribute: ['TARGET', 'ip'] }, ':', 5432],
  });
  assert.deepEqual(
    [link.plugin, link.operation, link.inputs.script_path, link.executor],
    ['script', 'script_runner.tasks.run', 'scripts/web-link-db.sh', 'host_agent'],
  );
  const dbStart = model.nodes.find((n) => n.id === 'database')!.operations[
    'cloudify.interfaces.lifecycle.start'
  ]!;
  assert.deepEqual([dbStart.maxRetries, dbStart.retryInterval], [3, 5]);
  assert.equal(model.outputs.endpoint!.value, 'http://127.0.0.1:9090');
  assert.deepEqual(model.inputs, { host_ip: '127.0.0.1', web_port: 9090, db_name: 'orders' });
});
