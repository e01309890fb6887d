/**
 * The happy path with the real modules (src/dsl, src/plan, src/workflows, src/plugins' script
 * plugin, src/storage): upload an archive with scripts, deploy, install, events, outputs,
 * uninstall, delete; restart reconciliation against the same database. Run per dialect by
 * end-to-end-sqlite.test.ts and end-to-end-postgres.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager } from '../../src/manager/app.js';
import { defaultManagerDeps } from '../../src/manager/wiring.js';
import { restartInterruptedError } from '../../src/manager/services/executions.js';
import { adminPassword, basicAuth, cleanup, makeTarGz, type Body } from './harness.js';

const blueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
inputs:
  greeting:
    default: hello
node_types:
  hello.App:
    derived_from: cloudify.nodes.Root
    properties:
      greeting: {}
node_templates:
  app:
    type: hello.App
    properties:
      greeting: { get_input: greeting }
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: scripts/create.sh
          executor: central_deployment_agent
        delete:
          implementation: scripts/delete.sh
          executor: central_deployment_agent
outputs:
  said:
    value: { get_attribute: [app, said] }
`;

const createScript = `#!/bin/bash
set -e
greeting=$(ctx node properties greeting)
ctx logger info "creating with \${greeting}"
ctx instance runtime-properties said "\${greeting} from a script"
`;

const deleteScript = `#!/bin/bash
set -e
ctx logger info "deleting"
`;

/** Gives the storage URL a test's managers use (called once per test). */
export type StorageUrlFactory = (dataDir: string) => Promise<string>;

async function manager(dataDir: string, storageUrl: string) {
  const m = await createManager(
    { dataDir, adminPassword, logToStderr: false, storageUrl, closeGraceMs: 2000 },
    { ...defaultManagerDeps(), announce: () => undefined },
  );
  const call = (method: string, url: string, o: { json?: unknown; body?: Buffer } = {}) =>
    m.app.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: basicAuth,
        ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(o.body !== undefined ? { 'content-type': 'application/octet-stream' } : {}),
      },
      ...(o.json !== undefined ? { payload: JSON.stringify(o.json) } : {}),
      ...(o.body !== undefined ? { payload: o.body } : {}),
    });
  return { m, call };
}

