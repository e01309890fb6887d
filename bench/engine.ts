/**
 * Engine benchmark: generated deployment models of N node templates (one instance each; half
 * contained in another node, one in five connected_to an earlier node; one host per 200 nodes),
 * a no-op dispatcher and a counting event sink, with in-memory stores, with `cfy local`'s
 * persisted state folder and (on request) with the SQLite storage's engine adapters. For each
 * backend and N, in a child process of its own (so peak RSS is per N): install, heal of one
 * host's subtree, uninstall. Prints operations, wall and CPU time, ops/s, events, peak RSS and
 * the load average.
 *
 *   npx tsx bench/engine.ts [N ...] [memory|local|sqlite ...]   (default 1000 10000, memory local)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { systemClock, type EventDocument } from '../src/core/index.js';
import { InMemoryExecutionStoreAdapter, InMemoryInstanceStoreAdapter, type EnginePorts } from '../src/engine/index.js';
import type { DeploymentModel, NodeModel, OperationSpec, RelationshipModel } from '../src/plan/index.js';
import { LocalStateStore } from '../src/plugins/index.js';
import { createExecutionStore, createInstanceStore, openSqliteStorage } from '../src/storage/index.js';
import { healSubgraph, indexModel, runWorkflow } from '../src/workflows/index.js';

/** Figures of one workflow run. */
export interface StepFigures {
  workflow: string;
  instances: number;
  operations: number;
  events: number;
  /** Wall-clock time. */
  ms: number;
  opsPerSecond: number;
  /** CPU time of this process (user + system): the figure that does not depend on other load. */
  cpuMs: number;
  opsPerCpuSecond: number;
  /** Local state: compacting the instance journal after the workflow when it is big (not in `ms`). */
  checkpointMs: number;
}

/** Figures of one N. */
export interface EngineBenchResult {
  nodes: number;
  backend: StateBackend;
  /** Local state: compacting the instance journal at the end (forced). */
  foldMs: number;
  /** 1-minute load average when the child finished. */
  loadAverage: number;
  steps: StepFigures[];
  peakRssMb: number;
}

const THREADS = 64;
const WARM_UP_NODES = 1000;
const WARM_UP_ROUNDS = 2;

function op(name: string, task: string): OperationSpec {
  return { name, operation: task, plugin: 'bench', executor: 'central_deployment_agent', inputs: {}, maxRetries: null, retryInterval: null };
}

const lifecycleOps = Object.fromEntries(
  ['create', 'configure', 'start', 'stop', 'delete'].map((o) => [`cloudify.interfaces.lifecycle.${o}`, op(`cloudify.interfaces.lifecycle.${o}`, `bench.${o}`)]),
);
const connectedOps = {
  'cloudify.interfaces.relationship_lifecycle.establish': op('cloudify.interfaces.relationship_lifecycle.establish', 'bench.establish'),
  'cloudify.interfaces.relationship_lifecycle.unlink': op('cloudify.interfaces.relationship_lifecycle.unlink', 'bench.unlink'),
};

/** A generated model of `n` nodes with one instance each (deterministic). */
export function generateModel(n: number): DeploymentModel {
  let seed = 42;
  const random = (below: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % below;
  };
  const hostEvery = 200;
  const nodes: NodeModel[] = [];
  const hostOf: (string | null)[] = [];
  const hosts: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = `n${i}`;
    const isHost = i % hostEvery === 0;
    const contained = !isHost && i % 2 === 1 && hosts.length > 0;
    const relationships: RelationshipModel[] = [];
    let hostId: string | null = isHost ? id : null;
    if (isHost) hosts.push(i);
    if (contained) {
      // into the newest host's tree: the host itself or an earlier node contained in it
      const host = hosts[hosts.length - 1]!;
      const candidates = i - host;
      let target = host + random(candidates);
      while (hostOf[target] !== `n${host}`) target = host;
      relationships.push(rel('cloudify.relationships.contained_in', `n${target}`, {}));
      hostId = `n${host}`;
    }
    if (i % 5 === 0 && i > 0) relationships.push(rel('cloudify.relationships.connected_to', `n${random(i)}`, connectedOps));
    hostOf.push(hostId);
    nodes.push({
      id,
      type: isHost ? 'cloudify.nodes.Compute' : 'cloudify.nodes.Root',
      typeHierarchy: isHost ? ['cloudify.nodes.Root', 'cloudify.nodes.Compute'] : ['cloudify.nodes.Root'],
      properties: isHost ? { install_agent: false } : {},
      operations: lifecycleOps,
      relationships,
      hostId,
      plugins: [],
      deployInstances: 1,
    });
  }
  return {
    inputs: {},
    nodes,
    nodeInstances: nodes.map((node) => ({
      id: `${node.id}_00000`,
      nodeId: node.id,
      hostId: node.hostId === null ? null : `${node.hostId}_00000`,
      relationships: node.relationships.map((r) => ({ type: r.type, targetId: `${r.targetId}_00000`, targetName: r.targetId })),
    })),
    workflows: {},
    outputs: {},
    groups: {},
    policies: {},
    plugins: [],
    description: null,
  };
}

