/**
 * Manager REST throughput over real HTTP on 127.0.0.1 (SQLite storage, in-process manager):
 * - create N deployments of a 100-instance blueprint through `PUT /deployments/{id}`;
 * - 50 concurrent installs (no-op operations: the manager's workflow path, not the plugins);
 * - REST reads (`GET /deployments/{id}`, HTTP Basic) for a few seconds from 16 keep-alive
 *   connections of a load generator in ANOTHER process (bench/http-load.ts): requests/s,
 *   p50/p99, and the CPU the manager process used (requests per server CPU-second), which
 *   depends less on what else the 2-core machine runs than the wall-clock rate.
 * - pages of 100 events (`GET /events`) at the deepest offset, all events and one execution's,
 *   from one connection (the latency of a page).
 * Event ingestion and event pages from 1M events are measured by bench/storage.ts.
 * `REKINDLE_BENCH_DEPLOYMENTS` (default 1000) changes the deployment count,
 * `REKINDLE_BENCH_READ_SECONDS` (default 5) the read duration.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executionEndStates, RestClient } from '../src/client/index.js';
import { createManager, defaultManagerDeps } from '../src/manager/index.js';
import { zipFolder } from '../src/cli/archive-folder.js';
import { percentile, type LoadResult, type LoadSpec } from './http-load.js';

const deployments = Number(process.env.REKINDLE_BENCH_DEPLOYMENTS ?? 1000);
const readSeconds = Number(process.env.REKINDLE_BENCH_READ_SECONDS ?? 5);
const password = 'bench-password';

/**
 * Runs bench/http-load.ts in a child process (its own event loop and CPU accounting); returns
 * its result and the CPU this process (the manager) used from the end of the warm-up on.
 */
function loadFromChild(spec: LoadSpec): Promise<{ load: LoadResult; serverCpuSeconds: number }> {
  const script = fileURLToPath(new URL('./http-load.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let cpu = process.cpuUsage();
    let buffered = '';
    let result: { load: LoadResult; serverCpuSeconds: number } | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, end)) as LoadResult | { warm: true };
        buffered = buffered.slice(end + 1);
        if ('warm' in line) cpu = process.cpuUsage();
        else result = { load: line, serverCpuSeconds: cpuSeconds(cpu) };
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`bench/http-load.ts exited with ${code}`))));
  });
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const started = performance.now();
        await fn(item);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

function report(label: string, count: number, ms: number, latencies: number[]): void {
  console.log(
    `${label}: ${count} in ${(ms / 1000).toFixed(2)} s = ${((count / ms) * 1000).toFixed(0)}/s; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-bench-manager-'));
  const manager = await createManager({ dataDir, host: '127.0.0.1', port: 0, adminPassword: password, logToStderr: false }, defaultManagerDeps());
  try {
    const url = new URL(await manager.listen());
    const client = new RestClient({ host: url.hostname, port: Number(url.port), username: 'admin', password });
    const folder = join(dataDir, 'bp');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'blueprint.yaml'),
      'tosca_definitions_version: cloudify_dsl_1_2\nimports: [http://www.getcloudify.org/spec/cloudify/3.3/types.yaml]\n' +
        'node_templates:\n  vm:\n    type: cloudify.nodes.Compute\n    properties: { install_agent: false, ip: 127.0.0.1 }\n    instances: { deploy: 10 }\n' +
        '  app:\n    type: cloudify.nodes.SoftwareComponent\n    instances: { deploy: 9 }\n    relationships: [{ type: cloudify.relationships.contained_in, target: vm }]\n',
    );
    await client.blueprints.upload('many', await zipFolder(folder, 'many'), 'blueprint.yaml');

    const ids = Array.from({ length: deployments }, (_, i) => `dep${i}`);
    let started = performance.now();
    const createCpu = process.cpuUsage();
    const latencies = await pool(ids, 8, async (id) => void (await client.deployments.create(id, 'many')));
    report(`create deployments (100 node instances each)`, ids.length, performance.now() - started, latencies);
    const createCpuSeconds = cpuSeconds(createCpu);
    console.log(`  ${createCpuSeconds.toFixed(1)} CPU-s (manager and in-process client) = ${(ids.length / createCpuSeconds).toFixed(0)} deployments per CPU-second`);

    const installs = ids.slice(0, 50);
    started = performance.now();
    const executions = await Promise.all(installs.map((id) => client.executions.start(id, 'install')));
    for (const execution of executions) {
      for (;;) {
        const current = await client.executions.get(execution.id);
        if (executionEndStates.includes(current.status)) {
          if (current.status !== 'terminated') throw new Error(`install ${execution.id} ${current.status}: ${current.error}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const installMs = performance.now() - started;
    console.log(`50 concurrent installs (100 instances each, no-op operations): ${(installMs / 1000).toFixed(2)} s`);

    const authorization = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    const reads = async (label: string, paths: string[], seconds: number, connections: number): Promise<void> => {
      const { load, serverCpuSeconds: serverCpu } = await loadFromChild({
        origin: url.origin,
        paths,
        headers: { authorization },
        connections,
        warmupMs: 1000,
        durationMs: seconds * 1000,
      });
      if (load.errors > 0) throw new Error(`${label}: ${load.errors} reads did not answer 200`);
      console.log(
        `${label}, ${connections} connection(s) from another process (after 1 s warm-up): ${load.requests} in ${(load.wallMs / 1000).toFixed(2)} s = ` +
          `${((load.requests / load.wallMs) * 1000).toFixed(0)}/s; p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms; ` +
          `manager ${serverCpu.toFixed(2)} CPU-s = ${(load.requests / serverCpu).toFixed(0)} requests per CPU-second ` +
          `(load generator ${(load.clientCpuMs / 1000).toFixed(2)} CPU-s)`,
      );
    };
    await reads('REST reads GET /deployments/{id}', ids.map((id) => `/api/v2/deployments/${id}`), readSeconds, 16);

    await new Promise((r) => setTimeout(r, 500)); // the event batcher writes every 200 ms
    const events = (await client.events.list({ includeLogs: true }, { size: 0 })).metadata.pagination.total;
    const execution = executions[0]!.id;
    const perExecution = (await client.events.list({ executionId: execution, includeLogs: true }, { size: 0 })).metadata.pagination.total;
    await reads(`REST event pages of 100 of ${events}, offset ${events - 100}`, [`/api/v2/events?_size=100&_offset=${events - 100}`], 2, 1);
    await reads(
      `REST event pages of 100, one execution (${perExecution} events), offset ${perExecution - 100}`,
      [`/api/v2/events?_size=100&execution_id=${execution}&_offset=${perExecution - 100}`],
      2,
      1,
    );
  } finally {
    await manager.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await run();
