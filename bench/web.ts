/**
 * Web UI benchmark: a manager whose storage holds 1,000 deployments (1,000 executions) and 1M
 * events, seeded through the storage layer directly (`createMany`, `events.append` in batches
 * of 5,000, as bench/storage.ts), then the manager (`bin/cfy-manager.js`, its own process) and
 * headless chromium on the UI. Prints: time to the first rows of the deployments list and the
 * executions page, time to the first event lines of an execution holding 300k of the events,
 * the time to follow 10k events appended while the page watches and the page's JS heap after,
 * and the manager's peak RSS. Figures only, no assertions.
 * Needs `npm run build` (dist/web) and /usr/bin/chromium.
 * Run: npx tsx bench/web.ts [events]   (default 1000000)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { cloudifyTimestamp, type EventDocument } from '../src/core/index.js';
import { openStorage, type StoragePort } from '../src/storage/index.js';

const deployments = 1000;
const watched = 'ex-watch';
const password = 'bench-web-password';
const repo = new URL('..', import.meta.url).pathname;

const pad = (i: number): string => String(i).padStart(4, '0');

function event(i: number, execution: string, deployment: string, at: number): EventDocument {
  const stamp = new Date(at);
  const context = { execution_id: execution, deployment_id: deployment, blueprint_id: 'bench-bp', workflow_id: 'install', node_id: `vm_${i % 7}`, node_name: 'vm' };
  return i % 3 === 0
    ? { type: 'cloudify_event', event_type: 'task_succeeded', timestamp: cloudifyTimestamp(stamp), '@timestamp': stamp.toISOString(), message_code: null, message: { text: `Task succeeded 'script_runner.tasks.run' #${i}`, arguments: null }, context }
    : { type: 'cloudify_log', logger: 'ctx', level: 'info', timestamp: cloudifyTimestamp(stamp), '@timestamp': stamp.toISOString(), message: { text: `bench line ${i}` }, context };
}

/** 1 blueprint, `deployments` deployments, one terminated install each, `ex-watch` on the first; `total` events (30% of them ex-watch's). */
async function seed(storage: StoragePort, total: number, log: (line: string) => void): Promise<void> {
  const t0 = Date.UTC(2026, 0, 1);
  const iso = new Date(t0).toISOString();
  await storage.blueprints.create({ id: 'bench-bp', mainFileName: 'blueprint.yaml', description: null, plan: { node_templates: [], inputs: {}, outputs: {}, workflows: {} }, createdAt: iso, updatedAt: iso });
  await storage.deployments.createMany(
    Array.from({ length: deployments }, (_, i) => ({
      id: `dep-${pad(i)}`, blueprintId: 'bench-bp', description: null, inputs: {}, outputs: {}, workflows: {}, groups: {}, policies: {}, scalingGroups: {},
      createdAt: new Date(t0 + i * 1000).toISOString(), updatedAt: new Date(t0 + i * 1000).toISOString(),
    })),
  );
  await storage.executions.createMany(
    Array.from({ length: deployments }, (_, i) => ({
      id: i === 0 ? watched : `ex-${pad(i)}`, deploymentId: `dep-${pad(i)}`, blueprintId: 'bench-bp', workflowId: 'install',
      status: i === 0 ? ('started' as const) : ('terminated' as const), error: null, parameters: {}, isSystemWorkflow: false,
      createdAt: new Date(t0 + i * 1000).toISOString(), startedAt: null, endedAt: null,
    })),
  );
  const start = performance.now();
  const batch = 5000;
  for (let i = 0; i < total; i += batch) {
    const docs = Array.from({ length: Math.min(batch, total - i) }, (_, k) => {
      const n = i + k;
      const d = n % 10 < 3 ? 0 : n % deployments;
      return event(n, d === 0 ? watched : `ex-${pad(d)}`, `dep-${pad(d)}`, t0 + n * 10);
    });
    await storage.events.append(docs);
  }
  log(`seeded ${deployments} deployments, ${deployments} executions, ${total} events in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

/** Matches the printed line of event `n`. */
const lineOf = (n: number): RegExp => new RegExp(`(#|bench line )${n}(?!\\d)`);

/** Starts `bin/cfy-manager.js` on a free loopback port; resolves with its URL. */
async function startManager(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(repo, 'bin/cfy-manager.js'), 'start', '--data-dir', dataDir, '--port', '0', '--no-broker', '--log-level', 'warn'], {
    detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, REKINDLE_ADMIN_PASSWORD: password },
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the manager exited (${code}): ${stderr}`)));
  });
  return { child, url };
}

/** Peak resident set of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/** Milliseconds from navigating to `path` until `ready` resolves. */
async function timeTo(page: Page, url: string, path: string, ready: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await page.goto(`${url}${path}`);
  await ready();
  return performance.now() - start;
}

/** Runs the benchmark and prints figures. */
export async function run(total = 1_000_000, log: (line: string) => void = console.log): Promise<void> {
  if (!existsSync(join(repo, 'dist/web/index.html'))) throw new Error('dist/web is missing: run npm run build first');
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-bench-web-'));
  const profile = mkdtempSync(join(tmpdir(), 'rekindle-bench-chromium-'));
  const storage = await openStorage({ url: `sqlite://${join(dataDir, 'manager.db')}` });
  let manager: { child: ChildProcess; url: string } | undefined;
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  try {
    await seed(storage, total, log);
    manager = await startManager(dataDir);
    const { url } = manager;
    const auth = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`, 'content-type': 'application/json' };
    // The start-up reconcile failed the seeded `started` execution; make it active again so the page follows it.
    await fetch(`${url}/api/v2/executions/${watched}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ status: 'started' }) });

    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(120_000);
    await page.goto(`${url}/`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    const deploymentsMs = await timeTo(page, url, '/deployments', () => page.getByRole('link', { name: /^dep-\d{4}$/ }).first().waitFor());
    log(`deployments list (${deployments} deployments): first rows after ${deploymentsMs.toFixed(0)} ms`);
    const executionsMs = await timeTo(page, url, '/executions', () => page.getByRole('cell', { name: 'terminated' }).first().waitFor());
    log(`executions page (${deployments} executions): first rows after ${executionsMs.toFixed(0)} ms`);
    let newest = total - 1;
    while (newest % 10 >= 3) newest -= 1; // the watched execution's newest seeded event
    const lines = page.getByRole('log', { name: 'Event lines' });
    const eventsMs = await timeTo(page, url, `/executions/${watched}`, () => lines.getByText(lineOf(newest)).waitFor());
    log(`execution event view (${Math.round(total * 0.3)} of ${total} events are this execution's): first lines after ${eventsMs.toFixed(0)} ms`);

    const follow = 10_000;
    const followStart = performance.now();
    const t1 = Date.now();
    for (let i = 0; i < follow; i += 500) {
      await storage.events.append(Array.from({ length: 500 }, (_, k) => event(total + i + k, watched, 'dep-0000', t1 + i + k)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const last = total + follow - 1;
    await lines.getByText(lineOf(last)).waitFor();
    const followMs = performance.now() - followStart;
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? Number.NaN;
    const shown = await lines.locator('.line').count();
    log(`followed ${follow} appended events (20 batches, 50 ms apart) in ${followMs.toFixed(0)} ms; ${shown} lines in the DOM, ${nodes} DOM nodes`);
    log(`page JS heap after following: ${(heap / 1024 / 1024).toFixed(1)} MB (after a forced GC)`);
    log(`manager peak RSS: ${peakRssMb(manager.child.pid!).toFixed(0)} MB`);
  } finally {
    await context?.close();
    if (manager?.child.pid !== undefined && manager.child.exitCode === null) {
      const exited = new Promise((resolve) => manager!.child.once('exit', resolve));
      process.kill(-manager.child.pid, 'SIGTERM');
      await exited;
    }
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = process.argv[2];
  await run(arg === undefined ? undefined : Number(arg));
}
