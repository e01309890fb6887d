/**
 * Storage benchmark (SQLite): ingest 1M events in batches, read pages of 100 at shallow and
 * deep offsets (unfiltered and filtered by execution; `events.listDocuments`, the REST read),
 * then export and import everything.
 * Run: npx tsx bench/storage.ts [events]   (default 1000000; prints figures, asserts nothing)
 * Wall-clock figures depend on machine load; CPU seconds are printed beside them.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventDocument } from '../src/core/index.js';
import { openStorage, type EventQuery, type ExportItem, type StoragePort } from '../src/storage/index.js';

/** Figures the benchmark measured. */
export interface StorageBenchResult {
  events: number;
  ingestEventsPerSecond: number;
  pages: { label: string; p50Ms: number; p99Ms: number; cpuP50Ms: number }[];
  exportMs: number;
  importMs: number;
  databaseBytes: number;
}

const executions = 10;

/** Event i happens 10 ms after event i - 1. */
function timeOf(i: number): string {
  return new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString();
}

function doc(i: number): EventDocument {
  const at = timeOf(i);
  const context = { execution_id: `ex${i % executions}`, deployment_id: `dep${i % 5}`, blueprint_id: 'bp', workflow_id: 'install', node_id: `vm_${i % 7}`, node_name: 'vm' };
  return i % 3 === 0
    ? { type: 'cloudify_event', event_type: 'task_succeeded', timestamp: at, '@timestamp': at, message_code: null, message: { text: `Task succeeded 'script_runner.tasks.run' #${i}`, arguments: null }, context }
    : { type: 'cloudify_log', logger: 'ctx', level: 'info', timestamp: at, '@timestamp': at, message: { text: `Executing: /tmp/script-${i}.sh` }, context };
}

function cpuSince(start: NodeJS.CpuUsage): string {
  const used = process.cpuUsage(start);
  return ((used.user + used.system) / 1e6).toFixed(1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timePage(storage: StoragePort, query: EventQuery, runs: number): Promise<{ p50Ms: number; p99Ms: number; cpuP50Ms: number }> {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const page = await storage.events.listDocuments(query); // what GET /events reads
    const used = process.cpuUsage(cpu);
    times.push(performance.now() - start);
    cpuTimes.push((used.user + used.system) / 1000);
    if (page.items.length === 0) throw new Error(`empty page for ${JSON.stringify(query)}`);
  }
  times.sort((a, b) => a - b);
  cpuTimes.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), cpuP50Ms: percentile(cpuTimes, 50) };
}

/** Runs the benchmark and prints figures. */
export async function run(total = 1_000_000, log: (line: string) => void = console.log): Promise<StorageBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bench-storage-'));
  const path = join(dir, 'manager.db');
  const storage = await openStorage({ url: `sqlite://${path}` });
  try {
    const batch = 5000;
    const ingestStart = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < total; i += batch) {
      await storage.events.append(Array.from({ length: Math.min(batch, total - i) }, (_, k) => doc(i + k)));
    }
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const ingestEventsPerSecond = Math.round(total / ingestSeconds);
    log(
      `ingest: ${total} events in ${ingestSeconds.toFixed(1)} s = ${ingestEventsPerSecond} events/s (batches of ${batch}; ` +
        `${cpuSeconds.toFixed(1)} s CPU = ${Math.round(total / cpuSeconds)} events per CPU-second)`,
    );

    const pages: StorageBenchResult['pages'] = [];
    const perExecution = Math.floor(total / executions);
    const cases: [string, EventQuery][] = [
      ['all, offset 0', { offset: 0, size: 100 }],
      [`all, offset ${total / 2}`, { offset: total / 2, size: 100 }],
      [`all, offset ${total - 100}`, { offset: total - 100, size: 100 }],
      [`all desc, offset ${total - 100}`, { offset: total - 100, size: 100, sort: ['-seq'] }],
      [`execution ex3, offset 0`, { executionId: 'ex3', offset: 0, size: 100 }],
      [`execution ex3, offset ${perExecution - 100}`, { executionId: 'ex3', offset: perExecution - 100, size: 100 }],
      [`execution ex3, logs, offset ${Math.floor(perExecution / 2)}`, { executionId: 'ex3', type: 'cloudify_log', offset: Math.floor(perExecution / 2), size: 100 }],
      [`time range 1 min (6000 events), offset 0`, { from: timeOf(total / 2), to: timeOf(total / 2 + 6000), size: 100 }],
      [`cursor afterSeq ${total - 200}, no total`, { afterSeq: total - 200, size: 100, withTotal: false }],
    ];
    for (const [label, query] of cases) {
      const figures = await timePage(storage, query, 30);
      pages.push({ label, ...figures });
      log(`page of 100, ${label}: p50 ${figures.p50Ms.toFixed(2)} ms, p99 ${figures.p99Ms.toFixed(2)} ms (CPU p50 ${figures.cpuP50Ms.toFixed(2)} ms)`);
    }

    const exportStart = performance.now();
    const exportCpu = process.cpuUsage();
    const items: ExportItem[] = [];
    for await (const item of storage.exportAll()) items.push(item);
    const exportMs = performance.now() - exportStart;
    log(`export: ${items.length - 2} rows in ${(exportMs / 1000).toFixed(1)} s (${cpuSince(exportCpu)} s CPU)`);
    // A restore goes into a fresh manager: import into a new, empty database.
    const restored = await openStorage({ url: `sqlite://${join(dir, 'restored.db')}` });
    const importStart = performance.now();
    const importCpu = process.cpuUsage();
    try {
      await restored.importAll(items);
    } finally {
      await restored.close();
    }
    const importMs = performance.now() - importStart;
    log(`import into an empty database (one transaction): ${(importMs / 1000).toFixed(1)} s (${cpuSince(importCpu)} s CPU)`);
    const databaseBytes = statSync(path).size;
    log(`database file: ${(databaseBytes / 1024 / 1024).toFixed(0)} MiB`);
    return { events: total, ingestEventsPerSecond, pages, exportMs, importMs, databaseBytes };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run(Number(process.argv[2] ?? 1_000_000));
}
