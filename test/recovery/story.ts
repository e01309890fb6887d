/**
 * The recovery story, step by step, through the real `cfy` binary (shared by `npm run demo`
 * and the e2e test). Every step asserts what it claims.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { DemoContext } from '../../scripts/demo.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const managerBlueprint = join(repo, 'resources/manager-blueprints/local-manager-blueprint.yaml');
const appBlueprint = join(repo, 'test/recovery/app/blueprint.yaml');
const fast = ['--task-retries', '40', '--task-retry-interval', '0.2'];

type Json = Record<string, unknown>;

function profileOf(dir: string): { ip: string; port: number } {
  const p = parse(readFileSync(join(dir, '.cloudify', 'context'), 'utf8')) as { management_ip: string; rest_port: number };
  return { ip: p.management_ip, port: p.rest_port };
}

async function rest(ctx: DemoContext, dir: string, path: string): Promise<Json> {
  const { ip, port } = profileOf(dir);
  const auth = Buffer.from(`${ctx.env.CLOUDIFY_USERNAME ?? ''}:${ctx.env.CLOUDIFY_PASSWORD ?? ''}`).toString('base64');
  const response = await fetch(`http://${ip}:${port}/api/v2${path}`, { headers: { authorization: `Basic ${auth}` } });
  assert.equal(response.status, 200, `GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as Json;
}

async function cloudStatus(ctx: DemoContext): Promise<{ servers: { id: string; name: string; status: string; pid: number | null; fixed_ips: string[]; floating_ips: string[] }[] }> {
  const response = await fetch(`${ctx.cloudUrl}/rekindle-admin/status`);
  return (await response.json()) as Awaited<ReturnType<typeof cloudStatus>>;
}

/** What must be equal before the crash and after the recovery. */
async function managerData(ctx: DemoContext, dir: string): Promise<Json> {
  const all = async (path: string): Promise<Json[]> => {
    const out: Json[] = [];
    for (;;) {
      const page = (await rest(ctx, dir, `${path}?_size=1000&_offset=${out.length}`)).items as Json[];
      out.push(...page);
      if (page.length < 1000) return out;
    }
  };
  const blueprints = (await all('/blueprints')).map((b) => b.id).sort();
  const deployments = (await all('/deployments')).map((d) => d.id).sort();
  const instances = (await all('/node-instances'))
    .map((i) => ({ id: i.id, state: i.state, runtime_properties: i.runtime_properties }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return { blueprints, deployments, instances };
}

function writeInputs(dir: string, name: string, values: Json): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(values));
  return path;
}

/** Bootstraps a manager in `dir` with a resource prefix and subnet of its own. */
async function bootstrap(ctx: DemoContext, dir: string, prefix: string, subnet: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await ctx.cfy(['init'], { cwd: dir });
  const inputs = writeInputs(dir, 'manager-inputs.yaml', {
    keystone_url: `${ctx.cloudUrl}/v3`,
    admin_password: ctx.env.CLOUDIFY_PASSWORD,
    management_subnet_cidr: subnet,
    resources_prefix: prefix,
  });
  await ctx.cfy(['bootstrap', '-p', managerBlueprint, '-i', inputs, ...fast], { cwd: dir });
}

