/**
 * Agents end to end, real processes, loopback only: a `cfy-manager` process with its embedded
 * broker installs three hosts whose agents (`cfy-agent`, started by the `agent` plugin with
 * install_method init_script on this machine) bind 127.0.41.1..3; script operations calling
 * `ctx` run on the right agents; the manager is SIGKILLed and restarted; an agent is SIGKILLed
 * mid-operation; `cfy agents list` shows them. Every process is stopped by its pid in after().
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, makeTarGz } from '../manager/harness.js';
import { agentPids, call, cfy, killGroup, startManager, waitExecution, waitFor } from './harness.js';
import type { StartedManager } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-agents-e2e-'));
const markers = join(dataDir, 'markers');
const managers = new Set<StartedManager>();
const extraAgents = new Set<number>();

after(() => {
  for (const m of managers) killGroup(m.child.pid, 'SIGKILL');
  for (const pid of agentPids(dataDir).values()) killGroup(pid, 'SIGKILL');
  for (const pid of extraAgents) killGroup(pid, 'SIGKILL');
  cleanup(dataDir);
});

const hosts = ['a', 'b', 'c'];
const blueprint = `tosca_definitions_version: cloudify_dsl_1_2
imports:
  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml
node_types:
  test.App:
    derived_from: cloudify.nodes.Root
    properties:
      marker_file: {}
node_templates:
${hosts
  .map(
    (h, i) => `  host_${h}:
    type: cloudify.nodes.Compute
    properties:
      ip: 127.0.41.${i + 1}
      agent_config: { install_method: init_script }
  app_${h}:
    type: test.App
    properties:
      marker_file: ${join(markers, `app_${h}.txt`)}
    relationships:
      - { type: cloudify.relationships.contained_in, target: host_${h} }
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/where.sh
        configure:
          implementation: scripts/slow.sh
          inputs: { seconds: 0 }
`,
  )
  .join('')}`;

const whereScript = `#!/bin/bash
set -e
mkdir -p '${markers}'
ctx instance runtime-properties ran_on "$REKINDLE_AGENT_NAME"
ctx instance runtime-properties seen_host_ip "$(ctx instance host_ip)"
echo "$REKINDLE_AGENT_NAME" > "$(ctx node properties marker_file)"
ctx logger info "ran on $REKINDLE_AGENT_NAME"
ctx instance runtime-properties admin_password_visible "\${REKINDLE_ADMIN_PASSWORD:-no}"
`;
const slowScript = `#!/bin/bash
ctx logger info "slow start on $REKINDLE_AGENT_NAME"
sleep "$seconds"
ctx instance runtime-properties slow_done "$REKINDLE_AGENT_NAME"
`;

test('agents end to end: routing, manager SIGKILL + restart, agent SIGKILL mid-operation, cfy agents list', { timeout: 240_000 }, async (t) => {
  let manager = await startManager(dataDir);
  managers.add(manager);
  let api = `${manager.url}/api/v2`;

  // GET /status reports the broker
  const status = (await call(`${api}/status`)).body as unknown as { services: { display_name: string; instances: { state: string }[] }[] };
  assert.equal(status.services.find((s) => s.display_name === 'Message broker')?.instances[0]?.state, 'running');

  const archive = makeTarGz({ 'bp/blueprint.yaml': blueprint, 'bp/scripts/where.sh': whereScript, 'bp/scripts/slow.sh': slowScript });
  const uploaded = await call(`${api}/blueprints/bp`, "PUT", { raw: archive });
  assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  assert.equal((await call(`${api}/deployments/d1`, 'PUT', { json: { blueprint_id: 'bp' } })).status, 201);
  const install = await call(`${api}/executions`, 'POST', { json: { deployment_id: 'd1', workflow_id: 'install' } });
  assert.equal(install.status, 201);
  const installed = await waitExecution(api, install.body.id);
  assert.equal(installed.status, 'terminated', `install failed: ${installed.error}\n${manager.stderr()}`);

  // Each app's script ran on its host's agent, through ctx.
  const instances = (await call(`${api}/node-instances?deployment_id=d1`)).body.items as unknown as { id: string; node_id: string; host_id: string; runtime_properties: Record<string, unknown> }[];
  const pids = agentPids(dataDir);
  assert.equal(pids.size, 3, 'three agents started');
  for (const h of hosts) {
    const app = instances.find((i) => i.node_id === `app_${h}`);
    const host = instances.find((i) => i.node_id === `host_${h}`);
    assert.ok(app && host);
    assert.equal(app.runtime_properties.ran_on, host.id, `app_${h} ran on its host's agent`);
    assert.equal(app.runtime_properties.seen_host_ip, `127.0.41.${hosts.indexOf(h) + 1}`);
    assert.equal(app.runtime_properties.slow_done, host.id);
    assert.equal(app.runtime_properties.admin_password_visible, 'no', "the manager's secrets are not in the agent's environment");
    assert.equal(readFileSync(join(markers, `app_${h}.txt`), 'utf8').trim(), host.id);
    const agent = host.runtime_properties.cloudify_agent as Record<string, unknown>;
    assert.equal(agent.name, host.id);
    assert.equal(agent.install_method, 'init_script');
    assert.equal(agent.broker_ip, '127.0.0.1');
    assert.ok(!JSON.stringify(host.runtime_properties).includes('password'), 'no secret in runtime properties');
  }

  // GET /agents
  const listed = (await call(`${api}/agents`)).body.items as unknown as { name: string; deployment_id: string; host_id: string; state: string }[];
  assert.deepEqual(listed.map((a) => [a.deployment_id, a.state]), [['d1', 'online'], ['d1', 'online'], ['d1', 'online']]);

  // cfy agents list
  const port = new URL(manager.url).port;
  const cwd = mkdtempSync(join(dataDir, 'cli-'));
  assert.equal(cfy(cwd, ['init']).status, 0);
  const use = cfy(cwd, ['use', '-t', '127.0.0.1', '--port', port]);
  assert.equal(use.status, 0, use.stderr);
  const cli = cfy(cwd, ['agents', 'list', '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  const cliAgents = JSON.parse(cli.stdout) as { name: string; state: string }[];
  assert.deepEqual(cliAgents.map((a) => a.state), ['online', 'online', 'online']);
  const table = cfy(cwd, ['agents', 'list']);
  for (const a of listed) assert.match(table.stdout, new RegExp(a.name));

  // SIGKILL the manager while agents are idle; a new manager on the same address and data dir.
  killGroup(manager.child.pid, 'SIGKILL');
  await manager.exited;
  managers.delete(manager);
  manager = await startManager(dataDir);
  managers.add(manager);
  api = `${manager.url}/api/v2`;
  const restartedAt = Date.now();
  await waitFor('every agent back online', async () => {
    const items = (await call(`${api}/agents`)).body.items as unknown as { state: string }[];
    return items.length === 3 && items.every((a) => a.state === 'online') ? true : undefined;
  }, 20_000);
  const backWithin = Date.now() - restartedAt;
  t.diagnostic(`all three agents online ${backWithin} ms after the new manager listened`);
  assert.ok(backWithin < 5000, `agents back within 5 s (took ${backWithin} ms)`);
  const op = await call(`${api}/executions`, 'POST', {
    json: { deployment_id: 'd1', workflow_id: 'execute_operation', parameters: { operation: 'cloudify.interfaces.lifecycle.create', node_ids: ['app_b'] } },
  });
  assert.equal(op.status, 201);
  assert.equal((await waitExecution(api, op.body.id)).status, 'terminated');

  // SIGKILL an agent mid-operation: the task fails with an error naming it and is retried.
  const victim = instances.find((i) => i.node_id === 'host_c')!.id;
  const slow = await call(`${api}/executions`, 'POST', {
    json: {
      deployment_id: 'd1',
      workflow_id: 'execute_operation',
      parameters: { operation: 'cloudify.interfaces.lifecycle.configure', node_ids: ['app_c'], operation_kwargs: { seconds: 30 }, allow_kwargs_override: true },
    },
  });
  assert.equal(slow.status, 201);
  await waitFor('the slow operation to start on its agent', async () => {
    const logs = JSON.stringify((await call(`${api}/events?execution_id=${slow.body.id}&type=cloudify_log`)).body.items);
    return logs.includes('slow start') ? true : undefined;
  });
  const victimPid = agentPids(dataDir).get(victim);
  assert.ok(victimPid);
  killGroup(victimPid, 'SIGKILL');
  const failedEvent = await waitFor('a task failure naming the agent', async () => {
    const events = (await call(`${api}/events?execution_id=${slow.body.id}`)).body.items as unknown[];
    return events.map((e) => JSON.stringify(e)).find((e) => e.includes(`Agent ${victim} is offline`));
  });
  assert.match(failedEvent, /task_failed|task_rescheduled|retry|failed/i);
  // Bring the agent back (its config is on disk) and stop waiting for the 30 s retry: cancel.
  const again = spawn(process.execPath, [new URL('../../bin/cfy-agent.js', import.meta.url).pathname, '--config', join(dataDir, 'agents', victim, 'agent.json')], { detached: true, stdio: 'ignore' });
  if (again.pid !== undefined) extraAgents.add(again.pid);
  assert.equal((await call(`${api}/executions/${slow.body.id}`, 'POST', { json: { action: 'force-cancel' } })).status, 200);
  await waitExecution(api, slow.body.id);

  killGroup(again.pid, 'SIGTERM');

  // Heal of a host re-creates its agent: new process, new credentials, online, operations run.
  const healed = instances.find((i) => i.node_id === 'host_a')!.id;
  const pidBefore = agentPids(dataDir).get(healed);
  const heal = await call(`${api}/executions`, 'POST', { json: { deployment_id: 'd1', workflow_id: 'heal', parameters: { node_instance_id: healed } } });
  assert.equal(heal.status, 201);
  const healDone = await waitExecution(api, heal.body.id);
  assert.equal(healDone.status, 'terminated', healDone.error);
  const pidAfter = agentPids(dataDir).get(healed);
  assert.ok(pidAfter !== undefined && pidAfter !== pidBefore, 'a new agent process');
  const afterHeal = (await call(`${api}/agents`)).body.items as unknown as { name: string; state: string }[];
  assert.equal(afterHeal.find((a) => a.name === healed)?.state, 'online');

  // Uninstall stops and deletes the agents and revokes their credentials.
  const uninstall = await call(`${api}/executions`, 'POST', { json: { deployment_id: 'd1', workflow_id: 'uninstall' } });
  const uninstalled = await waitExecution(api, uninstall.body.id);
  assert.equal(uninstalled.status, 'terminated', uninstalled.error);
  assert.equal(((await call(`${api}/agents`)).body.items as unknown[]).length, 0, 'credentials revoked');
  assert.equal(agentPids(dataDir).size, 0);
  assert.equal(existsSync(join(dataDir, 'agents', victim)), false);

  killGroup(manager.child.pid, 'SIGTERM');
  assert.equal(await manager.exited, 0);
  managers.delete(manager);
});
