/**
 * Recovery time with a realistic manager: 100 deployments x 100 node instances (10,000), on the
 * local cloud, through the real `cfy` binary. Prints the wall time of `cfy recover` (process start
 * to success) and its phases (preflight, heal, upload, restore; "agents back" is n/a until the
 * manager dispatches operations to agents). Target: < 15 s in total.
 * `REKINDLE_BENCH_DEPLOYMENTS` / `REKINDLE_BENCH_INSTANCES` change the size.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { ManagerRequestError, RestClient, saveResponse } from '../src/client/index.js';
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
    let collisions = 0;
    await pool(Array.from({ length: deployments }, (_, i) => `dep${i}`), 4, async (id) => {
      // Node-instance ids are 5 random hex digits, unique per deployment only: with 10,000
      // instances some collide across deployments (409). Retry such a deployment.
      for (let attempt = 0; ; attempt++) {
        try {
          await client.deployments.create(id, 'many');
          return;
        } catch (error) {
          if (!(error instanceof ManagerRequestError && error.status === 409 && attempt < 20)) throw error;
          collisions++;
          await client.deployments.delete(id, true).catch(() => undefined);
        }
      }
    });
    if (collisions > 0) console.log(`(${collisions} deployment creations hit a node-instance id collision and were retried)`);
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
    console.log(`recovery (cfy recover wall time, incl. CLI start-up): ${seconds(wall)} — ${phases}, agents back n/a (agents not integrated yet); target < 15 s: ${wall < 15_000 ? 'met' : 'NOT met'}`);
    await ctx.cfy(['teardown', '-f', '--ignore-deployments', ...fast], { cwd: dir });
  } finally {
    await finish();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await run();
