/**
 * DSL + plan benchmark: blueprints of N = 100, 1,000, 10,000 node templates (half contained in
 * another, one in five connected to another, properties using concat and get_input), each N in
 * its own child process. Prints, per N, the cold (first), second and warm (steady-state) parse +
 * plan time, wall and CPU, peak RSS, and growth.
 *
 *   npx tsx bench/dsl.ts            all sizes
 *   npx tsx bench/dsl.ts 1000       one size
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/core/index.js';
import {
  createImportResolver,
  defaultResourcesDir,
  nodeFileReader,
  parseBlueprint,
} from '../src/dsl/index.js';
import { planDeployment } from '../src/plan/index.js';

const SIZES = [100, 1_000, 10_000];

/** A synthetic blueprint with `n` node templates. */
export function generateBlueprint(n: number): string {
  const lines = [
    'tosca_definitions_version: cloudify_dsl_1_3',
    'imports:',
    '  - http://www.getcloudify.org/spec/cloudify/3.3/types.yaml',
    'inputs:',
    '  prefix: { type: string, default: app }',
    '  port: { type: integer, default: 8080 }',
    'node_templates:',
  ];
  for (let i = 0; i < n; i++) {
    const host = i % 2 === 0;
    lines.push(
      `  n${i}:`,
      `    type: ${host ? 'cloudify.nodes.Compute' : 'cloudify.nodes.WebServer'}`,
      '    properties:',
    );
    if (host) lines.push(`      ip: { concat: [ { get_input: prefix }, '-', 'n${i}' ] }`);
    else lines.push('      port: { get_input: port }');
    const rels: string[] = [];
    if (!host)
      rels.push(`      - { type: cloudify.relationships.contained_in, target: n${i - 1} }`);
    if (i % 5 === 4)
      rels.push(`      - { type: cloudify.relationships.connected_to, target: n${i - 3} }`);
    if (rels.length > 0) lines.push('    relationships:', ...rels);
  }
  return `${lines.join('\n')}\n`;
}

/** Wall and CPU time of one parse + plan. */
interface Timing {
  wallMs: number;
  cpuMs: number;
}

interface Figures {
  n: number;
  bytes: number;
  /** First parse + plan of this size in the process (shipped types already cached, JIT cold). */
  cold: Timing & { parseMs: number; planMs: number };
  /** The second one (JIT still warming up). */
  second: Timing;
  /** Steady state of a long-running process: median of {@link STEADY_RUNS} runs after the warm-up ones. */
  warm: Timing;
  instances: number;
  /** Peak RSS after the cold and second runs (one blueprint's parse + plan, twice). */
  peakRssMb: number;
  /** Peak RSS at the end, after the steady-state runs. */
  finalPeakRssMb: number;
}

/**
 * Before the steady-state runs: at least {@link WARM_UP_RUNS} runs and {@link WARM_UP_NODES}
 * node templates parsed (JIT warm-up), then {@link STEADY_RUNS} measured runs.
 */
const WARM_UP_RUNS = 5;
const WARM_UP_NODES = 20_000;
const STEADY_RUNS = 9;

type Resolver = ReturnType<typeof createImportResolver>;

function parseAndPlan(
  text: string,
  resolver: Resolver,
): Timing & { parseMs: number; planMs: number; instances: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { blueprint, diagnostics } = parseBlueprint(text, {
    source: '/bench/blueprint.yaml',
    resolver,
  });
  const t1 = performance.now();
  if (!blueprint || diagnostics.length > 0)
    throw new Error(`bench blueprint invalid: ${diagnostics[0]?.message}`);
  const model = planDeployment(blueprint, {}, { random: seededRandom(1) });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    parseMs: t1 - t0,
    planMs: wallMs - (t1 - t0),
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    instances: model.nodeInstances.length,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Child side: parse + plan one size (cold, second, steady state), print its figures as JSON. */
function measure(n: number): Figures {
  const text = generateBlueprint(n);
  const resolver = createImportResolver({
    files: nodeFileReader,
    resourcesDir: defaultResourcesDir(),
  });
  // Warm the shipped types file (parsed once per process, as in a long-running manager).
  parseBlueprint(generateBlueprint(2), { source: '/bench/warm.yaml', resolver });
  const cold = parseAndPlan(text, resolver);
  const second = parseAndPlan(text, resolver);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const warmUp = Math.max(WARM_UP_RUNS, Math.ceil(WARM_UP_NODES / n));
  const runs: Timing[] = [];
  for (let i = 2; i < warmUp + STEADY_RUNS; i++) {
    const r = parseAndPlan(text, resolver);
    if (i >= warmUp) runs.push(r);
  }
  return {
    n,
    bytes: text.length,
    cold,
    second: { wallMs: second.wallMs, cpuMs: second.cpuMs },
    warm: { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)) },
    instances: cold.instances,
    peakRssMb,
    finalPeakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function runChild(n: number): Figures {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', String(n)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench child for N=${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Figures;
}

const both = (t: Timing): string => `${t.wallMs.toFixed(1)} / ${t.cpuMs.toFixed(1)}`;

/** Runs every size (each in a child process) and prints the figures. */
export async function run(sizes: number[] = SIZES): Promise<void> {
  const rows: Figures[] = [];
  const head = [
    'N nodes',
    'YAML KB',
    'cold parse ms',
    'cold plan ms',
    'cold wall / CPU ms',
    'second wall / CPU ms',
    'warm wall / CPU ms',
    'instances',
    'peak RSS MB',
  ];
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(head.join(' | '));
  for (const n of sizes) {
    const f = runChild(n);
    rows.push(f);
    const cells = [
      n,
      (f.bytes / 1024).toFixed(0),
      f.cold.parseMs.toFixed(1),
      f.cold.planMs.toFixed(1),
      both(f.cold),
      both(f.second),
      both(f.warm),
      f.instances,
      `${f.peakRssMb.toFixed(0)} (${f.finalPeakRssMb.toFixed(0)})`,
    ];
    console.log(cells.map((c, i) => String(c).padStart(head[i]!.length)).join(' | '));
  }
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    console.log(
      `growth N ${a.n} -> ${b.n} (x${b.n / a.n}): cold CPU x${(b.cold.cpuMs / a.cold.cpuMs).toFixed(1)}, warm wall x${(b.warm.wallMs / a.warm.wallMs).toFixed(1)}, warm CPU x${(b.warm.cpuMs / a.warm.cpuMs).toFixed(1)}, peak RSS x${(b.peakRssMb / a.peakRssMb).toFixed(2)}`,
    );
  }
  console.log(
    `cold = first parse + plan of that size in a fresh process (shipped types.yaml already parsed by a 2-node blueprint, JIT cold); ` +
      `second = the next one; warm = median of ${STEADY_RUNS} runs after at least ${WARM_UP_RUNS} runs and ${WARM_UP_NODES} templates (steady state of a long-running manager). ` +
      `CPU = process.cpuUsage (includes V8's compiler and GC threads, so it can exceed wall). Peak RSS after cold + second (in brackets: after all runs). ` +
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  await Promise.resolve();
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  console.log(JSON.stringify(measure(Number(process.argv[childIndex + 1]))));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const only = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  await run(only.length > 0 ? only : SIZES);
}
