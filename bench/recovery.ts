/**
 * Recovery time with a realistic manager: 100 deployments x 100 node instances (10,000), on the
 * local cloud, through the real `cfy` binary. Prints the wall time of `cfy recover` (process start
 * to success) and its phases (preflight, heal, upload, restore), then how long the agent of an
 * application host (installed through user data) takes to be back online. Target: < 15 s in total.
 * `REKINDLE_BENCH_DEPLOYMENTS` / `REKINDLE_BENCH_INSTANCES` change the size.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { RestClient, saveResponse } from '../src/client/index.js';
import { startDemo } from '../scripts/demo.js';

const deployments = Number(process.env.REKINDLE_BENCH_DEPLOYMENTS ?? 100);
const instancesPerDeployment = Number(process.env.REKINDLE_BENCH_INSTANCES ?? 100);
const fast = ['--task-retries', '40', '--task-retry-interval', '0.2'];

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

export async function run(): Promise<void> {
  const { ctx, finish } = await startDemo();
  try {
    const dir = join(ctx.work, 'bench');
    mkdirSync(join(dir, 'app'), { recursive: true });
    await ctx.cfy(['init'], { cwd: dir });
    writeFileSync(join(dir, 'inputs.yaml'), `keystone_url: '${ctx.cloudUrl}/v3'\nadmin_password: '${ctx.env.CLOUDIFY_PASSWORD ?? ''}'\nmanagement_subnet_cidr: '${ctx.env.REKINDLE_DEMO_SUBNET ?? '127.60.0.0/24'}'\nresources_prefix: bench-\n`);
    let t = Date.now();
    await ctx.cfy(['bootstrap', '-p', 'resources/manager-blueprints/local-manager-blueprint.yaml'.replace(/^/, `${process.cwd()}/`), '-i', join(dir, 'inputs.yaml'), '--skip-validations', ...fast], { cwd: dir });
    console.log(`bootstrap: ${seconds(Date.now() - t)}`);
    const profile = parse(readFileSync(join(dir, '.cloudify', 'context'), 'utf8')) as { management_ip: string; rest_port: number };
    const client = new RestClient({ host: profile.management_ip, port: profile.rest_port, protocol: 'http', username: 'admin', password: ctx.env.CLOUDIFY_PASSWORD ?? '' });

    writeFileSync(
      join(dir, 'app', 'blueprint.yaml'),
      `tosca_definitions_version: cloudify_dsl_1_2\nimports: [http://www.getcloudify.org/spec/cloudify/3.3/types.yaml]\nnode_templates:\n  vm:\n    type: cloudify.nodes.Compute\n    properties: { install_agent: false, ip: 127.0.0.1 }\n    instances: { deploy: ${instancesPerDeployment} }\n`,
    );
    t = Date.now();
    await ctx.cfy(['blueprints', 'upload', '-p', join(dir, 'app', 'blueprint.yaml'), '-b', 'many'], { cwd: dir });
    await pool(Array.from({ length: deployments }, (_, i) => `dep${i}`), 4, async (id) => {
      await client.deployments.create(id, 'many');
    });
    // One application host with an agent (the recovery story's app), to time the agents coming back.
    writeFileSync(join(dir, 'agent-app.yaml'), `openstack_config: { username: admin, password: admin, tenant_name: admin, auth_url: '${ctx.cloudUrl}/v3', region: RegionOne, poll_interval: 0.2 }\nprefix: bench-\nagent_work_dir: '${join(ctx.work, 'bench-agent')}'\n`);
    await ctx.cfy(['blueprints', 'upload', '-p', join(process.cwd(), 'test/recovery/app/blueprint.yaml'), '-b', 'agent-app'], { cwd: dir });
    await ctx.cfy(['deployments', 'create', '-b', 'agent-app', '-d', 'agent-app', '-i', join(dir, 'agent-app.yaml')], { cwd: dir });
    await ctx.cfy(['executions', 'start', '-w', 'install', '-d', 'agent-app', '--timeout', '120'], { cwd: dir });
    const total = (await client.nodeInstances.list({}, { size: 1 })).metadata.pagination.total;
    console.log(`seeded ${deployments} deployments, ${total} node instances: ${seconds(Date.now() - t)}`);

    t = Date.now();
    await ctx.cfy(['snapshots', 'create', '-s', 'big', '--wait'], { cwd: dir });
    const archive = join(ctx.work, 'big.zip');
    await saveResponse(await client.snapshots.download('big'), archive);
    console.log(`snapshot create + download: ${seconds(Date.now() - t)}`);

    await ctx.cfy(['cloud', 'crash', 'bench-manager', '--url', ctx.cloudUrl]);
    t = Date.now();
    const { out } = await ctx.cfy(['recover', '-f', '--snapshot-path', archive, ...fast], { cwd: dir });
    const wall = Date.now() - t;
    assert.match(out, /Successfully recovered manager deployment/);
    const after = (await client.nodeInstances.list({}, { size: 1 })).metadata.pagination.total;
    assert.equal(after, total, 'every node instance is back');
    const phases = /Recovery phases: (.*)/.exec(out)?.[1] ?? '?';
    const agentsStart = Date.now();
    for (;;) {
      const agents = (await client.agents.list()).items;
      if (agents.length > 0 && agents.every((a) => a.state === 'online')) break;
      assert.ok(Date.now() - agentsStart < 60_000, 'the application agent comes back within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const agentsBack = Date.now() - agentsStart;
    const recoveryTotal = wall + agentsBack;
    console.log(`recovery (cfy recover wall time, incl. CLI start-up): ${seconds(wall)} — ${phases}, agents back ${seconds(agentsBack)} after; total ${seconds(recoveryTotal)}; target < 15 s: ${recoveryTotal < 15_000 ? 'met' : 'NOT met'}`);
    await ctx.cfy(['teardown', '-f', '--ignore-deployments', ...fast], { cwd: dir });
  } finally {
    await finish();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await run();