function rel(type: string, targetId: string, sourceOperations: Record<string, OperationSpec>): RelationshipModel {
  return { type, typeHierarchy: [type, 'cloudify.relationships.depends_on'], targetId, properties: {}, sourceOperations, targetOperations: {}, connectionType: 'all_to_all' };
}

/** Warms the JIT up: install + heal + uninstall on a small model, figures discarded. */
async function warmUp(): Promise<void> {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) await warmUpRound();
}

async function warmUpRound(): Promise<void> {
  const model = generateModel(WARM_UP_NODES);
  const ports: EnginePorts = {
    dispatcher: { run: () => Promise.resolve(null) },
    instances: new InMemoryInstanceStoreAdapter(),
    executions: new InMemoryExecutionStoreAdapter(),
    events: { emit: () => undefined },
    clock: systemClock,
  };
  for (const [workflow, parameters] of [['install', {}], ['heal', { node_instance_id: 'n1_00000' }], ['uninstall', {}]] as const) {
    await runWorkflow({ model, workflow, parameters, deploymentId: 'warm-up', ports, options: { threadPoolSize: THREADS, taskRetries: 0 } });
  }
}

/** Where the bench keeps instance state, executions and task records. */
export type StateBackend = 'memory' | 'local' | 'sqlite';

/** Stores of one backend, and what to do once the steps are measured. */
interface BenchStores {
  instances: EnginePorts['instances'];
  executions: EnginePorts['executions'];
  /** What `cfy local execute` does after a workflow: compact the instance journal once it is big (timed apart). */
  checkpoint: () => Promise<unknown>;
  /** Compacts the instance journal whatever its size. */
  fold: () => Promise<unknown>;
  close: () => void;
}

/**
 * The stores `cfy local` uses (src/plugins/local-state: a state folder under a temporary
 * directory, created as `cfy local init` does), the SQLite storage's engine adapters
 * (src/storage, a database file in a temporary directory), or the in-memory ones.
 */
