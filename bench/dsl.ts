/**
 * DSL + plan benchmark: blueprints of N = 100, 1,000, 10,000 node templates (half contained in
 * another, one in five connected to another, properties using concat and get_input), each N in
 * its own child process. Prints parse time, plan time, total and peak RSS per N, and growth.
 *
 *   npx tsx bench/dsl.ts            all sizes
 *   npx tsx bench/dsl.ts 1000       one size
 */
import { spawnSync } from 'node:child_process';
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

interface Figures {
  n: number;
  bytes: number;
  /** First parse/plan in the process (cold JIT), wall clock. */
  parseMs: number;
  planMs: number;
  /** Second run in the same process (warm), wall clock and CPU time. */
  warmMs: number;
  warmCpuMs: number;
  instances: number;
  peakRssMb: number;
}

type Resolver = ReturnType<typeof createImportResolver>;

function parseAndPlan(
  text: string,
  resolver: Resolver,
): { parseMs: number; planMs: number; instances: number } {
  const t0 = performance.now();
  const { blueprint, diagnostics } = parseBlueprint(text, {
    source: '/bench/blueprint.yaml',
    resolver,
  });
  const t1 = performance.now();
  if (!blueprint || diagnostics.length > 0)
    throw new Error(`bench blueprint invalid: ${diagnostics[0]?.message}`);
  const model = planDeployment(blueprint, {}, { random: seededRandom(1) });
  return {
    parseMs: t1 - t0,
    planMs: performance.now() - t1,
    instances: model.nodeInstances.length,
  };
}

/** Child side: parse + plan one size (cold, then warm), print its figures as JSON. */
function measure(n: number): Figures {
  const text = generateBlueprint(n);
  const resolver = createImportResolver({
    files: nodeFileReader,
    resourcesDir: defaultResourcesDir(),
  });
  // Warm the shipped types file (parsed once per process, as in a long-running manager).
  parseBlueprint(generateBlueprint(2), { source: '/bench/warm.yaml', resolver });
  const cold = parseAndPlan(text, resolver);
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  parseAndPlan(text, resolver);
  const warmMs = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  return {
    n,
    bytes: text.length,
    parseMs: cold.parseMs,
    planMs: cold.planMs,
    warmMs,
    warmCpuMs: (cpu.user + cpu.system) / 1000,
    instances: cold.instances,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
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

/** Runs every size (each in a child process) and prints the figures. */
export async function run(sizes: number[] = SIZES): Promise<void> {
  const rows: Figures[] = [];
  const head = [
    'N nodes',
    'YAML KB',
    'cold parse ms',
    'cold plan ms',
    'cold total ms',
    'warm total ms',
    'warm CPU ms',
    'instances',
    'peak RSS MB',
  ];
  console.log(head.join(' | '));
  for (const n of sizes) {
    const f = runChild(n);
    rows.push(f);
    const cells = [
      n,
      (f.bytes / 1024).toFixed(0),
      f.parseMs.toFixed(1),
      f.planMs.toFixed(1),
      (f.parseMs + f.planMs).toFixed(1),
      f.warmMs.toFixed(1),
      f.warmCpuMs.toFixed(1),
      f.instances,
      f.peakRssMb.toFixed(0),
    ];
    console.log(cells.map((c, i) => String(c).padStart(head[i]!.length)).join(' | '));
  }
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    const cold = (b.parseMs + b.planMs) / (a.parseMs + a.planMs);
    console.log(
      `growth N ${a.n} -> ${b.n} (x${b.n / a.n}): cold time x${cold.toFixed(1)}, warm time x${(b.warmMs / a.warmMs).toFixed(1)}, warm CPU x${(b.warmCpuMs / a.warmCpuMs).toFixed(1)}, peak RSS x${(b.peakRssMb / a.peakRssMb).toFixed(2)}`,
    );
  }
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
