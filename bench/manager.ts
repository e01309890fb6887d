/**
 * Manager REST throughput over real HTTP on 127.0.0.1 (SQLite storage, in-process manager):
 * - create N deployments of a 100-instance blueprint through `PUT /deployments/{id}`;
 * - 50 concurrent installs (no-op operations: the manager's workflow path, not the plugins);
 * - REST reads (`GET /deployments/{id}`) for a few seconds with 16 clients: requests/s, p50/p99.
 * Event ingestion and deep event pages are measured by bench/storage.ts.
 * `REKINDLE_BENCH_DEPLOYMENTS` (default 1000) changes the deployment count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executionEndStates, RestClient } from '../src/client/index.js';
import { createManager, defaultManagerDeps } from '../src/manager/index.js';
import { zipFolder } from '../src/cli/archive-folder.js';

const deployments = Number(process.env.REKINDLE_BENCH_DEPLOYMENTS ?? 1000);
const password = 'bench-password';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
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
    let latencies = await pool(ids, 8, async (id) => void (await client.deployments.create(id, 'many')));
    report(`create deployments (100 node instances each)`, ids.length, performance.now() - started, latencies);

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

    let reads = 0;
    const until = performance.now() + 5000;
    started = performance.now();
    latencies = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        for (let i = worker; performance.now() < until; i += 16) {
          const t = performance.now();
          await client.deployments.get(ids[i % ids.length]!);
          latencies.push(performance.now() - t);
          reads++;
        }
      }),
    );
    report('REST reads GET /deployments/{id}, 16 clients', reads, performance.now() - started, latencies.sort((a, b) => a - b));
  } finally {
    await manager.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await run();