async function openStores(backend: StateBackend, model: DeploymentModel): Promise<BenchStores> {
  if (backend === 'sqlite') return openSqliteStores(model);
  if (backend === 'memory')
    return { instances: new InMemoryInstanceStoreAdapter(), executions: new InMemoryExecutionStoreAdapter(), checkpoint: () => Promise.resolve(), fold: () => Promise.resolve(), close: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'rk-bench-engine-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'blueprint.yaml'), 'tosca_definitions_version: cloudify_dsl_1_3\n');
  const store = LocalStateStore.create(join(dir, 'state'), { name: 'bench', blueprintPath: join(dir, 'app', 'blueprint.yaml'), inputs: {}, plan: model });
  return { instances: store.instances, executions: store.executions, checkpoint: () => Promise.resolve(store.checkpoint()), fold: () => Promise.resolve(store.checkpoint(true)), close: () => rmSync(dir, { recursive: true, force: true }) };
}

async function openSqliteStores(model: DeploymentModel): Promise<BenchStores> {
  const dir = mkdtempSync(join(tmpdir(), 'rk-bench-engine-'));
  const storage = await openSqliteStorage(join(dir, 'bench.db'));
  const at = new Date().toISOString();
  await storage.blueprints.create({ id: 'bench', mainFileName: 'blueprint.yaml', description: null, plan: {}, createdAt: at, updatedAt: at });
  await storage.deployments.create({ id: 'bench', blueprintId: 'bench', description: null, inputs: {}, outputs: {}, workflows: {}, groups: {}, policies: {}, scalingGroups: {}, createdAt: at, updatedAt: at });
  await storage.nodeInstances.createMany(
    model.nodeInstances.map((i) => ({ id: i.id, deploymentId: 'bench', nodeId: i.nodeId, hostId: i.hostId, state: 'uninitialized' as const, runtimeProperties: {}, version: 1, relationships: i.relationships })),
  );
  return {
    instances: createInstanceStore(storage, 'bench'),
    executions: createExecutionStore(storage),
    checkpoint: () => Promise.resolve(),
    fold: () => Promise.resolve(),
    close: () => void storage.close().then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

/** Runs install, heal of one host subtree and uninstall on a model of `n` nodes, in this process. */
export async function measure(n: number, backend: StateBackend = 'memory', warm = true): Promise<EngineBenchResult> {
  if (warm) await warmUp();
  const model = generateModel(n);
  let operations = 0;
  let events = 0;
  const stores = await openStores(backend, model);
  const ports: EnginePorts = {
    dispatcher: { run: () => (operations++, Promise.resolve(null)) },
    instances: stores.instances,
    executions: stores.executions,
    events: { emit: (_doc: EventDocument) => void events++ },
    clock: systemClock,
  };
  const healTarget = `n${Math.floor(n / 400) * 200 + 1}_00000`;
  const steps: StepFigures[] = [];
  const step = async (workflow: string, instances: number, parameters: Record<string, unknown> = {}): Promise<void> => {
    operations = 0;
    events = 0;
    // Garbage left by earlier steps is collected before the clock starts (child runs with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { error } = await runWorkflow({ model, workflow, parameters, deploymentId: 'bench', ports, options: { threadPoolSize: THREADS, taskRetries: 0 } });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (error !== null) throw error;
    const checkpointStarted = performance.now();
    await stores.checkpoint();
    const checkpointMs = performance.now() - checkpointStarted;
    steps.push({
      checkpointMs: Number(checkpointMs.toFixed(1)),
      workflow,
      instances,
      operations,
      events,
      ms: Number(ms.toFixed(1)),
      opsPerSecond: Math.round(operations / (ms / 1000)),
      cpuMs: Number(cpuMs.toFixed(1)),
      opsPerCpuSecond: Math.round(operations / (cpuMs / 1000)),
    });
  };
  await step('install', model.nodeInstances.length);
  await step('heal', healSubgraph(indexModel(model), healTarget).length, { node_instance_id: healTarget });
  await step('uninstall', model.nodeInstances.length);
  const foldStarted = performance.now();
  await stores.fold();
  const foldMs = Number((performance.now() - foldStarted).toFixed(1));
  stores.close();
  return { nodes: n, backend, steps, foldMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), loadAverage: loadavg()[0]! };
}

/** Runs every N in a child process of its own and prints the figures. */
export async function run(sizes: readonly number[] = [1000, 10_000], backends: readonly StateBackend[] = ['memory', 'local']): Promise<EngineBenchResult[]> {
  const results: EngineBenchResult[] = [];
  const self = fileURLToPath(import.meta.url);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const backend of backends) {
    for (const n of sizes) {
      const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', String(n), backend], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`engine bench child for N=${n} (${backend}) failed: ${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as EngineBenchResult;
      results.push(result);
      const label = `engine ${backend.padEnd(6)} N=${String(n).padStart(6)}`;
      for (const s of result.steps) {
        console.log(
          `${label} ${s.workflow.padEnd(9)} instances ${String(s.instances).padStart(6)}  ops ${String(s.operations).padStart(6)}  ` +
            `events ${String(s.events).padStart(7)}  ${String(s.ms).padStart(8)} ms  ${String(s.opsPerSecond).padStart(7)} ops/s  ` +
            `(cpu ${String(s.cpuMs).padStart(8)} ms, ${String(s.opsPerCpuSecond).padStart(7)} ops/cpu-s)` +
            (backend === 'local' ? `  checkpoint ${s.checkpointMs} ms` : ''),
        );
      }
      const fold = backend === 'local' ? `, forced compaction of the instance journal ${result.foldMs} ms` : '';
      console.log(`${label} peak RSS ${result.peakRssMb} MB${fold}, load average ${result.loadAverage.toFixed(2)}`);
    }
  }
  console.log(
    `(thread pool ${THREADS}, no-op dispatcher, after ${WARM_UP_ROUNDS} warm-up runs on N=${WARM_UP_NODES} in memory; ops/cpu-s = operations per second of ` +
      `this process's CPU time; memory = in-memory stores; local = cfy local's state folder (task journals and instance journal group-committed with fsync, ` +
      `sqlite = src/storage's engine adapters over a SQLite file (WAL, synchronous=NORMAL: no fsync per commit); ` +
      `checkpoint = what cfy local execute does after the workflow: compact the instance journal once it holds 8 MB, timed apart))`,
  );
  await Promise.resolve();
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await measure(Number(args[1]), (args[2] ?? 'memory') as StateBackend)));
  } else {
    const sizes = args.map(Number).filter((x) => x > 0);
    const backends = args.filter((a): a is StateBackend => a === 'memory' || a === 'local' || a === 'sqlite');
    await run(sizes.length > 0 ? sizes : undefined, backends.length > 0 ? backends : undefined);
  }
}