export function defineEndToEnd(dialect: string, newStorageUrl: StorageUrlFactory): void {
  test(`happy path with the real modules on ${dialect}: upload, deploy, install, events, outputs, uninstall, delete`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-e2e-'));
    const { m, call } = await manager(dataDir, await newStorageUrl(dataDir));
    try {
      const archive = makeTarGz({
        'hello/blueprint.yaml': blueprint,
        'hello/scripts/create.sh': createScript,
        'hello/scripts/delete.sh': deleteScript,
      });
      const up = await call('PUT', '/api/v2/blueprints/hello', { body: archive });
      assert.equal(up.statusCode, 201, up.body);
      const bad = await call('PUT', '/api/v2/blueprints/broken', {
        body: makeTarGz({
          'b/blueprint.yaml': blueprint.replace(
            'derived_from: cloudify.nodes.Root',
            'derived_from: cloudify.nodes.Nope',
          ),
        }),
      });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json<Body>().error_code, 'invalid_blueprint_error');
      assert.match(bad.json<Body>().message, /blueprint\.yaml:\d+:\d+/);

      const badInputs = await call('PUT', '/api/v2/deployments/d0', {
        json: { blueprint_id: 'hello', inputs: { nope: 1 } },
      });
      assert.equal(badInputs.statusCode, 400, badInputs.body);
      assert.equal(badInputs.json<Body>().error_code, 'unknown_deployment_input_error');
    assert.ok(badInputs.json<Body>().details.diagnostics.length > 0);

      const dep = await call('PUT', '/api/v2/deployments/d1', {
        json: { blueprint_id: 'hello', inputs: { greeting: 'hi' } },
      });
      assert.equal(dep.statusCode, 201, dep.body);

      const install = await call('POST', '/api/v2/executions', {
        json: { deployment_id: 'd1', workflow_id: 'install' },
      });
      assert.equal(install.statusCode, 201, install.body);
      const id = install.json<Body>().id;
      await m.services.executions.settled(id);
      const done = (await call('GET', `/api/v2/executions/${id}`)).json<Body>();
      assert.equal(done.status, 'terminated', done.error);

      const outputs = (await call('GET', '/api/v2/deployments/d1/outputs')).json<Body>();
      assert.deepEqual(outputs.outputs, { said: 'hi from a script' });
      const instances = (await call('GET', '/api/v2/node-instances?deployment_id=d1')).json<Body>();
      assert.equal(instances.items[0]!.state, 'started');

      const events = (await call('GET', `/api/v2/events?execution_id=${id}`)).json<Body>();
      const types = events.items.map((e) => e.event_type);
      assert.ok(
        types.includes('workflow_started') && types.includes('workflow_succeeded'),
        types.join(','),
      );
      const logs = (
        await call('GET', `/api/v2/events?execution_id=${id}&type=cloudify_log`)
      ).json<Body>();
      assert.ok(
        logs.items.some((e) => JSON.stringify(e).includes('creating with hi')),
        'the script log is stored',
      );

      const uninstall = await call('POST', '/api/v2/executions', {
        json: { deployment_id: 'd1', workflow_id: 'uninstall' },
      });
      await m.services.executions.settled(uninstall.json<Body>().id);
      assert.equal(
        (await call('GET', `/api/v2/executions/${uninstall.json<Body>().id}`)).json<Body>().status,
        'terminated',
      );
      assert.equal((await call('DELETE', '/api/v2/deployments/d1')).statusCode, 200);
      assert.equal((await call('DELETE', '/api/v2/blueprints/hello')).statusCode, 200);
    } finally {
      await m.close();
      cleanup(dataDir);
    }
  });

  test(`force-cancel on ${dialect} aborts a running script; the execution ends cancelled`, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-e2e-cancel-'));
  const { m, call } = await manager(dataDir, await newStorageUrl(dataDir));
  try {
    const slow = blueprint.replace('scripts/create.sh', 'scripts/slow.sh');
    const archive = makeTarGz({
      'slow/blueprint.yaml': slow,
      'slow/scripts/slow.sh': '#!/bin/bash\nctx logger info "sleeping"\nsleep 30\n',
      'slow/scripts/delete.sh': deleteScript,
    });
    assert.equal((await call('PUT', '/api/v2/blueprints/slow', { body: archive })).statusCode, 201);
    assert.equal((await call('PUT', '/api/v2/deployments/c1', { json: { blueprint_id: 'slow' } })).statusCode, 201);
    const id = (await call('POST', '/api/v2/executions', { json: { deployment_id: 'c1', workflow_id: 'install' } })).json<Body>().id;
    for (let i = 0; i < 600; i++) {
      const logs = (await call('GET', `/api/v2/events?execution_id=${id}&type=cloudify_log`)).json<Body>();
      if (logs.items.some((e) => JSON.stringify(e).includes('sleeping'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelling = await call('POST', `/api/v2/executions/${id}`, { json: { action: 'force-cancel' } });
    assert.equal(cancelling.json<Body>().status, 'force_cancelling');
    await m.services.executions.settled(id);
    const after = (await call('GET', `/api/v2/executions/${id}`)).json<Body>();
    assert.equal(after.status, 'cancelled');
    const events = (await call('GET', `/api/v2/events?execution_id=${id}&type=cloudify_event`)).json<Body>();
    assert.ok(events.items.some((e) => e.event_type === 'workflow_cancelled'), events.items.map((e) => e.event_type).join(','));
  } finally {
    await m.close();
    cleanup(dataDir);
  }
});

test(`restart reconciliation on ${dialect}: a started execution of a dead manager ends failed`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-e2e-restart-'));
    try {
      const url = await newStorageUrl(dataDir);
      const first = await manager(dataDir, url);
      await first.call('PUT', '/api/v2/blueprints/hello', {
        body: makeTarGz({
          'hello/blueprint.yaml': blueprint,
          'hello/scripts/create.sh': createScript,
          'hello/scripts/delete.sh': deleteScript,
        }),
      });
      await first.call('PUT', '/api/v2/deployments/d1', { json: { blueprint_id: 'hello' } });
      // Leave a `started` record behind, as a process killed mid-run would.
      await first.m.services.ctx.store.executions.insert({
        id: 'left-behind',
        status: 'started',
        deployment_id: 'd1',
        blueprint_id: 'hello',
        workflow_id: 'install',
        created_at: new Date().toISOString(),
        error: '',
        parameters: {},
        is_system_workflow: false,
      });
      await first.m.close();
      const second = await manager(dataDir, url);
      try {
        assert.deepEqual(second.m.reconciled, ['left-behind']);
        const e = (await second.call('GET', '/api/v2/executions/left-behind')).json<Body>();
        assert.equal(e.status, 'failed');
        assert.equal(e.error, restartInterruptedError);
      } finally {
        await second.m.close();
      }
    } finally {
      cleanup(dataDir);
    }
  });
}