/** Scenario 1: bootstrap, deploy, snapshot, crash, recover, check, clean up. */
export async function runStory(ctx: DemoContext): Promise<void> {
  const dir = join(ctx.work, 'story');
  const subnet = ctx.env.REKINDLE_DEMO_SUBNET ?? '127.60.0.0/24';
  await ctx.step('bootstrap a manager on the local cloud', () => bootstrap(ctx, dir, 'story-', subnet));
  const managerServer = async (): Promise<{ status: string; fixed_ips: string[]; floating_ips: string[]; id: string }> => {
    const found = (await cloudStatus(ctx)).servers.find((s) => s.name === 'story-manager');
    assert.ok(found, 'the manager server exists');
    return found;
  };
  const before = await managerServer();
  await ctx.step('cfy status', async () => {
    const { out } = await ctx.cfy(['status'], { cwd: dir });
    assert.match(out, /Services:/);
  });
  await ctx.step('upload the application blueprint, deploy and install it', async () => {
    await ctx.cfy(['blueprints', 'upload', '-p', appBlueprint, '-b', 'app'], { cwd: dir });
    const inputs = writeInputs(dir, 'app-inputs.yaml', {
      openstack_config: { username: 'admin', password: 'admin', tenant_name: 'admin', auth_url: `${ctx.cloudUrl}/v3`, region: 'RegionOne', poll_interval: 0.2 },
      prefix: 'story-',
      agent_work_dir: join(ctx.work, 'story-app-agent'),
    });
    await ctx.cfy(['deployments', 'create', '-b', 'app', '-d', 'app', '-i', inputs], { cwd: dir });
    await ctx.cfy(['executions', 'start', '-w', 'install', '-d', 'app', '--timeout', '60'], { cwd: dir });
    const agents = await onlineAgents(ctx, dir);
    assert.equal(agents.length, 1, 'the application host has one agent, online');
  });
  const greet = async (): Promise<void> => {
    const { out } = await ctx.cfy(['executions', 'start', '-w', 'execute_operation', '-d', 'app', '-p', '{operation: demo.greet, node_ids: [greeter]}', '--timeout', '60'], { cwd: dir });
    assert.match(out, /\[greeter_\w+\.greet\] Task succeeded 'script_runner\.tasks\.run'/, 'greet ran');
    const { out: listed } = await ctx.cfy(['node-instances', 'list', '-d', 'app', '--node-id', 'greeter', '--json'], { cwd: dir });
    const [greeter] = JSON.parse(listed) as { runtime_properties: Record<string, unknown> }[];
    assert.equal(greeter?.runtime_properties.greet, 'hello');
    assert.match(String(greeter?.runtime_properties.greeted_by), /^app_host_/, 'greet ran on the application host agent');
  };
  await ctx.step('run greet', greet);
  await ctx.step('create and download a snapshot', async () => {
    await ctx.cfy(['snapshots', 'create', '-s', 'snap1', '--wait'], { cwd: dir });
    await ctx.cfy(['snapshots', 'download', '-s', 'snap1', '-o', join(ctx.work, 'snap1.zip')], { cwd: dir });
  });
  const elsewhere = join(ctx.work, 'elsewhere');
  await ctx.step("'cfy use' the manager from another folder", async () => {
    mkdirSync(elsewhere, { recursive: true });
    const { ip, port } = profileOf(dir);
    await ctx.cfy(['use', '-t', ip, '--port', String(port)], { cwd: elsewhere });
  });
  const agentsBefore = await onlineAgents(ctx, dir);
  const data = await managerData(ctx, dir);
  const appHost = (await cloudStatus(ctx)).servers.find((s) => s.name === 'story-app-host');
  await ctx.step('crash the manager server (kill its processes, no API call)', async () => {
    await ctx.cfy(['cloud', 'crash', 'story-manager', '--url', ctx.cloudUrl]);
    assert.equal((await managerServer()).status, 'SHUTOFF');
    const { ip, port } = profileOf(dir);
    await assert.rejects(fetch(`http://${ip}:${port}/api/v2/health`, { signal: AbortSignal.timeout(2000) }), 'the manager no longer answers');
  });
  const snapshot = join(ctx.work, 'snap1.zip');
  await ctx.step('cfy recover --dry-run (from the other folder)', async () => {
    const { out } = await ctx.cfy(['recover', '-f', '--snapshot-path', snapshot, '--dry-run'], { cwd: elsewhere });
    assert.match(out, /Would destroy and recreate: .*manager_host_/);
    assert.match(out, /Would keep port .*\(127\./);
    assert.equal((await managerServer()).id, before.id, 'dry run changes nothing');
  });
  // Recover from the folder that ran `cfy use`: the manager deployment comes from the provider context dump.
  const recovery = await ctx.step('cfy recover -f --snapshot-path snap1.zip (from the other folder)', () =>
    ctx.cfy(['recover', '-f', '--snapshot-path', snapshot, ...fast], { cwd: elsewhere }),
  );
  assert.match(recovery.out, /Successfully recovered manager deployment/);
  const phases = /Recovery phases: (.*)/.exec(recovery.out)?.[1];
  if (phases) console.log(`    ${phases}`);
  await ctx.step('same floating IP, same private IP, same data', async () => {
    const after = await managerServer();
    assert.notEqual(after.id, before.id, 'a new manager server');
    assert.equal(after.status, 'ACTIVE');
    assert.deepEqual(after.fixed_ips, before.fixed_ips, 'same private IP');
    assert.deepEqual(after.floating_ips, before.floating_ips, 'same floating IP');
    assert.deepEqual(await managerData(ctx, dir), data, 'blueprints, deployments and node instances with runtime properties');
    const host = (await cloudStatus(ctx)).servers.find((s) => s.name === 'story-app-host');
    assert.equal(host?.id, appHost?.id, 'the application host was not reinstalled');
    assert.equal(host?.pid, appHost?.pid, 'the application host kept running');
  });
  await ctx.step("the application host's agent reconnects to the recovered manager", async () => {
    for (let i = 0; ; i++) {
      const agents = await onlineAgents(ctx, dir);
      if (agents.length === 1) {
        assert.deepEqual(agents, agentsBefore, 'the same agent, not reinstalled');
        return;
      }
      assert.ok(i < 60, 'the agent is back online within 15 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  const ui = await ctx.step('the web UI answers through the floating IP', async () => {
    const { ip, port } = profileOf(dir);
    const page = await fetch(`http://${ip}:${port}/`);
    assert.equal(page.status, 200, `GET / through ${ip}: HTTP ${page.status} (is the UI built? npm run build)`);
    assert.match(await page.text(), /<title>Rekindle manager<\/title>/);
    return `http://${ip}:${port}/`;
  });
  console.log(`    ${ui} (the recovered manager's web UI)`);
  await ctx.step('execute_operation greet after recovery', greet);
  await ctx.step('uninstall and delete the deployment', async () => {
    await ctx.cfy(['executions', 'start', '-w', 'uninstall', '-d', 'app', '--timeout', '60'], { cwd: dir });
    await ctx.cfy(['deployments', 'delete', '-d', 'app'], { cwd: dir });
  });
  // From the bootstrap folder: teardown refreshes the (stale) manager deployment from the recovered manager first.
  await ctx.step('cfy teardown -f (from the bootstrap folder)', () => ctx.cfy(['teardown', '-f', ...fast], { cwd: dir }));
  const left = (await cloudStatus(ctx)).servers.filter((s) => s.name.startsWith('story-'));
  assert.deepEqual(left, [], 'teardown removed the manager server');
}

/** Names of the online agents, through `cfy agents list --json`. */
async function onlineAgents(ctx: DemoContext, dir: string): Promise<string[]> {
  const { out } = await ctx.cfy(['agents', 'list', '--json'], { cwd: dir });
  return (JSON.parse(out) as { name: string; state: string }[]).filter((a) => a.state === 'online').map((a) => a.name).sort();
}

/** Scenario 2: the manager's port is deleted; recover refuses before touching anything. */
export async function runPortDeletedScenario(ctx: DemoContext): Promise<void> {
  const dir = join(ctx.work, 'port-deleted');
  const subnet = (ctx.env.REKINDLE_DEMO_SUBNET ?? '127.60.0.0/24').replace(/^127\.(\d+)\./, (_m, n: string) => `127.${Number(n) + 1}.`);
  await ctx.step('second scenario: bootstrap another manager', () => bootstrap(ctx, dir, 'pd-', subnet));
  const server = (await cloudStatus(ctx)).servers.find((s) => s.name === 'pd-manager');
  assert.ok(server);
  await ctx.step("delete the manager's port in the cloud", () => deletePort(ctx, 'pd-manager-port'));
  const result = await ctx.step('cfy recover refuses', () => ctx.cfy(['recover', '-f', '--snapshot-path', join(ctx.work, 'snap1.zip'), ...fast], { cwd: dir, allowFail: true }));
  assert.equal(result.code, 1);
  assert.match(result.out, /private IP cannot be kept/);
  const still = (await cloudStatus(ctx)).servers.find((s) => s.name === 'pd-manager');
  assert.equal(still?.id, server.id, 'nothing was touched');
  await ctx.step('cfy teardown -f --ignore-deployments', () => ctx.cfy(['teardown', '-f', '--ignore-deployments', ...fast], { cwd: dir }));
}

async function deletePort(ctx: DemoContext, name: string): Promise<void> {
  const auth = await fetch(`${ctx.cloudUrl}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'admin' } } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  const token = auth.headers.get('x-subject-token') ?? '';
  const headers = { 'x-auth-token': token };
  const ports = (await (await fetch(`${ctx.cloudUrl}/network/v2.0/ports?name=${name}`, { headers })).json()) as { ports: { id: string }[] };
  const port = ports.ports[0];
  assert.ok(port, `port ${name} exists`);
  const deleted = await fetch(`${ctx.cloudUrl}/network/v2.0/ports/${port.id}`, { method: 'DELETE', headers });
  assert.equal(deleted.status, 204);
}
